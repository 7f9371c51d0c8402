"""Reading one sentence of a report left to right: each indicator named waits for the figure
after it; 分别 pairs the names before it with the figures after it in order; a figure after
比上年提高 changes the value before it; a figure compared with a target or an average is a
hint; 「，桂平市为99.1%」 is the indicator before in another region; anything else is a figure
of no indicator."""
from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from metrics.uploads import narrative_numbers as numbers
from metrics.uploads.narrative_candidates import Candidate, Unmatched
from metrics.uploads.narrative_names import Mention
from metrics.uploads.narrative_numbers import Figure, YearMention

if TYPE_CHECKING:
    from metrics.uploads.narrative import SentenceReader

CHANGE = re.compile(r"(?:(?:比|较|与)(?P<base>上年|去年|上一年|(?P<year>(?:19|20)\d{2})年(?:底|末)?)"
                    r"(?:同期)?(?:相比)?,?|同比)(?:分别|均|都)?(?P<way>提高|增加|上升|增长|提升|下降|降低|减少|回落)了?$")
UP = ("提高", "增加", "上升", "增长", "提升")
HINT = re.compile(r"目标|平均|全国|全省|国家|省定|规划|标准")
ORIGIN = re.compile(r"(?:由|从)(?:\d{4}年|上年|去年|上一年)?(?:同期)?(?:的)?$")
# 「由上年的4.2‰下降至3.8‰」: the figure is the year before's.
OF_LAST_YEAR = re.compile(r"(?:上年|去年|上一年)(?:同期)?(?:的)?$")
BOUND_BEFORE = re.compile(r"(?:低于|高于|不低于|不高于|不超过|超过|小于|大于)$")
# 孕产妇死亡率（1/10万）为10.5: the unit written in brackets after the name.
BRACKETED_UNIT = re.compile(r"\((?P<unit>[^()]{1,8})\)")
ALL_OF_THEM = re.compile(r"均|都")
OWN_YEAR_GAP = re.compile(r"^(?:的|为|是|达|底|末)?$")
THIS_YEAR = re.compile(r"今年|本年|全年")
BOUND_AFTER = re.compile(r"^(?:以下|以内|以上|左右)")
# 「…，桂平市为99.1%」: the indicator of the value before, in another region.
ANOTHER_REGION = re.compile(r"^[,、]?(?:其中,?)?(?P<region>[\u4e00-\u9fff]{2,9}?)(?:为|是|达到|达)$")
ENUMERATION = {"、", "和", ",", "及"}
LONGEST_LINK = 20  # characters between a name and its figure
# Changes from which the value of the year before follows: (unit of the change, of the value).
ABSOLUTE_CHANGES = {("个百分点", "%"), ("个千分点", "‰"), ("‰", "‰"), ("1/10万", "1/10万"),
                    ("1/万", "1/万"), ("岁", "岁"), ("年", "年")}


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
        change = CHANGE.search(self.plain, max(0, figure.start - 18), figure.start)
        if figure.low is not None:
            self.ranged(figure)
        elif change and self.given:
            self.changes(figure, change, link)
        elif change and self.pending and self.early is None:
            self.early = (figure, change, self.clause_floor)
        elif self.changing and link in ENUMERATION:
            self.derive(self.changing.pop(0), figure, self.change)
        elif change or HINT.search(link) or self.target:
            self.listed(figure, self.given[-1].indicator_code if self.given else
                        (self.pending[-1].code if self.pending else None))
        elif "分别" in link and len(self.pending) >= 2:
            self.respectively, self.pending, self.group = self.pending, [], []
            self.enumerated(figure, link)
        elif self.respectively:
            self.enumerated(figure, link)
        elif self.group and link in ENUMERATION:
            self.miscounted()
            self.listed(figure)
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
        """The next figure after 分别: the next name's."""
        self.pair(self.respectively.pop(0), figure, link)
        self.group.append(self.given[-1])

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
        """Whether a figure may be the indicator's value by its unit: the indicator's, one it
        converts from (‰ for %), or none written. 12个 after 婴儿死亡率 counts something else."""
        expected = self.reader.units[mention.code]
        kinds = self.reader.kinds
        if figure.unit is None:  # 托位数达到3.2个 for 个/千人: the measure word heads the unit
            return kinds.get(expected) == "count" or expected.startswith(
                f"{figure.written[-1]}/")
        return (figure.unit in ("", expected) or expected.startswith(f"{figure.unit}/")
                or kinds.get(figure.unit) == kinds.get(expected) == "rate")

    def another_region(self, link: str) -> str | None:
        """The region a link such as 「，桂平市为」 names, if it names one."""
        written = ANOTHER_REGION.match(link)
        return self.reader.regions.code_of(written["region"]) if written else None

    def pair(self, mention: Mention, figure: Figure, link: str,
             region: str | None = None) -> None:
        """A candidate: the named indicator has the figure's value (in `region` when the link
        names it, else the region named before the indicator)."""
        reader = self.reader
        expected = reader.units[mention.code]
        # 0.8人 for 人/千名儿童 and 12个 for 个 are written in the indicator's unit.
        unit = expected if figure.unit is None or expected.startswith(f"{figure.unit}/") \
            else figure.unit or self.bracketed_unit(link)
        year, how = self.year_of(mention, figure)
        candidate = Candidate(mention.code, reader.names.names[mention.code], figure.value,
                              unit, year, region or reader.regions.named_before(
                                  self.plain, mention.start),
                              False, 0.95, self.sentence, (figure.start, figure.end),
                              self.position, [], mention)
        if how:
            candidate.lower_confidence(0.1 if year is not None else 0.3, how)
        if "," in link:
            candidate.confidence = round(candidate.confidence - 0.15, 2)
        bound = BOUND_AFTER.match(self.plain[figure.end:figure.end + 2]) or \
            BOUND_BEFORE.search(self.plain, max(figure.start - 3, 0), figure.start)
        if bound:
            candidate.lower_confidence(0.25, f"数值前后有“{bound.group(0)}”，可能是界限或目标，"
                                             "不是实际值。")
        if unit == "":
            candidate.lower_confidence(0.1, f"未写单位，按该指标的单位“{expected}”读。")
        self.given.append(candidate)
        reader.candidates.append(candidate)

    def bracketed_unit(self, link: str) -> str:
        """The unit a link writes in brackets (（1/10万）为), as the catalogue writes it."""
        written = BRACKETED_UNIT.search(link)
        return numbers.unit_of(written["unit"]) if written else ""

    def year_of(self, mention: Mention, figure: Figure) -> tuple[int | None, str]:
        """The year of a value, and a note when it is not written in its sentence: the year
        written just before the figure (2015年的11.2/10万), the year before the value's after
        上年的 (由上年的4.2‰下降至3.8‰), else the sentence's, else the paragraph's, else the
        report's."""
        if OF_LAST_YEAR.search(self.plain, max(figure.start - 6, 0), figure.start):
            year, how = self.year_of(mention, dataclasses.replace(figure, start=mention.start))
            return (None, how) if year is None else (year - 1, how)
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
                written: str) -> Candidate | None:
        """A change after a value: the year before's value when the change is absolute. A
        change against another year (较2020年下降…) is against a baseline, whose value the
        report does not give: a hint, never a value."""
        base_year = (int(phrase["year"]) if phrase["year"] else
                     candidate.year - 1 if candidate.year is not None else None)
        if phrase["year"] and (candidate.year is None or base_year != candidate.year - 1):
            candidate.notes.append(f"「{written}」是与{base_year}年（基期）相比的变化，不是比上年，"
                                   f"未推算{base_year}年数值。")
            self.listed(change, candidate.indicator_code)
            return None
        if (change.unit, self.reader.units[candidate.indicator_code]) not in ABSOLUTE_CHANGES \
                or base_year is None:
            candidate.notes.append(f"「{written}」：不能确定是百分点还是百分比（或未写单位），"
                                   "未推算上年数值。")
            return None
        sign = -1 if phrase["way"] in UP else 1
        decimals = max(decimal_places(candidate.value), decimal_places(change.value))
        previous = round(candidate.value + sign * change.value, decimals)
        derived = Candidate(
            candidate.indicator_code, candidate.indicator_name, previous, candidate.unit,
            base_year, candidate.region_code, True, round(candidate.confidence * 0.9, 2),
            self.sentence, (change.start, change.end), self.position,
            [f"由「{written}」推算{base_year}年数值。"])
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


def decimal_places(value: float) -> int:
    """Decimals a value is written with (99.98 → 2)."""
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text else 0
