"""uv run bench/call_margin.py margins --adapter adapters/default --name default
   uv run bench/call_margin.py report default=adapters/default/eval-bfcl40 seed1=adapters/abl-seed1/eval-bfcl40

How sure is an adapter that a reply should call, and would a calibrated threshold help?

A greedy reply calls a function when its first token is `<` (of `<functioncall>`), so a prompt's
call margin is logit('<') minus the best other logit at the first step: the reply calls iff it
is positive, and adding a bias b to that logit moves the threshold. `margins` measures the margin
for every first-step decision of the data's valid split and of BFCL (40 cases per category, the
evaluation's sample) and writes bench/results/call_margin/<name>.jsonl. `report` chooses b on the
valid split alone (best call/no-call accuracy; ties to the b nearest 0), then scores BFCL at that
b from the adapter's evaluation: a call case whose reply no longer calls is wrong, an irrelevance
case that no longer calls is right, every other case keeps its graded reply (a simulation: replies
that would newly call are not generated, so b > 0 is not scored). BFCL only measures; it never
chooses b.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx loads)
from smolcall.bfcl import CATEGORIES, DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results_io  # noqa: E402
from results_io import bfcl_cases_by_id, column_model_ids, graded_bfcl_records  # noqa: E402

OUT = ROOT / "bench" / "results" / "call_margin"
BIASES = (-1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0)


def measure(adapter: Path, data: Path, name: str, bfcl_limit: int) -> Path:
    from smolcall import bfcl
    from smolcall.call_calibration import call_margin
    from smolcall.chat_model import load_chat_model
    from smolcall.dataset_io import data_prompt_style
    from smolcall.evaluation import bfcl_eval_cases, load_test_cases

    chat = load_chat_model(adapter)
    cases = [("valid", c) for c in load_test_cases(data, split="valid")]
    style = data_prompt_style(data)  # as the evaluation prompts BFCL
    for category in CATEGORIES:
        sample = bfcl.load_category(category, None, bfcl_limit, DEFAULT_SEED, style)
        cases += [("bfcl", c) for c in bfcl_eval_cases(sample)]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as f:
        for group, case in cases:
            expects_call = bool(case.expected) if group == "valid" else case.bfcl.ground_truth is not None
            f.write(json.dumps({"group": group, "case_id": case.case_id, "kind": case.meta.get("kind"),
                                "turn": case.meta.get("turn"), "expects_call": expects_call,
                                "margin": call_margin(chat.model, chat.tokenizer, case.messages)}) + "\n")
    print(f"{name}: {len(cases)} prompts in {time.perf_counter() - start:.0f} s -> {path.relative_to(ROOT)}")
    return path


def auc(rows: list[dict]) -> float:
    """How often a call prompt has a larger margin than a no-call prompt (1.0: a threshold separates them)."""
    return results_io.auc([r["margin"] for r in rows if r["expects_call"]],
                          [r["margin"] for r in rows if not r["expects_call"]])


def valid_accuracy(rows: list[dict], bias: float) -> float:
    return sum((r["margin"] + bias > 0) == r["expects_call"] for r in rows) / len(rows)


def bfcl_scores(rows: list[dict], graded: dict[str, dict], bias: float) -> list[float]:
    """Per category accuracy (%) at this bias, from the graded tuned replies (see the docstring)."""
    scores = []
    for category in CATEGORIES:
        cases = [r for r in rows if r["kind"] == category]
        right = 0
        for r in cases:
            calls = r["margin"] + bias > 0
            if category == "irrelevance" and calls != (r["margin"] > 0):
                right += not calls
            else:
                right += bool(graded[r["case_id"]]["bfcl_valid"]) if calls or category == "irrelevance" else 0
        scores.append(100 * right / len(cases))
    return scores


def report(pairs: list[str]) -> str:
    lines = ["| adapter | AUC valid / BFCL | b chosen on valid | BFCL 40 at b = 0 (mean) | at the chosen b (mean) |",
             "|---|---|---|---|---|"]
    before, after = [], []
    bfcl_cases = bfcl_cases_by_id()
    for pair in pairs:
        name, _, eval_dir = pair.partition("=")
        margins = [json.loads(x) for x in (OUT / f"{name}.jsonl").read_text().splitlines()]
        # The tuned column's replies, each graded again as the report grades it (a stored verdict can be stale).
        tuned = column_model_ids(Path(eval_dir))["tuned"]
        graded = {r["case_id"]: r for r in graded_bfcl_records(Path(eval_dir), tuned, bfcl_cases)}
        valid = [m for m in margins if m["group"] == "valid"]
        cases = [m for m in margins if m["group"] == "bfcl"]
        best = max(valid_accuracy(valid, b) for b in BIASES)
        chosen = max(b for b in BIASES if valid_accuracy(valid, b) == best)  # the b nearest 0 among the best
        s0, sb = bfcl_scores(cases, graded, 0.0), bfcl_scores(cases, graded, chosen)
        before.append(sum(s0) / 5)
        after.append(sum(sb) / 5)
        lines.append(f"| {name} | {auc(valid):.3f} / {auc(cases):.3f} | {chosen:+.2f} (valid {best:.3f}) | "
                     f"{' / '.join(f'{x:.1f}' for x in s0)} ({before[-1]:.1f}) | "
                     f"{' / '.join(f'{x:.1f}' for x in sb)} ({after[-1]:.1f}) |")
    lines.append(f"| mean of {len(pairs)} | | | {sum(before) / len(before):.1f} (range {min(before):.1f}-{max(before):.1f}) | "
                 f"{sum(after) / len(after):.1f} (range {min(after):.1f}-{max(after):.1f}) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="call margins of adapters, and a threshold chosen on the valid split")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("margins", help="measure an adapter's first-step call margins")
    m.add_argument("--adapter", type=Path, required=True)
    m.add_argument("--name", required=True, help="file name under bench/results/call_margin/")
    m.add_argument("--data", type=Path, default=ROOT / "data" / "smolcall-gen", help="folder with valid.jsonl")
    m.add_argument("--bfcl-limit", type=int, default=40)
    r = sub.add_parser("report", help="choose b on valid, score BFCL at it")
    r.add_argument("pairs", nargs="+", metavar="NAME=EVAL_DIR", help="margins name and the adapter's BFCL eval folder")
    args = p.parse_args(argv)
    if args.command == "margins":
        measure(args.adapter, args.data, args.name, args.bfcl_limit)
    else:
        text = report(args.pairs)
        (OUT / "report.md").write_text(text + "\n")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
