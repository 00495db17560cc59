"""Rebuild an XLM-R-compatible SentencePiece unigram model from the e5 file's vocabulary.

The e5 file stores pieces in Hugging Face XLM-R id order plus a flattened normalisation table.
SentencePiece stores them in fairseq order (``<unk>``, ``<s>``, ``</s>``, then the pieces, with
``<pad>`` and ``<mask>`` added by the tokenizer), and wants the normalisation compiled into a
``precompiled_charsmap``. We let SentencePiece's own builder compile the table (via a throwaway
training run on a tiny corpus) instead of re-implementing its double-array trie.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from digestnlp.errors import ModelFormatError
from digestnlp.modeling.e5q4 import E5File


def compile_charsmap(rules: dict[int, tuple[int, ...]]) -> bytes:
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp, "rules.tsv")
        tsv.write_text(
            "".join(f"{src:X}\t{' '.join(f'{c:X}' for c in dst)}\n" for src, dst in sorted(rules.items())),
            encoding="ascii",
        )
        corpus = Path(tmp, "corpus.txt")
        corpus.write_text("digestnlp charsmap\n" * 8, encoding="utf-8")
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_writer=buf,
            vocab_size=20,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tsv),
            model_type="unigram",
            minloglevel=2,
        )
    proto = pb.ModelProto()
    proto.ParseFromString(buf.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_sentencepiece_model(e5: E5File) -> bytes:
    """Serialise a unigram ``ModelProto`` whose ids, shifted by one, equal the file's ids."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    vocab = e5.vocab
    expected = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece, idx in expected.items():
        if vocab.pieces[idx] != piece:
            raise ModelFormatError(f"vocabulary id {idx} is {vocab.pieces[idx]!r}, expected {piece!r}")
    if vocab.pieces[-1] != "<mask>":
        raise ModelFormatError("the last vocabulary piece must be <mask>")

    proto = pb.ModelProto()
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    proto.trainer_spec.vocab_size = len(vocab.pieces) - 2
    proto.trainer_spec.unk_id = 0
    proto.trainer_spec.bos_id = 1
    proto.trainer_spec.eos_id = 2
    proto.trainer_spec.pad_id = -1
    proto.normalizer_spec.name = "e5_table"
    proto.normalizer_spec.precompiled_charsmap = compile_charsmap(e5.normalization)
    proto.normalizer_spec.add_dummy_prefix = True
    proto.normalizer_spec.remove_extra_whitespaces = True
    proto.normalizer_spec.escape_whitespaces = True
    for piece, kind in (
        ("<unk>", pb.ModelProto.SentencePiece.UNKNOWN),
        ("<s>", pb.ModelProto.SentencePiece.CONTROL),
        ("</s>", pb.ModelProto.SentencePiece.CONTROL),
    ):
        proto.pieces.add(piece=piece, score=0.0, type=kind)
    for piece, score in zip(vocab.pieces[4:-1], vocab.scores[4:-1], strict=True):
        proto.pieces.add(piece=piece, score=float(score), type=pb.ModelProto.SentencePiece.NORMAL)
    return bytes(proto.SerializeToString())
