"""uv run bench/stated_slots.py [CATEGORY ...]

Which optional arguments would stated arguments write, and does BFCL's answer want them?

Stated arguments (`--stated-arguments`, smolcall.constrain.StatedArguments) go on to an optional
argument the request names. Nothing is decoded here: for every one-call BFCL case, each optional
argument of the answer's tool is one slot, named or not by the rule, and the answer puts it in
one of three classes:

- needed: the answer lists values and no "" (leaving it out is wrong);
- either: the answer lists "" (or null) beside values (left out is right, written must match);
- out: the answer leaves it out or lists only "" (written is wrong).

The rule gains where it names needed slots and risks the "either" and "out" ones it names. The
default categories: simple_python (whose misses the rule was written on) and live_simple (never
read for it).

Results: bench/results/stated_arguments/slots.md and slots.json.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from smolcall.bfcl import ALL_CATEGORIES, load_category
from smolcall.constrain import StatedArguments

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import write_results  # noqa: E402

OUT = ROOT / "bench" / "results" / "stated_arguments" / "slots.json"
CLASSES = ("needed", "either", "out")


def slot_class(answer: dict, key: str) -> str:
    values = answer.get(key)
    if values is None or all(v in ("", None) for v in values):
        return "out"
    return "either" if any(v in ("", None) for v in values) else "needed"


def count(category: str) -> dict:
    slots = Counter()
    cases = 0
    for case in load_category(category):
        if not case.ground_truth or len(case.ground_truth) != 1:
            continue
        ((name, answer),) = case.ground_truth[0].items()
        tool = next((t for t in case.tools if t.get("name") == name), None)
        if tool is None:
            continue
        cases += 1
        named = StatedArguments.for_conversation(case.messages, [tool], None).named[name]
        required = set(tool["parameters"].get("required") or [])
        for key, is_named in named:
            if key not in required:
                slots[(slot_class(answer, key), is_named)] += 1
    return {"cases": cases, **{c: {"named": slots[(c, True)], "slots": slots[(c, True)] + slots[(c, False)]}
                               for c in CLASSES}}


def to_markdown(results: dict) -> str:
    lines = ["Optional-argument slots of one-call BFCL cases the rule names, of all (no decoding):", "",
             "| category | cases | needed | either | out |", "|---|---|---|---|---|"]
    for category, r in results.items():
        cells = " | ".join(f"{r[c]['named']} of {r[c]['slots']}" for c in CLASSES)
        lines.append(f"| {category} | {r['cases']} | {cells} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[2])
    parser.add_argument("categories", nargs="*", default=["simple_python", "live_simple"],
                        help="BFCL categories (default: simple_python live_simple)")
    parser.add_argument("--out", type=Path, default=OUT, help="results JSON; the table goes beside it (.md)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.categories if c not in ALL_CATEGORIES]
    if unknown:
        parser.error(f"unknown BFCL category {', '.join(unknown)}: use some of {', '.join(ALL_CATEGORIES)}")
    write_results(args.out, {c: count(c) for c in args.categories}, to_markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
