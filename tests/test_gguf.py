"""GGUF -> MLX conversion: permutation, bits, names, atomic writes, errors, a real round trip."""

import json
import subprocess
import sys
from pathlib import Path

import mlx.core as mx
import numpy as np
import pytest
from conftest import write_llama_gguf

from smolcall import gguf
from smolcall.gguf import (
    MANIFEST,
    GGUFError,
    atomic_folder,
    convert_gguf,
    gguf_name,
    mlx_name,
    permute_rows,
    quant_bits,
    read_header,
    read_manifest,
    unpermute_rows,
)


@pytest.mark.parametrize(
    ("rows", "heads", "expected"),
    [
        (8, 1, [0, 4, 1, 5, 2, 6, 3, 7]),
        (8, 2, [0, 2, 1, 3, 4, 6, 5, 7]),
        (4, 2, [0, 1, 2, 3]),
    ],
)
def test_permute_rows_interleaves_halves_per_head(rows: int, heads: int, expected: list[int]):
    assert permute_rows(mx.arange(rows), heads).tolist() == expected
    assert unpermute_rows(mx.array(expected), heads).tolist() == list(range(rows))


@pytest.mark.parametrize(
    ("shape", "heads"),
    [((576, 18), 9), ((192, 72), 3), ((24,), 3), ((16, 4, 2), 2)],
)
def test_unpermute_inverts_permute_for_weight_scales_and_bias(shape: tuple[int, ...], heads: int):
    w = mx.random.normal(shape)
    assert mx.array_equal(unpermute_rows(permute_rows(w, heads), heads), w)
    # Applying the forward permutation again is not the inverse (unless it is trivial).
    assert not mx.array_equal(permute_rows(permute_rows(w, heads), heads), w)


def test_unpermute_rejects_rows_not_divisible_by_twice_the_heads():
    with pytest.raises(GGUFError, match="10 rows over 3 heads"):
        unpermute_rows(mx.zeros((10, 4)), 3)


@pytest.mark.parametrize(
    ("packed_cols", "scales_cols", "bits"),
    [(72, 18, 4), (144, 18, 8), (192, 48, 4), (384, 48, 8), (16, 4, 4)],
)
def test_quant_bits(packed_cols: int, scales_cols: int, bits: int):
    assert quant_bits(packed_cols, scales_cols) == bits


@pytest.mark.parametrize(
    ("gguf_tensor", "mlx_tensor"),
    [
        ("token_embd.weight", "model.embed_tokens.weight"),
        ("token_embd.scales", "model.embed_tokens.scales"),
        ("output_norm.weight", "model.norm.weight"),
        ("output.weight", "lm_head.weight"),
        ("blk.0.attn_q.biases", "model.layers.0.self_attn.q_proj.biases"),
        ("blk.12.attn_k.bias", "model.layers.12.self_attn.k_proj.bias"),
        ("blk.3.attn_output.weight", "model.layers.3.self_attn.o_proj.weight"),
        ("blk.3.attn_norm.weight", "model.layers.3.input_layernorm.weight"),
        ("blk.3.ffn_norm.weight", "model.layers.3.post_attention_layernorm.weight"),
        ("blk.29.ffn_down.weight", "model.layers.29.mlp.down_proj.weight"),
    ],
)
def test_mlx_name(gguf_tensor: str, mlx_tensor: str):
    assert mlx_name(gguf_tensor) == mlx_tensor
    assert gguf_name(mlx_tensor) == gguf_tensor


@pytest.mark.parametrize(
    "name", ["rope_freqs.weight", "blk.0.attn_qkv.weight", "blk.x.attn_q.weight"]
)
def test_mlx_name_rejects_unknown_tensors(name: str):
    with pytest.raises(GGUFError, match=f"tensor {name} has no counterpart"):
        mlx_name(name)


def test_quantization_config_defaults_to_most_common_bits():
    weights = {
        "model.embed_tokens.weight": mx.zeros((8, 16), dtype=mx.uint32),  # 8 bits
        "model.embed_tokens.scales": mx.zeros((8, 2)),
        "a.weight": mx.zeros((8, 8), dtype=mx.uint32),  # 4 bits
        "a.scales": mx.zeros((8, 2)),
        "b.weight": mx.zeros((8, 8), dtype=mx.uint32),
        "b.scales": mx.zeros((8, 2)),
        "model.norm.weight": mx.zeros((64,)),
    }
    assert gguf.quantization_config(weights) == {
        "group_size": 32,
        "bits": 4,
        "mode": "affine",
        "model.embed_tokens": {"group_size": 32, "bits": 8, "mode": "affine"},
    }
    assert gguf.quantization_config({"model.norm.weight": mx.zeros((64,))}) is None


# --- atomic, idempotent writes -----------------------------------------------------------------


def test_atomic_folder_leaves_nothing_when_interrupted(tmp_path: Path):
    target = tmp_path / "model"
    with pytest.raises(KeyboardInterrupt):
        with atomic_folder(target) as tmp:
            (tmp / "config.json").write_text("{}")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_interrupted_conversion_is_not_complete_and_can_be_redone(
    tiny_gguf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "converted"
    real_write = gguf._write_folder

    def write_then_die(folder: Path, weights: dict, metadata: dict) -> None:
        real_write(folder, weights, metadata)  # every file but the manifest is there
        raise KeyboardInterrupt

    monkeypatch.setattr(gguf, "_write_folder", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        convert_gguf(tiny_gguf, out)
    assert not out.exists() and read_manifest(out) is None
    assert list(tmp_path.iterdir()) == []  # no temp folder left behind

    monkeypatch.setattr(gguf, "_write_folder", real_write)
    assert convert_gguf(tiny_gguf, out) == out
    assert read_manifest(out) is not None


def test_convert_is_idempotent_and_refuses_a_foreign_folder(tiny_gguf: Path, tmp_path: Path):
    out = convert_gguf(tiny_gguf, tmp_path / "converted")
    stamp = (out / MANIFEST).stat().st_mtime_ns
    assert convert_gguf(tiny_gguf, out) == out
    assert (out / MANIFEST).stat().st_mtime_ns == stamp

    other = tmp_path / "other.gguf"
    other.write_bytes(tiny_gguf.read_bytes())
    with pytest.raises(GGUFError, match="already holds a conversion of"):
        convert_gguf(other, out)

    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(GGUFError, match="not a smolcall conversion"):
        convert_gguf(tiny_gguf, tmp_path / "busy")


def test_manifest_rejects_a_truncated_file(tiny_gguf: Path, tmp_path: Path):
    out = convert_gguf(tiny_gguf, tmp_path / "converted")
    weights = out / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-10])
    assert read_manifest(out) is None


# --- errors before any weight loads ------------------------------------------------------------


def _save_gguf(path: Path, arrays: dict, **metadata) -> Path:
    base = {"general.architecture": "llama", "tokenizer.ggml.model": "gpt2"}
    mx.save_gguf(str(path), arrays, {**base, **metadata})
    return path


def test_unsupported_tensor_type_names_tensor_type_and_supported_ones(tmp_path: Path):
    path = _save_gguf(tmp_path / "int.gguf", {"blk.0.attn_q.weight": mx.zeros((4,), mx.int32)})
    assert read_header(path).tensor_types == {"blk.0.attn_q.weight": "I32"}
    with pytest.raises(GGUFError, match=r"blk\.0\.attn_q\.weight .* is I32; MLX reads only F32"):
        convert_gguf(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_other_architectures_are_refused(tmp_path: Path):
    arrays = {"x": mx.zeros((4,))}
    path = _save_gguf(tmp_path / "q.gguf", arrays, **{"general.architecture": "qwen2"})
    with pytest.raises(GGUFError, match="architecture 'qwen2'; only 'llama'"):
        convert_gguf(path, tmp_path / "out")


def test_sentencepiece_vocabularies_are_refused(tmp_path: Path):
    arrays = {"x": mx.zeros((4,))}
    path = _save_gguf(tmp_path / "spm.gguf", arrays, **{"tokenizer.ggml.model": "llama"})
    with pytest.raises(GGUFError, match="tokenizer model 'llama'"):
        convert_gguf(path, tmp_path / "out")


def test_non_gguf_file_is_refused(tmp_path: Path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"PK\x03\x04 not a gguf")
    with pytest.raises(GGUFError, match="is not a GGUF file"):
        convert_gguf(path, tmp_path / "out")


# --- a real round trip on a tiny model ---------------------------------------------------------


def _logits(folder: Path, text: str) -> np.ndarray:
    from mlx_lm import load

    model, tokenizer = load(str(folder))
    return np.array(model(mx.array([tokenizer.encode(text)]))[0])


def test_tiny_llama_survives_gguf_round_trip(tiny_model_dir: Path, tiny_gguf: Path, tmp_path: Path):
    out = convert_gguf(tiny_gguf, tmp_path / "converted")
    config = json.loads((out / "config.json").read_text())
    assert config["model_type"] == "llama" and config["tie_word_embeddings"] is True
    assert "quantization" not in config
    text = "<|im_start|>user\nWhat is 12 + 30?<|im_end|>\n"
    np.testing.assert_allclose(_logits(out, text), _logits(tiny_model_dir, text), atol=1e-5)


def test_skipping_the_unpermute_changes_the_model(tiny_model_dir: Path, tmp_path: Path):
    """The permutation check is not vacuous: a GGUF without llama.cpp's permutation differs."""
    unpermuted = write_llama_gguf(tiny_model_dir, tmp_path / "plain.gguf", permute=False)
    out = convert_gguf(unpermuted, tmp_path / "converted")
    text = "hello world, hello again"
    assert not np.allclose(_logits(out, text), _logits(tiny_model_dir, text), atol=1e-3)


def test_convert_cli(tiny_gguf: Path, tmp_path: Path):
    script = Path(__file__).parents[1] / "train" / "convert.py"
    run = [sys.executable, str(script)]
    out = tmp_path / "m"
    done = subprocess.run([*run, str(tiny_gguf), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and f"converted to {out}" in done.stdout
    assert read_manifest(out) is not None
    failed = subprocess.run([*run, str(tmp_path / "none.gguf")], capture_output=True, text=True)
    assert failed.returncode == 1 and "does not exist" in failed.stderr


def test_fused_adapter_exports_to_gguf_and_back(tiny_model_dir: Path, tiny_gguf: Path, tmp_path: Path):
    """export_gguf writes what llama.cpp reads: our own reader gets the fused model back exactly."""
    import mlx.nn as nn
    from mlx.utils import tree_flatten, tree_unflatten
    from mlx_lm.tuner.utils import linear_to_lora_layers

    from smolcall.gguf import export_gguf
    from smolcall.models import fuse_adapters, load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir), dequantize=True)
    linear_to_lora_layers(model, 2, {"rank": 4, "scale": 2.0, "dropout": 0.0})
    # Non-zero B, so the fused weights really differ from the base ones.
    model.update(tree_unflatten([(name, mx.random.normal(p.shape) * 0.05)
                                 for name, p in tree_flatten(model.trainable_parameters()) if name.endswith("lora_b")]))
    text = "<|im_start|>user\nWhat is 12 + 30?<|im_end|>\n"
    ids = mx.array([tokenizer.encode(text)])
    with_lora = np.array(model(ids)[0])
    fused = fuse_adapters(model)
    assert not any(isinstance(m, nn.Module) and hasattr(m, "lora_a") for _, m in fused.named_modules())
    np.testing.assert_allclose(np.array(fused(ids)[0]), with_lora, atol=1e-4)

    out = export_gguf(fused, tiny_gguf, tmp_path / "tuned-f32.gguf", dtype="f32")
    back = convert_gguf(out, tmp_path / "back")
    np.testing.assert_allclose(_logits(back, text), with_lora, atol=1e-4)
    assert np.abs(_logits(back, text) - _logits(tiny_model_dir, text)).max() > 1e-3  # the adapter is in it
    with pytest.raises(GGUFError, match="fuse"):
        model2, _, _ = load_model(str(tiny_model_dir), dequantize=True)
        linear_to_lora_layers(model2, 1, {"rank": 4, "scale": 2.0, "dropout": 0.0})
        export_gguf(model2, tiny_gguf, tmp_path / "x.gguf")
