"""Reading one sentence of a report left to right: each indicator named waits for the figure
after it; 分别 pairs the names before it with the figures after it in order; a figure after
比上年提高 changes the value before it; a figure compared with a target or an average is a
hint; 「，桂平市为99.1%」 is the indicator before in another region; anything else is a figure
of no indicator."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from metrics.uploads import narrative_changes as changes
from metrics.uploads import narrative_units as units
from metrics.uploads.narrative_candidates import Candidate, Unmatched
from metrics.uploads.narrative_names import Mention
from metrics.uploads.narrative_numbers import Figure, YearMention
from metrics.uploads.narrative_years import value_year

if TYPE_CHECKING:
    from metrics.uploads.narrative import SentenceReader

HINT = re.compile(r"目标|平均|全国|全省|国家|省定|规划|纲要|标准")
ORIGIN = re.compile(r"(?:由|从)(?:\d{4}年|上年|去年|上一年)?(?:同期)?(?:的)?$")
ALL_OF_THEM = re.compile(r"均|都")
REACHED = re.compile(r"(?:到|至)$")
# 「…，桂平市为99.1%」: the indicator of the value before, in another region.
ANOTHER_REGION = re.compile(r"^[,、]?(?:其中,?)?(?P<region>[\u4e00-\u9fff]{2,9}?)(?:为|是|达到|达)$")
ENUMERATION = {"、", "和", ",", "及"}
# 「，上年同期为4.0‰」, 「（上年为11.5/10万）」, 「较上年的3.87‰」: the indicator before, the
# year before.
LAST_YEAR_LINK = re.compile(r"^[,(]?(?:比|较)?(?:上年|去年|上一年)(?:同期)?(?:为|是|的)$")
LONGEST_LINK = 20  # characters between a name and its figure


class Pairing:
    """The state of reading one sentence: names waiting for a figure, 分别 queues, the
    candidates the sentence has given so far."""

    def __init__(self, reader: SentenceReader, sentence: str, plain: str, position: int,
                 year_mentions: list[YearMention], target: bool, figures: list[Figure]):
        self.reader, self.sentence, self.plain, self.position = reader, sentence, plain, position
        self.figures = figures   # every figure of the sentence, in order
        self.year_mentions, self.target = year_mentions, target
        self.pending: list[Mention] = []
        self.respectively: list[Mention] = []
        self.given: list[Candidate] = []
        self.group: list[Candidate] = []   # the candidates of the last 分别
        self.changing: list[Candidate] = []   # those of a 分别 still waiting for their change
        self.change: re.Match | None = None   # … and the change phrase they wait after
        self.derived: list[Candidate] = []    # the values derived from that phrase so far
        # 「比上年提高1.2个百分点，达到91.3%」: a change written before its value.
        self.early: tuple[Figure, re.Match, int] | None = None
        self.years: list[int] = []   # the years of a 分别 over years, in turn
        self.reached: list[Mention] = []   # the names of a 分别由…到… waiting for where to
        self.last_end = self.clause_floor = 0   # where the figure before ended

    def finish(self) -> None:
        """A 分别 with fewer figures than names pairs nothing for sure; nor do fewer changes
        than values (分别为72.4%和68.9%，分别提高1.2个百分点)."""
        if self.respectively:
            self.miscounted()
        if self.changing:
            for candidate in self.derived:
                candidate.lower_confidence(0.4, "变化的个数与数值个数不符，推算可能有误。")
        if self.early:
            figure, _, self.clause_floor = self.early
            self.listed(figure, self.pending[-1].code if self.pending else None)

    def miscounted(self) -> None:
        """Mark the candidates of a 分别 whose names and figures differ in number."""
        for candidate in self.group:
            candidate.lower_confidence(0.4, "“分别”前后的指标个数与数值个数不符，对应关系可能有误。")
        self.group, self.respectively = [], []

    def place(self, figure: Figure) -> None:
        """Decide what one figure is: a change, a hint, a value of a named indicator, or an
        unmatched figure."""
        link = self.plain[max(self.last_end, self.pending[-1].end if self.pending else 0):
                          figure.start]
        self.clause_floor, self.last_end = self.last_end, figure.end
        change = changes.CHANGE.search(self.plain, max(0, figure.start - 18), figure.start)
        if figure.low is not None:
            self.ranged(figure)
        elif change and self.pending and self.early is None:
            self.early = (figure, change, self.clause_floor)
        elif change and self.given:
            self.changes(figure, change, link)
        elif self.changing and link in ENUMERATION:
            self.derive(self.changing.pop(0), figure, self.change)
        elif change or HINT.search(link) or self.target:
            self.listed(figure, self.given[-1].indicator_code if self.given else
                        (self.pending[-1].code if self.pending else None))
        elif "分别" in link and len(self.pending) >= 2:
            self.respectively, self.pending, self.group = self.pending, [], []
            if ORIGIN.search(self.plain[:figure.start]):
                self.from_to(figure)
            self.enumerated(figure, link)
        elif self.reached and not self.respectively and REACHED.search(link):
            self.respectively, self.reached, self.group = self.reached, [], []
            self.enumerated(figure, link)
        elif "分别" in link and len(self.pending) == 1 and len(self.listed_years()) >= 2:
            # 「2021年、2022年全县孕产妇死亡率分别为…、…」: one name, its years in turn.
            self.years = self.listed_years()
            self.respectively, self.pending, self.group = self.pending * len(self.years), [], []
            self.enumerated(figure, link)
        elif self.respectively:
            self.enumerated(figure, link)
        elif self.group and link in ENUMERATION:
            self.miscounted()
            self.listed(figure)
        elif not self.pending and self.given and LAST_YEAR_LINK.match(link):
            self.pair(self.given[-1].mention, figure, link)   # （上年为11.5/10万）
        elif not self.pending and self.given and self.another_region(link):
            self.pair(self.given[-1].mention, figure, link, self.another_region(link))
        elif self.pending and len(link) <= LONGEST_LINK and link.count(",") <= 1 \
                and self.fits(self.pending[-1], figure):
            self.named(figure, link)
        else:
            self.listed(figure)

    def changes(self, figure: Figure, change: re.Match, link: str) -> None:
        """A change after values: of the value before it; of every value of a 分别 after 均
        (均比上年提高1个百分点); of each in turn after 分别 (分别比上年提高1.2和0.8个百分点)."""
        group = self.group if len(self.group) >= 2 and self.given[-1] is self.group[-1] else []
        # 「A为…，B为…，分别比上年下降2.2和0.6」: as many values before as changes after.
        count = self.enumerated_from(figure)
        if not group and "分别" in link and 2 <= count <= len(self.given):
            group = self.given[-count:]
        self.changing, self.change, self.derived = [], change, []
        if group and ALL_OF_THEM.search(link):
            for candidate in group:
                self.derive(candidate, figure, change)
        elif group:
            self.changing = group[1:]
            self.derive(group[0], figure, change)
        else:
            self.derive(self.given[-1], figure, change)

    def enumerated_from(self, figure: Figure) -> int:
        """How many figures are listed from `figure` on (1.2、0.8和0.4: 3)."""
        count, last = 1, figure
        for following in self.figures:
            if following.start >= last.end and self.plain[last.end:following.start] in ENUMERATION:
                count, last = count + 1, following
            elif following.start >= last.end:
                break
        return count

    def derive(self, candidate: Candidate, figure: Figure, change: re.Match) -> None:
        """The value a change gives, if any, kept with the others of its phrase."""
        derived = self.changed(candidate, figure, change, self.plain[change.start():figure.end])
        if derived is not None:
            self.derived.append(derived)

    def ranged(self, figure: Figure) -> None:
        """91%—93%: a range, no value; listed as a hint about the indicator before it."""
        hint_for = self.pending[-1].code if self.pending else None
        self.pending = []
        self.listed(figure, hint_for, f"{figure.written}（范围，不是单一数值）")

    def enumerated(self, figure: Figure, link: str) -> None:
        """The next figure after 分别: the next name's (or the next year's)."""
        self.pair(self.respectively.pop(0), figure, link,
                  year=self.years.pop(0) if self.years else None)
        self.group.append(self.given[-1])

    def from_to(self, figure: Figure) -> None:
        """「分别由上年的4.1‰和5.6‰下降到3.8‰和5.2‰」: the names take the figures after 由 in
        the year of the first, then those after 下降到 in their own."""
        year, _ = value_year(self.reader, self.plain, self.year_mentions,
                             self.respectively[0], figure.start)
        self.reached = list(self.respectively)
        self.years = [year] * len(self.respectively) if year is not None else []

    def listed_years(self) -> list[int]:
        """The years listed just before the name waiting (2021年、2022年全县孕产妇死亡率)."""
        mention, chain = self.pending[0], []
        for written in reversed([y for y in self.year_mentions if y.end <= mention.start]):
            gap = self.plain[written.end:chain[0].start if chain else mention.start]
            if not chain and len(gap) > 4 or chain and gap not in ENUMERATION | {"与"}:
                break
            chain.insert(0, written)
        return [y.year for y in chain]

    def named(self, figure: Figure, link: str) -> None:
        """A figure after a name: its value (every waiting name's after 均); after 由 it is the
        value a change starts from, and the name waits for the value it reaches."""
        paired = self.pending if ALL_OF_THEM.search(link) else self.pending[-1:]
        if not ORIGIN.search(self.plain[:figure.start]):
            self.pending = []
        for mention in paired:
            self.pair(mention, figure, link)
        if self.early is not None and len(paired) == 1:
            early, change, _ = self.early
            self.early = None
            self.derive(self.given[-1], early, change)

    def fits(self, mention: Mention, figure: Figure) -> bool:
        """Whether a figure may be the indicator's value by its unit (narrative_units)."""
        return units.fits(self.reader.units[mention.code], figure, self.reader.kinds)

    def another_region(self, link: str) -> str | None:
        """The region a link such as 「，桂平市为」 names, if it names one."""
        written = ANOTHER_REGION.match(link)
        return self.reader.regions.code_of(written["region"]) if written else None

    def pair(self, mention: Mention, figure: Figure, link: str,
             region: str | None = None, year: int | None = None) -> None:
        """A candidate: the named indicator has the figure's value (in `region` when the link
        names it, else the region named before the indicator)."""
        reader = self.reader
        expected = reader.units[mention.code]
        unit = units.read_unit(expected, figure, link)
        year, how = (year, "") if year is not None else value_year(
            reader, self.plain, self.year_mentions, mention, figure.start)
        candidate = Candidate(mention.code, reader.names.names[mention.code], figure.value,
                              unit, year, region or reader.regions.named_before(
                                  self.plain, mention.start),
                              False, 0.95, self.sentence, (figure.start, figure.end),
                              self.position, [], mention)
        if how:
            candidate.lower_confidence(0.1 if year is not None else 0.3, how)
        if "," in link:
            candidate.confidence = round(candidate.confidence - 0.15, 2)
        bound = units.bound(self.plain, figure)
        if bound:
            candidate.lower_confidence(0.25, f"数值前后有“{bound}”，可能是界限或目标，不是实际值。")
        if unit == "":
            candidate.lower_confidence(0.1, f"未写单位，按该指标的单位“{expected}”读。")
        self.given.append(candidate)
        reader.candidates.append(candidate)

    def changed(self, candidate: Candidate, change: Figure, phrase: re.Match,
                written: str) -> Candidate | None:
        """A change after a value: the year before's value when it follows (narrative_changes);
        a change against a baseline is also listed as a hint."""
        before = changes.previous(candidate.value, candidate.year,
                                  self.reader.units[candidate.indicator_code], change.value,
                                  change.unit, phrase, written)
        if before.value is None:
            candidate.notes.append(before.note)
            if before.baseline:
                self.listed(change, candidate.indicator_code)
            return None
        derived = Candidate(
            candidate.indicator_code, candidate.indicator_name, before.value, candidate.unit,
            before.year, candidate.region_code, True, round(candidate.confidence * 0.9, 2),
            self.sentence, (change.start, change.end), self.position, [before.note])
        self.reader.candidates.append(derived)
        return derived

    def listed(self, figure: Figure, hint_for: str | None = None, why: str = "") -> None:
        """A figure of no indicator, or a hint about `hint_for`: listed, never stored."""
        self.reader.unmatched.append(Unmatched(
            clause_before(self.plain, self.clause_floor, figure.start) + why, figure.value,
            figure.unit or "", self.sentence, (figure.start, figure.end), self.position,
            hint_for))


def clause_before(plain: str, floor: int, end: int) -> str:
    """What a figure counts: the clause before it, after the figure before it at `floor`
    (「举办培训班」 of 「举办培训班32期」)."""
    start = max([plain.rfind(mark, floor, end) + 1 for mark in ",:、"] + [floor])
    return plain[start:end].strip()

