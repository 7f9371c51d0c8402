"""The evaluation engine: for an outline, a set of regions and an evaluation year, every
indicator's effective target, baseline, latest value, progress measures and status flag.

Set-based throughout: the store reduces the observations to one row per (indicator, region)
in SQL, and the flags are numpy selections over all rows at once. The explanation sentences
are written by metrics/explain.py from the columns computed here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import targets as targets_module
from metrics.catalogue import Catalogue
from metrics.evaluation import local_rows, progress, smallnumbers, status
from metrics.evaluation.derived import derived
from metrics.plans import in_force as plan_terms
from metrics.settings import EvaluationSettings
from metrics.store import Store

# Long texts read from the catalogue where shown (definitions, notes, evidence), never copied to
# each of the hundreds of thousands of evaluated rows: copying them was a third of the cost.
CATALOGUE_ONLY = ["definition", "note", "aliases", "name_en", "data_source", "statistical_year"]
TARGET_CATALOGUE_ONLY = ["target_text", "target_source", "target_evidence", "target_confidence"]
INPUT_KEYS = ["indicator_code", "region_code"]
NUMERIC_KINDS = ("at_least", "at_most", "around", "reduce_by_pct")
# The rules and flags as text arrays to take from by the deciding rule's position: on pandas'
# Arrow strings, Series.map costs ~30 ms at national scale.
RULE_CODES = pd.array([r.code for r in status.RULES], dtype="str")
STATUS_CODES = pd.array([status.STATUS_OF_RULE[r.code].code for r in status.RULES], dtype="str")
STATUS_LABELS = pd.array([status.STATUS_OF_RULE[r.code].label for r in status.RULES],
                         dtype="str")
METHODS = {"linear": "直线进度法（默认）", "cagr": "年均增长率比（Eurostat）",
           "projection": "趋势外推（最小二乘）", "sdsn": "SDSN趋势法"}


def outline_indicators(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """The outline's indicators in outline order, with area and indicator metadata; `name` is
    the name the outline uses (学前三年毛入园率 in the 2011–2020 outlines), so every table,
    chart and briefing of an evaluation calls the indicator as the outline does."""
    return derived(cat, ("outline_indicators", outline_id),
                   lambda: listed_indicators(cat, outline_id))


def evaluated_indicators(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """The outline's indicators and those its local plans define (each in its area, marked
    by defining_plan_id and defining_region_code, NA for the outline's own)."""
    return derived(cat, ("evaluated_indicators", outline_id), lambda: local_rows.with_local(
        outline_indicators(cat, outline_id),
        local_rows.local_indicators(cat, outline_indicators(cat, outline_id), outline_id)))


def indicators_for_regions(cat: Catalogue, outline_id: str, region_codes) -> pd.DataFrame:
    """The indicators evaluated in at least one of the regions (evaluated_indicators'
    columns): those a person may choose from for these regions."""
    indicators = evaluated_indicators(cat, outline_id)
    asked = local_rows.asked_codes(cat, indicators, region_codes)
    return indicators[indicators["indicator_code"].isin(asked)].reset_index(drop=True)


def listed_indicators(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """outline_indicators, worked out."""
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    areas = cat.areas[cat.areas["plan_id"] == outline_id][["area_code", "name", "sort_order"]]
    frame = (listed.merge(areas.rename(columns={"name": "area_name", "sort_order": "area_order"}),
                          on="area_code")
             .merge(cat.indicators, left_on="indicator_code", right_on="code")
             .sort_values(["area_order", "sort_order"]))
    frame["name"] = frame["outline_name"].fillna(frame["name"])
    return frame.drop(columns=["code", "plan_id", "outline_name"]).reset_index(drop=True)


def assemble(cat: Catalogue, inputs: pd.DataFrame, outline_id: str,
             region_codes: list[str], year: int) -> pd.DataFrame:
    """One row per (indicator of the outline, region), indicator by indicator and the regions
    in the order given: metadata, effective target, baseline and latest value (from
    Store.fetch_evaluation_inputs), before any judgement. Where a local plan assigns an
    indicator's responsibilities, its units stand for the catalogue's departments; an indicator
    a plan there dropped has no row (metrics/plans/in_force). A local plan's own indicator has
    rows only in the regions its plan governs."""
    plan = cat.plans.set_index("id").loc[outline_id]
    indicators = evaluated_indicators(cat, outline_id).drop(columns=CATALOGUE_ONLY)
    indicator_codes = pd.Index(indicators["indicator_code"])
    region_of_slot, regions = pd.factorize(pd.Index(region_codes, dtype="str"))
    # The grid by position, never by merging on two text keys (~50 ms each at national scale):
    # row = indicator number × len(region_codes) + slot; cell = the (indicator, region) pair.
    indicator_of_row = np.repeat(np.arange(len(indicators)), len(region_codes))
    region_of_row = np.tile(region_of_slot, len(indicators))
    cell_of_row = indicator_of_row * len(regions) + region_of_row
    family = derived(cat, ("family_targets", outline_id),
                     lambda: targets_module.family_targets(cat.targets, cat.plans, outline_id))
    local = derived(cat, ("local_plan_rows", outline_id),
                    lambda: plan_terms.plan_rows(cat, outline_id))
    # Rows of indicators a plan there dropped are left out before the grid is built.
    dropped = plan_terms.dropped_cells(cat, family, local, regions, indicator_codes)
    if dropped.any():
        kept = ~dropped.reshape(-1)[cell_of_row]
        indicator_of_row, region_of_row = indicator_of_row[kept], region_of_row[kept]
        cell_of_row = cell_of_row[kept]
    in_force = targets_module.targets_in_force(family, cat.regions, regions, indicator_codes)
    # The store's integer column is nullable only when some pair lacks a baseline; one type.
    inputs = inputs.astype({"baseline_year_used": "Int32"})
    frame = pd.concat([
        take_rows(indicators.drop(columns=local_rows.DEFINING), indicator_of_row),
        local_rows.defining_columns(indicators, indicator_of_row),
        pd.DataFrame({"region_code": regions.take(region_of_row)}),
        take_cells(family.drop(columns=["indicator_code", *TARGET_CATALOGUE_ONLY]),
                   in_force.reshape(-1)[cell_of_row]),
        take_cells(inputs.drop(columns=INPUT_KEYS),
                   row_of_cell(inputs, indicator_codes, regions)[cell_of_row]),
    ], axis=1)
    applies = local_rows.applies(cat, indicators, indicator_of_row, regions, region_of_row)
    if not applies.all():
        frame = local_rows.only_applying(frame, applies)
        cell_of_row = cell_of_row[applies]
    frame["outline_baseline_year"] = int(plan["baseline_year"])
    frame["evaluation_year"] = year
    frame["target_year"] = frame["target_year"].fillna(plan["target_year"])
    return plan_terms.with_responsibilities(frame, cat, local, regions, indicator_codes,
                                            cell_of_row)


def row_of_cell(inputs: pd.DataFrame, indicator_codes: pd.Index,
                region_codes: pd.Index) -> np.ndarray:
    """For each (indicator, region) cell, numbered indicator × len(region_codes) + region, the
    row of `inputs` (one per pair, keyed by INPUT_KEYS) holding it; −1 where none does."""
    indicator = indicator_codes.get_indexer(inputs["indicator_code"])
    region = region_codes.get_indexer(inputs["region_code"])
    known = (indicator >= 0) & (region >= 0)
    rows = np.full(len(indicator_codes) * len(region_codes), -1)
    rows[indicator[known] * len(region_codes) + region[known]] = np.flatnonzero(known)
    return rows


def take_rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The frame's rows at these positions, numbered from 0; −1 gives an empty row with the
    dtypes a left merge would give (whole numbers become floats)."""
    frame = frame.reset_index(drop=True)
    taken = frame.reindex(rows) if (rows < 0).any() else frame.take(rows)
    return taken.set_axis(pd.RangeIndex(len(rows)))


def take_cells(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """take_rows for a table that may lack some (indicator, region) cells (−1), typed as though
    one were lacking whether or not one is (whole numbers as floats): an evaluation's columns
    then have the same types for one region as for all, so that one evaluation of every region
    can be cut into the evaluation of any of them (evaluation.every_region)."""
    return take_rows(frame, rows).astype(frame.iloc[:0].reindex([-1]).dtypes.to_dict())


def band_half_width(frame: pd.DataFrame, settings: EvaluationSettings) -> pd.Series:
    """Tolerance of an "around" target: the plan's own, else the office default."""
    default = (frame["target_value"] * settings.around_tolerance_share).where(
        frame["unit"] != "%", settings.around_tolerance_points)
    return frame["target_tolerance"].fillna(default)


def target_threshold(frame: pd.DataFrame) -> pd.Series:
    """The number a numeric target asks for: the target value, or for a reduction relative
    to the baseline, baseline × (1 − pct/100)."""
    relative = frame["baseline_value"] * (1 - frame["target_value"] / 100)
    return frame["target_value"].where(frame["target_kind"] != "reduce_by_pct", relative)


def add_goal(frame: pd.DataFrame, settings: EvaluationSettings) -> None:
    """goal: the value to reach (nearest band edge for 'around', baseline for 'maintain');
    sense: +1 when the indicator must rise to reach it, −1 when it must fall;
    numeric_target / direction_target: the two classes of target the status rules tell apart."""
    latest, has = frame["latest_value"], rows_of_kind(frame)
    frame["numeric_target"] = (has["at_least"] | has["at_most"] | has["around"]
                               | has["reduce_by_pct"] | has["maintain"])
    frame["direction_target"] = has["increase"] | has["decrease"]
    threshold = target_threshold(frame)
    band = band_half_width(frame, settings).where(has["around"], 0.0)
    with np.errstate(invalid="ignore"):  # rows without a latest value or target compare NaN
        below_band = (latest < threshold - band).fillna(False)
    edge = np.where(below_band, threshold - band, threshold + band)
    frame["band"] = band.where(has["around"])
    frame["goal"] = np.select([has["at_least"] | has["at_most"] | has["reduce_by_pct"],
                               has["around"], has["maintain"]],
                              [threshold, edge, frame["baseline_value"]], default=np.nan)
    # Two comparisons, not Series.map(dict): on pandas' Arrow strings map is ~20× slower (bench/).
    direction = np.select([frame["direction"].eq("higher").fillna(False),
                           frame["direction"].eq("lower").fillna(False)], [1.0, -1.0], 0.0)
    frame["sense"] = np.select(
        [has["at_least"] | has["increase"],
         has["at_most"] | has["reduce_by_pct"] | has["decrease"],
         has["around"], has["maintain"]],
        [1.0, -1.0, np.where(below_band, 1.0, -1.0), direction], default=0.0)


def rows_of_kind(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each target kind, whether each row's target is of that kind. One pass over the text
    column: each comparison of 150,000 Arrow strings costs ~1 ms, and add_goal needs a dozen."""
    code, present = pd.factorize(frame["target_kind"])
    number = {kind: i for i, kind in enumerate(present)}
    # Codes: −1 for rows without a target; a kind no row has gets −2, which matches none.
    return {kind: code == number.get(kind, -2) for kind in targets_module.KIND_LABELS}


def add_data_state(frame: pd.DataFrame, settings: EvaluationSettings) -> None:
    """stale: the latest value is older than the staleness limit and so treated as missing."""
    limit = frame["evaluation_year"] - settings.staleness_years
    frame["stale"] = frame["latest_year"].notna() & (frame["latest_year"] < limit)
    frame["usable"] = frame["latest_value"].notna() & ~frame["stale"]


def add_attainment(frame: pd.DataFrame, settings: EvaluationSettings) -> None:
    """shortfall (how far the latest value falls short of the goal, ≤ 0 = met) and the
    tolerance within which a miss counts as 基本达标."""
    shortfall = frame["sense"] * (frame["goal"] - frame["latest_value"])
    frame["shortfall"] = shortfall
    frame["basic_tolerance"] = (frame["goal"].abs() * settings.basically_share).where(
        frame["unit"] != "%", settings.basically_points)


def classify(frame: pd.DataFrame, method: str, settings: EvaluationSettings) -> np.ndarray:
    """The rule (position in status.RULES) deciding every row's status: the rules are tried
    in precedence order, the first that holds wins."""
    criteria = status.Criteria(method, settings.methods.of(method))
    conditions = [as_mask(rule.condition(frame, criteria)) for rule in status.RULES]
    return np.select(conditions, np.arange(len(status.RULES)), default=len(status.RULES) - 1)


def as_mask(holds: pd.Series | np.ndarray) -> np.ndarray:
    """A condition's result as a boolean array, missing counted as False."""
    if isinstance(holds, pd.Series):
        return holds.to_numpy(dtype=bool, na_value=False)
    return np.asarray(holds, dtype=bool)


def evaluate(cat: Catalogue, inputs: pd.DataFrame, outline_id: str, region_codes: list[str],
             year: int, method: str | None = None, *,
             settings: EvaluationSettings) -> pd.DataFrame:
    """Flags for every indicator of the outline in every given region, in one pass.

    inputs: Store.fetch_evaluation_inputs for these indicators and regions (one row per
    indicator_code and region_code; the codes may be text or categoricals).
    method: a code of METHODS, by default the settings' default_method.
    settings: the office's evaluation settings (config.settings().evaluation).
    Returns the assembled frame plus goal, expected_now, progress_ratio, projected_value,
    required_annual_change, small-number flags, status, status_label and status_rule (the code
    of the status.RULES entry that decided the status).
    """
    method = method or settings.default_method
    if method not in METHODS:
        raise ValueError(f"未知的评估方法：{method}")
    frame = assemble(cat, inputs, outline_id, region_codes, year)
    add_goal(frame, settings)
    add_data_state(frame, settings)
    add_attainment(frame, settings)
    progress.add_measures(frame, method, settings)
    smallnumbers.add_intervals(frame, cat.units, settings)
    frame["method"] = method
    rule = classify(frame, method, settings)
    frame["status_rule"] = RULE_CODES.take(rule)
    frame["status"] = STATUS_CODES.take(rule)
    frame["status_label"] = STATUS_LABELS.take(rule)
    return frame


def run(store: Store, cat: Catalogue, outline_id: str, region_codes: list[str], year: int,
        method: str | None = None, *, settings: EvaluationSettings) -> pd.DataFrame:
    """Fetch the inputs from the store and evaluate (see `evaluate`)."""
    plan = cat.plans.set_index("id").loc[outline_id]
    # The codes suffice here; the indicators' metadata is joined once, in assemble.
    codes = local_rows.asked_codes(cat, evaluated_indicators(cat, outline_id), region_codes)
    inputs = store.fetch_evaluation_inputs(
        codes, list(region_codes), year, int(plan["baseline_year"]),
        settings.baseline_window, settings.projection_points)
    return evaluate(cat, inputs, outline_id, list(region_codes), year, method,
                    settings=settings)


def target_rows(store: Store, cat: Catalogue, outline_id: str, region_codes: list[str],
                indicator_codes: list[str], *, settings: EvaluationSettings) -> pd.DataFrame:
    """The target in force for each of the indicators in each region, as a chart draws it:
    the target_* columns, band, and goal (what a 较基线下降 or 保持 target asks for, worked out
    from the baseline), with no progress measured and no flag decided. The trend page needs
    its target lines, not an evaluation at the target year."""
    plan = cat.plans.set_index("id").loc[outline_id]
    inputs = store.fetch_evaluation_inputs(
        list(indicator_codes), list(region_codes), int(plan["target_year"]),
        int(plan["baseline_year"]), settings.baseline_window, settings.projection_points)
    frame = assemble(cat, inputs, outline_id, list(region_codes), int(plan["target_year"]))
    frame = frame[frame["indicator_code"].isin(indicator_codes)].reset_index(drop=True)
    kind = rows_of_kind(frame)
    frame["band"] = band_half_width(frame, settings).where(kind["around"])
    frame["goal"] = target_threshold(frame).where(~kind["maintain"], frame["baseline_value"])
    return frame
