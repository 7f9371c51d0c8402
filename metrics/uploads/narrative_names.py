"""Where a report names catalogue indicators and regions. Names and aliases come from the
catalogue (data/indicators.yaml, data/regions.csv), never from code; they are matched in the
searchable text (simplified, half-width), the longest name first, so 农村孕产妇死亡率 is never
read as 孕产妇死亡率. Names sharing a tail are expanded the way reports write them:
宫颈癌和乳腺癌筛查率 names 宫颈癌筛查率 and 乳腺癌筛查率."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from metrics.catalogue import LIST_SEPARATOR
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.uploads.narrative_text import searchable

CONJUNCTIONS = ("以及", "和", "与", "及", "、")
LONGEST_HEAD = 12  # characters before 和 that may complete a shared tail
SHORTEST_TAIL = 3   # 死亡率, 覆盖率: a shorter tail (率, 床位) completes too many heads
# Where a clause starts that may name an indicator with the head of the name before left off.
CLAUSE_START = re.compile(r"[,、;和及与](?:其中)?")
# A region a report names for itself: 全县, 我市, 本区 … mean the region the report is about.
OWN_REGION = re.compile(r"(?:全|我|本)(?:省|市|县|区|旗|州|盟)")
NATIONAL = re.compile(r"全国")
DASHES = ("～", "~", "-", "—", "至")
REGION_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{2,}(?:省|市|区|县|旗|盟|州)$")


@dataclass(frozen=True)
class Mention:
    """An indicator named in a text: its span and code."""
    start: int
    end: int
    code: str


def name_key(text: str) -> str:
    """A name as it is compared: searchable form, no spaces."""
    return re.sub(r"\s+", "", searchable(text))


def name_variants(name: str) -> set[str]:
    """A catalogue name and the ways reports write it: ～ as - or 至, a trailing qualifier
    such as （以县为单位） left off, a count without its 数."""
    variants = {name, re.sub(r"[（(][^（）()]*[）)]$", "", name)}
    # 儿童之家数, 儿科执业（助理）医生数: reports write the thing counted and then the count
    # (建成儿童之家46个).
    variants |= {re.sub(r"(?:数|数量)$", "", v) for v in variants if len(v) >= 6}
    for dash in DASHES:
        variants |= {v.replace("～", dash) for v in list(variants)}
    return {name_key(v) for v in variants if len(v) >= 2}


class IndicatorNames:
    """Every catalogue indicator name and alias, matched in a text."""

    def __init__(self, indicators: pd.DataFrame):
        self.lookup: dict[str, str] = {}
        self.names = dict(zip(indicators["code"], indicators["name"]))
        for code, name, aliases in zip(indicators["code"], indicators["name"],
                                       indicators["aliases"].fillna("")):
            for text in [name, *aliases.split(LIST_SEPARATOR)]:
                for key in name_variants(text) if text else ():
                    self.lookup.setdefault(key, code)
        keys = sorted(self.lookup, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys)))
        # The ways to cut each name into a head and a tail (孕产妇 | 系统管理率), by the
        # tail's first two characters, the longest tail first.
        self.cuts: dict[str, list[tuple[str, str]]] = {}
        for key in keys:
            for cut in range(2, len(key) - 1):
                self.cuts.setdefault(key[cut:cut + 2], []).append((key[cut:], key[:cut]))
        for found in self.cuts.values():
            found.sort(key=lambda cut: len(cut[0]), reverse=True)

    def mentions(self, text: str) -> list[Mention]:
        """Indicators named in `text`, in order, shared tails and heads expanded."""
        found = [Mention(m.start(), m.end(), self.lookup[m.group(0)])
                 for m in self.pattern.finditer(text)]
        expanded = list(found)
        for mention in found:
            expanded.extend(self.shared_tail(text, mention, expanded))
        expanded.extend(self.shared_heads(text, expanded))
        return sorted(expanded, key=lambda m: m.start)

    def shared_heads(self, text: str, known: list[Mention]) -> list[Mention]:
        """Names written with their head left off at the start of a clause, the head written
        earlier in the sentence: 「孕产妇住院分娩率达99.9%，系统管理率达93%」 names
        孕产妇系统管理率, 「5岁以下儿童生长迟缓率1.8%，低体重率1.2%」 5岁以下儿童低体重率,
        「孕前优生健康检查2,150对，目标人群覆盖率达96.1%」 孕前优生健康检查目标人群覆盖率."""
        found: list[Mention] = []
        for clause in CLAUSE_START.finditer(text):
            at = clause.end()
            if any(m.start <= at < m.end for m in known + found):
                continue
            before = max((m for m in known + found if m.end <= at), key=lambda m: m.end,
                         default=None)
            following = min((m.start for m in known if m.start >= at), default=len(text))
            mention = self.head_written_before(text, at, following, before)
            if mention is not None:
                found.append(mention)
        return found

    def head_written_before(self, text: str, at: int, end: int,
                            before: Mention | None) -> Mention | None:
        """The longest tail written at `at` (before `end`) whose head is written before it,
        the nearest such head if several; None when there is none or it names the indicator
        `before` names. A tail shorter than SHORTEST_TAIL (床位 of 每千名儿童拥有床位) only
        with the head that opens `before` (「每千名儿童拥有儿科执业（助理）医生0.78人、床位2.54张」)."""
        best = None
        for tail, head in self.cuts.get(text[at:at + 2], ()):
            if best is not None and len(tail) < len(best[0]):
                break
            if len(tail) < SHORTEST_TAIL and (before is None
                                              or not text.startswith(head, before.start)):
                continue
            if text.startswith(tail, at) and at + len(tail) <= end:
                where = text.rfind(head, 0, at)
                if where >= 0 and (best is None or where + len(head) > best[2]):
                    best = (tail, head, where + len(head))
        if best is None or before is not None and self.lookup[best[1] + best[0]] == before.code:
            return None
        return Mention(at, at + len(best[0]), self.lookup[best[1] + best[0]])

    def shared_tail(self, text: str, mention: Mention, known: list[Mention]) -> list[Mention]:
        """Mentions written before `mention` with its tail left off: 宫颈癌和乳腺癌筛查率,
        新生儿、婴儿死亡率. Each is spanned by its own head (宫颈癌)."""
        found, right = [], mention
        while True:
            joint = next((c for c in CONJUNCTIONS if text.endswith(c, 0, right.start)), None)
            end = right.start - len(joint) if joint else 0
            if not joint or any(m.end == end for m in known):
                return found
            head = self.completed(text, end, text[mention.start:mention.end])
            if head is None:
                return found
            right = head
            found.append(head)

    def completed(self, text: str, end: int, name: str) -> Mention | None:
        """The longest head ending at `end` that with a tail of `name` is a catalogue name."""
        for tail_length in range(len(name) - 1, 0, -1):
            tail = name[-tail_length:]
            for length in range(min(LONGEST_HEAD, end), 0, -1):
                code = self.lookup.get(text[end - length:end] + tail)
                if code is not None:
                    return Mention(end - length, end, code)
        return None


class RegionNames:
    """The regions a report may name, matched by full name (平南县): every region with a name
    unique in China, and every region under the one the report is about, which wins a name
    shared with a region elsewhere (城区). A region outside the person's scope is still
    recognised, so that the check refuses it rather than the value going to the report's own
    region."""

    def __init__(self, regions: pd.DataFrame, tree: RegionTree, top: str | None):
        under = regions[tree.under(regions["code"], [top])] if top is not None else regions[:0]
        codes: dict[str, str] = {}
        for frame in (regions, under):
            unique = frame[~frame["name"].duplicated(keep=False)]
            codes |= {name_key(n): c for n, c in zip(unique["name"], unique["code"])
                      if REGION_SUFFIX.match(n)}
        self.codes = codes
        # 全县 in a county's report is the county, 全市 the city above it (a figure it quotes).
        names = dict(zip(regions["code"], regions["name"]))
        self.own_chain = [(c, names.get(c, "")) for c in reversed(tree.ancestors(top))] \
            if top is not None else []
        keys = sorted(self.codes, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self.top = top

    def named_before(self, text: str, end: int) -> str | None:
        """The region named last in text[:end]; 全县 and no name at all mean the report's own
        region, 全国 in the indicator's clause the country (a national figure a county's
        report quotes)."""
        best_at, best = -1, None
        if self.pattern is not None:
            for match in self.pattern.finditer(text, 0, end):
                best_at, best = match.start(), self.codes[match.group(0)]
        for match in NATIONAL.finditer(text, 0, end):
            # Only in the indicator's own clause: 「…，高于全国平均水平，婴儿死亡率…」 is not.
            if match.start() > best_at and "," not in text[match.end():end]:
                best_at, best = match.start(), NATIONAL_CODE
        own = [m for m in OWN_REGION.finditer(text, 0, end)]
        if own and own[-1].start() > best_at:
            return self.own_region(own[-1].group(0))
        return self.top if best is None else best

    def code_of(self, text: str) -> str | None:
        """The code of a region written alone (平南县; 全县 the report's own, 全国 the
        country), or None."""
        if OWN_REGION.fullmatch(text):
            return self.own_region(text)
        return NATIONAL_CODE if NATIONAL.fullmatch(text) else self.codes.get(name_key(text))

    def own_region(self, word: str) -> str | None:
        """The region 全县, 我市, 本区 … mean: the report's own, or the nearest region above it
        of that kind (全市 in a county's report; 省 also an 自治区); the report's own when none
        is of that kind."""
        kind = word[-1]
        for code, name in self.own_chain:
            if name.endswith(kind) or kind == "省" and name.endswith("自治区"):
                return code
        return self.top

    def first_named(self, text: str) -> str | None:
        """The first region the text names (a report's title names its region)."""
        match = self.pattern.search(text) if self.pattern is not None else None
        return self.codes[match.group(0)] if match else None
