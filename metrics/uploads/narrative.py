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
from dataclasses import dataclass, field

from metrics.catalogue import Catalogue
from metrics.regions import RegionResolver
from metrics.uploads import narrative_numbers as numbers
from metrics.uploads.narrative_names import IndicatorNames, Mention, RegionNames
from metrics.uploads.narrative_numbers import Figure, YearMention
from metrics.uploads.narrative_text import searchable

SENTENCE = re.compile(r"[^。!?;\n]+[。!?;]?")
CHANGE = re.compile(r"(?:(?:比|较|与)(?P<base>上年|去年|上一年|(?P<year>(?:19|20)\d{2})年(?:底|末)?)"
                    r"(?:同期)?(?:相比)?,?|同比)(?P<way>提高|增加|上升|增长|提升|下降|降低|减少|回落)了?$")
UP = ("提高", "增加", "上升", "增长", "提升")
HINT = re.compile(r"目标|平均|全国|全省|国家|省定|规划|标准")
ORIGIN = re.compile(r"(?:由|从)(?:\d{4}年(?:的)?)?$")
ALL_OF_THEM = re.compile(r"均|都")
OWN_YEAR_GAP = re.compile(r"^(?:的|为|是|达|底|末)?$")
NOT_SENTENCE_YEAR = re.compile(r"(?:比|较|与|由|从|到|至)$")
# 「到2020年，…」 at the head of a clause: what follows is a plan's target, not a value.
TARGET_YEAR = re.compile(r"(?:^|,|力争|计划|确保|预计)(?:到|至)$")
# 「…，桂平市为99.1%」: the indicator of the value before, in another region.
ANOTHER_REGION = re.compile(r"^[,、]?(?:其中,?)?(?P<region>[\u4e00-\u9fff]{2,9}?)(?:为|是|达到|达)$")
THIS_YEAR = re.compile(r"今年|本年|全年")
LAST_YEAR = re.compile(r"上年|去年")
BOUND_AFTER = re.compile(r"^(?:以下|以内|以上|左右)")
ENUMERATION = {"、", "和", ",", "及"}
LONGEST_LINK = 20  # characters between a name and its figure
# Changes from which the value of the year before follows: (unit of the change, of the value).
ABSOLUTE_CHANGES = {("个百分点", "%"), ("个千分点", "‰"), ("‰", "‰"), ("1/10万", "1/10万"),
                    ("1/万", "1/万"), ("岁", "岁"), ("年", "年")}


@dataclass
class Candidate:
    """A value the report gives for an indicator, with the sentence that says so."""
    indicator_code: str
    indicator_name: str
    value: float
    unit: str                 # as written (catalogue form); '' when none was written
    year: int | None
    region_code: str | None
    derived: bool
    confidence: float         # 0–1
    sentence: str             # as in the report
    figure: tuple[int, int]   # the figure's span in the sentence
    position: int             # the sentence's offset in the text
    notes: list[str] = field(default_factory=list)  # why to look twice, in Chinese
    mention: Mention | None = None  # where the sentence names the indicator


@dataclass(frozen=True)
class Unmatched:
    """A figure of no catalogue indicator (培训32期), or a hint (超目标值2.1个百分点)."""
    text: str
    value: float
    unit: str
    sentence: str
    figure: tuple[int, int]
    position: int
    hint_for: str | None = None   # the indicator a hint is about


@dataclass
class Extraction:
    """What a report holds: candidates, unmatched figures and hints, the year it was read in."""
    candidates: list[Candidate]
    unmatched: list[Unmatched]
    report_year: int | None
    report_region: str | None


def extract(text: str, cat: Catalogue, region: str | None = None,
            year: int | None = None) -> Extraction:
    """Candidate observations in a repaired report text. `region` (a code) is the region the
    report is about (else the first region its text names); `year` the report's year (else
    the first year of its title, else the year it names most)."""
    plain = searchable(text)
    resolver = RegionResolver(cat.regions)
    region = region or RegionNames(cat.regions, resolver, None).first_named(plain[:200])
    reader = SentenceReader(cat, IndicatorNames(cat.indicators),
                            RegionNames(cat.regions, resolver, region),
                            year or report_year(plain))
    for paragraph_start, paragraph in paragraphs(plain):
        reader.context_year = None
        for match in SENTENCE.finditer(paragraph):
            start = paragraph_start + match.start()
            reader.read(text[start:paragraph_start + match.end()], match.group(0), start)
    return Extraction(reader.candidates, reader.unmatched, reader.report_year, region)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each line."""
    found, offset = [], 0
    for line in text.split("\n"):
        found.append((offset, line))
        offset += len(line) + 1
    return found


def report_year(plain: str) -> int | None:
    """The year of a report: the first year in its first lines (its title), else the year
    its text names most."""
    title = numbers.years(plain[:plain.find("\n", 1) if "\n" in plain[1:] else 80])
    if title:
        return title[0].year
    written = [y.year for y in numbers.years(plain)]
    return max(set(written), key=written.count) if written else None


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
        sentence_year = self.sentence_year(plain, year_mentions)
        if sentence_year is not None and year_mentions[0].start <= 6:
            self.context_year = sentence_year
        target = any(TARGET_YEAR.search(plain[:y.start]) for y in year_mentions)
        pairing = Pairing(self, sentence, plain, position, year_mentions, target)
        for item in sorted(mentions + figures, key=lambda i: i.start):
            if isinstance(item, Mention):
                pairing.pending.append(item)
            else:
                pairing.place(item)
        pairing.finish()

    def sentence_year(self, plain: str, year_mentions: list[YearMention]) -> int | None:
        """The year a sentence is about: a year it writes that is not a comparison's or a
        target's (比2010年, 到2020年); 今年 → the report's year, 上年 → the year before."""
        for mention in year_mentions:
            if not NOT_SENTENCE_YEAR.search(plain[:mention.start]):
                return mention.year
        if self.report_year is not None and LAST_YEAR.search(plain) and not CHANGE.search(
                plain) and not re.search(r"(?:比|较)(?:上年|去年)", plain):
            return self.report_year - 1
        return None

    def unit_fits(self, code: str, unit: str | None) -> bool:
        """Whether a written unit is the indicator's or converts to it (both rates)."""
        expected = self.units[code]
        if unit is None:
            return self.kinds.get(expected) == "count"
        return unit == expected or (self.kinds.get(unit) == self.kinds.get(expected) == "rate")


class Pairing:
    """The state of reading one sentence: names waiting for a figure, 分别 queues, the
    candidates the sentence has given so far."""

    def __init__(self, reader: SentenceReader, sentence: str, plain: str, position: int,
                 year_mentions: list[YearMention], target: bool):
        self.reader, self.sentence, self.plain, self.position = reader, sentence, plain, position
        self.year_mentions, self.target = year_mentions, target
        self.pending: list[Mention] = []
        self.respectively: list[Mention] = []
        self.given: list[Candidate] = []
        self.group: list[Candidate] = []   # the candidates of the last 分别
        self.last_end = self.clause_floor = 0   # where the figure before ended

    def finish(self) -> None:
        """A 分别 with fewer figures than names pairs nothing for sure."""
        if self.respectively:
            self.miscounted()

    def miscounted(self) -> None:
        """Mark the candidates of a 分别 whose names and figures differ in number."""
        for candidate in self.group:
            candidate.notes.append("“分别”前后的指标个数与数值个数不符，对应关系可能有误。")
            candidate.confidence = round(max(candidate.confidence - 0.4, 0.05), 2)
        self.group, self.respectively = [], []

    def place(self, figure: Figure) -> None:
        """Decide what one figure is: a change, a hint, a value of a named indicator, or an
        unmatched figure."""
        before = self.plain[:figure.start]
        link = self.plain[max(self.last_end, self.pending[-1].end if self.pending else 0):
                          figure.start]
        self.clause_floor, self.last_end = self.last_end, figure.end
        window = max(0, figure.start - 16)
        change = CHANGE.search(self.plain, window, figure.start)
        if change and self.given:
            self.changed(self.given[-1], figure, change, self.plain[change.start():figure.end])
        elif HINT.search(link) or self.target:
            self.hint(figure, self.given[-1].indicator_code if self.given else
                      (self.pending[-1].code if self.pending else None))
        elif "分别" in link and len(self.pending) >= 2:
            self.respectively, self.pending, self.group = self.pending, [], []
            self.pair(self.respectively.pop(0), figure, link)
            self.group.append(self.given[-1])
        elif self.respectively:
            self.pair(self.respectively.pop(0), figure, link)
            self.group.append(self.given[-1])
        elif self.group and link in ENUMERATION:
            self.miscounted()
            self.unmatched(figure)
        elif not self.pending and self.given and self.another_region(link):
            self.pair(self.given[-1].mention, figure, link, self.another_region(link))
        elif self.pending and len(link) <= LONGEST_LINK and link.count(",") <= 1:
            paired = self.pending if ALL_OF_THEM.search(link) else self.pending[-1:]
            if not ORIGIN.search(before):
                self.pending = []
            for mention in paired:
                self.pair(mention, figure, link)
        else:
            self.unmatched(figure)

    def another_region(self, link: str) -> str | None:
        """The region a link such as 「，桂平市为」 names, if it names one."""
        written = ANOTHER_REGION.match(link)
        return self.reader.regions.code_of(written["region"]) if written else None

    def pair(self, mention: Mention, figure: Figure, link: str,
             region: str | None = None) -> None:
        """A candidate: the named indicator has the figure's value (in `region` when the link
        names it, else the region named before the indicator)."""
        reader = self.reader
        notes, confidence = [], 0.95
        year, how = self.year_of(mention, figure)
        if how:
            notes.append(how)
            confidence -= 0.1 if year is not None else 0.3
        region = region or reader.regions.named_before(self.plain, mention.start)
        if "," in link:
            confidence -= 0.15
        if BOUND_AFTER.match(self.plain[figure.end:figure.end + 2]):
            notes.append(f"数值后有“{self.plain[figure.end:figure.end + 2]}”，可能是上限或目标，"
                         "不是实际值。")
            confidence -= 0.25
        if not reader.unit_fits(mention.code, figure.unit):
            notes.append(f"单位“{figure.unit or '无'}”与该指标的单位"
                         f"“{reader.units[mention.code]}”不符。")
            confidence -= 0.4
        self.given.append(Candidate(
            mention.code, reader.names.names[mention.code], figure.value, figure.unit or "",
            year, region, False, round(max(confidence, 0.05), 2), self.sentence,
            (figure.start, figure.end), self.position, notes, mention))
        reader.candidates.append(self.given[-1])

    def year_of(self, mention: Mention, figure: Figure) -> tuple[int | None, str]:
        """The year of a value, and a note when it is not written in its sentence: the year
        written just before the figure (2015年的11.2/10万), else the sentence's, else the
        paragraph's, else the report's."""
        for written in reversed(self.year_mentions):
            gap = self.plain[written.end:figure.start]
            if written.end <= figure.start and OWN_YEAR_GAP.match(gap):
                return written.year, ""
        reader = self.reader
        own = reader.sentence_year(self.plain[:mention.start], [
            y for y in self.year_mentions if y.end <= mention.start])
        if own is not None:
            return own, ""
        if reader.context_year is not None:
            return reader.context_year, f"年份取自本段开头（{reader.context_year}年）。"
        if reader.report_year is None:
            return None, "句中和报告中都没有年份，请填写。"
        told = "今年" if THIS_YEAR.search(self.plain) else "报告"
        return reader.report_year, f"年份取自{told}（{reader.report_year}年）。"

    def changed(self, candidate: Candidate, change: Figure, phrase: re.Match,
                written: str) -> None:
        """A change after a value: the year before's value when the change is absolute."""
        base = phrase["base"]
        base_year = (int(phrase["year"]) if phrase["year"] else
                     candidate.year - 1 if candidate.year is not None else None)
        if (change.unit, self.reader.units[candidate.indicator_code]) not in ABSOLUTE_CHANGES \
                or base_year is None:
            candidate.notes.append(f"「{written}」：不能确定是百分点还是百分比（或未写单位），"
                                   "未推算上年数值。")
            return
        sign = -1 if phrase["way"] in UP else 1
        decimals = max(decimal_places(candidate.value), decimal_places(change.value))
        previous = round(candidate.value + sign * change.value, decimals)
        self.reader.candidates.append(Candidate(
            candidate.indicator_code, candidate.indicator_name, previous, candidate.unit,
            base_year, candidate.region_code, True, round(candidate.confidence * 0.9, 2),
            self.sentence, (change.start, change.end), self.position,
            [f"由「{written}」推算（{'上年' if base in ('上年', '去年', '上一年', None) else base}）。"]))

    def hint(self, figure: Figure, code: str | None) -> None:
        """A figure about a target or an average: shown beside the indicator, never stored."""
        self.reader.unmatched.append(Unmatched(
            clause_before(self.plain, self.clause_floor, figure.start), figure.value, figure.unit or "",
            self.sentence, (figure.start, figure.end), self.position, code))

    def unmatched(self, figure: Figure) -> None:
        """A figure of no catalogue indicator."""
        self.reader.unmatched.append(Unmatched(
            clause_before(self.plain, self.clause_floor, figure.start), figure.value, figure.unit or "",
            self.sentence, (figure.start, figure.end), self.position))


def clause_before(plain: str, floor: int, end: int) -> str:
    """What a figure counts: the clause before it, after the figure before it at `floor`
    (「举办培训班」 of 「举办培训班32期」)."""
    start = max([plain.rfind(mark, floor, end) + 1 for mark in ",:、"] + [floor])
    return plain[start:end].strip()


def decimal_places(value: float) -> int:
    """Decimals a value is written with (99.98 → 2)."""
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text else 0
