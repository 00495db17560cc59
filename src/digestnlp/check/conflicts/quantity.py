"""Numbers and dates: a claim's figure the evidence gives otherwise (contradicted), never gives
(unsupported), or no calendar has (impossible); a year only the 公開日 can bear out."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from digestnlp.check.conflicts.base import (
    NOWHERE,
    SAYS_OTHERWISE,
    Conflict,
    ConflictFamily,
    Context,
    Status,
    mentioned,
    tokens_by_start,
)
from digestnlp.text.lexicon import APPROXIMATIONS
from digestnlp.text.morph import Token, content_words, tokenize
from digestnlp.text.normalize import normalize
from digestnlp.text.quantities import DAY_COUNT_AFTER, Quantity, extract_quantities, rounding_place
from digestnlp.text.sentences import split_sentences

ROUGHLY = "the claim says {claim} but {the_evidence} {says} only {evidence}"

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
    e_starts, c_starts = tokens_by_start(e_tokens), tokens_by_start(c_tokens)
    e_found = extract_quantities(evidence, e_tokens)
    e_qs = [(e, _measure(e, evidence, e_starts)) for e in e_found]
    e_days = _days_of_dates(e_found)
    e_counts = {id(e) for e, _ in e_qs if _day_count(e, evidence)}
    c_qs = [_reading(q, claim, c_starts, e_qs) for q in extract_quantities(claim, c_tokens)]
    for q, measure in c_qs:
        if not q.unit and not _in_digits(q):
            continue  # a bare kanji numeral is a word's part more often than a count: 世界一, 一部
        kind = "date" if q.kind == "date" else "number"
        impossible = _no_such_date(q, claim)
        if impossible:
            # Whatever the evidence says, no year has a 13th month nor a month a 54th day.
            template = "the claim's {claim} is not a " + impossible
            out.append(Conflict("date", "impossible", q.text, q.start, q.end, None, template))
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
            spans = tuple((e.start, e.end) for e in agreeing)
            out.append(Conflict(kind, "contradicted", q.text, q.start, q.end, _listed(agreeing), ROUGHLY, spans))
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
            spans = tuple((e.start, e.end) for e in rivals)
            out.append(Conflict(kind, "contradicted", q.text, q.start, q.end, _listed(rivals), SAYS_OTHERWISE, spans))
        elif kind == "number" and not mentioned(q.text, evidence):
            out.append(Conflict(kind, "unsupported", q.text, q.start, q.end, None, NOWHERE))
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
    template = NOWHERE + ", published " + published.isoformat()
    return [Conflict("date", "unsupported", q.text, q.start, q.end, f"公開日 {published.isoformat()}", template)]


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


def rival_overlap(
    claim_tokens: list[Token], evidence: str, evidence_tokens: list[Token], conflicts: Sequence[Conflict]
) -> float:
    """How much the evidence sentence that contradicts a figure is about the claim: its share of the
    claim's content words (the most, over contradicted numbers and dates; 0 without one).

    A figure contradicted by a sentence on the claim's own subject (the lead's 「死者は2人」 against a
    headline's 「死者3人」) is more often a real error than one contradicted by a figure of the same
    measure said of something else (a consistent headline's 「1人死亡」 against 「4人が負傷」 in a
    sentence about the injured).
    """
    spans = [span for c in conflicts if c.status == "contradicted" for span in c.evidence_spans]
    words = {t.lemma for t in content_words(claim_tokens)}
    if not spans or not words:
        return 0.0
    best = 0.0
    for sentence in split_sentences(evidence):
        if any(sentence.start <= start < sentence.end for start, _ in spans):
            said = {t.lemma for t in evidence_tokens if sentence.start <= t.start < sentence.end}
            best = max(best, len(words & said) / len(words))
    return best


class Quantities(ConflictFamily):
    """Figures compared by measure (unit, or the word a bare number counts), rounding, ranges and
    hedges allowed; dates by their common fields; a year left to the 公開日 checked against it."""

    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (
        ("number", "contradicted"),
        ("number", "unsupported"),
        ("date", "contradicted"),
        ("date", "unsupported"),
        ("date", "impossible"),
    )

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        return _quantity_conflicts(claim, evidence, context.claim_tokens, context.evidence_tokens, context.published)

    def feature_names(self) -> tuple[str, ...]:
        return (*super().feature_names(), "rival_overlap")

    def features(self, conflicts: Sequence[Conflict], claim: str, evidence: str, context: Context) -> dict[str, float]:
        overlap = rival_overlap(context.claim_tokens, evidence, context.evidence_tokens, conflicts)
        return super().features(conflicts, claim, evidence, context) | {"rival_overlap": overlap}
