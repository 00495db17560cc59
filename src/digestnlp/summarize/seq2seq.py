"""Abstractive learn bullets from any ``AutoModelForSeq2SeqLM`` checkpoint (mT5, T5, BART).

Long bodies are cut into sentence-aligned chunks that fit the encoder window; each chunk is
summarised, the outputs are split into sentences, rewritten into plain bullet style, and each
bullet is linked to the body sentences it overlaps most (its sources).
"""

from __future__ import annotations

from digestnlp.article import Article, TextSpan
from digestnlp.article.parser import is_commentary
from digestnlp.modeling.loading import load_model
from digestnlp.summarize.base import DEFAULT_MAX_CHARS, Bullet, compress
from digestnlp.text.normalize import char_bigrams
from digestnlp.text.sentences import pack, split_sentences


class Seq2SeqBackend:
    def __init__(
        self,
        spec: str,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        prefix: str = "",
        max_new_tokens: int = 64,
        num_beams: int = 2,
        device: str | None = None,
        trust_remote_code: bool = False,
    ) -> None:
        self.loaded = load_model(spec, task="seq2seq", device=device, trust_remote_code=trust_remote_code)
        self.max_chars = max_chars
        self.prefix = prefix
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        limit = getattr(self.loaded.tokenizer, "model_max_length", 512) or 512
        self.max_input_tokens = int(min(limit, 512))

    def sources(self, article: Article) -> list[TextSpan]:
        out = []
        for para in article.body:
            for s in split_sentences(para.text):
                if not is_commentary(s.text):
                    out.append(TextSpan(s.text, para.start + s.start, para.start + s.end))
        return out

    def chunks(self, sentences: list[TextSpan]) -> list[str]:
        """Whole sentences packed into windows of the encoder's length (a longer sentence is its own chunk)."""
        tok = self.loaded.tokenizer
        budget = self.max_input_tokens - len(tok(self.prefix, add_special_tokens=True)["input_ids"])
        lengths = [len(tok(s.text, add_special_tokens=False)["input_ids"]) for s in sentences]
        return ["".join(sentences[i].text for i in run) for run in pack(lengths, budget)]

    def generate(self, texts: list[str]) -> list[str]:
        import torch

        tok = self.loaded.tokenizer
        enc = tok(
            [self.prefix + t for t in texts],
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=self.max_input_tokens,
        ).to(self.loaded.device)
        with torch.inference_mode():
            ids = self.loaded.model.generate(**enc, max_new_tokens=self.max_new_tokens, num_beams=self.num_beams)
        return [str(t) for t in tok.batch_decode(ids, skip_special_tokens=True)]

    def candidates(self, article: Article, n: int) -> list[Bullet]:
        sources = self.sources(article)
        if not sources:
            return []
        out: list[Bullet] = []
        seen: set[str] = set()
        for summary in self.generate(self.chunks(sources)):
            for sent in split_sentences(summary):
                variants = compress(sent.text, self.max_chars)
                text = variants[0][0] if variants else None
                if text is None or text in seen:
                    continue
                seen.add(text)
                grams = char_bigrams(text)
                ranked = sorted(sources, key=lambda s: -len(grams & char_bigrams(s.text)) / (len(grams) or 1))
                out.append(Bullet(text, ranked[:2]))
        return out
