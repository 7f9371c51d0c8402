"""重点难点 notes (原因, 整改措施, 时限, 责任单位) saved by a person, with the audit of what
changed."""
from __future__ import annotations

import pandas as pd

from metrics import audit
from metrics.access import Actor, Permission
from metrics.store import FOCUS_FIELDS, Store


def as_records(notes: pd.DataFrame) -> dict[str, dict]:
    """indicator_code → its filled fields, for the audit's before and after."""
    filled = {}
    for row in notes.to_dict("records"):
        fields = {f: str(row[f]).strip() for f in FOCUS_FIELDS
                  if pd.notna(row.get(f)) and str(row[f]).strip()}
        if fields:
            filled[row["indicator_code"]] = fields
    return filled


def save(store: Store, actor: Actor, outline_id: str, region_code: str,
         items: pd.DataFrame) -> int:
    """Store one region's notes as `actor`; returns how many indicators' notes changed."""
    actor.require(Permission.NOTE)
    with store.transaction() as work:
        stored = work.fetch_focus_items(outline_id, [region_code])
        before = as_records(stored[stored["indicator_code"].isin(items["indicator_code"])])
        after = as_records(items)
        changed = sorted(code for code in set(before) | set(after)
                         if before.get(code) != after.get(code))
        if not changed:
            return 0
        work.save_focus_items(outline_id, region_code, items, actor.name)
        audit.record(work, actor, "notes_saved", f"{outline_id} {region_code}",
                     before={c: before.get(c) for c in changed},
                     after={c: after.get(c) for c in changed})
    return len(changed)
