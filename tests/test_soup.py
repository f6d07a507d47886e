"""Adapter soups: the averaged adapter's fused weights are the mean of the runs' fused weights."""

import json
from pathlib import Path

import mlx.core as mx
import numpy as np
import pytest
from mlx.utils import tree_flatten

from smolcall.chat_model import load_chat_model
from smolcall.config import load_config
from smolcall.soup import SoupError, soup_adapters
from smolcall.trainer import apply_adapters

ROOT = Path(__file__).resolve().parent.parent


def make_adapter(folder: Path, model_dir: Path, seed: int, rank: int = 4, scale: float = 2.0,
                 num_layers: int = 2, kind: str = "lora") -> Path:
    """A trained-looking adapter: LoRA factors with random B (training starts B at zero)."""
    from mlx_lm import load

    model, _ = load(str(model_dir))
    cfg = load_config(None, {"model": str(model_dir), "num_layers": num_layers, "lora_rank": rank,
                             "lora_scale": scale, "generate_data": False})
    mx.random.seed(seed)
    apply_adapters(model, cfg)
    params = {k: (mx.random.normal(v.shape) * 0.05 if k.endswith("lora_b") else v)
              for k, v in tree_flatten(model.trainable_parameters())}
    folder.mkdir(parents=True)
    mx.save_safetensors(str(folder / "adapters.safetensors"), params)
    config = {"fine_tune_type": kind, "num_layers": num_layers, "base_model": str(model_dir),
              "lora_parameters": {"rank": rank, "scale": scale, "dropout": 0.1}}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    return folder


def fused_weights(adapter: Path) -> dict[str, np.ndarray]:
    chat = load_chat_model(adapter)
    return {k: np.array(v) for k, v in tree_flatten(chat.model.parameters()) if k.endswith("weight")}


def test_soup_fuses_to_the_mean_of_the_runs(tmp_path, tiny_model_dir):
    # Different ranks and scales: each run's factors are rescaled into the soup's one scale.
    runs = [make_adapter(tmp_path / "a", tiny_model_dir, 1),
            make_adapter(tmp_path / "b", tiny_model_dir, 2, rank=8, scale=1.0),
            make_adapter(tmp_path / "c", tiny_model_dir, 3)]
    config = soup_adapters(runs, tmp_path / "soup")
    assert config["lora_parameters"] == {"rank": 16, "scale": 2.0, "dropout": 0.0}
    assert [s["adapter"] for s in config["soup_of"]] == [p.as_posix() for p in runs]
    each = [fused_weights(r) for r in runs]
    soup = fused_weights(tmp_path / "soup")
    base = {k: np.array(v) for k, v in tree_flatten(load_chat_model(None, str(tiny_model_dir)).model.parameters())}
    changed = 0
    for key, weight in soup.items():
        mean = sum(w[key] for w in each) / len(each)
        np.testing.assert_allclose(weight, mean, atol=1e-5, err_msg=key)
        changed += not np.allclose(weight, base[key])
    assert changed >= 14  # 7 adapted projections x 2 layers moved from the base


def test_soup_cli_writes_an_adapter_and_names_bad_input(tmp_path, tiny_model_dir):
    import subprocess
    import sys

    a = make_adapter(tmp_path / "a", tiny_model_dir, 1)
    b = make_adapter(tmp_path / "b", tiny_model_dir, 2)
    one_layer = make_adapter(tmp_path / "one", tiny_model_dir, 3, num_layers=1)
    dora = make_adapter(tmp_path / "dora", tiny_model_dir, 4, kind="dora")
    run = [sys.executable, str(ROOT / "train" / "soup.py"), "--out", str(tmp_path / "s")]
    done = subprocess.run(run + [str(a), str(b)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "the mean of 2 adapters, LoRA rank 8" in done.stdout
    assert (tmp_path / "s" / "adapters.safetensors").is_file()
    for args, message in [([a], "at least two adapters"), ([a, one_layer], "num_layers 1"),
                          ([a, dora], "'dora' adapter"), ([a, tmp_path / "none"], "has no adapter_config.json")]:
        failed = subprocess.run(run + [str(p) for p in args], capture_output=True, text=True, cwd=ROOT)
        assert failed.returncode == 2 and message in failed.stderr, failed.stderr


def test_soup_refuses_adapters_of_other_layers(tmp_path, tiny_model_dir):
    a = make_adapter(tmp_path / "a", tiny_model_dir, 1)
    b = make_adapter(tmp_path / "b", tiny_model_dir, 2)
    weights = mx.load(str(b / "adapters.safetensors"))
    weights = {k: v for k, v in weights.items() if "q_proj" not in k}
    mx.save_safetensors(str(b / "adapters.safetensors"), weights)
    with pytest.raises(SoupError, match="adapt different layers.*q_proj"):
        soup_adapters([a, b], tmp_path / "soup")
