"""Figures from a narrative report (工作总结): the catalogue indicators a text names, each paired
with the value that follows it, as candidate observations a person checks before they are
imported; and the figures that belong to no indicator, listed so that nothing is dropped.

Text in (narrative_text repairs and reads files); `extract` returns an `Extraction`. Each
sentence is read left to right: an indicator named (narrative_names) waits for a figure
(narrative_numbers); 分别 pairs the names before it with the figures after it in order; a
figure after 比上年提高 is a change of the value before it (a change in 个百分点 gives the year
before's value, marked derived; 增长0.5% may be points or percent and gives nothing); a figure
compared with a target or an average (超目标值2.1个百分点) is a hint, shown and never stored.
Every figure keeps its sentence and position.
"""
from __future__ import annotations

import re

from metrics.catalogue import Catalogue, national_indicators
from metrics.regions import RegionTree
from metrics.uploads import narrative_numbers as numbers
from metrics.uploads.narrative_candidates import Candidate, Extraction, Unmatched
from metrics.uploads.narrative_changes import CHANGE
from metrics.uploads.narrative_local import with_local_candidates
from metrics.uploads.narrative_names import IndicatorNames, Mention, RegionNames
from metrics.uploads.narrative_numbers import YearMention
from metrics.uploads.narrative_pairing import Pairing
from metrics.uploads.narrative_text import searchable

# A sentence is at most this long: reading one is quadratic in its figures, and a text of
# 200,000 characters without a 。 (pasted from a table or a broken page) would take minutes.
# A longer one is cut after its last comma within the length (never inside a figure), else
# at the length.
LONGEST_SENTENCE = 1000
PART = rf"[^。!?;\n]{{1,{LONGEST_SENTENCE}}}"
SENTENCE = re.compile(rf"{PART}[。!?;]|{PART}$|{PART},|{PART}")
# A year after these is a comparison's or a change's (比2010年, 由2010年, 下降到2015年的).
NOT_SENTENCE_YEAR = re.compile(r"(?:比|较|与|由|从|[降升高加少长]到|[降升高加少长]至)$")
# 「到2020年，…」 at the head of a clause, after the report's year: a plan's target follows.
TARGET_YEAR = re.compile(r"(?:^|,|力争|计划|确保|预计)(?:到|至)$")
LAST_YEAR = re.compile(r"上年|去年")
# 2021—2030年: the year after the dash ends a plan's period.
PERIOD_END = re.compile(r"(?:19|20)\d{2}年?\s*[-—–~～至]$")
COMPARED_WITH_LAST_YEAR = re.compile(r"(?:比|较)(?:上年|去年)")


def extract(text: str, cat: Catalogue, region: str | None = None,
            year: int | None = None) -> Extraction:
    """Candidate observations in a repaired report text. `region` (a code) is the region the
    report is about (else the first region its text names); `year` the report's year (else
    the first year of its title, else the year it names most)."""
    plain = searchable(text)
    tree = RegionTree(cat.regions)
    region = region or RegionNames(cat.regions, tree, None).first_named(plain[:200])
    reader = SentenceReader(cat, IndicatorNames(national_indicators(cat)),
                            RegionNames(cat.regions, tree, region),
                            year or report_year(plain))
    for paragraph_start, paragraph in paragraphs(plain):
        reader.context_year = None
        for match in SENTENCE.finditer(paragraph):
            start = paragraph_start + match.start()
            reader.read(text[start:paragraph_start + match.end()], match.group(0), start)
    # Figures of the local indicators the region's plans define, from those left unmatched.
    return with_local_candidates(Extraction(without_repeats(reader.candidates), reader.unmatched,
                                            reader.report_year, region), cat)


def without_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """Each value once: a report often repeats a figure (in its summary and its section); the
    first time it is written is kept, and a value written replaces the same one derived.
    Different values for one indicator, region and year are all kept, for the person (and
    the check) to decide."""
    kept: dict[tuple, int] = {}
    found: list[Candidate] = []
    for candidate in candidates:
        key = (candidate.indicator_code, candidate.region_code, candidate.year, candidate.value)
        if key not in kept:
            kept[key] = len(found)
            found.append(candidate)
        elif found[kept[key]].derived and not candidate.derived:
            found[kept[key]] = candidate
    return found


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each line."""
    found, offset = [], 0
    for line in text.split("\n"):
        found.append((offset, line))
        offset += len(line) + 1
    return found


def report_year(plain: str) -> int | None:
    """The year of a report: the first year its title writes, else the year its sentences
    are most about (the latest of those named as often); never the end of a plan's period
    (儿童发展规划（2021—2030年）), a target's year (到2030年) or a comparison's (较2020年)."""
    title_end = plain.find("\n", 1) if "\n" in plain[1:] else 80
    years = [y for y in numbers.years(plain)
             if not PERIOD_END.search(plain, max(y.start - 8, 0), y.start)]
    title = [y.year for y in years if y.start < title_end]
    if title:
        return title[0]
    written = [y.year for y in years
               if not re.search(r"(?:比|较|与|由|从|到|至)$", plain[max(y.start - 2, 0):y.start])]
    return max(set(written), key=lambda y: (written.count(y), y)) if written else None


class SentenceReader:
    """Reads sentences one by one, collecting candidates and unmatched figures."""

    def __init__(self, cat: Catalogue, names: IndicatorNames, regions: RegionNames,
                 year: int | None):
        self.names, self.regions, self.report_year = names, regions, year
        self.units = dict(zip(cat.indicators["code"], cat.indicators["unit"]))
        self.kinds = dict(zip(cat.units["unit"], cat.units["kind"]))
        self.candidates: list[Candidate] = []
        self.unmatched: list[Unmatched] = []
        self.context_year: int | None = None   # a paragraph's 「2015年，…」 for what follows

    def read(self, sentence: str, plain: str, position: int) -> None:
        """One sentence: `sentence` as written, `plain` its searchable form."""
        mentions = self.names.mentions(plain)
        year_mentions = numbers.years(plain)
        taken = [(m.start, m.end) for m in mentions] + [(y.start, y.end) for y in year_mentions]
        figures = numbers.figures(plain, taken)
        opening = year_mentions[0] if year_mentions and year_mentions[0].start <= 6 else None
        if opening and self.sentence_year(plain, year_mentions) == opening.year:
            self.context_year = opening.year
        target = any(TARGET_YEAR.search(plain[:y.start]) and (
            self.report_year is None or y.year > self.report_year) for y in year_mentions)
        pairing = Pairing(self, sentence, plain, position, year_mentions, target, figures)
        for item in sorted(mentions + figures, key=lambda i: i.start):
            if isinstance(item, Mention):
                pairing.pending.append(item)
            else:
                pairing.place(item)
        pairing.finish()

    def sentence_year(self, plain: str, year_mentions: list[YearMention]) -> int | None:
        """The year a sentence is about: the first year it writes that is not a comparison's
        or a change's (比2010年, 由2010年, 下降到2015年); else 上年 (not 比上年) → the year
        before the report's; else None."""
        for mention in year_mentions:
            if not NOT_SENTENCE_YEAR.search(plain[:mention.start]):
                return mention.year
        # 上年 in the clause naming the indicator, not in one before it (…（上年为11.5/10万），).
        clause = re.split(r"[,()]", plain)[-1]
        if self.report_year is not None and LAST_YEAR.search(clause) \
                and not CHANGE.search(clause) and not COMPARED_WITH_LAST_YEAR.search(clause):
            return self.report_year - 1
        return None
