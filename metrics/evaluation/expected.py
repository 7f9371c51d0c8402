"""The indicators a region is asked for under an outline: the outline's, minus those the plan
governing the region dropped (the nearest plan up the tree saying anything of the indicator:
a county plan that sets a target for an indicator its city dropped asks for it again), plus the
local indicators that apply there (its plans' own and those of plans above). The reporting
cycle's completeness (报送进度, a submission's missing indicators) and the upload templates
ask for exactly these, as the evaluation evaluates exactly these.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import targets
from metrics.catalogue import Catalogue
from metrics.evaluation import engine, local_rows
from metrics.evaluation.derived import derived
from metrics.plans import in_force


def expected_cells(cat: Catalogue, outline_id: str, region_codes) -> pd.DataFrame:
    """Indicator code (rows: engine.evaluated_indicators' order) × region code (columns, as
    given): whether the region is asked for the indicator."""
    indicators = engine.evaluated_indicators(cat, outline_id)
    codes = pd.Index(indicators["indicator_code"])
    regions = pd.Index(list(region_codes), dtype="str")
    indicator_of_row = np.repeat(np.arange(len(codes)), len(regions))
    region_of_row = np.tile(np.arange(len(regions)), len(codes))
    applies = local_rows.applies(cat, indicators, indicator_of_row, regions,
                                 region_of_row).reshape(len(codes), len(regions))
    family = derived(cat, ("family_targets", outline_id),
                     lambda: targets.family_targets(cat.targets, cat.plans, outline_id))
    rows = derived(cat, ("local_plan_rows", outline_id),
                   lambda: in_force.plan_rows(cat, outline_id))
    dropped = in_force.dropped_cells(cat, family, rows, regions, codes)
    return pd.DataFrame(applies & ~dropped, index=codes, columns=regions)


def expected_indicators(cat: Catalogue, outline_id: str, region_code: str) -> pd.DataFrame:
    """The indicators the region is asked for (engine.evaluated_indicators' columns), in the
    outline's order, local ones in their areas."""
    asked = expected_cells(cat, outline_id, [region_code])[region_code].to_numpy()
    return engine.evaluated_indicators(cat, outline_id)[asked].reset_index(drop=True)


def expected_codes(cat: Catalogue, outline_id: str, region_code: str) -> list[str]:
    """The codes of expected_indicators."""
    return list(expected_indicators(cat, outline_id, region_code)["indicator_code"])
