"""Shared by the bench scripts: read an evaluation's columns, BFCL's cases and its replies graded
again, and write a run's results as JSON plus the Markdown table the README quotes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from smolcall.bfcl import ALL_CATEGORIES, BfclCase, check_reply, load_category
from smolcall.evaluation import ResultStore, bfcl_verdict_fields


def column_model_ids(eval_dir: Path) -> dict[str, set[str]]:
    """Each column of an evaluation's report (its metrics.json) -> the model ids it graded: a
    column that ran under several token budgets, the test split's and BFCL's, lists one id per
    budget, joined by " ; ". A per_case.jsonl may also hold replies the report did not grade."""
    models = json.loads((eval_dir / "metrics.json").read_text()).get("models", {})
    return {column: set(m["model_id"].split(" ; ")) for column, m in models.items()}


def bfcl_cases_by_id() -> dict[str, BfclCase]:
    """Every case of the ten categories, live ones included, by its BFCL id (the answers do not
    depend on the prompt style that an evaluation's case ids fingerprint: `simple_python_1:3f2a9c0b1d`)."""
    return {c.id: c for category in ALL_CATEGORIES for c in load_category(category)}


def graded_bfcl_records(eval_dir: Path, model_ids: set[str], cases: dict[str, BfclCase]) -> list[dict]:
    """These models' BFCL records in an evaluation's per_case.jsonl, in file order, each with its
    verdict (bfcl_valid, bfcl_error_type, bfcl_errors, made_call) graded again from the stored
    reply by today's parser and the official checker, as the report (metrics.json) grades them. A
    stored verdict can be stale: a reply copied with --reuse keeps its older grader's verdict
    (irrelevance_70 in adapters/long-440-v3/eval-bfcl-full writes a key twice: a call then, no
    call now). `cases`: bfcl_cases_by_id()."""
    path = eval_dir / "per_case.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: pass an evaluation folder written by train/evaluate.py "
                                "with --bfcl")
    records = []
    for r in ResultStore(path).records.values():
        if r["model_id"] not in model_ids or not r["dataset"].startswith("bfcl/"):
            continue
        case = cases.get(r["case_id"].split(":")[0])
        if case is None:
            raise ValueError(f"{path}: case {r['case_id']} is not in the installed BFCL data; read evaluations "
                             "made with the bfcl-eval version this project locks")
        records.append(r | bfcl_verdict_fields(check_reply(case, r["reply"])))
    return records


def auc(positives: list[float], negatives: list[float]) -> float:
    """How often a positive scores above a negative, ties half (1.0: a threshold separates them)."""
    return sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives) / (len(positives) * len(negatives))


def write_results(out: Path, results: dict, to_markdown: Callable[[dict], str]) -> None:
    """out (.json) and its .md sibling; the table is printed too."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = to_markdown(results)
    out.with_suffix(".md").write_text(table)
    print(table)


def folders_main(argv: list[str] | None, description: str, default_out: Path,
                 collect: Callable[[list], dict], to_markdown: Callable[[dict], str],
                 folder_type: Callable[[str], object] = Path,
                 folder_help: str = "evaluation folders (train/evaluate.py --out)") -> int:
    """The command line of a script that reads evaluation folders: `collect` turns them (each
    argument passed through `folder_type`) into the results; a missing or unfit folder is one line
    on stderr and exit status 2."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folders", nargs="+", type=folder_type, help=folder_help)
    parser.add_argument("--out", type=Path, default=default_out, help="results JSON; the table goes beside it (.md)")
    args = parser.parse_args(argv)
    try:
        results = collect(args.folders)
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    write_results(args.out, results, to_markdown)
    return 0
