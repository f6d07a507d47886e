"""Fast exp, softmax, attention and SwiGLU for MLX's CPU backend, where training spent much of
its time in `exp`.

Measured on the project's Linux machines (mlx 0.32.4, AVX-512 x86-64): MLX's CPU `exp` runs at
about 40 M elements/s, 30x slower than numpy's and 40x slower than its own multiply; SiLU in
every MLP block costs 73 ms on a [1152, 1536] activation against 5 ms for the matmul feeding it.

`fast_exp` is built from multiplies and adds only:
    exp(x) = 2^n * 2^f,  n = floor(x log2 e),  f in [0, 1): 2^f by a degree-7 polynomial,
    2^n by writing n + 127 into a float32's exponent bits (0 below float32's normal range);
relative error below 2e-6 for |x| < 10 and 1e-5 over float32's whole range (the
reduction x log2 e rounds in float32). Inside mlx-lm's compiled training step it
fuses into a few loops. It serves:
- `fast_attention`, patched into mlx-lm's attention for training and for generation over a plain
  KV cache: the softmax from fast_exp, its backward from the output alone; one layer's attention
  at batch 4 x 265 tokens, compiled, 78 -> 38 ms forward, 97 -> 79 ms forward and backward (MLX's
  CPU SDPA is unfused); causal self-attention skips the masked quarter of its scores
  (CAUSAL_BLOCK); a 25-token prefill over a 650-token cache, 30 layers, 160 -> 110 ms;
- `cross_entropy`, the training loss over the 49k-token vocabulary.
`fast_swiglu`, patched into mlx-lm's llama and qwen3 MLP blocks by `install()`, needs no exp: its
sigmoid is a rational tanh that fuses into one loop; on a [1060, 1536] activation, compiled,
forward 62 ms (MLX's silu) -> 15 ms (fast_exp) -> 11 ms, forward and backward 70 -> 41 -> 20 ms.
`TableRoPE` (swapped in by `patch_rope`) rotates from a cached cos/sin table instead of MLX's
`fast.rope`, which recomputes its angles with the slow transcendentals on every call.
The limit now is MLX's compiled CPU kernels: its compiler splits fast_exp into 5 kernels (it
fuses neither `floor` nor a value used twice) and kernels with min/max do not vectorize, so
fast_exp runs at ~120 M elements/s against numpy's 1.3 G.

    >>> install()     # CPU only; SMOLCALL_NO_FAST_OPS=1 turns it off     # doctest: +SKIP

(SMOLCALL_NO_FAST_ATTENTION=1 keeps mlx-lm's attention alone, for the benchmark's ablation.)
"""

from __future__ import annotations

import os
from functools import partial

import mlx.core as mx
import mlx.nn as nn

LOG2E = 1.4426950408889634
# 2^f on [0, 1): Taylor coefficients of exp(f ln 2), degree 7 (error < 2e-7 on the interval).
_POLY = (1.0, 0.6931471805599453, 0.2402265069591007, 0.05550410866482158, 0.009618129107628477,
         0.0013333558146428443, 0.00015403530393381606, 1.525273380405984e-05)

_installed: dict[str, object] = {}


def _poly(x: mx.array, coefficients: tuple[float, ...]) -> mx.array:
    """Horner: coefficients[0] + coefficients[1] x + ..."""
    out = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        out = out * x + c
    return out


def _exp(x: mx.array) -> mx.array:
    # n + 127 stays in [0, 254]; at 0 the result is exactly 0.0, so far-negative inputs (masked
    # attention scores) flush to zero instead of making denormals, which are 100x slower in the
    # products that follow.
    y = mx.clip(x * LOG2E, -127.0, 127.99)
    n = mx.floor(y)
    f = y - n
    p = _poly(f, _POLY)
    scale = mx.left_shift((n + 127.0).astype(mx.int32), 23).view(mx.float32)
    return p * scale


# Each custom function's body and vjp run through mx.compile of their own: MLX evaluates a
# custom function's inner graph op by op even inside a compiled step, so without it the
# polynomial alone is 14 passes over memory instead of one fused loop.
_compiled_exp = mx.compile(_exp)  # not shapeless: the bit view needs known shapes


@mx.custom_function
def fast_exp(x: mx.array) -> mx.array:
    """exp(x) for float32 from multiplies and adds (relative error < 2e-6 for |x| < 10); exp' = exp."""
    return _compiled_exp(x)


@fast_exp.vjp
def _fast_exp_vjp(primals, cotangent, output):
    return (cotangent * output,)


# tanh on [-7.9, 7.9] as a rational function, odd degree 13 over even degree 6 (Eigen's float
# tanh; absolute error < 4e-7), and exactly +-1 beyond: only multiplies, adds, one divide, which
# MLX's compiler fuses into a single loop.
_TANH_P = (4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
           -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16)
_TANH_Q = (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)
_TANH_CLIP = 7.90531110763549805


def fast_tanh(x: mx.array) -> mx.array:
    """tanh for float32 from a rational function (absolute error < 4e-7)."""
    x = mx.clip(x, -_TANH_CLIP, _TANH_CLIP)
    x2 = x * x
    return x * _poly(x2, _TANH_P) / _poly(x2, _TANH_Q)


def fast_sigmoid(x: mx.array) -> mx.array:
    return 0.5 + 0.5 * fast_tanh(0.5 * x)


@partial(mx.compile, shapeless=True)
def _swiglu(gate: mx.array, x: mx.array) -> mx.array:
    return gate * fast_sigmoid(gate) * x


@partial(mx.compile, shapeless=True)
def _swiglu_grads(gate: mx.array, x: mx.array, cotangent: mx.array) -> tuple[mx.array, mx.array]:
    s = fast_sigmoid(gate)
    return cotangent * x * s * (1.0 + gate * (1.0 - s)), cotangent * gate * s


@mx.custom_function
def fast_swiglu(gate: mx.array, x: mx.array) -> mx.array:
    """silu(gate) * x with a rational sigmoid; the backward recomputes the sigmoid (one loop
    each way)."""
    return _swiglu(gate, x)


@fast_swiglu.vjp
def _fast_swiglu_vjp(primals, cotangent, output):
    return _swiglu_grads(*primals, cotangent)


def fast_logsumexp(x: mx.array) -> mx.array:
    """logsumexp over the last axis with fast_exp (the max is subtracted first)."""
    m = mx.stop_gradient(mx.max(x, axis=-1, keepdims=True))
    return (m + mx.log(mx.sum(fast_exp(x - m), axis=-1, keepdims=True))).squeeze(-1)


def cross_entropy(logits: mx.array, targets: mx.array) -> mx.array:
    """Per-row cross-entropy (no reduction), like nn.losses.cross_entropy, with fast_exp."""
    picked = mx.take_along_axis(logits, targets[:, None], axis=-1).squeeze(-1)
    return fast_logsumexp(logits) - picked


@mx.compile
def _softmax(x: mx.array, mask: mx.array) -> mx.array:
    x = x + mask
    e = _exp(x - mx.max(x, axis=-1, keepdims=True))
    return e / mx.sum(e, axis=-1, keepdims=True)


@mx.compile
def _softmax_grad(output: mx.array, cotangent: mx.array) -> mx.array:
    return output * (cotangent - mx.sum(cotangent * output, axis=-1, keepdims=True))


@mx.custom_function
def _masked_softmax(x: mx.array, mask: mx.array) -> mx.array:
    return _softmax(x, mask)


@_masked_softmax.vjp
def _masked_softmax_vjp(primals, cotangent, output):
    return _softmax_grad(output, cotangent), mx.zeros_like(primals[1])


def fast_softmax(x: mx.array, mask: mx.array | None = None) -> mx.array:
    """softmax(x + mask) over the last axis with fast_exp, in one fused loop; the mask is additive
    (0 or -inf, broadcast against x) and gets no gradient; the vjp reuses the output (no exp)."""
    return _masked_softmax(x, mx.array(0.0, x.dtype) if mask is None else mask)


# Causal self-attention over at least 2 x CAUSAL_BLOCK tokens (training) splits its queries in
# two halves, skipping the upper-right quarter of the scores, which the mask would zero anyway.
CAUSAL_BLOCK = 64


def fast_attention(queries, keys, values, cache, scale: float, mask, sinks=None, _sdpa=None):
    """mlx-lm's scaled_dot_product_attention with the softmax from fast_exp, for training and for
    generation over a plain KV cache (its keys and values arrive here already updated).

    Grouped-query heads share their key/value head through a broadcast, not a copy. A quantized
    KV cache or attention sinks go to mlx-lm's own function.
    """
    if hasattr(cache, "bits") or sinks is not None:
        return _sdpa(queries, keys, values, cache=cache, scale=scale, mask=mask, sinks=sinks)
    b, heads, length, dim = queries.shape
    kv_heads, kv_length = keys.shape[1], keys.shape[2]
    if isinstance(mask, str) and mask == "causal" and length == kv_length and length >= 2 * CAUSAL_BLOCK:
        # The first half of the queries sees only the first half of the keys: a quarter of the
        # scores (all masked) is never computed, exponentiated or differentiated.
        half = length // 2
        first = fast_attention(queries[:, :, :half], keys[:, :, :half], values[:, :, :half], None, scale, "causal")
        second = fast_attention(queries[:, :, half:], keys, values, None, scale, "causal")
        return mx.concatenate([first, second], axis=2)
    q = (queries * scale).reshape(b, kv_heads, heads // kv_heads, length, dim)
    scores = q @ keys[:, :, None].swapaxes(-1, -2)
    if isinstance(mask, str):
        if mask != "causal":
            raise ValueError(f"unknown attention mask {mask!r}")
        rows = mx.arange(kv_length - length, kv_length)[:, None]
        mask = mx.where(rows >= mx.arange(kv_length)[None], 0.0, -mx.inf)
    elif mask is not None:
        if mask.dtype == mx.bool_:
            mask = mx.where(mask, 0.0, -mx.inf)
        if mask.ndim >= 3:  # [..., heads or 1, length, kv_length] -> the grouped layout of `scores`
            grouped = (kv_heads, heads // kv_heads) if mask.shape[-3] == heads else (1, 1)
            mask = mask.reshape(*mask.shape[:-3], *grouped, *mask.shape[-2:])
    out = fast_softmax(scores.astype(mx.float32), mask).astype(values.dtype) @ values[:, :, None]
    return out.reshape(b, heads, length, dim)


class TableRoPE(nn.Module):
    """nn.RoPE (non-traditional, linear scale) from a cached table of cos and sin per position:
    a few fused multiplies instead of MLX's CPU `fast.rope`, which recomputes the angles with its
    slow transcendental functions on every call (measured: 0.5 -> 0.1 ms per decode call, 3.7 ->
    2.0 ms for a [2, 9, 265, 64] training call). The table is computed in float64, so it is at
    least as exact as `fast.rope`. Array offsets (batched generation) use `fast.rope`.
    """

    def __init__(self, dims: int, base: float, scale: float = 1.0):
        super().__init__()
        self.dims, self.base, self.scale = dims, base, scale

    @property
    def _table(self) -> tuple[mx.array, mx.array] | None:
        return _ROPE_TABLES.get((self.dims, self.base, self.scale))

    def _rows(self, offset: int, length: int) -> tuple[mx.array, mx.array]:
        table = self._table
        if table is None or table[0].shape[0] < offset + length:
            import numpy as np

            size = max(4096, 2 * (offset + length))
            inverse = self.base ** (-np.arange(0, self.dims, 2, dtype=np.float64) / self.dims)
            angles = (np.arange(size, dtype=np.float64) * self.scale)[:, None] * inverse[None]
            table = (mx.array(np.cos(angles), dtype=mx.float32), mx.array(np.sin(angles), dtype=mx.float32))
            _ROPE_TABLES[(self.dims, self.base, self.scale)] = table
        cos, sin = table
        return cos[offset : offset + length], sin[offset : offset + length]

    def __call__(self, x: mx.array, offset=0) -> mx.array:
        if not isinstance(offset, int) or x.shape[-1] != self.dims:
            return mx.fast.rope(x, self.dims, traditional=False, base=self.base, scale=self.scale, offset=offset)
        cos, sin = self._rows(offset, x.shape[-2])
        if x.dtype != cos.dtype:
            cos, sin = cos.astype(x.dtype), sin.astype(x.dtype)
        return _rotate(x, cos, sin)


# One table per (dims, base, scale), shared by every layer's TableRoPE.
_ROPE_TABLES: dict[tuple[int, float, float], tuple[mx.array, mx.array]] = {}


@mx.compile
def _rotate(x: mx.array, cos: mx.array, sin: mx.array) -> mx.array:
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return mx.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)


def patch_rope(model) -> int:
    """Swap every plain non-traditional nn.RoPE in `model` for a TableRoPE (CPU only, like
    install()); returns how many were swapped."""
    if not enabled():
        return 0
    swapped = 0
    for _, module in model.named_modules():
        rope = getattr(module, "rope", None)
        if type(rope) is nn.RoPE and not rope.traditional and rope.dims % 2 == 0:
            module.rope = TableRoPE(rope.dims, rope.base, rope.scale)
            swapped += 1
    return swapped


def enabled() -> bool:
    """Fast ops apply on the CPU backend unless SMOLCALL_NO_FAST_OPS is set."""
    from smolcall.backend import on_cpu

    return on_cpu() and not os.environ.get("SMOLCALL_NO_FAST_OPS")


def install() -> bool:
    """Patch mlx-lm's llama and qwen3 MLP blocks to use fast_swiglu (idempotent).

    Returns whether they are in use (False on Metal/CUDA or with SMOLCALL_NO_FAST_OPS).
    """
    if not enabled():
        return False
    if _installed:
        return True
    import importlib

    for name in ("llama", "qwen3"):
        module = importlib.import_module(f"mlx_lm.models.{name}")
        _installed[name] = (module.swiglu, module.scaled_dot_product_attention)
        module.swiglu = fast_swiglu
        if not os.environ.get("SMOLCALL_NO_FAST_ATTENTION"):
            module.scaled_dot_product_attention = partial(fast_attention, _sdpa=module.scaled_dot_product_attention)
    return True


def uninstall() -> None:
    """Undo install() (tests compare both)."""
    import importlib

    for name, (swiglu, sdpa) in list(_installed.items()):
        module = importlib.import_module(f"mlx_lm.models.{name}")
        module.swiglu, module.scaled_dot_product_attention = swiglu, sdpa
        del _installed[name]

