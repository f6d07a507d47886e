"""smolcall.fastops: the fast exp and what is built on it match MLX's exact functions."""

from __future__ import annotations

import mlx.core as mx
import mlx.nn as nn
import numpy as np
import pytest

from smolcall import fastops


def test_fast_exp_is_accurate_over_float32s_range():
    x = mx.concatenate([mx.linspace(-87, 88, 20001), mx.random.normal((5000,)) * 10])
    exact = np.exp(np.array(x, dtype=np.float64))
    rel = np.abs(np.array(fastops.fast_exp(x), dtype=np.float64) - exact) / exact
    assert rel.max() < 1e-5
    assert rel[np.abs(np.array(x)) < 10].max() < 2e-6
    # Far below the range: exactly 0 (masked scores; never a denormal), never inf/nan.
    far = np.array(fastops.fast_exp(mx.array([-1e30, -200.0, -mx.inf, 200.0])))
    assert np.isfinite(far).all() and (far[:3] == 0).all()


def test_fast_exp_gradient_is_exp():
    x = mx.array([-3.0, 0.0, 0.5, 4.0])
    grad = mx.grad(lambda v: fastops.fast_exp(v).sum())(x)
    np.testing.assert_allclose(np.array(grad), np.exp(np.array(x)), rtol=2e-6)


def test_swiglu_and_its_gradients_match_mlx():
    gate, x = mx.random.normal((64, 96)) * 4, mx.random.normal((64, 96))
    np.testing.assert_allclose(np.array(fastops.fast_swiglu(gate, x)), np.array(nn.silu(gate) * x), atol=1e-5)

    def loss(fn):
        return lambda g, v: (fn(g, v) ** 2).sum()

    ours = mx.grad(loss(fastops.fast_swiglu), argnums=(0, 1))(gate, x)
    theirs = mx.grad(loss(lambda g, v: nn.silu(g) * v), argnums=(0, 1))(gate, x)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-4, atol=1e-4)


def test_cross_entropy_and_its_gradient_match_mlx():
    logits = mx.random.normal((16, 1000)) * 8
    targets = mx.array(np.random.default_rng(0).integers(0, 1000, 16).astype(np.int32))
    np.testing.assert_allclose(np.array(fastops.cross_entropy(logits, targets)),
                               np.array(nn.losses.cross_entropy(logits, targets)), rtol=1e-5, atol=1e-5)
    ours = mx.grad(lambda z: fastops.cross_entropy(z, targets).sum())(logits)
    theirs = mx.grad(lambda z: nn.losses.cross_entropy(z, targets).sum())(logits)
    np.testing.assert_allclose(np.array(ours), np.array(theirs), atol=1e-6)


def test_install_patches_the_mlp_and_changes_nothing_visible(tiny_model_dir, monkeypatch):
    import mlx_lm.models.llama as llama

    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    ids = mx.array([tokenizer.encode("hello there, general kenobi")])
    fastops.uninstall()
    before = np.array(model(ids))
    original = llama.swiglu, llama.scaled_dot_product_attention
    try:
        assert fastops.install() and llama.swiglu is fastops.fast_swiglu
        assert llama.scaled_dot_product_attention.func is fastops.fast_attention
        np.testing.assert_allclose(np.array(model(ids)), before, atol=1e-4)
    finally:
        fastops.uninstall()
    assert (llama.swiglu, llama.scaled_dot_product_attention) == original
    monkeypatch.setenv("SMOLCALL_NO_FAST_OPS", "1")
    assert not fastops.install() and (llama.swiglu, llama.scaled_dot_product_attention) == original


@pytest.mark.parametrize("shape", [(3, 5), (2, 7, 11)])
def test_fast_exp_keeps_shape_and_dtype(shape):
    x = mx.random.normal(shape)
    assert fastops.fast_exp(x).shape == x.shape and fastops.fast_exp(x).dtype == mx.float32


def test_fast_softmax_and_its_gradient_match_mlx():
    x = mx.random.normal((3, 5, 40)) * 6
    x = mx.where(mx.random.uniform(shape=x.shape) < 0.2, -mx.inf, x)  # masked entries
    x[..., 0] = 1.0  # every row keeps one finite score
    np.testing.assert_allclose(np.array(fastops.fast_softmax(x)), np.array(mx.softmax(x, axis=-1)), atol=1e-6)
    w = mx.random.normal(x.shape)
    ours = mx.grad(lambda z: (fastops.fast_softmax(z) * w).sum())(x)
    theirs = mx.grad(lambda z: (mx.softmax(z, axis=-1) * w).sum())(x)
    np.testing.assert_allclose(np.array(ours), np.array(theirs), atol=1e-6)
    assert not np.isnan(np.array(ours)).any()


def assert_attention_matches_mlx(q, k, v, scale, mask):
    """fast_attention's output and its gradients for q, k and v match MLX's SDPA."""

    def ours(q, k, v):
        return fastops.fast_attention(q, k, v, None, scale, mask)

    def theirs(q, k, v):
        return mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=mask)

    np.testing.assert_allclose(np.array(ours(q, k, v)), np.array(theirs(q, k, v)), atol=2e-5)
    w = mx.random.normal(q.shape)
    g_ours = mx.grad(lambda *a: (ours(*a) * w).sum(), argnums=(0, 1, 2))(q, k, v)
    g_theirs = mx.grad(lambda *a: (theirs(*a) * w).sum(), argnums=(0, 1, 2))(q, k, v)
    for a, b in zip(g_ours, g_theirs, strict=True):
        np.testing.assert_allclose(np.array(a), np.array(b), atol=5e-5)


@pytest.mark.parametrize("mask", ["causal", "bool", "additive", "per_row", "per_head", None])
def test_fast_attention_and_its_gradients_match_mlx_sdpa(mask):
    heads, kv_heads, length, dim = 6, 2, 13, 8
    q = mx.random.normal((2, heads, length, dim))
    k, v = mx.random.normal((2, kv_heads, length, dim)), mx.random.normal((2, kv_heads, length, dim))
    allowed = mx.random.uniform(shape=(length, length)) < 0.7
    allowed = allowed | mx.eye(length, dtype=mx.bool_)
    per_row = mx.stack([allowed, allowed.T | mx.eye(length, dtype=mx.bool_)])[:, None]  # [2, 1, L, L]
    per_head = mx.random.uniform(shape=(2, heads, length, length)) < 0.6
    per_head = per_head | mx.eye(length, dtype=mx.bool_)
    m = {"causal": "causal", "bool": allowed, "additive": mx.where(allowed, 0.0, -1e9), "per_row": per_row,
         "per_head": per_head, None: None}[mask]
    assert_attention_matches_mlx(q, k, v, dim**-0.5, m)


@pytest.mark.parametrize("length", [8, 13, 16, 40])
def test_causal_attention_split_in_blocks_matches_mlx_sdpa(length, monkeypatch):
    monkeypatch.setattr(fastops, "CAUSAL_BLOCK", 4)  # split at 8 tokens and more, recursively from 16
    heads, kv_heads, dim = 6, 2, 8
    q = mx.random.normal((2, heads, length, dim))
    k, v = mx.random.normal((2, kv_heads, length, dim)), mx.random.normal((2, kv_heads, length, dim))
    assert_attention_matches_mlx(q, k, v, dim**-0.5, "causal")


def test_fast_attention_over_a_kv_cache_matches_mlx_sdpa():
    from mlx_lm.models.base import create_attention_mask
    from mlx_lm.models.cache import KVCache

    heads, kv_heads, dim = 6, 2, 8
    cache = KVCache()
    for length in (7, 1, 3, 1):  # a prompt, then decoding steps and a batched draft
        q = mx.random.normal((1, heads, length, dim))
        k, v = mx.random.normal((1, kv_heads, length, dim)), mx.random.normal((1, kv_heads, length, dim))
        h = mx.zeros((1, length, heads * dim))
        mask = create_attention_mask(h, cache)  # before the update, as mlx-lm's models call it
        keys, values = cache.update_and_fetch(k, v)
        ours = fastops.fast_attention(q, keys, values, cache, dim**-0.5, mask)
        theirs = mx.fast.scaled_dot_product_attention(q, keys, values, scale=dim**-0.5, mask=mask)
        np.testing.assert_allclose(np.array(ours), np.array(theirs), atol=2e-5)


def test_fast_attention_hands_quantized_caches_and_sinks_to_mlx_lm():
    seen = []

    def sdpa(*args, **kwargs):
        seen.append((kwargs["cache"], kwargs["sinks"]))
        return "theirs"

    class QuantizedCache:
        bits = 4

    quantized = QuantizedCache()
    assert fastops.fast_attention(None, None, None, quantized, 1.0, None, _sdpa=sdpa) == "theirs"
    assert fastops.fast_attention(None, None, None, None, 1.0, None, sinks="s", _sdpa=sdpa) == "theirs"
    assert seen == [(quantized, None), (None, "s")]


@pytest.mark.parametrize("offset", [0, 3, 700])
def test_table_rope_matches_mlx_rope_and_its_gradient(offset):
    import mlx.nn as nn

    x = mx.random.normal((2, 3, 5, 16))
    theirs, ours = nn.RoPE(16, base=10000.0), fastops.TableRoPE(16, 10000.0)
    # fast.rope rounds the angle (position x frequency) in float32; the table does it in float64.
    tolerance = 1e-5 if offset < 100 else 5e-4
    np.testing.assert_allclose(np.array(ours(x, offset)), np.array(theirs(x, offset)), atol=tolerance)
    w = mx.random.normal(x.shape)
    g_ours = mx.grad(lambda z: (ours(z, offset) * w).sum())(x)
    g_theirs = mx.grad(lambda z: (theirs(z, offset) * w).sum())(x)
    np.testing.assert_allclose(np.array(g_ours), np.array(g_theirs), atol=tolerance)


def test_table_rope_grows_its_table_and_leaves_array_offsets_to_mlx():
    rope = fastops.TableRoPE(8, 10000.0)
    x = mx.random.normal((1, 1, 3, 8))
    far = rope(x, 5000)  # past the first table's 4096 positions
    assert rope._table[0].shape[0] >= 5003
    import mlx.nn as nn

    np.testing.assert_allclose(np.array(far), np.array(nn.RoPE(8, base=10000.0)(x, 5000)), atol=2e-3)
    offsets = mx.array([5])
    np.testing.assert_array_equal(np.array(rope(x, offsets)),
                                  np.array(mx.fast.rope(x, 8, traditional=False, base=10000.0, scale=1.0,
                                                        offset=offsets)))
    assert rope.parameters() == {}  # the table is not a weight: never trained, saved or fused


def test_load_model_swaps_rope_for_the_table_and_keeps_the_function(tiny_model_dir, monkeypatch):
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    assert all(isinstance(layer.self_attn.rope, fastops.TableRoPE) for layer in model.model.layers)
    ids = mx.array([tokenizer.encode("hello there, general kenobi")])
    monkeypatch.setenv("SMOLCALL_NO_FAST_OPS", "1")
    fastops.uninstall()
    try:
        plain, _, _ = load_model(str(tiny_model_dir))
        assert fastops.patch_rope(plain) == 0
        reference = np.array(plain(ids))
    finally:
        monkeypatch.delenv("SMOLCALL_NO_FAST_OPS")
        fastops.install()
    np.testing.assert_allclose(np.array(model(ids)), reference, atol=1e-4)
