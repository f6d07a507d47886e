"""uv run train/train.py [--config configs/default.yaml] [--resume] [--key value ...]

Train a LoRA function caller. With no arguments: the embedded SmolLM2-135M-Instruct on the
generated offline data (built on first use); about 12 min on 2 CPU cores (README, Results). Every config key
can be overridden on the command line (`--iters 50 --lora_rank 8`). Writes adapters/<run>/:
adapters.safetensors, adapter_config.json (mlx-lm's keys + the resolved config), metrics.json
and loss.png. `--resume` continues from the newest checkpoint in adapters/<run>/checkpoints/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import smolcall  # noqa: F401  (preloads OpenBLAS before MLX)
from smolcall.config import ConfigError, load_config
from smolcall.run import TrainingFailed, prepare_run, train_run
from smolcall.trainer import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None, help="YAML config (default: configs/default.yaml)")
    parser.add_argument("--resume", action="store_true", help="continue from the newest checkpoint of the run")
    args, overrides = parser.parse_known_args(argv)
    try:
        cfg = load_config(args.config, overrides)
        plan = prepare_run(cfg)
        train_run(cfg, plan, resume=args.resume)
    except (ConfigError, DataError, TrainingFailed) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
