"""Consistency of a claim with its evidence: NLI (SummaC-style), similarity and explicit conflicts.

For each hypothesis sentence, support is the best ``P(entail) − P(contradict)`` over premise
chunks (chunks are whole sentences packed to at most ``CHUNK_TOKENS``; a sentence longer than
that is cut into overlapping pieces, never truncated silently). The claim's support is its
weakest sentence. On a long premise each sentence is scored against the units that overlap it
most (``max_chunks``, ``max_pieces``), which bounds the work per claim; sentences and clauses are
scored only for claim sentences no chunk clearly supports (``refine_below``). The pairs of a
batch of checks go to the model together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from digestnlp.check.calibration import CORE_FEATURES, UNCALIBRATED, Calibrator
from digestnlp.check.conflicts import (
    Conflict,
    Context,
    conflict_features,
    dateline_years,
    feature_names,
    find_conflicts,
)
from digestnlp.check.nli import DEFAULT_NLI_MODEL, NLIModel
from digestnlp.errors import InputError, ModelFormatError
from digestnlp.text.morph import Token, content_words, tokenize
from digestnlp.text.normalize import char_bigrams
from digestnlp.text.sentences import pack, split_clauses, split_sentences

CALIBRATION_FILE = "calibration.json"
# A page's support for one of its 💡 bullets reads differently from a card's bullets' support for
# a headline (a long premise, a one-sentence claim, no topical doubt), so it has its own fit, used
# for evidence of the kind "text" (``judge(evidence="text")``).
BODY_CALIBRATION_FILE = "calibration-body.json"
# What a claim is checked against: a card's bullets, or a page's or article's text.
Evidence = Literal["card", "text"]
SIMILARITY_CHARS = 200
# A premise chunk holds at most this many tokens, the length of the passages the NLI model was
# trained on (a learn bullet's body window of 240 characters, median 134 tokens; 200-character
# news leads), not the 256 its window would take: on the calibration articles, learn-bullet AUROC
# 0.943 at 256, 0.954 at 112, 0.956 at 144, card AUROCs within 0.01 (``eval_cards.py --chunk-tokens``).
CHUNK_TOKENS = 144


@dataclass(frozen=True, slots=True)
class Chunk:
    """A window of the premise: ``premise[start:end]``; ``cut`` when a long sentence was divided."""

    text: str
    start: int
    end: int
    cut: bool = False


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    """How one hypothesis sentence fares: the chunk that supports it best and the one that most
    contradicts it; ``contradicting_piece`` is the most contradicting sentence or clause, when the
    finer units were scored (a packed chunk cannot say which of its sentences is at fault)."""

    sentence: str
    support: float
    entailment: float
    contradiction: float
    best_chunk: Chunk
    contradicting_chunk: Chunk
    max_contradiction: float
    contradicting_piece: Chunk | None = None
    piece_contradiction: float = 0.0


@dataclass
class ConsistencyResult:
    """``score`` in [0, 1] (1 = consistent) from the raw SummaC support in [-1, 1].

    ``chunks`` lists every unit the premise was split into; each sentence's evidence points at the
    units it was actually scored against.
    """

    score: float
    support: float
    sentences: list[SentenceEvidence]
    chunks: list[Chunk]

    @property
    def weakest(self) -> SentenceEvidence | None:
        return min(self.sentences, key=lambda s: s.support) if self.sentences else None


@dataclass
class Verdict:
    """A calibrated judgement of a claim against its evidence, with the reasons."""

    claim: str
    score: float
    verdict: str
    explanation: str
    conflicts: list[Conflict] = field(default_factory=list)
    consistency: ConsistencyResult | None = None
    similarity: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    calibrated: bool = True


def validate_pairs(items: Sequence[tuple[str, str]]) -> None:
    """``items`` must be (premise, claim) pairs of non-empty text: an empty premise supports
    nothing and an empty claim says nothing, so neither gets a score."""
    if isinstance(items, str | bytes):
        raise TypeError("pass a list of (premise, claim) pairs, not one string")
    for k, item in enumerate(items):
        if not (isinstance(item, tuple | list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise TypeError(f"item {k} is {type(item).__name__} {str(item)[:40]!r}; pass (premise, claim) pairs of str")
        if not item[0].strip():
            raise InputError(f"item {k} has an empty premise: nothing can support its claim; leave it out")
        if not item[1].strip():
            raise InputError(f"item {k} has an empty claim: there is nothing to check; leave it out")


def chunk_premise(premise: str, budget: int, token_length: Callable[[str], int]) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``budget`` tokens; cut longer sentences with overlap."""
    sents = split_sentences(premise)
    chunks: list[Chunk] = []
    lengths = [token_length(s.text) for s in sents]
    for run in pack(lengths, budget):
        first, last = sents[run[0]], sents[run[-1]]
        if len(run) == 1 and lengths[run[0]] > budget:
            chunks.extend(_cut_sentence(premise, first.start, first.end, budget, token_length))
        else:
            chunks.append(Chunk(premise[first.start : last.end], first.start, last.end))
    return chunks


def premise_units(premise: str, budget: int, token_length: Callable[[str], int]) -> tuple[list[Chunk], list[Chunk]]:
    """Packed chunks, and the sentences and clauses of a multi-part premise (SummaC granularities).

    A claim is often supported by one clause of one sentence; a chunk mixes it with other
    statements (a 「…ではない」 elsewhere can read as a contradiction), so a claim no chunk
    supports is also scored against the finer units.
    """
    chunks = chunk_premise(premise, budget, token_length)
    seen = {(c.start, c.end) for c in chunks}
    pieces = []
    for sent in split_sentences(premise):
        for part in [sent, *split_clauses(sent)]:
            if (part.start, part.end) not in seen and token_length(part.text) <= budget:
                seen.add((part.start, part.end))
                pieces.append(Chunk(part.text, part.start, part.end))
    return chunks, pieces


def top_units(claim: str, units: Sequence[Chunk], k: int) -> list[Chunk]:
    """The ``k`` units most likely to bear on ``claim`` (most overlapping), in premise order.

    A unit that shares no characters with a claim can neither entail nor contradict it, so ranking
    by character-bigram overlap keeps the model's work per claim bounded on long bodies.
    """
    if len(units) <= k:
        return list(units)
    want = char_bigrams(claim) or {claim}
    ranked = sorted(range(len(units)), key=lambda i: (-len(want & char_bigrams(units[i].text)), i))
    return [units[i] for i in sorted(ranked[:k])]


def _cut_sentence(text: str, start: int, end: int, budget: int, token_length: Callable[[str], int]) -> list[Chunk]:
    """Character windows that fit ``budget`` tokens, overlapping by a quarter."""
    out = []
    pos = start
    while pos < end:
        hi = end
        while hi > pos + 1 and token_length(text[pos:hi]) > budget:
            hi = pos + max(1, (hi - pos) * 3 // 4)
        out.append(Chunk(text[pos:hi], pos, hi, cut=True))
        if hi >= end:
            break
        pos = max(pos + 1, hi - (hi - pos) // 4)
    return out


class ConsistencyChecker:
    """Loads the NLI model, encoder and calibrations once; checks many claims per model call.

    Each claim sentence is scored against the ``max_chunks`` premise chunks that overlap it most
    (one), and one no chunk supports also against its ``max_pieces`` most overlapping sentences or
    clauses (one). More units per sentence cost time for little: on the calibration articles a
    second chunk changed the learn-bullet AUROC by 0.0004, four pieces instead of two raised the card
    AUROCs by at most 0.002, and one piece scores the written cards as two do (AUROCs within 0.006;
    worst kind 0.579 with one, 0.573 with two) and learn bullets at 0.953 against 0.956 (``eval_cards.py
    --max-chunks/--max-pieces``), for 7–16% less time per dev-page audit (both settings auditing the
    dev pages in one process, alternated).
    ``chunk_tokens`` caps a chunk's length (``None``: whatever fits beside the claim in the model's
    window).

    ``calibration`` scores claims against cards' bullets (``judge(evidence="card")``);
    ``body_calibration`` scores claims against a page's or article's text (``judge(evidence="text")``:
    a learn bullet and any bullet written to be one). Unset, each is read from beside the model
    (``calibration.json``, ``calibration-body.json``); a model without a body calibration scores
    text with the first.
    """

    def __init__(
        self,
        model: str | NLIModel = DEFAULT_NLI_MODEL,
        *,
        calibration: Calibrator | str | Path | None = None,
        body_calibration: Calibrator | str | Path | None = None,
        batch_size: int = 32,
        similarity_model: str = "e5-small",
        max_chunks: int = 1,
        max_pieces: int = 1,
        refine_below: float = 0.5,
        chunk_tokens: int | None = CHUNK_TOKENS,
    ) -> None:
        self.nli = model if isinstance(model, NLIModel) else NLIModel(model)
        self.batch_size = batch_size
        self.max_chunks = max_chunks
        self.max_pieces = max_pieces
        self.chunk_tokens = chunk_tokens
        self.refine_below = refine_below
        self.similarity_model = similarity_model
        self.calibrator = self._calibration(calibration, CALIBRATION_FILE) or UNCALIBRATED
        self.body_calibrator = self._calibration(body_calibration, BODY_CALIBRATION_FILE) or self.calibrator

    def _calibration(self, given: Calibrator | str | Path | None, name: str) -> Calibrator | None:
        """``given``, or the file ``name`` beside the model (in its folder, or the bundled model's)."""
        from digestnlp.modeling.loading import bundled_models_dir

        if isinstance(given, Calibrator):
            cal: Calibrator | None = given
        elif given is not None:
            cal = Calibrator.from_json(Path(given))
        else:
            source = Path(self.nli.loaded.source)
            folder = source if source.is_dir() else bundled_models_dir() / self.nli.loaded.source
            path = folder / name
            cal = Calibrator.from_json(path) if path.is_file() else None
        # What a calibration may name: the features ``features`` computes.
        known = {*CORE_FEATURES, *feature_names()}
        unknown = [f for f in cal.features if f not in known] if cal is not None else []
        if unknown:
            raise ModelFormatError(
                f"the {name} calibration names features this version does not compute ({', '.join(unknown)}); "
                "refit it with digestnlp calibrate"
            )
        return cal

    @property
    def calibrated(self) -> bool:
        return self.calibrator is not UNCALIBRATED

    def consistency(
        self, items: Sequence[tuple[str, str]], *, show_progress_bar: bool = False
    ) -> list[ConsistencyResult]:
        """SummaC-style support for each ``(premise, hypothesis)``, batched over all items.

        Each claim sentence is scored against its chunks first; only a sentence no chunk clearly
        supports (support below ``refine_below``) is also scored against sentences and clauses,
        which is where finer units change the answer. Identical pairs are scored once.
        """
        validate_pairs(items)
        plans = []
        # One body is often checked against many claims: split and measure it once.
        units: dict[tuple[str, int], tuple[list[Chunk], list[Chunk]]] = {}
        for premise, hypothesis in items:
            hyps = [s.text for s in split_sentences(hypothesis)] or ([hypothesis.strip()] if hypothesis.strip() else [])
            longest = max((self.nli.token_length(h) for h in hyps), default=0)
            budget = max(32, self.nli.max_length - longest - 4)
            if self.chunk_tokens is not None:
                budget = min(budget, self.chunk_tokens)
            if (premise, budget) not in units:
                units[premise, budget] = premise_units(premise, budget, self.nli.token_length)
            chunks, pieces = units[premise, budget]
            plan = [
                (
                    h,
                    top_units(h, chunks, self.max_chunks) or [Chunk("", 0, 0)],
                    top_units(h, pieces, self.max_pieces),
                )
                for h in hyps
            ]
            plans.append((plan, chunks + pieces or [Chunk("", 0, 0)]))
        probs: dict[tuple[str, str], np.ndarray] = {}

        def score(pairs: list[tuple[str, str]]) -> None:
            todo = list(dict.fromkeys(p for p in pairs if p not in probs))
            out = self.nli.predict(todo, batch_size=self.batch_size, show_progress_bar=show_progress_bar)
            probs.update(zip(todo, out, strict=True))

        def support(unit: Chunk, h: str) -> float:
            p = probs[unit.text, h]
            return float(p[0] - p[2])

        score([(c.text, h) for plan, _ in plans for h, cs, _ in plan for c in cs])
        refine = {
            (c.text, h)
            for plan, _ in plans
            for h, cs, ps in plan
            if max(support(c, h) for c in cs) < self.refine_below
            for c in ps
        }
        score(sorted(refine))
        results = []
        for plan, all_units in plans:
            evidence = []
            for h, cs, ps in plan:
                chosen = cs + [c for c in ps if (c.text, h) in refine]
                block = np.stack([probs[c.text, h] for c in chosen])
                sup = block[:, 0] - block[:, 2]
                best, worst = int(sup.argmax()), int(block[:, 2].argmax())
                piece = max(range(len(cs), len(chosen)), key=lambda k: block[k, 2], default=None)
                evidence.append(
                    SentenceEvidence(
                        sentence=h,
                        support=float(sup[best]),
                        entailment=float(block[best, 0]),
                        contradiction=float(block[best, 2]),
                        best_chunk=chosen[best],
                        contradicting_chunk=chosen[worst],
                        max_contradiction=float(block[worst, 2]),
                        contradicting_piece=None if piece is None else chosen[piece],
                        piece_contradiction=0.0 if piece is None else float(block[piece, 2]),
                    )
                )
            raw = min((e.support for e in evidence), default=-1.0)
            results.append(ConsistencyResult(score=(raw + 1) / 2, support=raw, sentences=evidence, chunks=all_units))
        return results

    def similarity(self, items: Sequence[tuple[str, str]]) -> np.ndarray:
        from digestnlp.modeling.embed import embed

        if not items:
            return np.zeros(0, dtype=np.float32)
        q = embed([h for _, h in items], kind="query", model=self.similarity_model)
        premises = list(dict.fromkeys(p for p, _ in items))
        row = {text: k for k, text in enumerate(premises)}
        # The topic shows in the opening; embedding whole premises would cost as much as the NLI.
        p = embed([t[:SIMILARITY_CHARS] for t in premises], kind="passage", model=self.similarity_model)
        return np.asarray((q * p[[row[t] for t, _ in items]]).sum(axis=1))

    def features(
        self,
        premise: str,
        hypothesis: str,
        result: ConsistencyResult,
        similarity: float,
        conflicts: Sequence[Conflict],
        claim_tokens: list[Token],
        evidence_tokens: list[Token],
    ) -> dict[str, float]:
        weakest = result.weakest
        context = Context(claim_tokens, evidence_tokens)
        return {
            "support": result.support,
            "max_contradiction": weakest.max_contradiction if weakest else 0.0,
            "similarity": similarity,
            "overlap": lexical_overlap(hypothesis, premise, claim_tokens, evidence_tokens),
            **conflict_features(conflicts, hypothesis, premise, context),
        }

    def judge(
        self,
        items: Sequence[tuple[str, str]],
        *,
        published: Sequence[dt.date | None] | None = None,
        evidence: Evidence = "card",
        evidence_name: str = "evidence",
        show_progress_bar: bool = False,
    ) -> list[Verdict]:
        """Calibrated verdicts for ``(premise, claim)`` items, batched.

        ``published`` gives each premise's date when known (a card's 公開日),
        against which a claim's year the premise never states is checked; the model reads the
        claim without the years that date bears out. ``evidence`` says what the premises are, which
        picks the calibration: ``"card"``, a card's bullets against its headline; ``"text"``, a
        page's or article's text against a sentence written from it. ``evidence_name`` names the
        evidence in the explanations only.
        """
        if evidence not in get_args(Evidence):
            raise ValueError(f"evidence must be 'card' or 'text', not {evidence!r}")
        validate_pairs(items)
        dates = list(published) if published is not None else [None] * len(items)
        if len(dates) != len(items):
            raise ValueError(f"published has {len(dates)} dates for {len(items)} items; give one per item (or None)")
        tokens: dict[str, list[Token]] = {}
        for text in (t for pair in items for t in pair):
            if text not in tokens:
                tokens[text] = tokenize(text)
        # The NLI reads a claim without the years its 公開日 bears out (``dateline_years``); the
        # conflicts still see them.
        spans = [
            dateline_years(claim, premise, date, tokens[claim])
            for (premise, claim), date in zip(items, dates, strict=True)
        ]
        nli_items = [(premise, _cut(claim, cut)) for (premise, claim), cut in zip(items, spans, strict=True)]
        results = self.consistency(nli_items, show_progress_bar=show_progress_bar)
        sims = self.similarity(items)
        calibrator = self.body_calibrator if evidence == "text" else self.calibrator
        verdicts = []
        for (premise, claim), (_, read), result, sim, date in zip(items, nli_items, results, sims, dates, strict=True):
            conflicts = find_conflicts(claim, premise, tokens[claim], tokens[premise], published=date)
            feats = self.features(premise, claim, result, float(sim), conflicts, tokens[claim], tokens[premise])
            row = np.array([feats[f] for f in calibrator.features])
            p = float(calibrator.probability(row)[0])
            verdict = calibrator.verdict(p)
            pulls = calibrator.contributions(row)
            lowest = min(pulls, key=lambda name: pulls[name])
            verdicts.append(
                Verdict(
                    claim=claim,
                    score=p,
                    verdict=verdict,
                    explanation=explain(
                        verdict,
                        p,
                        result,
                        float(sim),
                        conflicts,
                        evidence_name,
                        overlap=feats["overlap"],
                        against=(lowest, feats[lowest]) if pulls[lowest] < 0 else None,
                        evidence=premise,
                        # Every year cut is the 公開日's.
                        undated=f"its year {date.year}, which the 公開日 {date} bears out"
                        if date and read != claim
                        else "",
                    ),
                    conflicts=conflicts,
                    consistency=result,
                    similarity=float(sim),
                    features=feats,
                    calibrated=self.calibrated,
                )
            )
        return verdicts


def _cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without ``spans``; unchanged when nothing worth reading would be left."""
    if not spans:
        return text
    kept: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        kept.append(text[pos:start])
        pos = max(pos, end)
    rest = "".join(kept) + text[pos:]
    return rest if any(ch.isalnum() for ch in rest) else text


def lexical_overlap(
    claim: str, evidence: str, claim_tokens: list[Token] | None = None, evidence_tokens: list[Token] | None = None
) -> float:
    """Share of the claim's content-word lemmas that occur in the evidence."""
    words = {t.lemma for t in content_words(claim_tokens if claim_tokens is not None else tokenize(claim))}
    if not words:
        return 1.0
    ev = {t.lemma for t in (evidence_tokens if evidence_tokens is not None else tokenize(evidence))}
    return len(words & ev) / len(words)


# How contradicting a single sentence or clause must read before the explanation names it as the
# one at fault (with no contradicted figure or name to point there).
CULPRIT_CONTRADICTION = 0.5


def culprit(evidence: str, conflicts: Sequence[Conflict], weak: SentenceEvidence | None) -> str | None:
    """The line of ``evidence`` (a card's bullet; a sentence of a one-line text) that carries the
    error: where a contradicted figure's rival stands, else the sentence or clause the model reads
    as contradicting the claim most."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", evidence)]
    if len(lines) < 2:
        lines = [(t.start, t.end) for t in split_sentences(evidence)]
    at = next((c.evidence_spans[0][0] for c in conflicts if c.status == "contradicted" and c.evidence_spans), None)
    piece = weak.contradicting_piece if weak is not None else None
    if at is None and piece is not None and weak is not None and weak.piece_contradiction >= CULPRIT_CONTRADICTION:
        at = piece.start
    if at is None:
        return None
    return next((evidence[a:b].strip() for a, b in lines if a <= at < b), None)


def closest_sentence(chunk: Chunk, claim: str) -> str:
    """The sentence of a packed ``chunk`` that shares most with ``claim``: the model read the whole
    chunk, but its opening may be about something else, and a reader checks the sentence it matched."""
    sentences = [Chunk(s.text, s.start, s.end) for s in split_sentences(chunk.text)]
    return top_units(claim, sentences, 1)[0].text if sentences else chunk.text


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"「{text[:limit]}…」" if len(text) > limit else f"「{text}」"


def _signal(against: tuple[str, float] | None, evidence_name: str) -> str:
    """A feature as a reader would name it, with its verb: 「the share of the claim's words in the
    body (56%) weighs」."""
    if against is None:
        return "the signals below weigh"
    name, value = against
    named = {
        "overlap": f"the share of the claim's words in the {evidence_name} ({value:.0%}) weighs",
        "similarity": f"the topical similarity ({value:.2f}) weighs",
        "max_contradiction": f"the most contradicting passage (P(contradict) {value:.2f}) weighs",
        "support": f"the claim's support ({value:.2f}) weighs",
    }
    return named.get(name, f"the {name.split('_')[0]} conflicts below weigh")


def explain(
    verdict: str,
    p: float,
    result: ConsistencyResult,
    similarity: float,
    conflicts: Sequence[Conflict],
    evidence_name: str,
    *,
    overlap: float,
    undated: str = "",
    evidence: str = "",
    against: tuple[str, float] | None = None,
) -> str:
    """One paragraph a reader can check: the best support, any contradiction, similarity, each conflict.

    ``undated`` names what the model read the claim without (its years the 公開日 bears out). Given
    the ``evidence`` text, a contradicted figure's message quotes the sentence its rival is in.
    ``against`` is the feature that pulls the calibrated score down most, with its value: what
    explains a claim the model reads as entailed yet the score flags.

    A claim the model reads as entailed can still score low when few of its words are in the
    evidence (a paraphrase the model may be fooled by); the paragraph then says so, so an entailed
    yet flagged claim is not left unexplained.
    """
    parts = [f"{verdict} (score {p:.2f})."]
    weak = result.weakest
    if verdict != "consistent" and evidence:
        line = culprit(evidence, conflicts, weak)
        if line is not None:
            unit = "bullet" if evidence_name == "bullets" else "sentence"
            parts.append(f"The {unit} at odds with the claim: {_quote(line, 80)}.")
    if weak is not None:
        best = _quote(closest_sentence(weak.best_chunk, weak.sentence))
        if weak.entailment >= 0.5:
            parts.append(
                f"{best} in the {evidence_name} entails {_quote(weak.sentence)} (P(entail) {weak.entailment:.2f})."
            )
            if verdict != "consistent":
                parts.append(
                    f"Yet only {overlap:.0%} of the claim's words are in the {evidence_name}, which the"
                    " calibrated score weighs as well."
                    if overlap < 0.5
                    else f"Yet {_signal(against, evidence_name)} against it in the calibrated score."
                )
        elif verdict == "consistent":
            parts.append(
                f"The score rests on topic and shared words: no single part of the {evidence_name} entails "
                f"{_quote(weak.sentence)} on its own (best P(entail) {weak.entailment:.2f}, in {best})."
            )
        else:
            parts.append(
                f"No part of the {evidence_name} clearly entails {_quote(weak.sentence)} "
                f"(best P(entail) {weak.entailment:.2f}, in {best})."
            )
        if weak.max_contradiction >= 0.5:
            parts.append(
                f"{_quote(closest_sentence(weak.contradicting_chunk, weak.sentence))} reads as contradicting it "
                f"(P(contradict) {weak.max_contradiction:.2f})."
            )
    if undated:
        parts.append(f"The model read the claim without {undated}.")
    if similarity < 0.8:
        parts.append(f"Topical similarity is low ({similarity:.2f}): the {evidence_name} may be about something else.")
    else:
        parts.append(f"Topical similarity is high ({similarity:.2f}).")
    sentences = split_sentences(evidence) if any(c.evidence_spans for c in conflicts) else []
    for c in conflicts:
        message = c.describe(evidence_name)
        message = message[:1].upper() + message[1:]  # not str.capitalize, which lowercases 「E955」
        where = [t for t in sentences if c.evidence_spans and t.start <= c.evidence_spans[0][0] < t.end]
        parts.append(f"{message} (in {_quote(where[0].text)})." if where else message + ".")
    return " ".join(parts)
