"""uv run train/prepare.py [--input FILE.json|.jsonl | --hub glaiveai/glaive-function-calling-v2 --revision REV] [--out data/glaive] [--limit N] [--seed S] [--valid-fraction F] [--test-fraction F] [--strict]

Convert Glaive function-calling v2 into MLX chat JSONL: `<out>/{train,valid,test}.jsonl` and
`<out>/report.json` (rows read, written, skipped by reason with example row numbers, calls per
row, token percentiles). With no --input, the hub file is read from the Hugging Face cache at a
pinned revision (downloaded first if the hub is reachable; `HF_HUB_OFFLINE=1` works once cached).
"""

import smolcall  # noqa: F401  (first: the package sets up the environment scripts rely on)

import argparse
import json
import sys
from pathlib import Path

from huggingface_hub.utils import logging as hf_logging

from smolcall import ui
from smolcall.dataset_io import (
    GLAIVE_REPO,
    GLAIVE_REVISION,
    BadRowError,
    DataSourceError,
    approx_tokens,
    convert_rows,
    fetch_glaive,
    load_token_counter,
    read_rows,
)
from smolcall.prompt import STYLES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--input", type=Path, help="a local Glaive file: the hub's JSON array or JSONL")
    source.add_argument("--hub", default=GLAIVE_REPO, help=f"dataset repo id (default {GLAIVE_REPO})")
    parser.add_argument("--revision", default=GLAIVE_REVISION, help="hub commit to read (pinned by default)")
    parser.add_argument("--cache-dir", type=Path, help="Hugging Face cache folder (default: HF_HUB_CACHE)")
    parser.add_argument("--out", type=Path, default=Path("data/glaive"), help="output folder")
    parser.add_argument("--limit", type=int, help="read only the first N rows")
    parser.add_argument("--seed", type=int, default=0, help="seed of the hash split")
    parser.add_argument("--valid-fraction", type=float, default=0.02)
    parser.add_argument("--test-fraction", type=float, default=0.02)
    parser.add_argument("--strict", action="store_true", help="stop at the first bad row")
    parser.add_argument("--prompt-style", choices=STYLES, default="glaive", help="how system prompts list functions")
    parser.add_argument("--per-turn", action="store_true",
                        help="one row per assistant turn, so each call is the trained last message")
    parser.add_argument("--max-tokens", type=int, help="skip rows longer than this (counted tokens)")
    parser.add_argument("--tokenizer", type=Path, help="tokenizer.json to count tokens with (default: an estimate)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit {args.limit}: give a positive row count")
    if not 0 <= args.valid_fraction + args.test_fraction < 1 or min(args.valid_fraction, args.test_fraction) < 0:
        parser.error(f"--valid-fraction {args.valid_fraction} + --test-fraction {args.test_fraction}: "
                     "each must be >= 0 and their sum below 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # huggingface_hub logs each failed request itself; our one-line error already says what to do.
    hf_logging.set_verbosity_error()
    try:
        path = args.input if args.input is not None else fetch_glaive(args.revision, args.cache_dir, args.hub)
        count = load_token_counter(args.tokenizer) if args.tokenizer else approx_tokens
        convert_rows(
            read_rows(path), args.out, seed=args.seed, valid_fraction=args.valid_fraction,
            test_fraction=args.test_fraction, prompt_style=args.prompt_style, strict=args.strict,
            limit=args.limit, count_tokens=count, per_turn=args.per_turn, max_tokens=args.max_tokens,
            token_counter_name=f"tokenizer {args.tokenizer}" if args.tokenizer else "approx (no tokenizer)",
        )
    except (DataSourceError, BadRowError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    ui.print_conversion_report(json.loads((args.out / "report.json").read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
