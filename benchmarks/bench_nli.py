"""NLIModel.predict against what a user would otherwise run, same model and pairs, one run.

The peers: ``AutoModelForSequenceClassification`` called on batches of 32 pairs in input order
(padded to the longest of each batch), in fp32 and under bf16 autocast (the fair rows), and the
transformers text-classification pipeline at batch 1. Throughput (pairs/second) and JNLI-valid
accuracy of each, so a speed-up can be weighed against accuracy (goal: >= 2.5x the best batched
peer, <= 0.5 points lost). With the ``bench`` extra installed, the same weights exported to ONNX
run under ONNX Runtime in fp32 and with int8 per-channel dynamic quantization. Peak RSS is reported.

The machine's limit for this model: the batch shapes ``NLIModel.predict`` sends (its length
buckets and padding), replayed as bare bf16 kernels on random data — the encoder's matrix products
alone, then with the attention kernel — give the pairs/s a forward pass could reach if everything
else were free; ``native_share`` is the native row's speed as a share of each bound.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from common import peak_rss_mb, print_table, write_result
from digestnlp.check.nli import DEFAULT_NLI_MODEL, NLIModel
from digestnlp.modeling.cache import PAD_MULTIPLE
from digestnlp.modeling.embed import length_buckets
from digestnlp.training.data import LABELS, jnli


def batch_shapes(model: NLIModel, pairs: list[tuple[str, str]], batch_size: int) -> list[tuple[int, int]]:
    """(pairs, padded tokens) of each batch ``model.predict`` runs on ``pairs``."""
    out = []
    for idx in length_buckets([len(p) + len(h) for p, h in pairs], batch_size):
        enc = model.loaded.tokenizer.tensors(
            [pairs[i] for i in idx], max_length=model.max_length, strategy="only_first", pad_to_multiple_of=PAD_MULTIPLE
        )
        out.append(tuple(enc["input_ids"].shape))
    return out


def kernel_seconds(model: NLIModel, shapes: list[tuple[int, int]], *, attention: bool) -> float:
    """Seconds for the native encoder's bf16 matrix products (query, key and value as one) and, if
    ``attention``, its attention kernel at ``shapes``, on random data: the part of a forward pass
    the hardware bounds."""
    import torch

    bert = model.loaded.model.bert
    first = bert.layers[0]
    h, ffn, heads, layers = first.query.in_features, first.ffn_in.out_features, first.heads, len(bert.layers)
    weights = [torch.randn(a, b, dtype=torch.bfloat16) for a, b in ((h, 3 * h), (h, h), (h, ffn), (ffn, h))]
    total = 0.0
    with torch.inference_mode():
        for b, t in shapes:
            x, wide = torch.randn(b * t, h, dtype=torch.bfloat16), torch.randn(b * t, ffn, dtype=torch.bfloat16)
            qkv = torch.randn(3, b, heads, t, h // heads, dtype=torch.bfloat16)
            mask = torch.zeros(b, 1, 1, t, dtype=torch.bfloat16)
            torch.matmul(x, weights[0])  # warm the kernel for this shape
            start = time.perf_counter()
            for _ in range(layers):
                for inp, w in ((x, weights[0]), (x, weights[1]), (x, weights[2]), (wide, weights[3])):
                    torch.matmul(inp, w)
                if attention:
                    torch.nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=mask)
            total += time.perf_counter() - start
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=DEFAULT_NLI_MODEL)
    ap.add_argument("--pairs", type=int, default=2434, help="JNLI valid pairs (2,434 = all)")
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    import torch
    from transformers import pipeline

    data = jnli("valid")[: args.pairs]
    pairs = [(p.premise, p.hypothesis) for p in data]
    gold = np.array([p.label for p in data])

    ours = NLIModel(args.model)
    fp32 = NLIModel(args.model, precision="fp32")
    int8 = NLIModel(args.model, precision="int8")
    hf = NLIModel(args.model, precision="fp32", engine="transformers")
    pipe = pipeline("text-classification", model=hf.loaded.model, tokenizer=hf.loaded.tokenizer, device=-1, top_k=None)
    name_to_ours = {name: LABELS.index(name.lower()) for name in hf.loaded.model.config.id2label.values()}

    def run_pipeline() -> np.ndarray:
        outs = pipe([{"text": p, "text_pair": h} for p, h in pairs], truncation=True)
        probs = np.zeros((len(pairs), 3))
        for i, out in enumerate(outs):
            for item in out:
                probs[i, name_to_ours[item["label"]]] = item["score"]
        return probs

    model, tokenizer = hf.loaded.model, hf.loaded.tokenizer
    to_ours = [name_to_ours[model.config.id2label[i]] for i in range(len(model.config.id2label))]

    def run_batched(bf16: bool) -> np.ndarray:
        probs = np.zeros((len(pairs), 3))
        for start in range(0, len(pairs), args.batch_size):
            chunk = pairs[start : start + args.batch_size]
            enc = tokenizer(
                [p for p, _ in chunk], [h for _, h in chunk], padding=True, truncation=True, return_tensors="pt"
            )
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(**enc).logits
            probs[start : start + len(chunk)][:, to_ours] = torch.softmax(logits.float(), -1).numpy()
        return probs

    def onnx_runs() -> list[tuple[str, Callable[[], np.ndarray]]]:
        """ONNX Runtime on the native model exported to ONNX (fp32, and int8 per-channel dynamic)."""
        try:
            import onnxruntime as ort
            from onnxruntime.quantization import QuantType, quantize_dynamic
        except ImportError:
            print("onnxruntime not installed (pip install -e '.[bench]'): no ONNX rows")
            return []
        net = fp32.loaded.model
        folder = Path(tempfile.mkdtemp())
        dummy = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
        axes = {"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
        torch.onnx.export(
            net, dummy, str(folder / "nli.onnx"), input_names=["ids", "mask"], output_names=["logits"],
            dynamic_axes=axes, opset_version=17, dynamo=False,
        )  # fmt: skip
        quantize_dynamic(folder / "nli.onnx", folder / "nli-int8.onnx", weight_type=QuantType.QInt8, per_channel=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()

        def runner(name: str) -> Callable[[], np.ndarray]:
            session = ort.InferenceSession(str(folder / name), options, providers=["CPUExecutionProvider"])

            def run() -> np.ndarray:
                probs = np.zeros((len(pairs), 3))
                for idx in length_buckets([len(p) + len(h) for p, h in pairs], args.batch_size):
                    enc = fp32.loaded.tokenizer.tensors(
                        [pairs[i] for i in idx], max_length=fp32.max_length, strategy="only_first"
                    )
                    feed = {"ids": enc["input_ids"].numpy(), "mask": enc["attention_mask"].numpy()}
                    logits = torch.from_numpy(session.run(None, feed)[0])
                    probs[idx] = torch.softmax(logits, -1).numpy()[:, np.argsort(fp32.order)]
                return probs

            return run

        return [
            (f"ONNX Runtime (fp32, batch {args.batch_size})", runner("nli.onnx")),
            (f"ONNX Runtime (int8 per-channel dynamic, batch {args.batch_size})", runner("nli-int8.onnx")),
        ]

    peers = (
        f"transformers AutoModel (fp32, batch {args.batch_size})",
        f"transformers AutoModel (bf16 autocast, batch {args.batch_size})",
    )
    rows = []
    results = {}
    for name, fn in (
        ("transformers pipeline (fp32, batch 1)", run_pipeline),
        (peers[0], lambda: run_batched(False)),
        (peers[1], lambda: run_batched(True)),
        (
            f"NLIModel.predict ({ours.engine}, {ours.precision}, batch {args.batch_size})",
            lambda: ours.predict(pairs, batch_size=args.batch_size),
        ),
        (
            f"NLIModel.predict ({fp32.engine}, fp32, batch {args.batch_size})",
            lambda: fp32.predict(pairs, batch_size=args.batch_size),
        ),
        (
            f"NLIModel.predict ({int8.engine}, int8 dynamic, batch {args.batch_size})",
            lambda: int8.predict(pairs, batch_size=args.batch_size),
        ),
        (
            f"NLIModel.predict (transformers, fp32, batch {args.batch_size})",
            lambda: hf.predict(pairs, batch_size=args.batch_size),
        ),
        *onnx_runs(),
    ):
        with torch.inference_mode():
            start = time.perf_counter()
            probs = fn()
            seconds = time.perf_counter() - start
        acc = float((probs.argmax(axis=1) == gold).mean())
        results[name] = seconds
        rows.append({"engine": name, "seconds": seconds, "pairs_per_s": len(pairs) / seconds, "jnli_valid_acc": acc})
    # Against the best batched peer (the fastest of the two fair rows), accuracy against fp32.
    base = min((r for r in rows if r["engine"] in peers), key=lambda r: r["seconds"])
    fp32_peer = next(r for r in rows if r["engine"] == peers[0])
    for r in rows:
        r["speedup_vs_best_peer"] = base["seconds"] / r["seconds"]
        r["acc_delta_points"] = 100 * (r["jnli_valid_acc"] - fp32_peer["jnli_valid_acc"])
    print_table(rows)
    shapes = batch_shapes(ours, pairs, args.batch_size)
    native = next(r for r in rows if r["engine"].startswith(f"NLIModel.predict ({ours.engine}, {ours.precision}"))
    limit = []
    for name, attention in (("matrix products", False), ("matrix products + attention kernel", True)):
        seconds = kernel_seconds(ours, shapes, attention=attention)
        limit.append(
            {
                "bound": f"bf16 {name} alone",
                "seconds": seconds,
                "pairs_per_s": len(pairs) / seconds,
                "native_share": seconds / native["seconds"],
            }
        )
    print(f"\nthe machine's limit at the shapes NLIModel.predict runs ({len(shapes)} batches):")
    print_table(limit)
    print(f"pairs={len(pairs)} peak RSS {peak_rss_mb():.0f} MB")
    path = write_result(
        "bench_nli",
        {
            "model": args.model,
            "pairs": len(pairs),
            "rows": rows,
            "peak_rss_mb": peak_rss_mb(),
            "best_peer": base["engine"],
            "machine_limit": limit,
            "goals": {"speedup_vs_best_peer": ">= 2.5", "acc_delta_points": ">= -0.5"},
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
