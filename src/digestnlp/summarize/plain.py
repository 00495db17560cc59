"""Rewrite polite sentences into the plain style of learn bullets (「…合意した。」).

Polite endings are rewritten from the morphemes, not with string patterns, because the plain
form depends on the verb's conjugation class: 行きました → 行った, 読みました → 読んだ,
ありません → ない, 考えております → 考えている. A sentence whose polite form cannot be
rewritten is reported so the caller can pick another sentence rather than show a half-polite bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digestnlp.text.morph import Token, tokenize

_GODAN_TA = {
    "く": "いた",
    "ぐ": "いだ",
    "す": "した",
    "つ": "った",
    "る": "った",
    "う": "った",
    "ぬ": "んだ",
    "ぶ": "んだ",
    "む": "んだ",
}
_GODAN_A = {"く": "か", "ぐ": "が", "す": "さ", "つ": "た", "る": "ら", "う": "わ", "ぬ": "な", "ぶ": "ば", "む": "ま"}
FILLERS = re.compile(
    r"^(?:それでは|では|さて|まず|ところで|実は|なお|ちなみに|そして|また|さらに|つまり|要するに)[、,]\s*"
)
_FINAL_PARTICLES = re.compile(r"(?:よね|ね|よ|な|なぁ|わ)(?=[。！!？?]*$)")
POLITE = frozenset({"ます", "です"})


class ConjugationError(ValueError):
    """The verb's conjugation class is not one this rewriter knows."""


@dataclass(frozen=True)
class Rewrite:
    text: str
    plain: bool


def _dictionary(tok: Token) -> str:
    base = tok.base_form or tok.surface
    return "いる" if base == "おる" else base


def ta_form(tok: Token) -> str:
    """Past plain form of a verb or verb-like auxiliary (連用形 surface + た with 音便)."""
    base = _dictionary(tok)
    ctype = tok.conjugation_type
    if ctype.startswith("サ行変格") or base.endswith("する"):
        return base[:-2] + "した"
    if ctype.startswith("カ行変格"):
        return tok.surface + "た"
    if "一段" in ctype or tok.pos == "助動詞" or base == "いる":
        return base[:-1] + "た"
    if ctype.startswith("五段"):
        if base.endswith("く") and (base.endswith(("行く", "いく"))):
            return base[:-1] + "った"
        ending = _GODAN_TA.get(base[-1])
        if ending:
            return base[:-1] + ending
    raise ConjugationError(f"no past form for {tok.surface} ({ctype})")


def nai_form(tok: Token) -> str:
    """Negative plain form: 書かない, 食べない, しない, ない (for ある)."""
    base = _dictionary(tok)
    ctype = tok.conjugation_type
    if base in ("ある", "有る"):
        return "ない"
    if ctype.startswith("サ行変格") or base.endswith("する"):
        return base[:-2] + "しない"
    if ctype.startswith("カ行変格"):
        return "こない"
    if "一段" in ctype or tok.pos == "助動詞" or base == "いる":
        return base[:-1] + "ない"
    if ctype.startswith("五段") and base[-1] in _GODAN_A:
        return base[:-1] + _GODAN_A[base[-1]] + "ない"
    raise ConjugationError(f"no negative form for {tok.surface} ({ctype})")


def to_plain(sentence: str) -> Rewrite:
    """Plain-form version of ``sentence``; ``plain`` is False if a polite form could not be rewritten."""
    tokens = tokenize(sentence)
    out: list[str] = []
    i = 0
    plain = True
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        nxt2 = tokens[i + 2] if i + 2 < len(tokens) else None
        try:
            if tok.lemma == "ます" and tok.pos == "助動詞" and out:
                prev = tokens[i - 1]
                out.pop()
                if nxt is not None and nxt.lemma == "た":
                    out.append(ta_form(prev))
                    i += 2
                    continue
                if nxt is not None and nxt.lemma in ("ず", "ぬ"):
                    negative = nai_form(prev)
                    if (
                        nxt2 is not None
                        and nxt2.lemma == "です"
                        and i + 3 < len(tokens)
                        and tokens[i + 3].lemma == "た"
                    ):
                        out.append(negative[:-1] + "かった")
                        i += 4
                        continue
                    out.append(negative)
                    i += 2
                    continue
                if tok.conjugation_form.startswith(("終止形", "連体形")):
                    out.append(_dictionary(prev))
                    i += 1
                    continue
                raise ConjugationError(f"polite form {tok.surface}{nxt.surface if nxt else ''}")
            if tok.lemma == "です" and tok.pos == "助動詞":
                prev_tok = tokens[i - 1] if i else None
                after_adjective = prev_tok is not None and (
                    prev_tok.pos == "形容詞" or prev_tok.lemma in ("た", "ない")
                )
                if nxt is not None and nxt.lemma == "た":
                    out.append("" if after_adjective else "だった")
                    i += 2
                    continue
                if tok.conjugation_form.startswith("意志推量"):
                    out.append("だろう")
                    i += 1
                    continue
                out.append("" if after_adjective else "だ")
                i += 1
                continue
        except ConjugationError:
            plain = False
            out.append(tok.surface)
            i += 1
            continue
        out.append(tok.surface)
        i += 1
    text = "".join(out)
    text = _FINAL_PARTICLES.sub("", text)
    return Rewrite(text, plain and is_plain(text))


def is_plain(text: str) -> bool:
    """No polite auxiliary (ます/です) anywhere in the sentence."""
    return not any(t.lemma in POLITE and t.pos == "助動詞" for t in tokenize(text))


_PREDICATE_POS = frozenset({"動詞", "形容詞", "助動詞", "形状詞"})
_TOPIC = frozenset({"は", "が", "も"})


def reads_as_sentence(text: str) -> bool:
    """A verb, adjective or auxiliary, a closing verbal noun (「…を制定。」) or a topic or subject
    (「…は最下位の勝ち点21。」): what a heading, a link's text or a citation line
    (「IDGジャパン、2007年12月14日。」) lacks, though each ends in 。 once made a bullet."""
    tokens = [t for t in tokenize(text) if t.pos not in ("補助記号", "空白")]
    if not tokens:
        return False
    return (
        any(t.pos in _PREDICATE_POS or (t.pos == "助詞" and t.surface in _TOPIC) for t in tokens)
        or "サ変可能" in tokens[-1].pos_detail
    )


def strip_fillers(text: str) -> str:
    """Drop discourse openers (それでは、さて、まず、…) that mean nothing out of context."""
    return FILLERS.sub("", text).strip()


def strip_quotes(text: str) -> str:
    """Remove quote marks around the whole sentence and any quote left unbalanced by trimming."""
    t = text.strip()
    if len(t) > 2 and t[0] in "「『" and t.rstrip("。")[-1:] in "」』":
        t = t[1:].replace("」。", "。").replace("』。", "。").rstrip("」』")
    for open_, close in (("「", "」"), ("『", "』"), ("（", "）"), ("(", ")")):
        if t.count(open_) != t.count(close):
            t = t.replace(open_, "").replace(close, "")
    return t


def ensure_period(text: str) -> str:
    text = text.rstrip("、, ")
    return text if text.endswith(("。", "！", "？", "!", "?")) else text + "。"
