"""Properties of the flags over generated cases (hypothesis), on a one-indicator catalogue so
that nothing but the numbers varies:
- improving only the latest value never worsens the status;
- mirroring the values and the direction mirrors nothing in the outcome.
"""
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import config, evaluation
from metrics.catalogue import Catalogue
from metrics.evaluation import status

MIRROR_KIND = {"at_least": "at_most", "at_most": "at_least", "increase": "decrease",
               "decrease": "increase", "reduce_by_pct": "reduce_by_pct"}
HIGHER_KINDS = ("at_least", "increase")
RANK = {s.code: s.rank for s in status.STATUSES}


def tiny_catalogue(direction: str, kind: str, target: float | None, regions: int) -> Catalogue:
    """One outline, one area, one indicator in an unbounded unit; 全国 and `regions` regions
    under it, one per generated case, so a whole example is evaluated in one call."""
    plans = pd.DataFrame([{"id": "p", "name": "测试纲要", "short_name": "测试", "domain": "women",
                           "level": "national", "region_code": "000000", "parent_plan": None,
                           "start_year": 2021, "baseline_year": 2020, "midterm_year": 2025,
                           "target_year": 2030, "document": ""}])
    indicator = {"code": "x", "name": "测试指标", "aliases": "", "name_en": "", "unit": "比值",
                 "direction": direction, "decimals": 2, "valid_min": None, "valid_max": None,
                 "definition": "", "data_source": "", "lead_department": "", "note": "",
                 "supporting_departments": "", "statistical_year": "calendar"}
    target = {"plan_id": "p", "indicator_code": "x", "kind": kind, "value": target,
              "tolerance": None, "target_year": 2030, "milestone_year": None,
              "milestone_value": None, "text": "", "source": "", "verified": "yes",
              "confidence": "high", "evidence": ""}
    return Catalogue(
        units=pd.DataFrame([{"unit": "比值", "name": "比值", "kind": "ratio", "per": None,
                             "default_min": None, "default_max": None}]),
        plans=plans,
        areas=pd.DataFrame([{"plan_id": "p", "area_code": "a", "name": "领域", "sort_order": 1}]),
        indicators=pd.DataFrame([indicator]),
        plan_indicators=pd.DataFrame([{"plan_id": "p", "area_code": "a", "indicator_code": "x",
                                       "sort_order": 1, "main_target": True,
                                       "outline_name": None}]),
        targets=pd.DataFrame([target]),
        regions=pd.DataFrame([{"code": "000000", "name": "全国", "short_name": "全国",
                               "level": "national", "parent_code": None, "sort_order": 0,
                               "is_demo": False}] + [
            {"code": f"{i:06d}", "name": f"地区{i}", "short_name": f"地区{i}",
             "level": "province", "parent_code": "000000", "sort_order": i, "is_demo": False}
            for i in range(1, regions + 1)]),
        observations=pd.DataFrame())


def flags(kind: str, target: float | None, cases: list[tuple[float, float]],
          method: str = "linear") -> list[str]:
    """Status of each (baseline 2020, latest 2024) case, all evaluated in one call."""
    direction = "higher" if kind in HIGHER_KINDS else "lower"
    inputs = pd.DataFrame([{
        "indicator_code": "x", "region_code": f"{i:06d}", "latest_year": 2024,
        "latest_value": latest, "latest_source": "", "latest_numerator": None,
        "latest_denominator": None, "baseline_year_used": 2020, "baseline_value": baseline,
        "trend_slope": (latest - baseline) / 4,
        "trend_intercept": baseline - 2020 * (latest - baseline) / 4, "trend_points": 3}
        for i, (baseline, latest) in enumerate(cases, start=1)])
    codes = list(inputs["region_code"])
    frame = evaluation.evaluate(tiny_catalogue(direction, kind, target, len(cases)), inputs,
                                "p", codes, 2024, method, settings=config.settings().evaluation)
    return frame.set_index("region_code").loc[codes, "status"].tolist()


values = st.floats(min_value=1, max_value=1000, allow_nan=False).map(lambda v: round(v, 2))
kinds = st.sampled_from(["at_least", "at_most", "increase", "decrease", "reduce_by_pct"])
methods = st.sampled_from(["linear", "projection", "sdsn", "cagr"])


def target_for(kind: str, value: float) -> float | None:
    if kind in ("increase", "decrease"):
        return None
    return 20.0 if kind == "reduce_by_pct" else value


cases = st.lists(st.tuples(values, values, st.floats(min_value=0.01, max_value=500)),
                min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(kind=kinds, goal=values, cases=cases, method=methods)
def test_improving_the_latest_value_never_worsens_the_status(kind, goal, cases, method):
    target = target_for(kind, goal)
    better = [latest + step if kind in HIGHER_KINDS else max(latest - step, 0.01)
              for _, latest, step in cases]
    before = flags(kind, target, [(b, latest) for b, latest, _ in cases], method)
    after = flags(kind, target, [(b, x) for (b, _, _), x in zip(cases, better)], method)
    for case, old, new in zip(cases, before, after):
        assert RANK[new] <= RANK[old], (case, old, new)


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(["at_least", "at_most", "increase", "decrease"]), goal=values,
       cases=cases, method=st.sampled_from(["linear", "projection", "sdsn"]))
def test_mirroring_values_and_direction_mirrors_the_outcome(kind, goal, cases, method):
    target = target_for(kind, goal)
    mirrored_target = None if target is None else -target
    original = flags(kind, target, [(b, x) for b, x, _ in cases], method)
    mirrored = flags(MIRROR_KIND[kind], mirrored_target, [(-b, -x) for b, x, _ in cases],
                     method)
    assert original == mirrored
