"""Frames worked out from the catalogue alone (an outline's indicators, its family of
targets), kept with the catalogue object they came from: a Catalogue is frozen and its frames
are never changed in place, so one object gives the same answer every time. The app holds one
catalogue per data version, so these are built once per (catalogue revision, outline) instead
of on every evaluation and every rerun."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable

import pandas as pd

from metrics.catalogue import Catalogue

KEPT: dict[int, dict[Hashable, pd.DataFrame]] = {}   # id(catalogue) → what was derived
KEPT_LOCK = threading.Lock()


def derived(cat: Catalogue, key: Hashable, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """build(), worked out once per catalogue object and key. Each caller gets its own shallow
    copy: under copy-on-write, changing it never changes what is kept."""
    with KEPT_LOCK:
        kept = KEPT.get(id(cat))
        if kept is None:
            kept = KEPT[id(cat)] = {}
            # Forgotten with the catalogue, before its id can be reused.
            weakref.finalize(cat, KEPT.pop, id(cat), None)
        frame = kept.get(key)
    if frame is None:
        frame = build()
        with KEPT_LOCK:
            frame = kept.setdefault(key, frame)
    return frame.copy(deep=False)
