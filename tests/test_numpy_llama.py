"""smolcall.numpy_llama: the numpy llama forward pass gives MLX's hidden states, over its own
KV cache, and guided decoding picks it only where it applies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smolcall.numpy_llama import NumpyLlama, UnsupportedModel, unsupported


def _mlx_hidden(model, cache, tokens: list[int]) -> np.ndarray:
    import mlx.core as mx

    return np.array(model.model(mx.array([tokens]), cache=cache)[0])


def _check_against_mlx(model, tokens: list[int], atol: float) -> None:
    """Prefill, then passes of 1, 2 and 5 tokens, a trim, and one more token: same hidden states."""
    from mlx_lm.models.cache import make_prompt_cache, trim_prompt_cache

    llama, cache = NumpyLlama(model), make_prompt_cache(model)
    prefill, rest = tokens[:-8], tokens[-8:]
    chunks = [prefill, rest[:1], rest[1:3], rest[3:8]]
    for chunk in chunks:
        expected, got = _mlx_hidden(model, cache, chunk), llama.forward(chunk)
        assert got.shape == expected.shape and got.dtype == np.float32
        np.testing.assert_allclose(got, expected, atol=atol, rtol=0)
    trim_prompt_cache(cache, 4)
    llama.trim(4)
    assert llama.offset == cache[0].offset == len(tokens) - 4
    np.testing.assert_allclose(llama.forward([7]), _mlx_hidden(model, cache, [7]), atol=atol, rtol=0)


def test_hidden_states_match_mlx_on_a_random_llama(tiny_model_dir: Path):
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    _check_against_mlx(chat.model, [int(t) for t in np.random.default_rng(0).integers(3, 250, 40)], atol=1e-4)


def test_hidden_states_match_mlx_on_the_embedded_model_past_a_cache_step(embedded_model_dir: Path):
    """SmolLM2-135M (grouped-query attention, 30 layers), 600 tokens: the cache grows past 512."""
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(embedded_model_dir))
    tokens = [int(t) for t in np.random.default_rng(1).integers(100, 40000, 600)]
    _check_against_mlx(chat.model, tokens, atol=2e-3)  # hidden values reach ~50 after the norm


def test_other_models_are_refused_with_the_reason(tiny_qwen3_dir: Path):
    from smolcall.chat_model import load_chat_model
    from smolcall.guided import MLXPasses, pass_engine

    chat = load_chat_model(base=str(tiny_qwen3_dir))
    assert "qwen3" in unsupported(chat.model)
    with pytest.raises(UnsupportedModel, match="qwen3"):
        NumpyLlama(chat.model)
    assert isinstance(pass_engine(chat), MLXPasses)  # auto falls back to MLX


def test_quantized_llama_is_refused(tiny_model_dir: Path):
    import mlx.nn as nn

    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    nn.quantize(chat.model, group_size=32, bits=4)
    assert "QuantizedLinear" in unsupported(chat.model)


def test_unfused_lora_layers_are_refused_by_name(tiny_model_dir: Path):
    from mlx_lm.tuner.utils import linear_to_lora_layers

    from smolcall.chat_model import load_chat_model
    from smolcall.guided import MLXPasses, pass_engine

    chat = load_chat_model(base=str(tiny_model_dir))
    linear_to_lora_layers(chat.model, 1, {"rank": 4, "scale": 1.0, "dropout": 0.0})
    assert "LoRALinear projections" in unsupported(chat.model)  # named, not an AttributeError
    assert isinstance(pass_engine(chat), MLXPasses)


def test_auto_engine_is_numpy_on_cpu_unless_switched_off(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from smolcall.chat_model import load_chat_model
    from smolcall.guided import MLXPasses, NumpyPasses, pass_engine

    chat = load_chat_model(base=str(tiny_model_dir))
    assert isinstance(pass_engine(chat), NumpyPasses)
    assert isinstance(pass_engine(chat, "mlx"), MLXPasses)
    monkeypatch.setenv("SMOLCALL_NO_NUMPY_DECODE", "1")
    assert isinstance(pass_engine(chat), MLXPasses)
    with pytest.raises(ValueError, match="unknown engine"):
        pass_engine(chat, "torch")


def test_kv_cache_taken_from_mlx_serves_the_next_pass(tiny_model_dir: Path):
    """The agent's constrained attempt reuses the KV cache its plain MLX attempt filled."""
    from mlx_lm.models.cache import make_prompt_cache, trim_prompt_cache

    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    tokens = [int(t) for t in np.random.default_rng(2).integers(3, 250, 30)]
    cache = make_prompt_cache(chat.model)
    _mlx_hidden(chat.model, cache, tokens[:-1])
    llama = NumpyLlama(chat.model)
    assert not llama.load_cache(cache, len(tokens))  # more than it holds: refused, nothing changed
    assert llama.offset == 0
    assert llama.load_cache(cache, len(tokens) - 3)  # a prefix of what it holds
    trim_prompt_cache(cache, 2)
    np.testing.assert_allclose(llama.forward(tokens[-3:]), _mlx_hidden(chat.model, cache, tokens[-3:]), atol=1e-4, rtol=0)
