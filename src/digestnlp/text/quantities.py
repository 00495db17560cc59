"""Quantities: numbers with units, normalised so that two mentions can be compared.

The checker flags a headline number the bullets contradict (5.10% vs 3.58%), so values must be
comparable across notations: 9万7千人 and 97,000人 are both ``97000 人``; ２０２５年２月１９日 and
2025/02/19 are both the date ``2025-02-19``. Kanji numerals count only where the morphological
analyser tags them as numerals, so 三菱UFJ or 一方 never become numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from digestnlp.text.lexicon import (
    BOUNDS,
    ERAS,
    LOWER_BOUNDS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    UNITS,
)
from digestnlp.text.morph import Token, tokenize
from digestnlp.text.normalize import NormalizedText, normalize

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_KANJI = r"[〇零一二三四五六七八九十百千]+"
_CORE = rf"(?:{_ARABIC}|{_KANJI})(?:[十百千万億兆](?:{_ARABIC}|{_KANJI})?)*"
_UNIT_RE = "|".join(re.escape(u) for u in sorted((u for u in UNITS if u), key=len, reverse=True))
_RANGE_SEP = r"(?:~|〜|-|–|から)"

_ERA_DATE = re.compile(rf"({'|'.join(ERAS)})(元|\d{{1,2}})年(?:(\d{{1,2}})月(?:(\d{{1,2}})日)?)?")


def _iso(year: int | None, month: int, day: int | None) -> str:
    """An ISO date with the fields a text leaves out left empty: ``2008-07-``, ``-03-20``."""
    return ("" if year is None else f"{year:04d}") + f"-{month:02d}-" + ("" if day is None else f"{day:02d}")


# Calendar dates in digits, each with the (year, month, day) its groups give (None: not written).
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int | None, int, int | None]]], ...] = (
    (
        re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)"),
        lambda m: (int(m.group(1)), int(m.group(2)), int(m.group(3))),
    ),
    (
        re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日"),
        lambda m: (int(m.group(1)), int(m.group(2)), int(m.group(3))),
    ),
    (re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?!\d)"), lambda m: (int(m.group(1)), int(m.group(2)), None)),
    # 「今年7月5日」 is a date too
    (re.compile(r"(?<!\d)(?<!\d年)(\d{1,2})月(\d{1,2})日"), lambda m: (None, int(m.group(1)), int(m.group(2)))),
)
_SPEEDS = frozenset({"時速", "秒速", "分速"})
# What makes 「N日」 a number of days, not a day of the month: 「3日間」, 「2日連続」, 「3日後」,
# 「5日ぶり」, 「10日以内」, 「2日延期」, 「3日越し」.
DAY_COUNT_AFTER = re.compile(r"間|目|連続|連日|後|前|以内|ぶり|振り|遅れ|早|延期|越し|続|がかり|分")
# 「8月12日から13日」, 「1月27日、28日」: a second day of the same month (not 「、3日後」).
_DAY_AFTER = re.compile(rf"(?:{_RANGE_SEP}|、)(\d{{1,2}})日(?!{DAY_COUNT_AFTER.pattern})")
_NUMBER = re.compile(
    rf"(?P<prefix>(?:{'|'.join(PREFIX_QUALIFIERS)})?)(?P<cur>[$¥€£]?)(?P<mag>(?:M|マグニチュード)?)"
    # 「80余人」: 余 between a figure and its unit means "more than", like 以上.
    rf"(?P<a>{_CORE})(?:(?P<odd>余)(?=(?:{_UNIT_RE})))?(?P<unit_a>(?:{_UNIT_RE})?)"
    # The second unit belongs to a range's high end (3~5円); after a lone number it would read
    # 「2006年日米」 as 日 and 「2億円分」 as 分.
    rf"(?:(?P<sep>{_RANGE_SEP})(?P<b>{_CORE})(?P<unit>(?:{_UNIT_RE})?))?"
    rf"(?P<since>ぶり|振り)?(?P<suffix>(?:{'|'.join(SUFFIX_QUALIFIERS)})?)"
)
_NUMERAL = ("数詞",)
_FRACTION = re.compile(
    rf"(\d+|[一二三四五六七八九十]+)分の(\d+|[一二三四五六七八九十]+)({'|'.join(SUFFIX_QUALIFIERS)})?"
)
# The hundredths and thousandths after a 割: 「3割5分」, 「3割2分5厘」.
_BU = re.compile(r"(\d)分(?:(\d)厘)?(?!\d)")
# A race time: 「9秒74」 is 9.74 seconds (「9秒6」 9.6), not 9秒 and a bare 74.
_RACE_TIME = re.compile(rf"(?<![\d.,])(\d{{1,3}})秒(\d{{1,2}})(?![\d.,]|{_UNIT_RE})")
# Newspapers give a person's age in brackets after the name or title: 「市川大輔さん(16)」,
# 「容疑者(24)」, a child's as 「弘輝君(6つ)」. After a word, not after punctuation, so a list
# marker 「。(1)」 is not an age.
_BRACKET_AGE = re.compile(r"(?<=[\u3041-\u30ff\u4e00-\u9fff々])\((\d{1,3})(つ)?\)")
# A school year, written out (「高校2年生」, 「小学校3年」) or short (「高1男子」, 「小3」): a
# position, not a duration of 2年, and 「高1」 is 「高校1年」. The short form never before a
# unit (「中3日で登板」 is three days' rest).
_GRADE = re.compile(
    r"(?P<school>高校|中学校?|小学校?|大学)(?P<year>\d)年生?"
    r"|(?<![\u4e00-\u9fff])(?P<short>[高中小])(?P<short_year>\d{1,2})(?![\d.,年月日回時分秒号位人名件歳階期戦勝敗度点])"
)
_SCHOOLS = {
    "高": "高校",
    "高校": "高校",
    "中": "中学",
    "中学": "中学",
    "中学校": "中学",
    "小": "小学",
    "小学": "小学",
    "小学校": "小学",
    "大学": "大学",
}
_CURRENCY = {"$": "ドル", "¥": "円", "€": "ユーロ", "£": "ポンド"}


@dataclass(slots=True)
class Quantity:
    """A normalised quantity. ``value`` is the number (the low end of a range), ``high`` the high end.

    ``kind`` is ``number``, ``range``, ``date`` or ``since`` (17年ぶり). Dates carry ``iso``
    (``2025-02-19``, or ``--02-19`` without a year). ``start``/``end`` index the original text.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str
    kind: str = "number"
    high: float | None = None
    qualifier: str = ""
    iso: str = ""

    def same_measure(self, other: Quantity) -> bool:
        """Both measure the same kind of thing (same unit and kind), so their values can conflict.

        Two dates must name a common field: 「2021年」 is compared with 「2019年1月1日」, never with 「12月7日」.
        """
        if self.kind == "date" and other.kind == "date":
            return any(x and y for x, y in zip(self.iso.split("-"), other.iso.split("-"), strict=False))
        return self.unit == other.unit and _measure_of(self) == _measure_of(other)

    def agrees_with(self, other: Quantity, rel_tol: float = 1e-6) -> bool:
        """Whether this figure (a claim's) is borne out by ``other`` (the evidence's).

        An approximate figure (約, 前後…) on either side is compared within the looser ``_approximation``
        of the two (「約5万5,000人」 allows 5万4,500–5万5,500, not 5万2,500; 「約3,000円」 allows 2,900);
        the evidence's bound (以上, 超, 未満…) within 10%. The claim's own bound is one-sided but
        reaches only to its figure's next step (「3,000人超」 is borne out by 3,700, not by 4,500): a
        headline that says 「3,000人超」 of 4,500 would have said 「4,000人超」.
        """
        if self.kind == "date" or other.kind == "date":
            return _dates_agree(self.iso, other.iso)
        lo_a, hi_a = self.value, self.high if self.high is not None else self.value
        lo_b, hi_b = other.value, other.high if other.high is not None else other.value
        tol = rel_tol * max(abs(lo_a), abs(lo_b), 1.0)
        if self.qualifier in BOUNDS:
            # The claim's own bound points one way (「210人を突破」 is not borne out by 200人) and
            # reaches to its figure's next step: 「3,000人超」 says 3,700, 「300人近く」 says 269.
            reach = min(max(0.1 * abs(hi_a), rounding_place(hi_a)), abs(hi_a) / 3)
            return _within_bound(self.qualifier, (lo_a, hi_a), (lo_b, hi_b), reach, tol)
        if other.qualifier in BOUNDS:
            # The evidence's bound points one way too: 「少なくとも49人」 is not borne out by 47人.
            reach = 0.1 * max(abs(hi_a), abs(hi_b))
            return _within_bound(other.qualifier, (lo_b, hi_b), (lo_a, hi_a), reach, tol)
        if self.qualifier or other.qualifier:
            tol = max(tol, _approximation(hi_a), _approximation(hi_b))
        return lo_a - tol <= hi_b and lo_b - tol <= hi_a


def _within_bound(
    qualifier: str, bound: tuple[float, float], figure: tuple[float, float], reach: float, tol: float
) -> bool:
    """``figure`` (low, high) lies on the side of ``bound`` its qualifier points to, at most
    ``reach`` beyond it: 「以上」 and the like point up, 「未満」 and the like down."""
    (lo_bound, hi_bound), (lo, hi) = bound, figure
    if qualifier in LOWER_BOUNDS:
        return hi >= lo_bound - tol and lo <= hi_bound + reach + tol
    return lo <= hi_bound + tol and hi >= lo_bound - reach - tol


def _approximation(value: float) -> float:
    """How far an approximate figure may be from the true one: half its last place (「約5万5,000人」
    ±500), but a one-digit figure at most a fifth of itself, so 「約1,000枚」 is not 「約500枚」."""
    place = rounding_place(value)
    return place / 2 if abs(value) >= 10 * place else min(place / 2, abs(value) / 5)


def rounding_place(value: float) -> float:
    """The place a written figure is rounded to: 5億6000万 → 1000万, 2,900 → 100, 5.1 → 0.1, 1523 → 1."""
    if value == 0:
        return 1.0
    for k in range(math.floor(math.log10(abs(value))), -7, -1):
        units = value / 10.0**k
        if abs(units - round(units)) < 1e-9 * abs(units):
            return 10.0**k
    return 10.0**-6


_MEASURE = {"number": "amount", "range": "amount"}
# Units that count positions whether or not 第 is written: 台風14号 and 台風第15号 differ.
_ORDINAL_UNITS = frozenset({"号", "位"})


def _measure_of(q: Quantity) -> str:
    if q.kind == "ordinal" and q.unit in _ORDINAL_UNITS:
        return "amount"
    return _MEASURE.get(q.kind, q.kind)


def _dates_agree(a: str, b: str) -> bool:
    pa, pb = a.split("-"), b.split("-")
    return all(x == y or not x or not y for x, y in zip(pa, pb, strict=False))


def parse_number(text: str) -> float:
    """Value of a Japanese or Arabic numeral with 万/億/兆 and 十/百/千: 9万7千 → 97000."""
    total = 0.0
    section = 0.0
    current: float | None = None
    i = 0
    while i < len(text):
        m = re.match(r"\d+(?:,\d{3})*(?:\.\d+)?", text[i:])
        if m:
            current = float(m.group().replace(",", ""))
            i += m.end()
            continue
        ch = text[i]
        if ch in _KANJI_DIGITS:
            # Consecutive kanji digits are positional (二〇二五 = 2025); after 十/百/千 they start anew.
            digit = _KANJI_DIGITS[ch]
            current = digit if current is None else current * 10 + digit
        elif ch in _SMALL_UNITS:
            section += (current if current is not None else 1) * _SMALL_UNITS[ch]
            current = None
        elif ch in _BIG_UNITS:
            section += current or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, current = 0.0, None
        else:
            raise ValueError(f"not a numeral: {text!r}")
        i += 1
    return total + section + (current or 0)


def _calendar_iso(m: re.Match[str], value: float) -> str:
    """A year or a month on its own is a date, not an amount: 「2007年」 is not compared with
    「2年」 (a duration) but with other dates, and 「11月」 conflicts with 「10月16日」.

    A bare four-digit year counts too (「2013衆院選」, 「2009夏」), and so does a bare count in
    that range (「2000安打」): headlines glue years to names far more often. A month needs 月.
    """
    unit_text = m.group("unit_a")
    whole = value.is_integer()
    if unit_text == "年" and whole and 1000 <= value <= 2199:
        return f"{int(value):04d}--"
    if unit_text == "月" and whole and 1 <= value <= 12:
        return f"-{int(value):02d}-"
    if not unit_text and re.fullmatch(r"(?:19|20)\d\d", m.group("a")) and not m.group("cur") and not m.group("mag"):
        return f"{int(value):04d}--"
    return ""


class _Scan:
    """One pass of ``extract_quantities``: the normalised text, which of its characters a
    quantity took already, and what was found. Recognisers run in order; a later one skips
    what an earlier one took."""

    def __init__(self, text: str, norm: NormalizedText, tokens: Sequence[Token] | None) -> None:
        self.text, self.norm, self.s = text, norm, norm.text
        self.taken = [False] * len(norm.text)
        self.found: list[tuple[int, int, Quantity]] = []
        self._tokens = tokens
        self._numerals: set[int] | None = None

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def add(self, start: int, end: int, **fields: object) -> None:
        o_start, o_end = self.norm.span_to_original(start, end)
        q = Quantity(text=self.text[o_start:o_end], start=o_start, end=o_end, **fields)  # type: ignore[arg-type]
        self.found.append((start, end, q))
        for k in range(start, end):
            self.taken[k] = True

    def add_date(self, start: int, end: int, iso: str) -> None:
        self.add(start, end, value=0.0, unit="date", kind="date", iso=iso)

    def numerals(self) -> set[int]:
        """Offsets the morphological analyser tags as numerals (tokenised only when needed)."""
        if self._numerals is None:
            toks = self._tokens if self._tokens is not None else tokenize(self.text)
            self._numerals = {i for t in toks if t.pos_detail[:1] == _NUMERAL for i in range(t.start, t.end)}
        return self._numerals


def _era_dates(scan: _Scan) -> None:
    for m in _ERA_DATE.finditer(scan.s):
        year = ERAS[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
        month = int(m.group(3)) if m.group(3) else 0
        day = int(m.group(4)) if m.group(4) else 0
        if month <= 12 and day <= 31:
            iso = f"{year:04d}-" + (f"{month:02d}" if month else "") + "-" + (f"{day:02d}" if day else "")
            scan.add_date(m.start(), m.end(), iso)


def _calendar_dates(scan: _Scan) -> None:
    """Dates in digits; 「8月12日から13日」 also gives the second day of the same month."""
    for pattern, fields in _DATE_PATTERNS:
        for m in pattern.finditer(scan.s):
            if not scan.free(m.start(), m.end()):
                continue
            year, month, day = fields(m)
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            iso = _iso(year, month, day)
            scan.add_date(m.start(), m.end(), iso)
            to = _DAY_AFTER.match(scan.s, m.end()) if day is not None else None
            if to and 1 <= int(to.group(1)) <= 31:
                scan.add_date(to.start(1), to.end(), _iso(year, month, int(to.group(1))))


def _bracket_ages(scan: _Scan) -> None:
    for m in _BRACKET_AGE.finditer(scan.s):
        age = int(m.group(1))
        if age <= (9 if m.group(2) else 120):
            scan.add(m.start(1), m.end(2) if m.group(2) else m.end(1), value=float(age), unit="歳")


def _grades(scan: _Scan) -> None:
    for m in _GRADE.finditer(scan.s):
        school = _SCHOOLS[m.group("school") or m.group("short")]
        year = int(m.group("year") or m.group("short_year"))
        if scan.free(m.start(), m.end()) and year >= 1:
            scan.add(m.start(), m.end(), value=float(year), unit=f"{school}年", kind="ordinal")


def _fractions(scan: _Scan) -> None:
    """「3分の2」 is two thirds, not 3 minutes and a bare 2."""
    for m in _FRACTION.finditer(scan.s):
        if scan.free(m.start(), m.end()):
            try:
                value = parse_number(m.group(2)) / parse_number(m.group(1))
            except (ValueError, ZeroDivisionError):
                continue
            scan.add(m.start(), m.end(), value=value, unit="分の", qualifier=m.group(3) or "")


def _race_times(scan: _Scan) -> None:
    for m in _RACE_TIME.finditer(scan.s):
        if scan.free(m.start(), m.end()):
            scan.add(m.start(), m.end(), value=float(f"{m.group(1)}.{m.group(2)}"), unit="秒")


def _part_of_name(s: str, m: re.Match[str]) -> bool:
    """G7, COVID-19, iPhone15, XM7: a figure glued to Latin letters is part of a name."""
    lead = m.start("mag") if m.group("mag") else m.start("a")
    before = s[lead - 1] if lead else ""
    before2 = s[lead - 2] if lead > 1 else ""
    return (before.isascii() and before.isalnum()) or (before in "-_" and before2.isascii() and before2.isalnum())


def _kanji_word(scan: _Scan, m: re.Match[str]) -> bool:
    """一方, 三菱, 千葉: kanji the analyser reads as words, not numbers."""
    a_start, a_end = m.span("a")
    core = scan.s[a_start : m.end("b") if m.group("b") else a_end]
    if not re.search(r"[〇零一二三四五六七八九十百千]", core):
        return False
    kanji = [i for i in range(a_start, a_end) if scan.s[i] in "〇零一二三四五六七八九十百千"]
    return not all(scan.norm.starts[k] in scan.numerals() for k in kanji)


def _unit_of(s: str, m: re.Match[str]) -> str:
    """The normalised unit: a currency sign or M (magnitude) first; 「時速約100キロ」 is 100km, not 100kg."""
    if m.group("cur"):
        return _CURRENCY[m.group("cur")]
    if m.group("mag"):
        return "M"
    unit_text = m.group("unit") or m.group("unit_a")
    unit = UNITS.get(unit_text, unit_text)
    return "km" if unit == "キロ" and s[max(0, m.start() - 2) : m.start()] in _SPEEDS else unit


def _abbreviated_high(m: re.Match[str], value: float, high: float) -> float:
    """「2025~30年」 abbreviates the high end to its last digits: 2030."""
    if high < value and m.group("b").isdigit() and 3 <= len(m.group("a")) > len(m.group("b")):
        step = 10.0 ** len(m.group("b"))
        high += value - value % step + (step if value % step > high else 0)
    return high


def _kind_of(m: re.Match[str], high: float | None) -> str:
    """「71回目」 is 「第71回」: an ordinal."""
    if m.group("since"):
        return "since"
    if high is not None:
        return "range"
    if m.group("prefix") == "第" or (m.group("unit") or m.group("unit_a") or "").endswith("目"):
        return "ordinal"
    return "number"


def _seismic_step(s: str, start: int, q: dict[str, Any]) -> None:
    """A seismic intensity is a step of a scale, 5弱 < 5強 < 6弱, not an approximate 5 or 6."""
    if s[max(0, start - 2) : start] == "震度" and not q["unit"] and q["kind"] == "number" and q["high"] is None:
        q["unit"], q["value"] = "震度", q["value"] + (0.5 if q["qualifier"] == "強" else 0.0)
        q["qualifier"] = "" if q["qualifier"] in ("強", "弱") else q["qualifier"]


def _tenths(s: str, m: re.Match[str], q: dict[str, Any]) -> int:
    """Tenths of a whole, rounded to one: 「4割」 says 35–45%, so 38% bears it out; 「3割2分5厘」
    is 32.5%, its 分 no minutes. Returns where the figure ends."""
    end = m.end()
    if (m.group("unit") or m.group("unit_a")) != "割":
        return end
    q["value"], q["high"] = q["value"] * 10, q["high"] * 10 if q["high"] is not None else None
    finer = _BU.match(s, end) if q["high"] is None and not m.group("suffix") else None
    if finer:
        q["value"] += int(finer.group(1)) + int(finer.group(2) or 0) / 10
        end = finer.end()
    q["qualifier"] = q["qualifier"] or "約"
    return end


def _numbers(scan: _Scan) -> None:
    """Figures with their unit, qualifiers and range; a year or month on its own is a date."""
    s = scan.s
    for m in _number_matches(s, scan.taken):
        if not scan.free(*m.span("a")) or _part_of_name(s, m) or _kanji_word(scan, m):
            continue
        unit = _unit_of(s, m)
        try:
            value = parse_number(m.group("a"))
            high = parse_number(m.group("b")) if m.group("b") else None
        except ValueError:
            continue
        if high is not None:
            high = _abbreviated_high(m, value, high)
        if m.group("b") and m.group("sep") in ("-", "–") and not unit:
            continue  # 3-2 scores, phone numbers: not a range we can read
        kind = _kind_of(m, high)
        start = next(m.start(g) for g in ("prefix", "cur", "mag", "a") if m.group(g) or g == "a")
        # 第 marks an ordinal, not an approximation: 第78回 and 第83回 differ.
        qualifier = (m.group("prefix") if kind != "ordinal" else "") or m.group("suffix") or m.group("odd") or ""
        q: dict[str, Any] = {"value": value, "unit": unit, "kind": kind, "high": high, "qualifier": qualifier}
        _seismic_step(s, start, q)
        end = _tenths(s, m, q)
        iso = _calendar_iso(m, q["value"]) if kind == "number" and not q["qualifier"] else ""
        if iso:
            scan.add_date(start, end, iso)
        else:
            scan.add(start, end, **q)


# What ``extract_quantities`` reads, in order: a recogniser skips characters an earlier one took,
# so dates come before the figures inside them and fractions before 分 as minutes.
_RECOGNISERS: tuple[Callable[[_Scan], None], ...] = (
    _era_dates,
    _calendar_dates,
    _bracket_ages,
    _grades,
    _fractions,
    _race_times,
    _numbers,
)


def extract_quantities(
    text: str, tokens: Sequence[Token] | None = None, normalized: NormalizedText | None = None
) -> list[Quantity]:
    """All quantities in ``text``, in order, with spans into ``text`` as given.

    ``tokens`` (morphemes of ``text``) can be passed when the caller has them already; they are
    only needed when a kanji numeral has to be told apart from a word like 一方 or 三菱;
    ``normalized`` likewise saves normalising twice.
    """
    norm = normalized if normalized is not None and normalized.original is text else normalize(text)
    scan = _Scan(text, norm, tokens)
    for recognise in _RECOGNISERS:
        recognise(scan)
    scan.found.sort(key=lambda item: item[0])
    return _join_compounds([q for _, _, q in scan.found])


def _number_matches(s: str, taken: list[bool]) -> Iterator[re.Match[str]]:
    """The matches of ``_NUMBER``; when a range's low end was read already (as a date:
    「26日から1年間」, 「5月1日~3日間」), its high end is read again on its own, not lost with it."""
    pos = 0
    while (m := _NUMBER.search(s, pos)) is not None:
        yield m
        low_taken = any(taken[m.start("a") : m.end("a")])
        pos = m.start("b") if m.group("b") and low_taken and not any(taken[m.start("b") : m.end("b")]) else m.end()


# A duration in two units is one figure in the larger: 「2年8ヵ月」 is 2.67年, 「5時間30分」 5.5時間.
_COMPOUNDS = {("年", "か月"): 12.0, ("時間", "分"): 60.0}


def _join_compounds(quantities: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    for q in quantities:
        prev = out[-1] if out else None
        per = _COMPOUNDS.get((prev.unit, q.unit)) if prev is not None else None
        if (
            prev is not None
            and per is not None
            and prev.end == q.start
            and prev.kind == "number"
            and prev.text.startswith(prev.qualifier)  # 「約2年」 qualifies the whole, 「2年以上」 ends it
            and q.kind in ("number", "since")
            and q.value < per
        ):
            out[-1] = replace(
                prev,
                text=prev.text + q.text,
                end=q.end,
                value=prev.value + q.value / per,
                kind=q.kind,
                qualifier=prev.qualifier or q.qualifier,
            )
        else:
            out.append(q)
    return out
