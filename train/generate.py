"""uv run train/generate.py [--out data/smolcall-gen] [--seed 0] [--train-rows N] [--valid-rows N] [--test-rows N] [--masked-share F] [--no-call-share F] [--parallel-share F] [--mixed-share F] [--near-miss-share F] [--catalog base|extended] [--max-tools N] [--prompt-style compact|glaive] [--force]

Generate the synthetic function-calling set: Glaive v2 rows in `<out>/glaive.jsonl`, converted by
the same code as the real data into `<out>/{train,valid,test}.jsonl`, with `report.json` and the
diversity figures in `stats.json`. Test rows use held-out functions and wording. Seeded and offline.
"""

import smolcall  # noqa: F401  (first: the package sets up the environment scripts rely on)

import argparse
import json
import sys
import time
from pathlib import Path

from smolcall import ui
from smolcall.datagen import GenConfig, ensure_generated
from smolcall.datagen.build import CATALOGS
from smolcall.prompt import STYLES

DEFAULTS = GenConfig()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("data/smolcall-gen"), help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULTS.seed)
    parser.add_argument("--train-rows", type=int, default=DEFAULTS.train_rows)
    parser.add_argument("--valid-rows", type=int, default=DEFAULTS.valid_rows)
    parser.add_argument("--test-rows", type=int, default=DEFAULTS.test_rows)
    parser.add_argument("--hard-share", type=float, default=DEFAULTS.hard_share,
                        help="share of test rows in the hard group")
    parser.add_argument("--masked-share", type=float, default=DEFAULTS.masked_share,
                        help="share of rows with random function/parameter names")
    parser.add_argument("--no-call-share", type=float, default=DEFAULTS.no_call_share,
                        help="share of train/valid rows answered without a call (irrelevance augmentation)")
    parser.add_argument("--parallel-share", type=float, default=DEFAULTS.parallel_share,
                        help="share of train/valid rows with several calls (default: scaled with the other calling kinds)")
    parser.add_argument("--mixed-share", type=float, default=DEFAULTS.mixed_share,
                        help="chance that each request of a joined multi-call train/valid row asks for a list of "
                             "values (compositional calls; default 0)")
    parser.add_argument("--near-miss-share", type=share_or_none, default=DEFAULTS.near_miss_share,
                        help="share of train/valid no-call rows that offer only one or two functions of the "
                             "request's own domain, none of which fits (default: %(default)s; none: generator "
                             "v2's built-in mix only)")
    parser.add_argument("--catalog", choices=sorted(CATALOGS), default=DEFAULTS.catalog,
                        help="functions of the train/valid rows: base (29 domains) or extended (base plus "
                             "science, maths, history and more; default: %(default)s)")
    parser.add_argument("--lone-tool-share", type=float, default=DEFAULTS.lone_tool_share,
                        help="share of calling train/valid rows that offer only the functions they call, as "
                             "BFCL's simple and parallel cases do (default: %(default)s)")
    parser.add_argument("--value-skills-share", type=float, default=DEFAULTS.value_skills_share,
                        help="chance of each value skill in a train/valid row: an optional parameter the request "
                             "states, a city with its region, percent rates taken as decimals (default: %(default)s)")
    parser.add_argument("--sequence-share", type=float, default=DEFAULTS.sequence_share,
                        help="share of multi-call train/valid rows asked as BFCL's parallel questions are: 2-4 "
                             "requests behind sequence words, paired lists (\"respectively\"), a request asked "
                             "again with other values (default: %(default)s)")
    parser.add_argument("--spec-wording-share", type=float, default=DEFAULTS.spec_wording_share,
                        help="chance that a train/valid request is worded from the function's spec: its "
                             "description, then each stated parameter named and given its value, in a random "
                             "order (default: %(default)s)")
    parser.add_argument("--cross-share", type=float, default=DEFAULTS.cross_share,
                        help="share of multi-call train/valid rows whose calls are a cross product: one function, "
                             "two parameters each given a list, one call per combination (default: %(default)s)")
    parser.add_argument("--twin-share", type=float, default=DEFAULTS.twin_share,
                        help="chance that a train/valid near-miss row also asks for what one of its offered "
                             "functions does, answered with the call, before or after the declined request "
                             "(default: %(default)s)")
    parser.add_argument("--max-tools", type=int, default=DEFAULTS.max_tools, help="most functions offered per prompt")
    parser.add_argument("--prompt-style", choices=STYLES, default=DEFAULTS.prompt_style)
    parser.add_argument("--force", action="store_true", help="rebuild even if the folder matches these settings")
    args = parser.parse_args(argv)
    try:
        GenConfig(**settings(args)).check()
    except ValueError as e:
        parser.error(str(e))
    return args


def share_or_none(text: str) -> float | None:
    """A share on the command line, or none/null for "not set"."""
    return None if text.lower() in ("none", "null") else float(text)


def settings(args: argparse.Namespace) -> dict:
    """GenConfig fields from the command line."""
    return {"seed": args.seed, "train_rows": args.train_rows, "valid_rows": args.valid_rows,
            "test_rows": args.test_rows, "hard_share": args.hard_share, "masked_share": args.masked_share,
            "no_call_share": args.no_call_share, "parallel_share": args.parallel_share,
            "mixed_share": args.mixed_share, "near_miss_share": args.near_miss_share, "catalog": args.catalog,
            "lone_tool_share": args.lone_tool_share,
            "value_skills_share": args.value_skills_share, "sequence_share": args.sequence_share,
            "spec_wording_share": args.spec_wording_share, "cross_share": args.cross_share,
            "twin_share": args.twin_share,
            "max_tools": args.max_tools,
            "prompt_style": args.prompt_style}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    out = ensure_generated(args.out, force=args.force, **settings(args))
    ui.print_conversion_report(json.loads((out / "report.json").read_text(encoding="utf-8")))
    ui.print_dataset_stats(json.loads((out / "stats.json").read_text(encoding="utf-8")))
    print(f"{out} ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
