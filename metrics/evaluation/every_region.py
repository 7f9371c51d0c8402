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

    def of(self, reader: GuardedStore, region_codes: list[str]) -> pd.DataFrame:
        """evaluation.run(reader, …, region_codes, …) cut out of this one: refused, as that
        run is, when a region or an indicator lies outside what `reader` may read."""
        reader.require_reading(region_codes, self.indicator_codes)
        slots = self.regions.get_indexer(pd.Index(region_codes, dtype="str"))
        if (slots < 0).any():
            missing = [c for c, s in zip(region_codes, slots) if s < 0]
            raise KeyError(f"未评估的地区：{'、'.join(missing[:3])}")
        indicators = len(self.frame) // max(len(self.regions), 1)
        rows = (np.arange(indicators)[:, None] * len(self.regions) + slots).reshape(-1)
        return self.frame.take(rows).reset_index(drop=True)


def evaluate(reader: GuardedStore, cat: Catalogue, outline_id: str, year: int,
             method: str | None, *, settings: EvaluationSettings) -> EveryRegion:
    """The outline evaluated over every region of the catalogue that `reader` may view."""
    codes = cat.regions["code"]
    viewable = list(codes[reader.scope.viewable(codes)])
    frame = engine.run(reader, cat, outline_id, viewable, year, method, settings=settings)
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    return EveryRegion(frame, pd.Index(viewable, dtype="str"),
                       tuple(listed["indicator_code"]))
