"""The Llama forward pass in numpy over the MLX model's own weights, for routing on a CPU.

Why: MLX's CPU matmul always calls BLAS `sgemm`, and OpenBLAS's sgemm packs (copies) the whole
weight matrix on every call, even when the input is one row. A decode pass is therefore bound by
about 2.5x the weights' memory traffic. numpy sends a matrix-vector product to `sgemv`, which
reads the weights once. Measured on the project's 2-core machine (mlx 0.32.4 with cmeel-openblas
0.3.31, numpy 2.4 with its bundled OpenBLAS, 2 threads each): the 30 MLP weight sets of SmolLM2-135M
(318 MB), one row, 59 ms through MLX against 23 ms through numpy; with 8 rows both run sgemm
(56-70 ms). OpenBLAS can forward such calls to gemv itself (GEMM_GEMV_FORWARD), but not on x86-64.

So a pass of up to GEMV_ROWS new tokens runs one sgemv per token and weight; a longer one (drafts,
a prefill) runs sgemm, in the orientation OpenBLAS runs fastest here. The model is read, never
copied: numpy views of the MLX arrays. A one-token pass over a 650-token cache: 48-64 ms against
MLX's 82-135 ms in the same runs (bench/results/route_latency.md).
Everything is float32 and follows mlx-lm's llama.py (RMSNorm, rotate-half RoPE from a float64
table, grouped-query attention with query head h reading key/value head h // (heads / kv_heads),
SwiGLU MLP); `tests/test_numpy_llama.py` checks its hidden states and greedy replies against MLX.

    >>> llama = NumpyLlama(chat.model)              # raises UnsupportedModel otherwise   # doctest: +SKIP
    >>> hidden = llama.forward([1, 2, 3])           # [3, hidden], after the final norm, cached
    >>> llama.trim(1); llama.offset
    2
"""

from __future__ import annotations

import numpy as np

# Passes of up to this many new tokens use one matrix-vector product per token (see above).
GEMV_ROWS = 3
# The KV cache grows in steps of this many positions.
CACHE_STEP = 512


class UnsupportedModel(ValueError):
    """The model is not a plain float32 llama this module can run (the caller keeps MLX)."""


def unsupported(model) -> str | None:
    """Why `model` cannot run here, or None if it can."""
    import mlx.core as mx
    import mlx.nn as nn

    if type(model).__module__ != "mlx_lm.models.llama":
        return f"architecture {type(model).__module__.rsplit('.', 1)[-1]} (only llama)"
    args = model.args
    if args.rope_scaling or args.rope_traditional:
        return "RoPE scaling or traditional RoPE"
    if any(kind != "full_attention" for kind in args.layer_types):
        return "sliding-window layers"
    for layer in model.model.layers:
        for linear in (*_attention(layer), *_mlp(layer)):
            if type(linear) is not nn.Linear or "bias" in linear or linear.weight.dtype != mx.float32:
                # A LoRA layer (adapters not fused) has no weight of its own.
                dtype = f" {linear.weight.dtype}" if "weight" in linear else ""
                return f"{type(linear).__name__}{dtype} projections (only unquantized float32 Linear, no bias)"
    output = _output_layer(model)
    if type(output) not in (nn.Linear, nn.Embedding) or output.weight.dtype != mx.float32:
        return "a quantized or float16 output projection"
    return None


def _output_layer(model):
    """The vocabulary projection's module: lm_head, or the tied input embedding."""
    return model.lm_head if hasattr(model, "lm_head") else model.model.embed_tokens


def _attention(layer):
    a = layer.self_attn
    return a.q_proj, a.k_proj, a.v_proj, a.o_proj


def _mlp(layer):
    m = layer.mlp
    return m.gate_proj, m.up_proj, m.down_proj


def _view(array) -> np.ndarray:
    """A numpy view of an evaluated MLX array (no copy for a contiguous one)."""
    import mlx.core as mx

    mx.eval(array)
    return np.asarray(array)


def matmul(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """x [T, in] @ weight[out, in].T: one sgemv per row for short passes, else one sgemm, written
    as (weight @ x.T).T, which OpenBLAS runs 15-35% faster than x @ weight.T at 4-27 rows here."""
    if len(x) <= GEMV_ROWS:
        out = np.empty((len(x), weight.shape[0]), np.float32)
        for row, y in zip(x, out):
            np.matmul(weight, row, out=y)
        return out
    return (weight @ x.T).T


def _rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    mean_square = np.add.reduce(x * x, axis=-1, keepdims=True) / x.shape[-1]
    return x * (1.0 / np.sqrt(mean_square + eps)) * weight


class NumpyLlama:
    """A llama decoder over numpy views of an MLX model's weights, with its own KV cache.

    `forward(tokens)` runs the tokens after what the cache holds and returns their hidden states
    after the final norm ([T, hidden], float32); `trim(n)` drops the last n cached positions.
    `head` is the output projection's weight ([vocab, hidden]: lm_head, or the tied embedding).
    """

    def __init__(self, model):
        reason = unsupported(model)
        if reason is not None:
            raise UnsupportedModel(f"numpy decoding supports plain float32 llama models, not {reason}")
        args, inner = model.args, model.model
        self.heads, self.kv_heads = args.num_attention_heads, args.num_key_value_heads
        self.head_dim = args.head_dim or args.hidden_size // self.heads
        self.eps, self.base = args.rms_norm_eps, float(args.rope_theta)
        self.embed = _view(inner.embed_tokens.weight)
        self.head = _view(_output_layer(model).weight)
        self.norm = _view(inner.norm.weight)
        self.layers = [
            ([_view(p.weight) for p in _attention(layer)], [_view(p.weight) for p in _mlp(layer)],
             _view(layer.input_layernorm.weight), _view(layer.post_attention_layernorm.weight))
            for layer in inner.layers
        ]
        self.offset = 0
        self.keys: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self._cos = self._sin = np.zeros((0, self.head_dim // 2), np.float32)

    def trim(self, n: int) -> None:
        self.offset = max(0, self.offset - n)

    def load_cache(self, caches: list, length: int) -> bool:
        """Take the first `length` positions of mlx-lm KV caches (one per layer, batch 1) as this
        cache; False (nothing changed) if they are not plain float32 KVCaches holding that many."""
        import mlx.core as mx
        from mlx_lm.models.cache import KVCache

        if len(caches) != len(self.layers) or any(
                type(c) is not KVCache or c.keys is None or c.offset < length or c.keys.dtype != mx.float32 for c in caches):
            return False
        self.offset = 0
        self._reserve(length)
        for i, cache in enumerate(caches):
            self.keys[i][:, :length] = np.asarray(cache.keys[0, :, :length])
            self.values[i][:, :length] = np.asarray(cache.values[0, :, :length])
        self.offset = length
        return True

    def _reserve(self, size: int) -> None:
        capacity = self.keys[0].shape[1] if self.keys else 0
        if size <= capacity:
            return
        capacity = (size // CACHE_STEP + 1) * CACHE_STEP
        shape = (self.kv_heads, capacity, self.head_dim)
        for cache in (self.keys, self.values):
            grown = [np.zeros(shape, np.float32) for _ in self.layers]
            for old, new in zip(cache, grown):
                new[:, : self.offset] = old[:, : self.offset]
            cache[:] = grown
        # RoPE angles in float64, as smolcall.fastops.TableRoPE computes them.
        inverse = self.base ** (-np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim)
        angles = np.arange(capacity, dtype=np.float64)[:, None] * inverse[None]
        self._cos, self._sin = np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)

    def _rope(self, x: np.ndarray, start: int) -> np.ndarray:
        """Rotate-half RoPE of x [heads, T, head_dim] at positions start..start+T-1."""
        cos, sin = self._cos[start : start + x.shape[1]], self._sin[start : start + x.shape[1]]
        half = self.head_dim // 2
        x1, x2 = x[..., :half], x[..., half:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)

    def forward(self, tokens: list[int]) -> np.ndarray:
        count, start = len(tokens), self.offset
        end = start + count
        self._reserve(end)
        heads, kv_heads, dim = self.heads, self.kv_heads, self.head_dim
        group = heads // kv_heads
        scale = np.float32(dim**-0.5)
        # Causal mask among the new tokens (every cached position is visible to all of them).
        causal = np.triu(np.ones((count, count), bool), 1) if count > 1 else None
        h = self.embed[np.asarray(tokens)].astype(np.float32)
        for i, ((wq, wk, wv, wo), (wg, wu, wd), norm1, norm2) in enumerate(self.layers):
            x = _rms_norm(h, norm1, self.eps)
            q = self._rope(matmul(x, wq).reshape(count, heads, dim).transpose(1, 0, 2), start)
            k = self._rope(matmul(x, wk).reshape(count, kv_heads, dim).transpose(1, 0, 2), start)
            v = matmul(x, wv).reshape(count, kv_heads, dim).transpose(1, 0, 2)
            self.keys[i][:, start:end] = k
            self.values[i][:, start:end] = v
            keys, values = self.keys[i][:, :end], self.values[i][:, :end]
            # [kv_heads, group * T, dim] @ [kv_heads, dim, end]: query head h reads kv head h // group.
            scores = (q.reshape(kv_heads, group * count, dim) @ keys.transpose(0, 2, 1)) * scale
            scores = scores.reshape(kv_heads, group, count, end)
            if causal is not None:
                scores[..., start:][..., causal] = -np.inf
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            out = scores.reshape(kv_heads, group * count, end) @ values
            out = out.reshape(heads, count, dim).transpose(1, 0, 2).reshape(count, heads * dim)
            h = h + matmul(out, wo)
            x = _rms_norm(h, norm2, self.eps)
            gate, up = matmul(x, wg), matmul(x, wu)
            with np.errstate(over="ignore"):  # exp(-gate) overflows to inf for gate << 0: silu -> -0
                silu = gate / (1.0 + np.exp(-gate))
            h = h + matmul(silu * up, wd)
        self.offset = end
        return _rms_norm(h, self.norm, self.eps)
