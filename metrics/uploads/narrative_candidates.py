"""What extracting a report finds: candidate observations, each with the sentence it came
from and where the figure stands in it, and the figures that are no indicator's value."""
from __future__ import annotations

from dataclasses import dataclass, field

from metrics.uploads.narrative_names import Mention


@dataclass
class Candidate:
    """A value the report gives for an indicator, with the sentence that says so."""
    indicator_code: str
    indicator_name: str
    value: float
    unit: str                 # as written (catalogue form); '' when none was written
    year: int | None
    region_code: str | None
    derived: bool             # worked out from a change (比上年提高1.2个百分点), not written
    confidence: float         # 0–1
    sentence: str             # as in the report
    figure: tuple[int, int]   # the figure's span in the sentence
    position: int             # the sentence's offset in the text
    notes: list[str] = field(default_factory=list)  # why to look twice, in Chinese
    mention: Mention | None = None  # where the sentence names the indicator

    def lower_confidence(self, by: float, note: str) -> None:
        """Say why this candidate needs a second look, and trust it less."""
        self.notes.append(note)
        self.confidence = round(max(self.confidence - by, 0.05), 2)


@dataclass(frozen=True)
class Unmatched:
    """A figure of no catalogue indicator (培训32期), or a hint about one (超目标值2.1个百分点,
    a target, a change with no value before it): listed, never stored."""
    text: str                 # the clause before the figure: what it counts
    value: float
    unit: str
    sentence: str
    figure: tuple[int, int]
    position: int
    hint_for: str | None = None   # the indicator a hint is about


@dataclass
class Extraction:
    """What a report holds, and the year and region it was read as being about."""
    candidates: list[Candidate]
    unmatched: list[Unmatched]
    report_year: int | None
    report_region: str | None
