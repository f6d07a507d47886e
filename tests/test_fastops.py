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
    # Far below the range: a tiny positive number, never inf/nan (softmax of masked scores).
    far = np.array(fastops.fast_exp(mx.array([-1e30, -200.0, 200.0])))
    assert np.isfinite(far).all() and far[0] < 1e-37 and far[1] < 1e-37


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
    original = llama.swiglu
    try:
        assert fastops.install() and llama.swiglu is fastops.fast_swiglu
        np.testing.assert_allclose(np.array(model(ids)), before, atol=1e-4)
    finally:
        fastops.uninstall()
    assert llama.swiglu is original
    monkeypatch.setenv("SMOLCALL_NO_FAST_OPS", "1")
    assert not fastops.install() and llama.swiglu is original


@pytest.mark.parametrize("shape", [(3, 5), (2, 7, 11)])
def test_fast_exp_keeps_shape_and_dtype(shape):
    x = mx.random.normal(shape)
    assert fastops.fast_exp(x).shape == x.shape and fastops.fast_exp(x).dtype == mx.float32
