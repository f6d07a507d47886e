"""uv run train/convert.py FILE.gguf [--out DIR]

Convert a llama-architecture GGUF file (F32/F16/Q4_0/Q4_1/Q8_0 tensors, byte-level BPE
vocabulary) into an MLX model folder that `mlx_lm.load`, training and evaluation read.

    uv run train/convert.py SmolLM2-135M-Instruct.Q4_1.gguf --out models/smollm2-135m
    -> converted to models/smollm2-135m (0.4 s)

Without --out the folder goes into the smolcall cache ($SMOLCALL_CACHE to move it), where a
model ref naming the same .gguf file finds it. Running it again is a no-op.
"""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

import argparse
import sys
import time
from pathlib import Path

from smolcall.gguf import GGUFError, convert_gguf
from smolcall.models import converted_path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line: the GGUF file and an optional output folder."""
    parser = argparse.ArgumentParser(
        description="Convert a llama GGUF file into an MLX model folder."
    )
    parser.add_argument("gguf", type=Path, help="the .gguf file to convert")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: the smolcall cache, where model refs find it)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Convert, print the folder, and return the exit status (1 with a message on failure)."""
    args = parse_args(argv)
    if not args.gguf.is_file():
        print(f"error: {args.gguf} does not exist or is not a file", file=sys.stderr)
        return 1
    out = args.out if args.out is not None else converted_path(args.gguf)
    start = time.perf_counter()
    try:
        folder = convert_gguf(args.gguf, out)
    except GGUFError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"converted to {folder} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
