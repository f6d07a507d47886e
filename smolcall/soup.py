"""Adapter soups: several LoRA adapters of one recipe (other seeds, say) averaged into one.

A LoRA adapter adds `scale * A @ B` to each adapted weight. The mean of n such changes is itself
a LoRA change, of rank r_1 + ... + r_n:

    A = [A_1 | ... | A_n]    (stacked along the rank)
    B = [B_1; ...; B_n] * (scale_i / scale) / n

so the soup loads and fuses like any adapter, and its fused weights are exactly the mean of the
runs' fused weights. (Averaging the A and B matrices themselves would not be: two runs' factors
differ by an arbitrary change of basis.)

    soup_adapters([Path("adapters/default"), Path("adapters/abl-seed1")], Path("adapters/soup"))
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import mlx.core as mx

from smolcall.chat_model import ADAPTER_WEIGHTS, adapter_base_model
from smolcall.models import ModelNotFoundError, file_digest


class SoupError(ValueError):
    """Adapters that cannot be averaged into one; the message names the difference and the fix."""


def _read(folder: Path) -> tuple[dict, dict[str, mx.array]]:
    try:
        adapter_base_model(folder)  # the checks loading makes: config, JSON, base_model, weights
    except ModelNotFoundError as e:
        raise SoupError(str(e)) from e
    return json.loads((folder / "adapter_config.json").read_text()), mx.load(str(folder / ADAPTER_WEIGHTS))


def soup_adapters(sources: list[Path], out: Path) -> dict:
    """Write the mean of the LoRA adapters in `sources` to `out` (weights and config) and return
    the config written. All must be LoRA adapters of one base model on the same layers."""
    if len(sources) < 2:
        raise SoupError(f"a soup needs at least two adapters, got {len(sources)}")
    read = [_read(Path(s)) for s in sources]
    first, first_weights = read[0]
    for source, (config, weights) in zip(sources, read, strict=True):
        kind = config.get("fine_tune_type")
        if kind != "lora":
            raise SoupError(f"{source} is a {kind!r} adapter; only LoRA adapters average into one "
                            "(DoRA's magnitudes and full weights do not stack along a rank)")
        for key in ("base_model", "num_layers"):
            if config.get(key) != first.get(key):
                raise SoupError(f"{source} has {key} {config.get(key)!r} but {sources[0]} has "
                                f"{first.get(key)!r}: average adapters of one recipe")
        if set(weights) != set(first_weights):
            key = sorted(set(weights) ^ set(first_weights))[0]
            raise SoupError(f"{source} and {sources[0]} adapt different layers (first difference: {key}); "
                            "average adapters trained with the same num_layers and lora_keys")
    scale = first["lora_parameters"]["scale"]
    n = len(read)
    merged = {}
    for key in first_weights:
        if key.endswith("lora_a"):
            merged[key] = mx.concatenate([w[key] for _, w in read], axis=1)
        elif key.endswith("lora_b"):
            parts = [w[key] * (c["lora_parameters"]["scale"] / scale) for c, w in read]
            merged[key] = mx.concatenate(parts, axis=0) / n
        else:
            raise SoupError(f"{sources[0]} holds {key}, which is not a LoRA factor (lora_a or lora_b)")
    out.mkdir(parents=True, exist_ok=True)
    mx.save_safetensors(str(out / ADAPTER_WEIGHTS), merged)
    config = copy.deepcopy(first)
    config["lora_parameters"]["rank"] = sum(c["lora_parameters"]["rank"] for c, _ in read)
    config["lora_parameters"]["dropout"] = 0.0
    config["soup_of"] = [{"adapter": Path(s).as_posix(), "weights_sha256_10": file_digest(Path(s) / ADAPTER_WEIGHTS)}
                         for s in sources]
    (out / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config
