"""Negation: the claim negates what the evidence states (「提出せず」 against 「提出した」), or states
what the evidence negates, read from the morphemes (obligations and aspect are no negation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from digestnlp.check.conflicts.base import Conflict, ConflictFamily, Context, Status
from digestnlp.text.morph import Token

NEGATED_IN_CLAIM = "the claim negates {claim} but {the_evidence} states it"
NEGATED_IN_EVIDENCE = "the claim states {claim} but {the_evidence} negates it"

_NEGATION_LEMMAS = frozenset({"ない", "ぬ", "ず", "無い"})


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
    cases = [(lemma, lemma, NEGATED_IN_CLAIM) for lemma in c_neg - e_neg - e_none if lemma in e_lemmas]
    cases += [
        (lemma, f"{lemma} (negated)", NEGATED_IN_EVIDENCE)
        for lemma in e_neg - c_neg - c_none - e_stated
        if lemma in c_lemmas
    ]
    out = []
    for lemma, evidence_text, template in cases:
        tok = c_lemmas[lemma]
        out.append(Conflict("negation", "contradicted", tok.surface, tok.start, tok.end, evidence_text, template))
    return out


class Negation(ConflictFamily):
    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (("negation", "contradicted"),)

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        return _negation_conflicts(claim, evidence, context.claim_tokens, context.evidence_tokens)
