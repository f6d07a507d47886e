"""uv run train/soup.py --out adapters/NAME ADAPTER ADAPTER [ADAPTER ...]

Average LoRA adapters of one recipe (runs with other seeds, say) into one adapter: its fused
weights are exactly the mean of theirs (smolcall.soup). Evaluate or serve it like any adapter.
"""

import smolcall  # noqa: F401  (first: the package sets up the environment scripts rely on)

import argparse
import sys
from pathlib import Path

from smolcall.soup import SoupError, soup_adapters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("adapters", nargs="+", type=Path, help="adapter folders (adapters/<run>)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the averaged adapter")
    args = parser.parse_args(argv)
    try:
        config = soup_adapters(args.adapters, args.out)
    except SoupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{args.out}: the mean of {len(args.adapters)} adapters, LoRA rank {config['lora_parameters']['rank']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
