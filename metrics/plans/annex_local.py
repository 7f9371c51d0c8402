"""A plan's indicator table naming indicators of its own (「妇女之家」覆盖率): a row whose 指标 is no
catalogue indicator but gives a 单位 and a direction (the 指标方向 cell, or a target that implies
one: 「≥90%」 rises, 「控制在…以下」 falls) defines a local indicator of the plan, in the area its
领域 cell or the area heading row above it names. A row naming a local indicator the plan or a
plan above it already defines sets that one's target. Anything less stays an unknown indicator,
and so does a name close to a catalogue one (a typing slip must not become a new indicator)."""
from __future__ import annotations

import difflib

import pandas as pd

from metrics.catalogue import Catalogue, national_indicators
from metrics.plans import local_indicators
from metrics.plans.problems import problem
from metrics.plans.target_wording import read_target
from metrics.uploads import local_names
from metrics.uploads.problems import Problem

DIRECTION_WORDS = {"越高越好": "higher", "正向": "higher", "正向指标": "higher", "提高": "higher",
                   "higher": "higher", "越低越好": "lower", "逆向": "lower", "逆向指标": "lower",
                   "负向": "lower", "降低": "lower", "lower": "lower", "区间": "band",
                   "适度": "band", "保持": "band", "band": "band"}
DIRECTION_OF_KIND = {"at_least": "higher", "increase": "higher", "at_most": "lower",
                     "decrease": "lower", "reduce_by_pct": "lower", "around": "band"}
CLOSE_TO_CATALOGUE = 0.75   # difflib ratio above which a name is taken for a catalogue one


class LocalRows:
    """The local indicators a plan's table meets: those already defined for the plan's
    region (found by code, name or alias) and those its rows define (`defined`)."""

    def __init__(self, cat: Catalogue, outline_id: str, region_code: str | None,
                 plan_region: bool):
        self.cat, self.outline_id, self.region_code = cat, outline_id, region_code
        self.may_define = plan_region          # the table is for a plan of this region
        known = (local_indicators.applying(cat, outline_id, region_code)
                 if region_code else cat.local_indicators.iloc[:0])
        self.lookup = local_names.local_lookup(known, cat.plans)
        self.defined: list[dict] = []

    @property
    def known_codes(self) -> set[str]:
        return {code for entries in self.lookup.values() for code, _ in entries}

    def existing(self, text: str) -> str | None:
        """The code of a local indicator already defined for the region, by code/name/alias."""
        found = local_names.matches(self.lookup, text)
        return found[0][0] if found else None

    def define(self, cell: dict, headings: dict[str, str]) -> tuple[pd.Series | None,
                                                                   list[Problem]]:
        """The local indicator a row defines (a catalogue-shaped record), or the problem why
        it does not: None and [] when the row does not try to (no 单位)."""
        text, unit = cell["indicator"], cell["unit"]
        column = headings.get("indicator", "指标")
        close = difflib.get_close_matches(text, list(national_indicators(self.cat)["name"]), n=3,
                                          cutoff=CLOSE_TO_CATALOGUE)
        if not unit or not self.may_define or close:
            return None, []
        direction = direction_of(cell, unit)
        area = cell["area"] or cell["area_heading"]
        missing = [what for what, value in (("指标方向（或写明方向的目标值）", direction),
                                            ("所属领域", area)) if not value]
        if missing:
            return None, [problem("local-indicator-incomplete", cell["row"], column, text=text,
                                  missing="、".join(missing))]
        fields = {"name": text, "unit": unit, "direction": direction,
                  "definition": cell["definition"], "data_source": cell["source"],
                  "lead_department": cell["lead"] or None,
                  "supporting_departments": cell["supporting"].replace(" ", "、")}
        try:
            area_code = local_indicators.area_code_of(self.cat, self.outline_id, area)
            taken = {r["name"] for r in self.defined}
            if text in taken:
                return None, [problem("duplicate-indicator", cell["row"], column, indicator=text,
                                      first_row=self.first_row(text))]
            record = local_indicators.completed(
                self.cat, {"id": None, "region_code": self.region_code}, self.outline_id,
                fields | {"area_code": area_code}, self.next_code(), len(self.defined) + 1)
        except local_indicators.LocalIndicatorRefused as refused:
            return None, [problem("local-indicator-refused", cell["row"], column, text=text,
                                  reason=str(refused), hint=refused.hint)]
        self.defined.append(record | {"row": cell["row"]})
        return pd.Series(record), [problem("local-indicator-new", cell["row"], column,
                                           text=text, local_code=record["code"])]

    def next_code(self) -> str:
        return local_indicators.next_codes(self.cat, self.region_code, len(self.defined) + 1)[-1]

    def first_row(self, name: str) -> int:
        return next(r["row"] for r in self.defined if r["name"] == name)

    def definitions(self) -> pd.DataFrame:
        """The local indicators the table defines (LOCAL_INDICATOR_FIELDS but plan_id)."""
        return pd.DataFrame([{k: v for k, v in r.items() if k != "row"} for r in self.defined])


def direction_of(cell: dict, unit: str) -> str | None:
    """The 指标方向 cell's direction, else the one the target's wording implies; None when
    neither says (a bare 「96%」 could go either way)."""
    written = DIRECTION_WORDS.get(cell["direction"].strip())
    if written or not cell["target"]:
        return written
    rising, falling = read_target(cell["target"], "higher", unit), read_target(
        cell["target"], "lower", unit)
    if rising is None or falling is None or rising.kind != falling.kind:
        return None
    return DIRECTION_OF_KIND.get(rising.kind)
