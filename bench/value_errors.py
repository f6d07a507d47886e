"""uv run bench/value_errors.py adapters/default/eval-bfcl100 [more evaluation folders]

Where do BFCL replies that make the right number of calls still go wrong?

Once the call count is right, a reply fails on the calls' contents. This script takes the
replies an evaluation graded (its per_case.jsonl and metrics.json; nothing is generated, each
reply is graded again as the report grades it) on BFCL's calling categories, keeps the failing
ones with the right number of calls, and grades each of their calls alone with the official
checker against each answer call of the same function (the checker's simple-function rules). A call that matches one of them is right; a wrong call
gets the error of the closest answer call (the one it shares the most argument values with):
`value_error:string`, `simple_function_checker:missing_optional` (an argument the answer needs was
left out), `type_error:...` and so on. For every wrong numeric value it also says whether that
number is written in the request at all (a digit string; `4%` counts as 4 and 0.04): a value from
the request in the wrong place is a reading error, one from nowhere an invention.

Results: bench/results/value_errors/report.md and <name>.json per evaluation folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from smolcall import bfcl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import bfcl_cases_by_id, column_model_ids, graded_bfcl_records  # noqa: E402

OUT = ROOT / "bench" / "results" / "value_errors"
CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple")
COLUMNS = ("tuned", "constrained")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def request_numbers(text: str) -> set[float]:
    """The numbers written in digits in `text`, commas dropped; a percentage also as a fraction."""
    found = set()
    for m in _NUMBER.finditer(text):
        value = float(m.group().replace(",", ""))
        found.add(value)
        if re.match(r"\s*(%|percent)", text[m.end():m.end() + 9]):
            found.add(round(value / 100, 12))
    return found


def matches(value, alternatives: list) -> bool:
    """The checker's test for one argument, loosely: a number equal as a float, a string equal
    after the checker's own standardize_string (case, spaces and ",./-_*^" dropped), anything else equal."""
    bfcl.official_ast_checker()  # installs the stand-in config the checker's package imports
    from bfcl_eval.eval_checker.ast_eval.ast_checker import standardize_string

    def plain(v):
        return standardize_string(v) if isinstance(v, str) else v
    for alt in alternatives:
        if isinstance(value, (int, float)) and isinstance(alt, (int, float)) and not isinstance(value, bool) \
                and not isinstance(alt, bool):
            if float(value) == float(alt):
                return True
        elif plain(value) == plain(alt):
            return True
    return False


def grade_call(case: bfcl.BfclCase, call: dict) -> tuple[str, list]:
    """("ok", []) when the call alone passes the checker against an answer call of its function,
    else (the closest answer call's error type, [(argument, value, answer alternatives), ...] for
    the wrong values)."""
    (name, args), = call.items()
    answers = [g for g in case.ground_truth if name in g]
    functions = [f for f in case.functions if f.get("name") == name]
    if not answers or not functions:
        return "wrong function", []
    checker = bfcl.official_ast_checker()
    best = None
    for answer in answers:
        try:
            result = checker(functions, [call], [answer], bfcl.Language.PYTHON, "simple_python",
                             bfcl.CHECKER_MODEL_NAME)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
            result = {"valid": False, "error_type": f"checker_error:{type(e).__name__}"}
        if result["valid"]:
            return "ok", []
        expected = answer[name]
        wrong = [(k, v, expected[k]) for k, v in args.items() if k in expected and not matches(v, expected[k])]
        if best is None or len(wrong) < len(best[1]):
            best = (result.get("error_type") or "unknown", wrong)
    return best


def analyse(eval_dir: Path) -> dict:
    ids = {col: names for col, names in column_model_ids(eval_dir).items() if col in COLUMNS}
    cases = bfcl_cases_by_id()
    out: dict = {}
    # Every reply graded again, as the report grades it (a stored verdict can be stale).
    for record in graded_bfcl_records(eval_dir, set().union(*ids.values()), cases):
        kind = record["dataset"].removeprefix("bfcl/")
        if kind not in CATEGORIES:
            continue
        column = next(col for col, names in ids.items() if record["model_id"] in names)
        stats = out.setdefault(column, {}).setdefault(kind, {
            "replies": 0, "right": 0, "wrong_count": 0, "right_count_wrong": 0,
            "call_errors": Counter(), "wrong_numbers": Counter()})
        stats["replies"] += 1
        if record["bfcl_valid"]:
            stats["right"] += 1
            continue
        case = cases[record["case_id"].split(":")[0]]
        decoded = bfcl.decode_reply(record["reply"]) or []
        if len(decoded) != len(case.ground_truth):
            stats["wrong_count"] += 1
            continue
        stats["right_count_wrong"] += 1
        numbers = request_numbers(" ".join(m["content"] for m in case.messages if m["role"] == "user"))
        for call in decoded:
            error, wrong = grade_call(case, call)
            stats["call_errors"][error] += 1
            for _, value, _ in wrong:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    stats["wrong_numbers"]["in request" if float(value) in numbers else "not in request"] += 1
    return out


def to_markdown(results: dict[str, dict]) -> str:
    lines = ["# Right call count, wrong contents: BFCL replies by the official checker, call by call", "",
             "`uv run bench/value_errors.py " + " ".join(results) + "`", "",
             "Per evaluation and column: failing replies with the right number of calls, the error of each of their",
             "calls graded alone (the closest answer call's), and the wrong numeric values found in the request or not.", ""]
    for eval_dir, columns in results.items():
        for column, kinds in columns.items():
            lines += [f"## {eval_dir}: {column}", "",
                      "| category | replies | right | wrong count | right count, wrong | call errors (most first) | wrong numbers: in request / not |",
                      "|---|---|---|---|---|---|---|"]
            for kind in CATEGORIES:
                s = kinds.get(kind)
                if not s:
                    continue
                errors = ", ".join(f"{k} {n}" for k, n in Counter(s["call_errors"]).most_common() if k != "ok")
                numbers = Counter(s["wrong_numbers"])
                lines.append(f"| {kind} | {s['replies']} | {s['right']} | {s['wrong_count']} | {s['right_count_wrong']} | "
                             f"{errors} | {numbers['in request']} / {numbers['not in request']} |")
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[2])
    parser.add_argument("evals", nargs="+", type=Path, help="evaluation folders (per_case.jsonl + metrics.json)")
    args = parser.parse_args()
    results = {}
    OUT.mkdir(parents=True, exist_ok=True)
    for eval_dir in args.evals:
        name = str(eval_dir)
        results[name] = analyse(eval_dir)
        (OUT / (eval_dir.parent.name + ".json")).write_text(json.dumps(results[name], indent=2) + "\n")
    table = to_markdown(results)
    (OUT / "report.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
