"""uv run bench/train_speed.py [--steps 6] [--warmup 2] [--rows 64] [--out bench/results/train_speed.json]

Side by side, in one run, on the same rows and LoRA settings (rank 16, last 16 layers, batch 4):
  1. matmul: float32 1024x1024 GFLOP/s with MLX's bundled reference BLAS and with OpenBLAS preloaded;
  2. training tokens/s, counting EVERY token processed (prompt + completion, padding excluded):
     - plain:     `mlx_lm.lora` as shipped on Linux: 4-bit weights, reference BLAS, its own loss;
     - mlx_fast:  the same mlx-lm trainer with our fast path (OpenBLAS, float32 weights);
     - smolcall:  our trainer (fast path + logits only at supervised positions + tighter padding).
Each variant runs in its own process (the BLAS choice is made before MLX loads). Results go to a
JSON file and a Markdown table that the README quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("plain", "mlx_fast", "smolcall")
LORA = {"num_layers": 16, "lora_rank": 16, "batch_size": 4}


def worker_matmul() -> dict:
    import smolcall  # noqa: F401
    from smolcall.backend import format_backend, matmul_gflops

    return {"gflops": matmul_gflops(1024, 10), "backend": format_backend()}


def worker_train(variant: str, steps: int, warmup: int, rows: int, data: str) -> dict:
    import smolcall  # noqa: F401
    import mlx.core as mx
    from mlx_lm.tuner.callbacks import TrainingCallback
    from mlx_lm.tuner.datasets import ChatDataset
    from mlx_lm.tuner.trainer import TrainingArgs, iterate_batches, train

    from smolcall.backend import format_backend
    from smolcall.config import load_config
    from smolcall.models import EMBEDDED_MODEL, load_model
    from smolcall.trainer import (BatchCounter, apply_adapters, build_optimizer, make_batch_iterator,
                                  read_chat_rows, supervised_loss, tokenize_rows)

    cfg = load_config(None, {"iters": warmup + steps, "warmup_steps": 1, **LORA, "data": data})
    model, tokenizer, _ = load_model(EMBEDDED_MODEL, dequantize=variant != "plain")
    train_rows = read_chat_rows(Path(data) / "train.jsonl")[:rows]
    apply_adapters(model, cfg)
    optimizer = build_optimizer(cfg)
    stamps: list[tuple[float, int]] = []
    counted = {"all": 0}

    class Clock(TrainingCallback):
        def on_train_loss_report(self, info):
            stamps.append((1.0 / info["iterations_per_second"], counted["all"]))

    if variant == "smolcall":
        counter = BatchCounter()
        dataset = tokenize_rows(tokenizer, train_rows, cfg, "train")
        batches = make_batch_iterator(cfg.seed, 0, counter)
        loss_kwargs = {"loss": supervised_loss}

        def counting(*a, **k):
            for batch in batches(*a, **k):
                counted["all"] = counter.all_tokens
                yield batch
    else:
        # What mlx_lm.lora does with chat data and --mask-prompt.
        dataset = ChatDataset(train_rows, tokenizer, mask_prompt=True)
        dataset = [dataset.process(d) for d in train_rows]
        loss_kwargs = {}

        def counting(*a, **k):
            for batch, lengths in iterate_batches(*a, **k):
                counted["all"] += int(lengths[:, 1].sum().item())
                yield batch, lengths

    args = TrainingArgs(batch_size=cfg.batch_size, iters=warmup + steps, steps_per_report=1,
                        steps_per_eval=10**9, steps_per_save=10**9, max_seq_length=cfg.max_seq_length,
                        adapter_file=os.devnull)
    mx.random.seed(0)
    train(model, optimizer, dataset, None, args=args, iterate_batches=counting, training_callback=Clock(),
          **loss_kwargs)
    measured = stamps[warmup:]
    seconds = sum(s for s, _ in measured)
    tokens = measured[-1][1] - stamps[warmup - 1][1] if warmup else measured[-1][1]
    return {"variant": variant, "steps": len(measured), "seconds": seconds, "tokens": tokens,
            "tokens_per_second_all": tokens / seconds, "backend": format_backend()}


def run_worker(args: list[str], no_blas: bool) -> dict:
    env = dict(os.environ)
    if no_blas:
        env["SMOLCALL_NO_BLAS"] = "1"
    out = subprocess.run([sys.executable, __file__, "--worker", *args], env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--plain-steps", type=int, default=2, help="the reference-BLAS 4-bit side is ~50x slower")
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--data", default="data/smolcall-gen")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "train_speed.json")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        result = worker_matmul() if kind == "matmul" else worker_train(rest[0], *map(int, rest[1:4]), rest[4])
        print(json.dumps(result))
        return 0

    import smolcall  # noqa: F401  (builds the embedded model and data once, before the workers)
    from smolcall.datagen import ensure_generated
    from smolcall.models import EMBEDDED_MODEL, resolve_model

    resolve_model(EMBEDDED_MODEL)
    ensure_generated(Path(args.data))
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
               "date": time.strftime("%Y-%m-%d"), "settings": LORA | {"rows": args.rows},
               "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
               "load_average_before": os.getloadavg()[0]}
    results["matmul_reference_gflops"] = run_worker(["matmul"], no_blas=True)["gflops"]
    results["matmul_openblas_gflops"] = run_worker(["matmul"], no_blas=False)["gflops"]
    train = {}
    for v in args.variants:
        steps, warmup = (args.plain_steps, 1) if v == "plain" else (args.steps, args.warmup)
        train[v] = run_worker(["train", v, str(steps), str(warmup), str(args.rows), args.data], no_blas=v == "plain")
        print(f"{v}: {train[v]['tokens_per_second_all']:.1f} tokens/s (all tokens)", file=sys.stderr)
    results["train"] = train
    if "plain" in train and "smolcall" in train:
        results["speedup_smolcall_vs_plain"] = train["smolcall"]["tokens_per_second_all"] / train["plain"]["tokens_per_second_all"]
    if "mlx_fast" in train and "smolcall" in train:
        results["speedup_smolcall_vs_mlx_fast"] = train["smolcall"]["tokens_per_second_all"] / train["mlx_fast"]["tokens_per_second_all"]
    results["load_average_after"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    args.out.with_suffix(".md").write_text(to_markdown(results))
    print(to_markdown(results))
    return 0


def to_markdown(r: dict) -> str:
    conditions = (f" OPENBLAS_NUM_THREADS={r['openblas_threads']}, load average {r['load_average_before']:.1f} "
                  f"before, {r['load_average_after']:.1f} after." if "openblas_threads" in r else "")
    lines = [f"Machine: {r['machine']}, {r['date']}.{conditions} Tokens/s count every token processed "
             "(prompt + completion).", "",
             "| measure | value |", "|---|---|",
             f"| float32 matmul 1024, reference BLAS | {r['matmul_reference_gflops']:.1f} GFLOP/s |",
             f"| float32 matmul 1024, OpenBLAS preloaded | {r['matmul_openblas_gflops']:.1f} GFLOP/s |"]
    for v, t in r.get("train", {}).items():
        lines.append(f"| LoRA training, {v} ({t['steps']} steps) | {t['tokens_per_second_all']:.1f} tokens/s |")
    for key in ("speedup_smolcall_vs_plain", "speedup_smolcall_vs_mlx_fast"):
        if key in r:
            lines.append(f"| {key.replace('_', ' ')} | {r[key]:.1f}x |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
