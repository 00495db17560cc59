"""Explicit conflicts between a claim (a headline) and its evidence (card bullets or a body).

NLI alone misses a changed number or a flipped polarity it never saw in training, and it cannot
point at the word that is wrong. These checks use the text pipeline to find numbers, dates,
names and polarity words in the claim and look for them, or their contradiction, in the evidence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from digestnlp.text.morph import Token, proper_nouns, tokenize
from digestnlp.text.normalize import normalize
from digestnlp.text.places import region_mentioned
from digestnlp.text.quantities import (
    APPROXIMATIONS,
    DAY_COUNT_AFTER,
    ERAS,
    Quantity,
    extract_quantities,
    rounding_place,
)

ConflictKind = Literal["number", "date", "name", "polarity", "negation"]
# ``impossible``: no calendar has the claim's date (「13月」), whatever the evidence says.
Status = Literal["contradicted", "unsupported", "impossible"]

# Word pairs whose members contradict each other in news text.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("増加", "減少"),
    ("増え", "減っ"),
    ("増え", "減り"),
    ("上昇", "下落"),
    ("上昇", "低下"),
    ("最多", "最少"),
    ("最高", "最低"),
    ("最大", "最小"),
    ("勝利", "敗北"),
    ("勝っ", "負け"),
    ("可決", "否決"),
    ("成功", "失敗"),
    ("開始", "終了"),
    ("承認", "拒否"),
    ("賛成", "反対"),
    ("上回", "下回"),
    ("黒字", "赤字"),
    ("合意", "決裂"),
    ("再開", "停止"),
    ("逮捕", "釈放"),
    ("当選", "落選"),
    ("値上げ", "値下げ"),
    ("拡大", "縮小"),
    ("増税", "減税"),
    ("好調", "不調"),
    ("有罪", "無罪"),
    ("就任", "退任"),
    ("解禁", "禁止"),
    ("容認", "拒否"),
    ("支持", "反対"),
    ("高騰", "暴落"),
    ("急増", "急減"),
    ("増額", "減額"),
    ("入国", "出国"),
    ("流入", "流出"),
    ("輸入", "輸出"),
    ("安全", "危険"),
    ("復活", "廃止"),
)
# The same opposition written another way in the evidence (a headline's 「最高」 against the
# report's 「最も低い」). Only for finding conflicts: the alterations the model trains and is
# evaluated on use ANTONYMS alone.
_OPPOSITE_PHRASES: tuple[tuple[str, str], ...] = (
    ("最高", "最も低"),
    ("最低", "最も高"),
    ("最多", "最も少な"),
    ("最少", "最も多"),
    ("最大", "最も小さ"),
    ("最小", "最も大き"),
    ("増加", "減っ"),
    ("増加", "減り"),
    ("減少", "増え"),
    ("終了", "始ま"),
    ("終了", "始め"),
    ("開始", "終え"),
    ("就任", "辞任"),
    ("就任", "勇退"),
    ("退任", "任命"),
    ("拒否", "認め"),
    ("敗北", "優勝"),
    ("敗北", "当選"),
    ("敗北", "勝っ"),
    ("勝利", "敗れ"),
    ("勝っ", "敗れ"),
    ("拡大", "減ら"),
    ("縮小", "増や"),
)
# Words of one direction: any of one side is the opposite of any of the other (「急減」 against
# 「上昇」, 「縮小」 against 「急増」), as the pairs above are. Winning and losing are left to the
# pairs: 「Aに負け」 is 「Aが勝利」.
_DIRECTIONS: tuple[tuple[str, ...], ...] = (
    ("増加", "増え", "上昇", "急増", "増額", "拡大"),
    ("減少", "減っ", "減り", "下落", "低下", "急減", "減額", "縮小"),
)
# Each pair read both ways: what a claim's word may be turned into, or contradicted by.
ANTONYMS_BOTH_WAYS: tuple[tuple[str, str], ...] = (*ANTONYMS, *((b, a) for a, b in ANTONYMS))
_POLARITY_PAIRS = tuple(
    dict.fromkeys(
        (
            *ANTONYMS_BOTH_WAYS,
            *_OPPOSITE_PHRASES,
            *((a, b) for a in _DIRECTIONS[0] for b in _DIRECTIONS[1]),
            *((b, a) for a in _DIRECTIONS[0] for b in _DIRECTIONS[1]),
        )
    )
)


@dataclass(frozen=True, slots=True)
class Opposite:
    """The claim with one antonym-list word turned into its partner (「…運行開始」 → 「…運行終了」)."""

    claim: str
    word: str
    opposite: str


def opposite_claims(claim: str) -> list[Opposite]:
    """The claim with each antonym-list word in it (its first occurrence) turned into its partner.

    The checker asks whether the evidence supports such an opposite better than the claim. Low
    support alone does not flag a claim whose words all stand in the evidence (a lead about an
    athlete's ban gives 「…選手が出場解禁へ」 support −0.03, yet similarity and overlap kept it
    consistent); that the same lead supports 「…出場禁止へ」 at 0.84 says which of the two it
    reports. Only word-for-word antonyms are swapped, so the opposite stays grammatical.
    """
    out: dict[str, Opposite] = {}
    for said, opposite in ANTONYMS_BOTH_WAYS:
        pos = claim.find(said)
        if pos >= 0:
            text = claim[:pos] + opposite + claim[pos + len(said) :]
            out.setdefault(text, Opposite(text, said, opposite))
    return list(out.values())


def _side(word: str) -> tuple[str, ...]:
    """The words of ``word``'s direction, or none for a word of the pairs only."""
    return next((side for side in _DIRECTIONS if word in side), ())


_NEGATION_LEMMAS = frozenset({"ない", "ぬ", "ず", "無い"})


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem with the claim: what it says, what the evidence says (if anything), and why."""

    kind: ConflictKind
    status: Status
    claim_text: str
    claim_start: int
    claim_end: int
    evidence_text: str | None
    message: str
    # Where the evidence says otherwise: the spans of the rival figures of a contradicted number.
    evidence_spans: tuple[tuple[int, int], ...] = ()


def _by_start(tokens: Sequence[Token]) -> dict[int, Token]:
    """Each morpheme by its start offset, to find the word right after a figure or a name."""
    return {t.start: t for t in tokens}


_CLOCK_HOUR = re.compile(r"\d時$")


def _measure(q: Quantity, text: str, by_start: dict[int, Token]) -> str:
    """What a quantity counts: its unit, or for a bare number or ordinal the word after it
    (「4児」, 「第30惑星」, 「18の自治体」), so 「4児」 is compared with 「2児」 and not with 「4時」,
    and 「4連覇」 not with 「206連勝」."""
    if q.unit == "分" and _CLOCK_HOUR.search(text, 0, q.start):
        return "時分"  # the minutes of a time of day (「6時35分」), not a duration of 35分
    if q.unit:
        return q.unit
    end = q.end + 1 if text[q.end : q.end + 1] == "の" else q.end  # 「18の自治体」 counts 自治体
    nxt = text[end : end + 1]
    if not nxt or nxt.isascii() or nxt.isspace() or nxt in "、。・「」()【】":
        return ""
    after = by_start.get(end)
    return after.surface if after is not None and after.surface[:1] == nxt else nxt


# Units a two-unit duration is read in (「2年8ヵ月」 is 2.67年, 「9秒74」 9.74秒; see extract_quantities).
_DURATIONS = frozenset({"年", "時間", "秒"})
# Ages are given to the year: 「120歳」 is not 「(115)」.
_EXACT = frozenset({"歳", "才"})


def _rounds_to(claim: Quantity, evidence: Quantity) -> bool:
    """A headline rounds the article's figure: 「5億6000万円」 for 「5億6313万2913円」, 「38%」 for
    「38.1%」, 「3%」 for 「2.7%」. A figure with two or more significant digits, or a single digit,
    may be off by half its last place; a round one-digit figure (「1万人」 for 「1万379人」, 「4万枚」
    for 「3万9,500枚」) by 5%, so 「1000人」 is still not 「1,200人」. A whole number of years, hours or
    seconds may cut a duration as well as round it: 「5年間」 and 「6年」 both say 「5年9カ月」, 「23年ぶり」
    says 「23年5ヶ月ぶり」 and 「24年ぶり」 does not. Only an amount or a duration is rounded
    (「第100回」 is not 「第99回」), never an age, and only to a figure less precise than the
    evidence's."""
    place = rounding_place(claim.value)
    if claim.kind not in ("number", "since") or rounding_place(evidence.value) >= place:
        return False
    if claim.unit in _EXACT:
        return False
    if claim.unit in _DURATIONS and place == 1:
        return claim.value in (math.floor(evidence.value), math.floor(evidence.value + 0.5))
    if claim.kind != "number":
        return False
    if claim.value >= 10 * place or place == 1:
        return abs(evidence.value - claim.value) <= place / 2
    return place >= 100 and abs(evidence.value - claim.value) <= 0.05 * claim.value


def _reading(
    q: Quantity, claim: str, by_start: dict[int, Token], e_qs: Sequence[tuple[Quantity, str]]
) -> tuple[Quantity, str]:
    """A claim's quantity with its measure. A bare four-digit figure reads as a year (「2009夏」)
    unless the evidence counts the word after it: against the report's 「2,000安打」, 「2002安打」
    is a count of hits, not the year 2002."""
    if q.kind == "date" and q.text.isdigit():
        count = replace(q, value=float(q.text), unit="", kind="number", iso="")
        measure = _measure(count, claim, by_start)
        if measure and any(m == measure and e.kind == "number" for e, m in e_qs):
            return count, measure
    return q, _measure(q, claim, by_start)


def _quantity_conflicts(
    claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token], published: dt.date | None
) -> list[Conflict]:
    out: list[Conflict] = []
    e_starts, c_starts = _by_start(e_tokens), _by_start(c_tokens)
    e_found = extract_quantities(evidence, e_tokens)
    e_qs = [(e, _measure(e, evidence, e_starts)) for e in e_found]
    e_days = _days_of_dates(e_found)
    e_counts = {id(e) for e, _ in e_qs if _day_count(e, evidence)}
    c_qs = [_reading(q, claim, c_starts, e_qs) for q in extract_quantities(claim, c_tokens)]
    for q, measure in c_qs:
        if not q.unit and not _in_digits(q):
            continue  # a bare kanji numeral is a word's part more often than a count: 世界一, 一部
        kind: ConflictKind = "date" if q.kind == "date" else "number"
        impossible = _no_such_date(q, claim)
        if impossible:
            # Whatever the evidence says, no year has a 13th month nor a month a 54th day.
            message = f"the claim's {q.text} is not a {impossible}"
            out.append(Conflict("date", "impossible", q.text, q.start, q.end, None, message))
            continue
        # A number with nothing to say what it counts cannot conflict, but one the evidence never
        # writes is unsupported.
        comparable = [e for e, m in e_qs if m == measure and q.same_measure(e)] if measure else []
        counts_days = _day_count(q, claim)
        if measure == "日" and not counts_days and _day_of_month(q):
            comparable += e_days
        agreeing = [
            e
            for e in comparable
            if (q.agrees_with(e) or _rounds_to(q, e) or _same_hour(q, e)) and not _other_occasion(e, evidence)
        ]
        if agreeing and _finer_than(q, agreeing):
            # The report gives this figure only roughly and the headline another, exact one: a
            # different figure for the same thing, not one the report leaves out.
            shown = _listed(agreeing)
            message = f"the claim says {q.text} but the evidence says only {shown}"
            spans = tuple((e.start, e.end) for e in agreeing)
            out.append(Conflict(kind, "contradicted", q.text, q.start, q.end, shown, message, spans))
            continue
        # 「3月」 bears out only the month of 「3月20日」: a report that dates it 「4月20日」 or
        # 「3月31日」 contradicts the day.
        if _day(q) and not any(_day(e) for e in agreeing) and any(_day(e) for e in comparable if e not in agreeing):
            agreeing = []
        # A year-less 「7月」 agrees with 「2008年7月」 on the month only; the year is still checked
        # against the evidence's years (「平成18年7月豪雨…7月15日」 does not bear out 「平成20年7月」).
        month_only = kind == "date" and bool(_year(q)) and bool(agreeing) and not any(_year(e) for e in agreeing)
        if month_only:
            if not _year_contradicted(q, comparable, evidence):
                out.extend(_off_published(q, e_found, evidence, published))
                continue
        elif agreeing or _written_decimal(q, evidence) or _adds_up(q, comparable, evidence, claim):
            continue
        # A count the claim itself states elsewhere (「台風17号…18号は」) is not this one's rival.
        # (Dates are exempt: 「7月11日」 agrees with 「2012年7月11日」, which still contradicts 「2010年」.)
        others = [o for o, m in c_qs if o is not q and m == measure and kind == "number"]
        rivals = [
            e
            for e in comparable
            if not q.agrees_with(e)
            and not _background_year(q, e)
            and not _other_occasion(e, evidence)
            and not any(o.agrees_with(e) for o in others)
            and not (month_only and not _year_rival(q, e, evidence))
            and (id(e) in e_counts) == counts_days
        ]
        if rivals:
            shown = _listed(rivals)
            message = f"the claim says {q.text} but the evidence says {shown}"
            spans = tuple((e.start, e.end) for e in rivals)
            out.append(Conflict(kind, "contradicted", q.text, q.start, q.end, shown, message, spans))
        elif kind == "number" and not mentioned(q.text, evidence):
            message = f"the claim's {q.text} appears nowhere in the evidence"
            out.append(Conflict(kind, "unsupported", q.text, q.start, q.end, None, message))
        else:
            out.extend(_off_published(q, e_found, evidence, published))
    return out


def _off_published(
    q: Quantity, e_found: Sequence[Quantity], evidence: str, published: dt.date | None
) -> list[Conflict]:
    """A year the evidence never gives, and not the year the evidence was published in.

    Reports leave their own year to the dateline, so a headline's 「2008夏の甲子園」 or 「2006年の
    夏時間」 is rarely in the bullets; the card's 公開日 still dates it. Only unsupported: a
    headline may name another year on purpose (「2014年冬季五輪」 decided in 2007). A bare
    four-digit figure the evidence gives as a count (「2,000株」 for 「2000株」) is no year.
    """
    year = _year(q)
    if published is None or not year or int(year) == published.year or mentioned(year, evidence):
        return []
    if any(_year(e) == year or (e.kind == "number" and e.value == int(year)) for e in e_found):
        return []
    message = f"the claim's {q.text} appears nowhere in the evidence, published {published.isoformat()}"
    return [Conflict("date", "unsupported", q.text, q.start, q.end, f"公開日 {published.isoformat()}", message)]


# What a cut year leaves dangling: its particle (「2008年は」, 「2006年の」) and, at either end of
# the claim, the mark that set it off (「2005年・第56回…」, 「香川県知事選-2006年」).
_YEAR_PARTICLE = re.compile(r"には|の|は|も|に")
_SEPARATOR_CHARS = "・、,-―–— \u3000"
_SEPARATORS = re.compile(f"[{re.escape(_SEPARATOR_CHARS)}]+")


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` matching at ``pos`` ends, or ``pos``."""
    m = pattern.match(text, pos)
    return m.end() if m else pos


def dateline_years(
    claim: str, evidence: str, published: dt.date | None, claim_tokens: list[Token] | None = None
) -> list[tuple[int, int]]:
    """Spans of the claim's years that only the 公開日 bears out: the year the evidence was
    published in, which the evidence itself never writes (「2006年の夏時間が終了」 in a 2006 report).

    NLI reads such a year as a figure the premise lacks and leans to contradiction, yet the
    dateline settles it (``_off_published`` flags the years it does not); so the NLI may read the
    claim without them. Each span covers the year with its 度 and a following 「の」
    (「平成18年度の」, 「2008年は」), not the month or day after it (「2006年7月」 keeps 「7月」).
    """
    if published is None:
        return []
    tokens = claim_tokens if claim_tokens is not None else tokenize(claim)
    spans = []
    for q in extract_quantities(claim, tokens):
        year = _year(q)
        if not year or int(year) != published.year or mentioned(year, evidence):
            continue
        cut = q.text.find("年")
        start, end = q.start, q.start + cut + 1 if cut >= 0 else q.end
        end = _skip(_YEAR_PARTICLE, claim, end + claim.startswith("度", end))
        if start == 0:
            end = _skip(_SEPARATORS, claim, end)
        if end == len(claim):
            start = len(claim[:start].rstrip(_SEPARATOR_CHARS))
        spans.append((start, end))
    return spans


def _in_digits(q: Quantity) -> bool:
    """The figure is written in digits (full-width ones too), not as a kanji numeral."""
    return any(ch.isdigit() and ch.isascii() for ch in normalize(q.text).text)


_MONTH_BEFORE = re.compile(r"\d月$")


def _no_such_date(q: Quantity, claim: str) -> str:
    """What calendar field ``q`` cannot be (「13月」, the 54日 of 「2月54日」), or ""."""
    if q.kind != "number":
        return ""
    if q.unit == "月" and q.value > 12:
        return "month of the year"
    if q.unit == "日" and q.value > 31 and _MONTH_BEFORE.search(claim, 0, q.start):
        return "day of the month"
    return ""


def _day_count(q: Quantity, text: str) -> bool:
    """A number of days, not a day of the month (「2日連続」, 「3日後」, 「33日間」): no rival of a
    date's 「30日」, nor one a date's day can be."""
    return (
        q.unit == "日"
        and q.kind == "number"
        and (q.text.endswith("間") or DAY_COUNT_AFTER.match(text, q.end) is not None)
    )


def _day_of_month(q: Quantity) -> bool:
    """「29日」 in digits, as a headline dates an event (「三日月」 is a name, 「137日」 a stay)."""
    return q.kind == "number" and not q.qualifier and 1 <= q.value <= 31 and _in_digits(q)


def _days_of_dates(quantities: Sequence[Quantity]) -> list[Quantity]:
    """The day of each full date, as a day of the month on its own: a headline's 「29日、長野市」
    is the report's 「4月26日」 or no day it gives."""
    return [replace(e, value=float(_day(e)), unit="日", kind="number", iso="") for e in quantities if _day(e)]


def _listed(quantities: Sequence[Quantity]) -> str:
    """The evidence's figures a message quotes: the first three, each written once."""
    return "、".join(dict.fromkeys(e.text for e in quantities[:3]))


def _finer_than(claim: Quantity, agreeing: Sequence[Quantity]) -> bool:
    """An exact claim figure the evidence only gives roughly: 「205人が死亡」 for 「およそ200人」 is
    within the approximation, but the report never says 205; a headline rounds (「約2万人」 for
    「2万2千人」), it does not add digits the report lacks."""
    return (
        claim.kind == "number"
        and not claim.qualifier
        and all(e.qualifier in APPROXIMATIONS and e.kind == "number" for e in agreeing)
        and rounding_place(claim.value) < min(rounding_place(e.value) for e in agreeing)
    )


def _same_hour(claim: Quantity, evidence: Quantity) -> bool:
    """「午後8時」 is 「20時」: a clock hour agrees with the same hour on the other half of the day."""
    return (
        claim.unit == evidence.unit == "時"
        and claim.kind == evidence.kind == "number"
        and 0 <= claim.value < 24
        and 0 <= evidence.value < 24
        and claim.value % 12 == evidence.value % 12
    )


# Positions, ages, times of day and steps of a scale do not add up to a total.
_NOT_SUMMED = frozenset({"号", "位", "歳", "才", "時", "年", "月", "日", "震度"})
# What may stand between two parts of a total: a short listing (「と女性」, 「が重傷、」), never a
# subset (「そのうちの4人」, 「2人を含め3人」) or a new sentence.
_PARTS_GAP = re.compile(r"(?!.*(?:うち|含|内))[^。]{0,12}")
_LISTING = re.compile(r"[と、,・や]")


# The predicate a headline states of its figure: the 死亡 of 「3人が死亡」.
_STATED_OF = re.compile(r"[がはも]?([一-龥々]{2,})")


def _adds_up(claim: Quantity, comparable: Sequence[Quantity], evidence: str, claim_text: str) -> bool:
    """A headline totals what the report lists: 「3人軽傷」 for 「男性2人と女性1人が軽傷」,
    「17名死亡」 for 「兵士12名とヘリ操縦士5名が死亡」. Only two or three figures listed side by
    side count as parts, so a total is not found among unrelated figures, and a part whose own
    predicate is the claim's (「1人が死亡、2人が重傷」 for 「3人が死亡」) is not a share of it."""
    if claim.kind != "number" or claim.unit in _NOT_SUMMED:
        return False
    stated = _STATED_OF.match(claim_text, claim.end)
    amounts = [e for e in comparable if e.kind == "number"]
    for i in range(len(amounts) - 1):
        for j in range(i + 1, min(i + 3, len(amounts))):
            gap = evidence[amounts[j - 1].end : amounts[j].start]
            if not (_PARTS_GAP.fullmatch(gap) and _LISTING.search(gap)) or (stated and stated.group(1) in gap):
                break
            total = sum(p.value for p in amounts[i : j + 1])
            if claim.agrees_with(replace(amounts[j], value=total, high=None, qualifier="")):
                return True
    return False


# Years at least this far from a claim's year are the story's background, not its date.
_BACKGROUND_YEARS = 10


def _day(q: Quantity) -> str:
    """The day of a date (「20」 of 「-03-20」), or ""."""
    return q.iso.rpartition("-")[2] if q.kind == "date" else ""


def _year(q: Quantity) -> str:
    """The year of a date (「2008」 of 「2008-07-」), or ""."""
    return q.iso[:4] if q.kind == "date" and q.iso[:4].isdigit() else ""


def _far_year(claim: Quantity, evidence: Quantity) -> bool:
    """A year a decade or more from the claim's (「2012年ロンドン五輪」 against the 1908 and 1948
    Games the report recalls) is history the report tells, not a rival date for the claim's year;
    a year off by a few is the kind of slip a card makes."""
    a, b = _year(claim), _year(evidence)
    return bool(a and b) and abs(int(a) - int(b)) >= _BACKGROUND_YEARS


def _background_year(claim: Quantity, evidence: Quantity) -> bool:
    """A claim that is a year on its own is not contradicted by a far year (``_far_year``)."""
    return claim.iso.endswith("--") and _far_year(claim, evidence)


# A year the report ties to another occasion — 「前回2000年の国勢調査」, 「昨年2013年に続いて」,
# 「2002年以来」, 「次回の冬季五輪は、2010年に」 — is not the claim's event, so it is no rival
# for the claim's year.
_OCCASION_BEFORE = re.compile(r"(?:前回|昨年|前年|次回|過去|これまで|去年|かつて)[^。、]{0,3}$|次回[^。]{0,10}$")
_OCCASION_AFTER = re.compile(r"以来|の前回|に続")


def _other_occasion(evidence_q: Quantity, evidence: str) -> bool:
    if not _year(evidence_q):
        return False
    before = evidence[max(0, evidence_q.start - 12) : evidence_q.start]
    return bool(_OCCASION_BEFORE.search(before) or _OCCASION_AFTER.match(evidence, evidence_q.end))


def _year_rival(claim: Quantity, evidence_q: Quantity, evidence: str) -> bool:
    """``evidence_q`` dates something a few years from the claim's year, not as another occasion."""
    return bool(_year(evidence_q)) and not _far_year(claim, evidence_q) and not _other_occasion(evidence_q, evidence)


def _year_contradicted(claim: Quantity, comparable: Sequence[Quantity], evidence: str) -> bool:
    """The evidence dates the claim's month in another year: 「平成18年7月豪雨…7月15日」 bears out
    the month of 「平成20年7月」, not its year. Years that are background or another occasion
    are no rivals, as for a year on its own."""
    if any(_year(e) == _year(claim) for e in comparable):
        return False
    return any(_year_rival(claim, e, evidence) for e in comparable)


def _written_decimal(q: Quantity, evidence: str) -> bool:
    """A figure with decimals (「7.0」) written in the evidence is this figure, whatever the
    analyser made of its unit there (「マグニチュード(M)7.0」)."""
    digits = re.search(r"\d+\.\d+", normalize(q.text).text)
    return digits is not None and mentioned(digits.group(), evidence)


def mentioned(text: str, evidence: str) -> bool:
    """``text`` occurs in the evidence, a leading or trailing digit not inside a longer number:
    「4」 is not mentioned by 「24」 or 「0.4」, 「10月」 is by 「10月16日」. (「4」 is by 「4.5」.)"""
    norm = normalize(text).text
    before = r"(?<![\d.,])" if norm[:1].isdigit() else ""
    after = r"(?!\d)" if norm[-1:].isdigit() else ""  # 「10月」 is mentioned by 「10月16日」
    return re.search(before + re.escape(norm) + after, normalize(evidence).text) is not None


_DIGITS = re.compile(r"\d+")
# Model names, strains and codes with digits: H5N1, K-1, Xbox360, J2, F-35, 3DS. A digit-first
# code needs a capital letter, so a measurement (「100m9秒76」) is not one.
# A katakana name with a number glued on is one too (「ダビング10」, 「ニュース23」, 「サイクロン03B」),
# unless a counter follows: 「サッカー4チーム」 counts teams, 「カード10種類」 cards.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z][A-Za-z\-]*\d+[A-Za-z0-9\-]*|\d+[A-Z][A-Za-z0-9\-]*)"
    r"|(?<![ァ-ヴー])[ァ-ヴ][ァ-ヴー]+\d+(?:[A-Za-z][A-Za-z0-9]*)?(?![\dA-Za-z.,%ァ-ヴー一-龥々])"
)


def _written(ident: str, evidence: str) -> bool:
    """``ident`` stands in the evidence as a whole code, spaced or hyphenated or not (「Windows 7」)."""
    chars = [re.escape(c) for c in ident if c != "-"]
    before = r"(?<![A-Za-z0-9])" if ident[0].isascii() else r"(?<![ァ-ヴー])"
    pattern = before + r"[\s\-]?".join(chars) + r"(?![A-Za-z0-9])"
    return re.search(pattern, evidence) is not None


_DECIMAL_AFTER = re.compile(r"\.\d")
_YEAR_FIRST = re.compile(r"((?:19|20)\d\d)([A-Za-z].*)")
# A year after Latin letters is not read as a year (「NASA2020年」), so that code stays an identifier.
_YEAR_LAST = re.compile(r"(.*[ァ-ヴー])((?:19|20)\d\d)")


def _glued_year(ident: str, evidence: str) -> bool:
    """A year glued to a name the evidence writes (「2008M-1グランプリ」, 「横浜トリエンナーレ2005」):
    unless the evidence glues another year to it (「…トリエンナーレ2008」), the name is mentioned and
    the year is checked as the claim's year (the report may leave it to its 公開日)."""
    first, last = _YEAR_FIRST.fullmatch(ident), _YEAR_LAST.fullmatch(ident)
    name = first.group(2) if first is not None else last.group(1) if last is not None else ""
    return bool(name) and name in evidence


def _identifier_conflicts(claim: str, evidence: str) -> list[Conflict]:
    """An identifier with digits is checked as written: 「H5N4」 against 「H5N1」 is a different strain."""
    claim_norm, evidence_norm = normalize(claim), normalize(evidence).text
    if len(claim_norm.text) != len(claim):  # offsets would not map back; identifiers are ASCII anyway
        return []
    matches = list(_IDENTIFIER.finditer(evidence_norm))
    found = dict.fromkeys(m.group() for m in matches)  # in evidence order
    aligned = len(evidence_norm) == len(evidence)  # whether evidence offsets map back
    out = []
    for m in _IDENTIFIER.finditer(claim_norm.text):
        ident = m.group()
        if _written(ident, evidence_norm) or _DIGITS.fullmatch(ident):
            continue
        if _DECIMAL_AFTER.match(claim_norm.text, m.end()):
            continue  # 「M7.8」 is a magnitude, checked as a figure against 「マグニチュード7.8」
        shape = _DIGITS.sub("#", ident)
        similar = [e for e in found if _DIGITS.sub("#", e) == shape]
        if not similar and _glued_year(ident, evidence_norm):
            continue
        shown = "、".join(similar[:3]) if similar else None
        status: Status = "contradicted" if shown else "unsupported"
        message = (
            f"the claim says {ident} but the evidence says {shown}"
            if shown
            else f"the claim's {ident} appears nowhere in the evidence"
        )
        spans = tuple((e.start(), e.end()) for e in matches if aligned and e.group() in similar)
        out.append(Conflict("number", status, claim[m.start() : m.end()], m.start(), m.end(), shown, message, spans))
    return out


# Foreign names have more than one katakana spelling (テイラー/テーラー, ヴァイオリン/バイオリン);
# names are compared in one of them.
_V_SYLLABLES = {"ヴァ": "バ", "ヴィ": "ビ", "ヴェ": "ベ", "ヴォ": "ボ", "ヴ": "ブ"}
_V_PATTERN = re.compile("ヴ[ァィェォ]?")
_E_ROW_I = re.compile(r"([エケセテネヘメレゲゼデベペ])イ")


def _name_form(text: str) -> str:
    """Normalised text with katakana spelling variants folded, for comparing names."""
    folded = _V_PATTERN.sub(lambda m: _V_SYLLABLES[m.group()], normalize(text).text)
    return _E_ROW_I.sub(r"\1ー", folded)


_READING = re.compile(r"[ぁ-ゖァ-ヺー・=]+")
_BRACKETED_READING = re.compile(r"\([ぁ-ゖー・=]+\)")


def _after_reading(by_start: dict[int, Token], end: int) -> Token | None:
    """The word after a name, past a reading in brackets: 氏 of 「近藤崇晴(こんどう・たかはる)氏」."""
    nxt = by_start.get(end)
    if nxt is None or nxt.surface not in ("(", "（"):
        return nxt
    inner: list[str] = []
    tok = by_start.get(nxt.end)
    while tok is not None and tok.surface not in (")", "）") and len(inner) < 12:
        inner.append(tok.surface)
        tok = by_start.get(tok.end)
    if tok is None or not _READING.fullmatch("".join(inner)):
        return nxt
    return by_start.get(tok.end)


def _slotted_names(tokens: list[Token]) -> list[tuple[str, str, int, int]]:
    """Names with the word right after them, their slot: 「サハリン沖」 → (サハリン, 沖), 「林氏」 → (林, 氏)."""
    by_start = _by_start(tokens)
    out = []
    for name, start, end in proper_nouns(tokens):
        nxt = _after_reading(by_start, end)
        slot = (
            nxt.surface if nxt and nxt.pos in ("名詞", "接尾辞") and not (nxt.is_number or nxt.is_proper_noun) else ""
        )
        out.append((name, slot, start, end))
    return out


def _head(tokens: list[Token], start: int, end: int) -> str | None:
    """The last proper noun of a name glued to other words (織田 in 「フィギュアスケート織田」)."""
    heads = [
        t.surface for t in tokens if start <= t.start and t.end <= end and t.is_proper_noun and len(t.surface) >= 2
    ]
    return _name_form(heads[-1]) if heads else None


def _parts_stated(tokens: list[Token], start: int, end: int, evidence_norm: str) -> bool:
    """A headline glues words the report writes apart (「ロンドンオリンピック」 for 「オリンピック
    ロンドン大会」, 「ジャイアンツ山口俊」 for 「読売ジャイアンツの山口俊投手」): a name is mentioned
    when its morphemes, in order, make up words the evidence writes, each of two or more characters."""
    parts = [_name_form(t.surface) for t in tokens if start <= t.start and t.end <= end and t.surface != "・"]
    # stated[j]: the first j morphemes make up such words.
    stated = [True] + [False] * len(parts)
    for j in range(1, len(parts) + 1):
        stated[j] = any(stated[i] and len(word := "".join(parts[i:j])) >= 2 and word in evidence_norm for i in range(j))
    return len(parts) >= 2 and stated[-1]


_KANJI_RUN = re.compile(r"[一-龥々]{3,}")


def _abbreviated(key: str, evidence_norm: str) -> bool:
    """A two-kanji name shortens a longer one the evidence writes: 「東電」 is 「東京電力」, 「国連」
    「国際連合」, 「陸連」 「日本陸上競技連盟」 (its two kanji in order, in one run of at most six)."""
    if not re.fullmatch(r"[一-龥]{2}", key):
        return False
    gap = re.compile(f"{key[0]}[一-龥々]{{1,4}}{key[1]}")
    return any(gap.search(run) for run in _KANJI_RUN.findall(evidence_norm))


def _name_conflicts(claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token]) -> list[Conflict]:
    """A claim name the evidence never mentions; contradicted when the evidence puts another name in
    its slot (「ウガンダ沖」 against 「サハリン沖」, 「富良野市」 against 「佐久市」)."""
    # A reading in brackets inside a name (「佐村河内(さむらごうち)守」) is not part of it.
    evidence_norm = _BRACKETED_READING.sub("", _name_form(evidence))
    rivals: dict[str, list[str]] = {}
    for name, slot, _, _ in _slotted_names(e_tokens):
        if slot:
            rivals.setdefault(slot, []).append(_name_form(name))
    claimed = _slotted_names(c_tokens)
    named = {_name_form(name) for name, _, _, _ in claimed}
    out = []
    seen: set[str] = set()
    for name, slot, start, end in claimed:
        key = _name_form(name)
        if key in seen or len(key) < 2 or name in ERAS:  # 平成 of 「平成26年」 is part of a date
            continue
        seen.add(key)
        # The last part names the person or place (プーチン in ウラジーミル・プーチン, 豊島区 in
        # 東京・豊島区): it must be there; a shared first part (スティーブ・オバマ) is not enough.
        last = key.replace("=", "・").split("・")[-1]
        if (
            key in evidence_norm
            or (len(last) >= 2 and last in evidence_norm)
            or _parts_stated(c_tokens, start, end, evidence_norm)
            or _abbreviated(key, evidence_norm)
            or region_mentioned(key + ("地方" if slot == "地方" else ""), evidence_norm)
        ):
            continue
        # A rival that is part of the name, or the name part of it, is the same one written longer
        # or shorter (マイクロソフトフランス法人 and フランス法人); nor is there a rival when the
        # name's own last proper noun is in the evidence (織田 of 「フィギュアスケート織田選手」), and
        # a name the claim itself gives (「荒川区と足立区」) is no rival of the other.
        head = _head(c_tokens, start, end)
        candidates = [] if head is not None and head in evidence_norm else rivals.get(slot, [])
        other = next((r for r in candidates if r not in key and key not in r and r not in named), None)
        said = claim[start:end]
        if other is None:
            out.append(
                Conflict(
                    "name",
                    "unsupported",
                    said,
                    start,
                    end,
                    None,
                    f"the name {said} in the claim is never mentioned in the evidence",
                )
            )
        else:
            message = f"the claim says {said}{slot} but the evidence says {other}{slot}"
            out.append(Conflict("name", "contradicted", said, start, end, other + slot, message))
    return out


# An opposite the evidence negates (「認めない」, 「始まらず」) agrees with the claim instead.
_NEGATED_AFTER = re.compile(r"[ぁ-ん]{0,3}(?:ない|ず|なかっ|ませ)")


def _affirmed(word: str, evidence: str) -> bool:
    """``word`` occurs in the evidence at least once without a negation right after it."""
    return any(not _NEGATED_AFTER.match(evidence, m.end()) for m in re.finditer(re.escape(word), evidence))


# What a polarity word is about: the end of the word run right before it (「環状運転」 of
# 「環状運転廃止」, 「新監督」 of 「原辰徳新監督退任」), past one particle.
_SUBJECT_RUN = re.compile(r"([一-龥々ァ-ヴーA-Za-z0-9]{2,})[をのがはにでも]?$")
_SUBJECT_CHARS = 3
_SUBJECT_GAP = 10


def _about(claim: str, pos: int) -> str | None:
    m = _SUBJECT_RUN.search(claim, 0, pos)
    return m.group(1)[-_SUBJECT_CHARS:] if m else None


def _said_of(word: str, subject: str, evidence: str) -> bool:
    """``word`` occurs in the evidence with ``subject`` shortly before it."""
    reach = _SUBJECT_GAP + len(subject)
    return any(
        subject in evidence[max(0, m.start() - reach) : m.start()] for m in re.finditer(re.escape(word), evidence)
    )


def _polarity_conflicts(claim: str, evidence: str) -> list[Conflict]:
    """A polarity word the evidence has only the opposite of, or has the opposite of for the same thing.

    A report often has both words about different things (「1972年に…廃止」 and 「環状運転を復活」;
    one manager's 退任 and another's 就任): then the claim is contradicted only when what it says
    it of stands right before the opposite and never right before the word itself.
    """
    out = []
    for said, opposite in _POLARITY_PAIRS:
        pos = claim.find(said)
        if pos < 0 or not _affirmed(opposite, evidence):
            continue
        if any(word in claim for word in _side(opposite)):
            continue  # 「ウナギ減少、価格上昇」: the claim says both directions, of different things
        if said in evidence:
            subject = _about(claim, pos)
            if not subject or not _said_of(opposite, subject, evidence) or _said_of(said, subject, evidence):
                continue
        message = f"the claim says {said} but the evidence says {opposite}"
        out.append(Conflict("polarity", "contradicted", said, pos, pos + len(said), opposite, message))
    return out


# する carries no content of its own (「提出せず」 negates 提出). 成る neither, but 「連覇ならず」
# says 連覇 did not come about, which a report mentioning 連覇 in 「5連覇を逃した」 does not deny:
# a negated 成る is left alone.
_LIGHT_VERBS = frozenset({"為る", "する"})


def _aspect(tokens: Sequence[Token], j: int) -> bool:
    """The て/いる of 「出勤していない」 mark the aspect; what is negated is 出勤 (but the いる of
    「ママがいない」 is the verb itself)."""
    lemma = tokens[j].lemma
    return lemma in ("て", "で") or (lemma == "居る" and j > 0 and tokens[j - 1].lemma in ("て", "で"))


_NONE_OF = frozenset({"も", "は", "が"})
# Nouns that stand for the clause before them: 「伝えることはない」 negates 伝える.
_FORMAL_NOUNS = frozenset({"事", "物", "訳", "筈", "所"})


def _absent_at(tokens: Sequence[Token], i: int) -> int | None:
    """The word that 「ない」/「なし」 at ``i`` says is absent: 影響 of 「影響はない」, 怪我 of
    「けが人なし」, 伝える of 「伝えることはない」."""
    j = i - 1 if i and tokens[i - 1].surface in _NONE_OF else i
    j -= 1
    if j >= 0 and tokens[j].pos == "接尾辞":
        j -= 1
    if j >= 1 and tokens[j].lemma in _FORMAL_NOUNS and tokens[j - 1].pos == "動詞":
        return j - 1
    return j if j >= 0 and tokens[j].pos == "名詞" and not tokens[j].is_number else None


def _absences(tokens: Sequence[Token]) -> list[int]:
    """Indices of what each 「ない」/「なし」 of existence says is absent."""
    return [
        k
        for i, tok in enumerate(tokens)
        if (tok.lemma == "無い" and tok.pos == "形容詞") or tok.lemma == "無し"
        if (k := _absent_at(tokens, i)) is not None
    ]


def _negated_at(tokens: Sequence[Token]) -> set[int]:
    """Indices of verbs/サ変 nouns directly negated (…しない, …せず, …していなかった, …することはない).

    An obligation is no negation: 「罷免せざるを得ない」 and 「提出しなければならない」 state the act.
    """
    out = {k for k in _absences(tokens) if tokens[k].pos == "動詞"}
    for i, tok in enumerate(tokens):
        if tok.lemma not in _NEGATION_LEMMAS or tok.pos != "助動詞":
            continue
        after = "".join(t.surface for t in tokens[i + 1 : i + 3])
        if after.startswith(("ば", "を得", "をえ")):
            continue
        before = [t for t in range(i - 1, max(-1, i - 5), -1) if not _aspect(tokens, t)][:2]
        for j in before:
            prev = tokens[j]
            if prev.lemma == "成る":
                break
            if prev.pos == "名詞" or (prev.pos == "動詞" and prev.lemma not in _LIGHT_VERBS):
                out.add(j)
                break
    return out


def _absent(tokens: Sequence[Token]) -> set[str]:
    """Lemmas of nouns said not to exist: 関係 of 「いかなる関係もない」, 怪我 of 「けが人なし」.

    Only ever used to excuse: such a noun is no statement of the thing (「関係せず」 stands against
    「関係もない」), but 「アドバンテージなし」 against a report that writes 「アドバンテージ」 in
    another clause is no contradiction either, so it never raises one.
    """
    return {tokens[k].lemma for k in _absences(tokens)}


def _negation_conflicts(claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token]) -> list[Conflict]:
    c_at, e_at = _negated_at(c_tokens), _negated_at(e_tokens)
    c_neg = {c_tokens[i].lemma for i in c_at}
    e_neg = {e_tokens[i].lemma for i in e_at}
    c_none, e_none = _absent(c_tokens), _absent(e_tokens)
    e_lemmas = {t.lemma for t in e_tokens}
    # The evidence negates what the claim states only if it never states it too: 「罷免した」 and
    # 「罷免の方針ではない」 in one report leave the claim's 罷免 standing.
    e_stated = {t.lemma for i, t in enumerate(e_tokens) if i not in e_at}
    c_lemmas = {t.lemma: t for t in c_tokens}
    cases = [
        (lemma, lemma, "the claim negates {} but the evidence states it")
        for lemma in c_neg - e_neg - e_none
        if lemma in e_lemmas
    ]
    cases += [
        (lemma, f"{lemma} (negated)", "the claim states {} but the evidence negates it")
        for lemma in e_neg - c_neg - c_none - e_stated
        if lemma in c_lemmas
    ]
    out = []
    for lemma, evidence_text, message in cases:
        tok = c_lemmas[lemma]
        out.append(
            Conflict(
                "negation", "contradicted", tok.surface, tok.start, tok.end, evidence_text, message.format(tok.surface)
            )
        )
    return out


def find_conflicts(
    claim: str,
    evidence: str,
    claim_tokens: list[Token] | None = None,
    evidence_tokens: list[Token] | None = None,
    *,
    published: dt.date | None = None,
) -> list[Conflict]:
    """Numbers, dates, names, polarity and negation in ``claim`` that ``evidence`` contradicts or lacks.

    Pass the morphemes when the caller already has them (a body checked against many bullets).
    ``published`` is the evidence's date (a card's 公開日): a claim's year the evidence never
    gives is unsupported unless it is that date's year.
    """
    c_tokens = claim_tokens if claim_tokens is not None else tokenize(claim)
    e_tokens = evidence_tokens if evidence_tokens is not None else tokenize(evidence)
    identifiers = _identifier_conflicts(claim, evidence)
    # A figure inside an identifier (the 10 of 「ダビング10」) is checked as part of it, unless
    # it contradicts the evidence on its own (the year of 「2012W杯」).
    quantities = [
        q
        for q in _quantity_conflicts(claim, evidence, c_tokens, e_tokens, published)
        if q.status == "contradicted"
        or not any(i.claim_start <= q.claim_start and q.claim_end <= i.claim_end for i in identifiers)
    ]
    return [
        *quantities,
        *identifiers,
        *_name_conflicts(claim, evidence, c_tokens, e_tokens),
        *_polarity_conflicts(claim, evidence),
        *_negation_conflicts(claim, evidence, c_tokens, e_tokens),
    ]
