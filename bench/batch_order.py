"""uv run bench/batch_order.py [--data data/smolcall-gen] [--steps 220] [--seeds 40] [--out bench/results/batch_order.json]

How much of the training set's mix one run sees, with each batch order: for `--seeds` seeds,
the rows of each shape among the first `--steps` batches (the default run's 880 of 3,000 rows),
drawn exactly as the trainer draws them (`smolcall.trainer.batch_order` over the tokenized
rows). Shapes are `row_stratum`'s (what the stratified order balances) and, for generated data,
the generator's row kinds plus "one-function no-call" (rows that offer one function and call
none, the kind BFCL's irrelevance category asks about). Reports the mean and standard
deviation over seeds, for the shuffled and the stratified order side by side. Pure data: no
training, so it runs in about a minute.
"""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from results_io import write_results  # noqa: E402

from smolcall.config import BATCH_ORDERS, load_config  # noqa: E402
from smolcall.trainer import batch_order, read_chat_rows, tokenize_rows  # noqa: E402


def row_kinds(row: dict, stratum: str) -> list[str]:
    kinds = [f"shape {stratum}"]
    meta = row.get("meta") or {}
    if "kind" in meta:
        kinds.append(f"kind {meta['kind']}")
        if meta["kind"] == "no_call" and len(meta.get("functions", [])) == 1:
            kinds.append("one-function no-call")
    return kinds


def measure(data: Path, steps: int, seeds: int) -> dict:
    from smolcall.models import EMBEDDED_MODEL, load_model

    cfg = load_config(None, {"data": str(data), "generate_data": False})
    _, tokenizer, _ = load_model(EMBEDDED_MODEL)
    rows = read_chat_rows(data / "train.jsonl")
    tokenized = tokenize_rows(tokenizer, rows, cfg, "train")
    if tokenized.dropped_too_long:  # keep rows and their metadata aligned
        raise SystemExit(f"{len(tokenized.dropped_too_long)} rows exceed max_seq_length; this bench assumes none")
    lengths = [len(t) for t, _ in tokenized.items]
    labels = [row_kinds(r, s) for r, s in zip(rows, tokenized.strata, strict=True)]
    total = Counter(k for kinds in labels for k in kinds)
    seen_rows = steps * cfg.batch_size
    shown = data.resolve().relative_to(ROOT) if data.resolve().is_relative_to(ROOT) else data
    results = {"data": shown.as_posix(), "rows": len(rows), "steps": steps, "batch_size": cfg.batch_size,
               "seeds": seeds, "rows_seen": seen_rows, "orders": {}}
    for order in BATCH_ORDERS:
        counts = []
        for seed in range(seeds):
            batches = batch_order(lengths, cfg.batch_size, seed, order, tokenized.strata)[:steps]
            counts.append(Counter(k for b in batches for i in b for k in labels[i]))
        results["orders"][order] = {
            kind: {"mean": float(np.mean([c[kind] for c in counts])), "std": float(np.std([c[kind] for c in counts])),
                   "expected": total[kind] * seen_rows / len(rows), "seeds_0_1_2": [c[kind] for c in counts[:3]]}
            for kind in sorted(total)}
    return results


def to_markdown(r: dict) -> str:
    lines = [f"# Rows of each shape one run sees: {r['rows_seen']} of {r['rows']} rows ({r['steps']} steps x "
             f"{r['batch_size']}) of `{r['data']}`, over {r['seeds']} seeds", "",
             "| rows | expected | shuffled: mean ± std (seeds 0, 1, 2) | stratified: mean ± std (seeds 0, 1, 2) |",
             "|---|---|---|---|"]
    shuffled, stratified = r["orders"]["shuffled"], r["orders"]["stratified"]
    for kind in shuffled:
        a, b = shuffled[kind], stratified[kind]
        lines.append(f"| {kind} | {a['expected']:.1f} | {a['mean']:.1f} ± {a['std']:.1f} ({', '.join(map(str, a['seeds_0_1_2']))}) "
                     f"| {b['mean']:.1f} ± {b['std']:.1f} ({', '.join(map(str, b['seeds_0_1_2']))}) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "smolcall-gen")
    parser.add_argument("--steps", type=int, default=220)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "batch_order.json")
    args = parser.parse_args(argv)
    if not (args.data / "train.jsonl").is_file():
        parser.error(f"{args.data}/train.jsonl not found: build it with `uv run train/generate.py --out {args.data}`")
    write_results(args.out, measure(args.data, args.steps, args.seeds), to_markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
