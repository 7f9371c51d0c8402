"""The year of a value a report gives: the year written just before the figure (2015年的11.2/10万),
the year before after 上年的 (由上年的4.2‰下降至3.8‰), else the sentence's, else the paragraph's
(「2015年，…」), else the report's (its title, or chosen by the person), with a note saying
where it came from when the sentence does not write it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from metrics.uploads.narrative_names import Mention
from metrics.uploads.narrative_numbers import YearMention

if TYPE_CHECKING:
    from metrics.uploads.narrative import SentenceReader

OWN_YEAR_GAP = re.compile(r"^(?:的|为|是|达|底|末)?$")
OF_LAST_YEAR = re.compile(r"(?:上年|去年|上一年)(?:同期)?(?:的|为|是)?$")
THIS_YEAR = re.compile(r"今年|本年|全年")


def value_year(reader: SentenceReader, plain: str, year_mentions: list[YearMention],
               mention: Mention, figure_start: int) -> tuple[int | None, str]:
    """The year of the value at `figure_start` of `mention` in the sentence `plain`, and a
    note when the sentence does not write it."""
    if OF_LAST_YEAR.search(plain, max(figure_start - 6, 0), figure_start):
        year, how = value_year(reader, plain, year_mentions, mention, mention.start)
        return (None, how) if year is None else (year - 1, how)
    for written in reversed(year_mentions):
        if written.end <= figure_start and OWN_YEAR_GAP.match(plain[written.end:figure_start]):
            return written.year, ""
    own = reader.sentence_year(plain[:mention.start],
                               [y for y in year_mentions if y.end <= mention.start])
    if own is not None:
        return own, ""
    if reader.context_year is not None:
        return reader.context_year, f"年份取自本段开头（{reader.context_year}年）。"
    if reader.report_year is None:
        return None, "句中和报告中都没有年份，请填写。"
    told = "今年" if THIS_YEAR.search(plain) else "报告"
    return reader.report_year, f"年份取自{told}（{reader.report_year}年）。"
