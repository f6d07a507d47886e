"""uv run bench/not_told.py adapters/long-440-v3/eval-bfcl100 [more evaluation folders]

What would a told constrained column have scored had the grammar not been told which cases need
a call?

Until 2026-12-07 every constrained BFCL column was decoded with `--tool-choice category`: tool_choice
"required" on BFCL's call categories, "auto" on irrelevance. Under "auto" (`--tool-choice auto`, the
fair setting) the grammar lets the model's first token through whether it opens a call (`<`) or
plain text, so the reply calls exactly when the unconstrained tuned reply starts with
`<functioncall>`; once a call has begun, both grammars allow the same continuations. So the
not-told verdict of a case follows from the evaluation's own replies, with nothing generated:

- irrelevance: the told column's verdict (it was decoded under "auto" already);
- a call category: the told column's verdict if the tuned reply starts with `<functioncall>`,
  else wrong (the model would have answered in words).

An evaluation folder that also holds a decoded not-told column (or a sibling `<folder>-auto`)
is checked case by case against it; on the committed default all 500 verdicts agree
(tests/test_bfcl.py checks that on the committed files), on long-440-v3's first 50 cases of each
category all 250 (README, Results).

Results: bench/results/not_told/report.md and report.json.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from smolcall.bfcl import CATEGORIES, LIVE_CATEGORIES, BfclCase
from smolcall.calls import MARKER
from smolcall.evaluation import TOOL_CHOICE_AUTO_KEY

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import bfcl_cases_by_id, folders_main, graded_bfcl_records  # noqa: E402

OUT = ROOT / "bench" / "results" / "not_told" / "report.json"


def model_ids(folder: Path) -> tuple[set[str], set[str]]:
    """The tuned and the told constrained model ids of the evaluation's report (its metrics.json;
    a column that ran under several token budgets, the test split's and BFCL's, lists one id per
    budget, joined by " ; "): a folder may also hold replies the report did not grade."""
    models = json.loads((folder / "metrics.json").read_text()).get("models", {})
    if "tuned" not in models or "constrained" not in models:
        raise ValueError(f"{folder}/metrics.json has no tuned and constrained columns: evaluate an adapter "
                         "with --bfcl --constrained --tool-choice category")
    tuned, told = (set(models[col]["model_id"].split(" ; ")) for col in ("tuned", "constrained"))
    if any(i.endswith(TOOL_CHOICE_AUTO_KEY) for i in told):
        raise ValueError(f"{folder}'s constrained column was decoded with --tool-choice auto: it is not told "
                         "already, nothing to derive")
    return tuned, told


def bfcl_replies(folder: Path, model_ids: set[str], cases: dict[str, BfclCase]) -> dict[str, dict]:
    """One model's BFCL records by case id, graded again as the report grades them
    (results_io.graded_bfcl_records: a stored verdict can be stale)."""
    return {r["case_id"]: r for r in graded_bfcl_records(folder, model_ids, cases)}


def not_told_verdicts(tuned: dict[str, dict], told: dict[str, dict]) -> dict[str, bool]:
    """The not-told verdict of every BFCL case that has a tuned and a told constrained reply."""
    verdicts = {}
    for case_id, graded in told.items():
        if case_id not in tuned:
            continue
        calls = tuned[case_id]["reply"].lstrip().startswith(MARKER)
        verdicts[case_id] = bool(graded["bfcl_valid"]) and ("irrelevance" in graded["kind"] or calls)
    return verdicts


def by_category(verdicts: dict[str, bool], kinds: dict[str, str]) -> dict[str, dict]:
    per = defaultdict(list)
    for case_id, ok in verdicts.items():
        per[kinds[case_id]].append(ok)
    return {k: {"n": len(v), "accuracy": round(100 * sum(v) / len(v), 1)} for k, v in per.items()}


def analyse(folder: Path) -> dict:
    if not (folder / "per_case.jsonl").is_file():
        raise FileNotFoundError(f"{folder / 'per_case.jsonl'} does not exist: pass an evaluation folder written by "
                                "train/evaluate.py with --bfcl and --constrained")
    tuned_ids, told_ids = model_ids(folder)
    cases = bfcl_cases_by_id()
    tuned, told = bfcl_replies(folder, tuned_ids, cases), bfcl_replies(folder, told_ids, cases)
    verdicts = not_told_verdicts(tuned, told)
    if not verdicts:
        raise ValueError(f"{folder} has no BFCL case with both a tuned and a told constrained reply: "
                         "evaluate it with --bfcl --constrained --tool-choice category")
    kinds = {k: r["kind"] for k, r in told.items()}
    result = {"folder": str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder),
              "told": by_category({k: bool(r["bfcl_valid"]) for k, r in told.items() if k in verdicts}, kinds),
              "not_told": by_category(verdicts, kinds)}
    # A decoded not-told column, in the folder itself or in its "-auto" sibling, checks the derivation.
    auto_ids = {i + TOOL_CHOICE_AUTO_KEY for i in told_ids}
    decoded = bfcl_replies(folder, auto_ids, cases)
    sibling = folder.with_name(folder.name + "-auto")
    if not decoded and (sibling / "per_case.jsonl").is_file():
        decoded = bfcl_replies(sibling, auto_ids, cases)
    shared = [k for k in verdicts if k in decoded]
    if shared:
        result["checked"] = {"cases": len(shared),
                             "agree": sum(verdicts[k] == bool(decoded[k]["bfcl_valid"]) for k in shared)}
    return result


def mean(per: dict[str, dict]) -> float | None:
    if not all(c in per for c in CATEGORIES):
        return None
    return round(sum(per[c]["accuracy"] for c in CATEGORIES) / len(CATEGORIES), 1)


def to_markdown(results: dict) -> str:
    def row(per):
        cells = " / ".join(f"{per[c]['accuracy']:g}" if c in per else "-" for c in CATEGORIES)
        m = mean(per)
        live = [f"{c} {per[c]['accuracy']:g}" for c in LIVE_CATEGORIES if c in per]  # named: not in the five
        return cells + (f" ({m:.1f})" if m is not None else "") + ("; " + ", ".join(live) if live else "")
    lines = ["| evaluation | cases a category | constrained, told (simple / multiple / parallel / par. multiple / "
             "irrelevance) | not told, derived | checked against a decoded not-told column |",
             "|---|---|---|---|---|"]
    for r in results["evaluations"]:
        n = max(v["n"] for v in r["not_told"].values())
        check = (f"{r['checked']['agree']} of {r['checked']['cases']} verdicts agree" if "checked" in r else "-")
        lines.append(f"| `{r['folder']}` | {n} | {row(r['told'])} | {row(r['not_told'])} | {check} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return folders_main(argv, __doc__.splitlines()[2], OUT,
                        lambda folders: {"evaluations": [analyse(f.resolve()) for f in folders]}, to_markdown)


if __name__ == "__main__":
    sys.exit(main())
