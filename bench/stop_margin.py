"""uv run bench/stop_margin.py --eval adapters/default/eval-bfcl100 --name default

Would a bias toward one more call fix replies that make too few calls?

Too few calls is the largest miss class on BFCL's parallel categories: a constrained reply ends
after two calls where four were asked for. After each call the grammar allows only two things,
the end of the reply or a newline that starts another call, so a reply's stop margin is
log p(end) - log p(another call) at the point where it ended: a bias b on that choice would go
on wherever the margin is below b. It helps only if the replies that stopped too early have
smaller margins than those that stopped at the right count, which would go on as well and
over-call.

This script weighs every constrained BFCL call reply of an evaluation (its per_case.jsonl) with
GuidedDecoder.score (the reply, then the end token, under the same grammar), and reports per
category how the margins of the too-few replies compare with the right-count ones: the AUC
(how often a too-few reply has the smaller margin; 1.0 means some threshold separates them) and
the share of each group below a few values of b. Results: bench/results/stop_margin/<name>.jsonl
and report.md. Nothing is generated: it measures the replies the evaluation graded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx loads)
from smolcall.bfcl import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import bfcl_cases_by_id, column_model_ids, graded_bfcl_records  # noqa: E402

OUT = ROOT / "bench" / "results" / "stop_margin"
CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple")
BIASES = (0.5, 1.0, 2.0)


def measure(eval_dir: Path, name: str, adapter: Path | None) -> Path:
    from smolcall import bfcl
    from smolcall.calls import parse_reply
    from smolcall.chat_model import load_chat_model
    from smolcall.constrain import constraint_factory
    from smolcall.guided import GuidedDecoder

    metrics = json.loads((eval_dir / "metrics.json").read_text())
    settings = metrics["settings"]
    adapter = adapter or Path(settings["adapter"])
    chat = load_chat_model(adapter)
    decoder = GuidedDecoder(chat)
    tokenizer = chat.tokenizer
    end = tokenizer.eos_token_id
    # The constrained column's replies as the report graded them (a per_case.jsonl may hold other
    # decodings of the same cases too: another budget, grounded strings), each graded again (a
    # stored verdict can be stale).
    records = graded_bfcl_records(eval_dir, column_model_ids(eval_dir)["constrained"], bfcl_cases_by_id())
    replies = {r["case_id"].split(":")[0]: r for r in records if r["dataset"].removeprefix("bfcl/") in CATEGORIES}
    required = constraint_factory(tokenizer, allow_text=False, max_tokens=settings["bfcl_max_tokens"])
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    start = time.perf_counter()
    weighed = 0
    with path.open("w", encoding="utf-8") as f:
        for category in CATEGORIES:
            cases = bfcl.load_category(category, None, settings["bfcl_limit"], settings.get("bfcl_seed", DEFAULT_SEED),
                                       settings["prompt_style"])
            for case in cases:
                record = replies.get(case.id)
                if record is None or record.get("finish_reason") != "stop":
                    continue  # not evaluated, or cut by the budget: it did not choose to end
                (constraint,) = required(case.messages, [])
                tokens = tokenizer.encode(record["reply"], add_special_tokens=False) + [end]
                choice = decoder.score(case.messages, constraint, tokens).choices[-1]
                # The runner-up is the newline of another call, or (rarely) the other stop token,
                # when the newline is further behind still: the margin is then a lower bound.
                f.write(json.dumps({"category": category, "case_id": case.id, "expected": len(case.ground_truth),
                                    "made": len(parse_reply(record["reply"]).calls), "valid": record["bfcl_valid"],
                                    "margin": round(choice.logprob - choice.runner_up_logprob, 4),
                                    "runner_up": tokenizer.decode([choice.runner_up])}) + "\n")
                weighed += 1
    print(f"{name}: {weighed} replies in {time.perf_counter() - start:.0f} s -> {path.relative_to(ROOT)}")
    return path


def auc(low: list[float], high: list[float]) -> float | None:
    """How often a margin of `low` is smaller than one of `high` (ties half)."""
    if not low or not high:
        return None
    return sum((a < b) + 0.5 * (a == b) for a in low for b in high) / (len(low) * len(high))


def report(names: list[str]) -> str:
    lines = ["| replies | category | too few calls | right count | AUC | "
             + " | ".join(f"below b = {b}: too few / right" for b in BIASES) + " |",
             "|---|---|---|---|---|" + "---|" * len(BIASES)]
    for name in names:
        rows = [json.loads(x) for x in (OUT / f"{name}.jsonl").read_text().splitlines()]
        for category in CATEGORIES:
            few = [r["margin"] for r in rows if r["category"] == category and r["made"] < r["expected"]]
            right = [r["margin"] for r in rows if r["category"] == category and r["made"] == r["expected"]]
            score = auc(few, right)
            shares = [f"{sum(m < b for m in few)} / {sum(m < b for m in right)}" for b in BIASES]
            lines.append(f"| {name} | {category} | {len(few)} | {len(right)} | "
                         f"{'-' if score is None else f'{score:.2f}'} | " + " | ".join(shares) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="stop margins of an evaluation's constrained BFCL replies")
    p.add_argument("--eval", type=Path, action="append", default=[], help="an evaluation folder (per_case.jsonl, "
                   "metrics.json) with a constrained column; repeat for several")
    p.add_argument("--name", action="append", default=[],
                   help="file name under bench/results/stop_margin/, one per --eval")
    p.add_argument("--adapter", type=Path, help="the adapter, when not the one the evaluation's metrics name")
    p.add_argument("--report-only", action="store_true", help="only rebuild report.md from the named .jsonl files")
    args = p.parse_args(argv)
    if len(args.name) != len(args.eval) and not args.report_only:
        p.error("give one --name per --eval")
    if not args.report_only:
        for eval_dir, name in zip(args.eval, args.name):
            measure(eval_dir, name, args.adapter)
    text = report(args.name)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
