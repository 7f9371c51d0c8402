"""One evaluation of an outline over every region a reader may view, cut into the evaluation of
any of them: a page asks for one region (总览), the regions one level down (中期评估's ranking
and heat map) or a county's sisters (its rank), and each used to pay the engine's fixed pandas
cost (about 0.1 s) for its own set, where cutting rows out of one evaluation of every region
takes a few milliseconds.

The engine works pair by pair (each indicator and region from that pair's observations and
targets alone) and its columns have one type whichever regions are asked for
(engine.take_cells), so the cut is exactly what evaluation.run gives for those regions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue
from metrics.evaluation import engine
from metrics.evaluation.local_rows import DEFINING
from metrics.settings import EvaluationSettings
from metrics.store.guarded import GuardedStore


@dataclass(frozen=True)
class EveryRegion:
    """`frame`: evaluation.run over `regions`, indicator by indicator and within each
    indicator the regions in this order; `indicator_codes`: the outline's, whose values it
    read. Never changed: `of` gives a new frame."""
    frame: pd.DataFrame
    regions: pd.Index
    indicator_codes: tuple[str, ...]
    region_of_row: np.ndarray     # each row's position in `regions`
    indicator_of_row: np.ndarray  # each row's indicator, numbered in the frame's order
    by_region: np.ndarray         # the rows ordered by region_of_row (stable)

    def of(self, reader: GuardedStore, region_codes: list[str]) -> pd.DataFrame:
        """evaluation.run(reader, …, region_codes, …) cut out of this one: refused, as that
        run is, when a region or an indicator lies outside what `reader` may read."""
        reader.require_reading(region_codes, self.indicator_codes)
        slots = self.regions.get_indexer(pd.Index(region_codes, dtype="str"))
        if (slots < 0).any():
            missing = [c for c, s in zip(region_codes, slots) if s < 0]
            raise KeyError(f"未评估的地区：{'、'.join(missing[:3])}")
        # Not a full grid: a local indicator has rows only in its plan's regions and a dropped
        # indicator none in the plan's; so each asked region's rows (a region may be asked
        # twice), indicator by indicator as the frame has them, within each in the order asked.
        starts = np.searchsorted(self.region_of_row, slots, side="left", sorter=self.by_region)
        ends = np.searchsorted(self.region_of_row, slots, side="right", sorter=self.by_region)
        rows = np.concatenate([self.by_region[a:b] for a, b in zip(starts, ends)] or
                              [np.array([], dtype=np.intp)])
        asked = np.repeat(np.arange(len(slots)), ends - starts)
        rows = rows[np.lexsort((asked, self.indicator_of_row[rows]))]
        cut = self.frame.take(rows).reset_index(drop=True)
        for column in DEFINING:
            if isinstance(cut[column].dtype, pd.CategoricalDtype):
                cut[column] = cut[column].cat.remove_unused_categories()
        return cut


def evaluate(reader: GuardedStore, cat: Catalogue, outline_id: str, year: int,
             method: str | None, *, settings: EvaluationSettings) -> EveryRegion:
    """The outline evaluated over every region of the catalogue that `reader` may view."""
    codes = cat.regions["code"]
    viewable = list(codes[reader.scope.viewable(codes)])
    frame = engine.run(reader, cat, outline_id, viewable, year, method, settings=settings)
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    regions = pd.Index(viewable, dtype="str")
    region_of_row = regions.get_indexer(frame["region_code"])
    return EveryRegion(frame, regions, tuple(listed["indicator_code"]), region_of_row,
                       pd.factorize(frame["indicator_code"])[0],
                       np.argsort(region_of_row, kind="stable"))
