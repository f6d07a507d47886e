"""uv run bench/call_calibration.py margins --adapter adapters/default --name default
   uv run bench/call_calibration.py report --name default --eval adapters/default/eval-bfcl-full \
       --told adapters/default/eval-simple-told [--save adapters/default]

Does the call decision get better when the model's margin is measured against the same request
with tools that do not fit (smolcall.call_calibration)?

Not told which BFCL cases need a call, the committed default declines 94 of the 400
simple_python cases and calls on 52 of the 240 irrelevance cases: with one function offered, its
first-step margin (logit('<') minus the best other logit) says as much about how call-like the
request sounds as about whether the function fits. Contextual calibration scores the same
request again with foil functions in place of the real ones and decides on

    margin - alpha * mean(foil margins) + b

`margins` measures, for every first-turn prompt of our valid split and every BFCL case of the
given categories (the evaluation's prompts; by default the two that offer one function), the
margin with the real tools and with each foil, into bench/results/call_calibration/<name>.jsonl.
`report` chooses alpha and b on the valid split alone (best call/no-call accuracy; ties to the
smallest change), the plain threshold (alpha = 0) the same way, and scores both against the
greedy decision on BFCL: the AUC of calling cases against irrelevance ones for each alpha, the
decisions that flip, and what the not-told constrained column of `--eval` would score with them.
A case that keeps its decision keeps its graded reply (greedy decoding from the same first token
is the same reply); one that newly calls takes its reply from `--told`, the same adapter's
constrained column with a call required (`train/evaluate.py --constrained --tool-choice
category`). BFCL measures; it never chooses alpha or b. `--save` writes the calibrated choice
beside the adapter (call_calibration.json), for `train/evaluate.py --call-calibration`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx loads)
from smolcall import bfcl
from smolcall.call_calibration import FOILS, CallCalibration, call_margin, foil_conversations, foil_tools
from smolcall.dataset_io import data_prompt_style

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import auc, bfcl_cases_by_id, column_model_ids, graded_bfcl_records, write_results  # noqa: E402

OUT = ROOT / "bench" / "results" / "call_calibration"
# The categories whose decision is in doubt: one function offered. Not told, the default calls on
# every multiple and parallel_multiple case and on 187 of 200 parallel ones.
ONE_FUNCTION = ("simple_python", "irrelevance")
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
BIASES = tuple(x / 4 for x in range(-12, 13))
SWEEP_ALPHAS = (0.0, 0.5)


def measure(adapter: Path, data: Path, name: str, bfcl_limit: int | None, categories: list[str]) -> Path:
    from smolcall.chat_model import load_chat_model
    from smolcall.evaluation import bfcl_eval_cases, load_test_cases

    chat = load_chat_model(adapter)
    style = data_prompt_style(data)  # as the evaluation prompts BFCL
    cases = [("valid", c) for c in load_test_cases(data, split="valid")
             if [m["role"] for m in c.messages] == ["system", "user"]]
    for category in categories:
        sample = bfcl.load_category(category, None, bfcl_limit, bfcl.DEFAULT_SEED, style)
        cases += [("bfcl", c) for c in bfcl_eval_cases(sample)]
    tools = foil_tools()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as f:
        for i, (group, case) in enumerate(cases):
            expects_call = bool(case.expected) if group == "valid" else case.bfcl.ground_truth is not None
            f.write(json.dumps({"group": group, "case_id": case.case_id, "kind": case.meta.get("kind"),
                                "tools": len(case.tools), "expects_call": expects_call,
                                "margin": call_margin(chat.model, chat.tokenizer, case.messages),
                                "foils": [call_margin(chat.model, chat.tokenizer, c)
                                          for c in foil_conversations(case.messages, tools, style)]}) + "\n")
            if i % 100 == 99:
                print(f"{i + 1} / {len(cases)} prompts, {time.perf_counter() - start:.0f} s", flush=True)
    print(f"{name}: {len(cases)} prompts in {time.perf_counter() - start:.0f} s -> {path.relative_to(ROOT)}")
    return path


def score(row: dict, alpha: float, bias: float) -> float:
    return row["margin"] - alpha * sum(row["foils"]) / len(row["foils"]) + bias


def accuracy(rows: list[dict], alpha: float, bias: float) -> float:
    return sum((score(r, alpha, bias) > 0) == r["expects_call"] for r in rows) / len(rows)


def choose(valid: list[dict], alphas=ALPHAS) -> tuple[float, float, float]:
    """alpha and b with the best valid accuracy; ties go to the smallest change (alpha, then |b|)."""
    best = max((accuracy(valid, a, b), -a, -abs(b), a, b) for a in alphas for b in BIASES)
    return best[3], best[4], best[0]


def load_margins(name: str) -> list[dict]:
    path = OUT / f"{name}.jsonl"
    if not path.is_file():
        raise SystemExit(f"error: {path} does not exist; measure it first: "
                         f"uv run bench/call_calibration.py margins --adapter ADAPTER --name {name}")
    return [json.loads(x) for x in path.read_text().splitlines()]


def column(eval_dir: Path, name: str, cases: dict) -> dict[str, dict]:
    """A column's BFCL records by BFCL id, graded again by today's checker."""
    model_ids = column_model_ids(eval_dir)
    if name not in model_ids:
        raise SystemExit(f"error: {eval_dir} has no {name!r} column; it has {', '.join(model_ids)}")
    return {r["case_id"].split(":")[0]: r for r in graded_bfcl_records(eval_dir, model_ids[name], cases)}


def simulate(rows: list[dict], auto: dict[str, dict], told: dict[str, dict], alpha: float, bias: float) -> dict:
    """Per category: right answers when each case's call decision is `score > 0` (the rest of the
    reply as decoded), against the not-told column's own. A case that keeps its decision keeps its
    graded reply; an irrelevance case that stops calling is right, one that starts is wrong; a
    calling case that stops calling is wrong, one that starts takes the told column's reply
    (`missing` when that column lacks it: scored wrong)."""
    out = {}
    for kind in sorted({r["kind"] for r in rows}):
        cases = [r for r in rows if r["kind"] == kind]
        right = base_right = to_call = to_decline = missing = 0
        for r in cases:
            record = auto[r["case_id"].split(":")[0]]
            calls, called = score(r, alpha, bias) > 0, record["made_call"]
            base_right += record["bfcl_valid"]
            if calls == called:
                right += record["bfcl_valid"]
            elif not calls:
                to_decline += 1
                right += kind == "irrelevance"
            else:
                to_call += 1
                reply = told.get(r["case_id"].split(":")[0]) if kind != "irrelevance" else None
                missing += kind != "irrelevance" and reply is None
                right += bool(reply and reply["bfcl_valid"])
        out[kind] = {"cases": len(cases), "accuracy": 100 * right / len(cases),
                     "greedy": 100 * base_right / len(cases), "to_call": to_call, "to_decline": to_decline,
                     "missing": missing}
    return out


def report(name: str, eval_dir: Path, told_dir: Path) -> dict:
    rows = load_margins(name)
    valid = [r for r in rows if r["group"] == "valid"]
    tests = [r for r in rows if r["group"] == "bfcl"]
    cases = bfcl_cases_by_id()
    auto = column(eval_dir, "constrained", cases)
    told = column(told_dir, "constrained", cases)
    if column_model_ids(told_dir)["constrained"] & column_model_ids(eval_dir)["constrained"]:
        raise SystemExit(f"error: {told_dir}'s constrained column is {eval_dir}'s: --told names an evaluation "
                         "run with --tool-choice category")
    agree = sum((r["margin"] > 0) == auto[r["case_id"].split(":")[0]]["made_call"] for r in tests)

    def aucs(alpha: float) -> dict:
        def split(group):
            return ([score(r, alpha, 0) for r in group if r["expects_call"]],
                    [score(r, alpha, 0) for r in group if not r["expects_call"]])
        return {"valid": auc(*split(valid)), "bfcl": auc(*split(tests))}

    plain_b = choose(valid, alphas=(0.0,))
    calibrated = choose(valid)
    results = {"name": name, "eval": str(eval_dir), "told": str(told_dir), "foils": list(FOILS),
               "valid_prompts": len(valid), "valid_calls": sum(r["expects_call"] for r in valid),
               "bfcl_prompts": len(tests), "decisions_agreeing_with_replies": agree,
               "auc": {str(a): aucs(a) for a in ALPHAS}, "choices": {}}
    # BFCL's own curve, to read where the greedy decision sits on it (nothing is chosen from it).
    results["sweep"] = [{"alpha": alpha, "bias": bias, "bfcl": {k: round(v["accuracy"], 1) for k, v in
                                                                 simulate(tests, auto, told, alpha, bias).items()}}
                        for alpha in SWEEP_ALPHAS for bias in BIASES if abs(bias) <= 1]
    for label, (alpha, bias, acc) in (("greedy", (0.0, 0.0, accuracy(valid, 0.0, 0.0))),
                                      ("threshold", plain_b), ("calibrated", calibrated)):
        results["choices"][label] = {"alpha": alpha, "bias": bias, "valid_accuracy": 100 * acc,
                                     "bfcl": simulate(tests, auto, told, alpha, bias)}
    return results


def verify(name: str, eval_dir: Path, told_dir: Path, decoded_dir: Path) -> dict:
    """A real decode with the calibration (`train/evaluate.py --call-calibration`; its alpha and b
    read from the evaluation's model id) against the simulation on the same cases: how many
    decisions agree, and each category's accuracy both ways."""
    cases = bfcl_cases_by_id()
    decoded = column(decoded_dir, "constrained", cases)
    keys = {found.groups() for r in decoded.values()
            if (found := re.search(r",call-calibrated\(a=([-\d.e]+),b=([-\d.e]+),", r["model_id"]))}
    if len(keys) != 1:
        raise SystemExit(f"error: {decoded_dir}'s constrained column was not decoded with --call-calibration "
                         f"(or with several calibrations: {sorted(keys)}); name the folder of one such run")
    ((alpha, bias),) = ((float(a), float(b)) for a, b in keys)
    rows = [r for r in load_margins(name) if r["group"] == "bfcl" and r["case_id"].split(":")[0] in decoded]
    simulated = simulate(rows, column(eval_dir, "constrained", cases), column(told_dir, "constrained", cases),
                         alpha, bias)
    per = {}
    for kind in simulated:
        mine = [r for r in rows if r["kind"] == kind]
        replies = [decoded[r["case_id"].split(":")[0]] for r in mine]
        per[kind] = {"cases": len(mine), "simulated": simulated[kind]["accuracy"],
                     "decoded": 100 * sum(r["bfcl_valid"] for r in replies) / len(mine),
                     "decisions_agreeing": sum((score(r, alpha, bias) > 0) == d["made_call"]
                                               for r, d in zip(mine, replies, strict=True))}
    return {"alpha": alpha, "bias": bias, "decoded": str(decoded_dir), "categories": per}


def to_markdown(results: dict) -> str:
    lines = [f"# The call decision calibrated against foil tools: {results['name']}", "",
             f"`uv run bench/call_calibration.py report --name {results['name']} --eval {results['eval']} "
             f"--told {results['told']}`", "",
             f"Foils: {', '.join(results['foils'])}. Valid split: {results['valid_prompts']} first-turn prompts "
             f"({results['valid_calls']} calls). BFCL: {results['bfcl_prompts']} prompts; the margin's sign agrees "
             f"with the not-told reply's call on {results['decisions_agreeing_with_replies']}.", "",
             "| alpha | AUC valid | AUC BFCL (calls vs irrelevance) |", "|---|---|---|"]
    lines += [f"| {a} | {v['valid']:.3f} | {v['bfcl']:.3f} |" for a, v in results["auc"].items()]
    kinds = list(next(iter(results["choices"].values()))["bfcl"])
    lines += ["", "| decision | alpha | b | valid accuracy | " + " | ".join(kinds)
              + " | flips (to call / to decline) | told replies missing |",
              "|---|---|---|---|" + "---|" * len(kinds) + "---|---|"]
    for label, c in results["choices"].items():
        per = c["bfcl"]
        lines.append(f"| {label} | {c['alpha']} | {c['bias']:+.2f} | {c['valid_accuracy']:.1f} | "
                     + " | ".join(f"{per[k]['accuracy']:.1f}" for k in kinds)
                     + f" | {sum(p['to_call'] for p in per.values())} / {sum(p['to_decline'] for p in per.values())}"
                     f" | {sum(p['missing'] for p in per.values())} |")
    lines += ["", "BFCL's own curve (every alpha and b here is read off BFCL: for seeing where the greedy decision "
              "sits, not for choosing one):", "",
              "| alpha | b | " + " | ".join(kinds) + " | mean of these |", "|---|---|" + "---|" * len(kinds) + "---|"]
    for point in results["sweep"]:
        per = point["bfcl"]
        lines.append(f"| {point['alpha']} | {point['bias']:+.2f} | " + " | ".join(f"{per[k]:.1f}" for k in kinds)
                     + f" | {sum(per[k] for k in kinds) / len(kinds):.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="the call decision calibrated against foil tools")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("margins", help="measure an adapter's first-step call margins, with the real tools and with foils")
    m.add_argument("--adapter", type=Path, required=True)
    m.add_argument("--name", required=True, help="file name under bench/results/call_calibration/")
    m.add_argument("--data", type=Path, default=ROOT / "data" / "smolcall-gen", help="folder with valid.jsonl")
    m.add_argument("--bfcl-limit", type=int, default=None, help="cases per BFCL category (default: every case)")
    m.add_argument("--categories", nargs="+", choices=bfcl.CATEGORIES, default=list(ONE_FUNCTION))
    r = sub.add_parser("report", help="choose alpha and b on the valid split; score BFCL's not-told column with them")
    r.add_argument("--name", required=True, help="the margins file's name")
    r.add_argument("--data", type=Path, default=ROOT / "data" / "smolcall-gen", help="the data the margins came from")
    r.add_argument("--eval", type=Path, required=True, help="evaluation folder with the not-told constrained column")
    r.add_argument("--told", type=Path, required=True,
                   help="evaluation folder with a told constrained column (--tool-choice category) of the same adapter")
    r.add_argument("--save", type=Path, metavar="ADAPTER", help="write the calibrated alpha and b there")
    v = sub.add_parser("verify", help="a decode with --call-calibration against the simulation, case by case")
    v.add_argument("--name", required=True, help="the margins file's name")
    v.add_argument("--eval", type=Path, required=True, help="as for report")
    v.add_argument("--told", type=Path, required=True, help="as for report")
    v.add_argument("--decoded", type=Path, required=True,
                   help="evaluation folder whose constrained column was decoded with --call-calibration")
    args = p.parse_args(argv)
    if args.command == "verify":
        result = verify(args.name, args.eval, args.told, args.decoded)
        (OUT / f"{args.name}-verify.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
    elif args.command == "margins":
        measure(args.adapter, args.data, args.name, args.bfcl_limit, args.categories)
    else:
        results = report(args.name, args.eval, args.told)
        write_results(OUT / f"{args.name}.json", results, to_markdown)
        if args.save is not None:
            chosen = results["choices"]["calibrated"]
            path = CallCalibration(chosen["alpha"], chosen["bias"], FOILS, data_prompt_style(args.data), {
                "split": str(args.data / "valid.jsonl"), "prompts": results["valid_prompts"],
                "accuracy": round(chosen["valid_accuracy"], 1), "margins": f"bench/results/call_calibration/{args.name}.jsonl",
            }).save(args.save)
            print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
