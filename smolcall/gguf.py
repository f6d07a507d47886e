"""Convert a llama-architecture GGUF file into an MLX model folder that `mlx_lm.load` reads.

`mx.load(path, return_metadata=True)` reads the GGUF: Q4_0/Q4_1/Q8_0 tensors come back already in
MLX's affine quantized layout (`weight`/`scales`/`biases`, group size 32), F16/F32 as arrays.
This module renames the tensors, undoes llama.cpp's Q/K row permutation, writes `config.json`
(with per-layer quantization entries where bits differ), the weights, and a Hugging Face
tokenizer rebuilt from the GGUF vocabulary.

    >>> convert_gguf("SmolLM2-135M-Instruct.Q4_1.gguf", Path("out"))    # doctest: +SKIP
    PosixPath('out')      # config.json model.safetensors tokenizer.json tokenizer_config.json ...

The folder appears atomically: it is built in a hidden temp folder beside the target and renamed
into place, with its manifest written last, so a half-written conversion is never loadable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Bump when the folder layout changes: cached conversions made by an older version are redone.
CONVERTER_VERSION = 1
MANIFEST = "smolcall-conversion.json"
GROUP_SIZE = 32

# ggml's tensor type ids (ggml.h, `enum ggml_type`).
GGML_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
    10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS",
    17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S",
    23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M",
    30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
}  # fmt: skip
# The types `mx.load` turns into float arrays or MLX affine-quantized triplets.
SUPPORTED_TYPES = ("F32", "F16", "Q4_0", "Q4_1", "Q8_0")
SUPPORTED_BITS = (4, 8)

# GGUF tensor name -> MLX llama name; "{n}" is the block index.
BLOCK_NAMES = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}
TOP_NAMES = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
_PARTS = ("weight", "scales", "biases", "bias")

# llama.cpp pre-tokenizer names -> the split regexes its tokenizer applies before byte-level BPE.
_GPT2_SPLIT = None  # ByteLevel's own regex
_DIGITS_THEN_GPT2 = "digits"  # each digit alone, then GPT-2's regex
_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
PRE_TOKENIZERS: dict[str, str | None] = {
    "default": _GPT2_SPLIT,
    "gpt-2": _GPT2_SPLIT,
    "gpt2": _GPT2_SPLIT,
    "smollm": _DIGITS_THEN_GPT2,
    "starcoder": _DIGITS_THEN_GPT2,
    "refact": _DIGITS_THEN_GPT2,
    "llama-bpe": _LLAMA3_SPLIT,
    "llama3": _LLAMA3_SPLIT,
}
CONTROL_TOKEN = 3  # tokenizer.ggml.token_type value of special tokens such as <|im_end|>
USER_DEFINED_TOKEN = 4


class GGUFError(ValueError):
    """A GGUF file this converter cannot turn into an MLX llama folder (the message says why)."""


# ---------------------------------------------------------------------------------------------
# Reading the header without loading the weights, so unsupported files fail fast and precisely.

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
    10: "<Q", 11: "<q", 12: "<d",
}  # fmt: skip
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class GGUFHeader:
    """The parts of a GGUF header the converter checks before loading any weight.

    metadata keeps scalar and string values only (arrays such as the vocabulary are skipped):
        GGUFHeader(version=3, metadata={'general.architecture': 'llama', ...},
                   tensor_types={'token_embd.weight': 'Q8_0', 'blk.0.attn_q.weight': 'Q4_1', ...})
    """

    version: int
    metadata: dict[str, Any]
    tensor_types: dict[str, str]


def _read(f: IO[bytes], fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise GGUFError(f"{f.name}: truncated GGUF header (wanted {size} bytes, got {len(data)})")
    return struct.unpack(fmt, data)[0]


def _read_string(f: IO[bytes]) -> str:
    length = _read(f, "<Q")
    return f.read(length).decode("utf-8", errors="replace")


def _skip_value(f: IO[bytes], vtype: int) -> None:
    if vtype in _SCALARS:
        f.seek(struct.calcsize(_SCALARS[vtype]), os.SEEK_CUR)
    elif vtype == _STRING:
        f.seek(_read(f, "<Q"), os.SEEK_CUR)
    elif vtype == _ARRAY:
        item_type, count = _read(f, "<I"), _read(f, "<Q")
        if item_type in _SCALARS:
            f.seek(struct.calcsize(_SCALARS[item_type]) * count, os.SEEK_CUR)
        else:
            for _ in range(count):
                _skip_value(f, item_type)
    else:
        raise GGUFError(f"{f.name}: unknown GGUF metadata value type {vtype} at byte {f.tell()}")


def read_header(path: Path) -> GGUFHeader:
    """Read a GGUF file's metadata scalars and tensor types (milliseconds; no weights loaded).

        >>> read_header(Path("SmolLM2-135M-Instruct.Q4_1.gguf")).tensor_types["token_embd.weight"]
        'Q8_0'
    """
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise GGUFError(f"{path} is not a GGUF file (its first 4 bytes are not 'GGUF')")
        version = _read(f, "<I")
        if version < 2:
            raise GGUFError(f"{path} is GGUF version {version}; versions 2 and 3 are supported")
        n_tensors, n_kv = _read(f, "<Q"), _read(f, "<Q")
        metadata: dict[str, Any] = {}
        for _ in range(n_kv):
            key, vtype = _read_string(f), _read(f, "<I")
            if vtype in _SCALARS:
                metadata[key] = _read(f, _SCALARS[vtype])
            elif vtype == _STRING:
                metadata[key] = _read_string(f)
            else:
                _skip_value(f, vtype)
        tensor_types: dict[str, str] = {}
        for _ in range(n_tensors):
            name = _read_string(f)
            n_dims = _read(f, "<I")
            f.seek(8 * n_dims, os.SEEK_CUR)
            type_id = _read(f, "<I")
            f.seek(8, os.SEEK_CUR)  # data offset
            tensor_types[name] = GGML_TYPES.get(type_id, f"type {type_id}")
    return GGUFHeader(version, metadata, tensor_types)


def check_header(header: GGUFHeader, path: Path) -> None:
    """Raise GGUFError unless the file is a llama model made of tensor types MLX can load.

        GGUFError: blk.0.ffn_down.weight in x.gguf is Q6_K; supported: F32, F16, Q4_0, Q4_1, ...
    """
    arch = header.metadata.get("general.architecture")
    if arch != "llama":
        raise GGUFError(
            f"{path} has architecture {arch!r}; only 'llama' GGUF files convert "
            "(SmolLM2, Llama 2/3, TinyLlama, ...). For other models pass a Hugging Face folder "
            "with safetensors instead."
        )
    for name, ggml_type in header.tensor_types.items():
        if ggml_type not in SUPPORTED_TYPES:
            raise GGUFError(
                f"tensor {name} in {path} is {ggml_type}; MLX reads only "
                f"{', '.join(SUPPORTED_TYPES)}. Re-quantize the model with llama.cpp "
                "(`llama-quantize --allow-requantize IN.gguf OUT.gguf Q8_0`, or Q4_1) or use "
                "its safetensors release."
            )
    tokenizer_model = header.metadata.get("tokenizer.ggml.model")
    if tokenizer_model != "gpt2":
        raise GGUFError(
            f"{path} has tokenizer model {tokenizer_model!r}; only 'gpt2' (byte-level BPE) "
            "converts. SentencePiece ('llama') vocabularies are not supported."
        )
    pre = header.metadata.get("tokenizer.ggml.pre", "default")
    if pre not in PRE_TOKENIZERS:
        raise GGUFError(
            f"{path} has pre-tokenizer {pre!r}; supported: {', '.join(sorted(PRE_TOKENIZERS))}"
        )


# ---------------------------------------------------------------------------------------------
# Tensors: names, permutation, quantization bits.


def mlx_name(gguf_name: str) -> str:
    """Map a GGUF tensor name to its MLX llama name, or raise GGUFError.

        >>> mlx_name("blk.3.attn_q.scales")
        'model.layers.3.self_attn.q_proj.scales'
        >>> mlx_name("token_embd.weight")
        'model.embed_tokens.weight'
    """
    stem, _, part = gguf_name.rpartition(".")
    if part in _PARTS:
        if stem in TOP_NAMES:
            return f"{TOP_NAMES[stem]}.{part}"
        match = re.fullmatch(r"blk\.(\d+)\.(\w+)", stem)
        if match and match.group(2) in BLOCK_NAMES:
            return f"model.layers.{match.group(1)}.{BLOCK_NAMES[match.group(2)]}.{part}"
    raise GGUFError(
        f"tensor {gguf_name} has no counterpart in MLX's llama model (known: "
        f"{', '.join(sorted(TOP_NAMES))}, blk.N.{{{','.join(sorted(BLOCK_NAMES))}}})"
    )


def permute_rows(w: Any, n_heads: int) -> Any:
    """llama.cpp's forward Q/K row permutation (HF layout -> GGUF); the inverse of unpermute_rows.

    Rows of each head go from [first half, second half] to interleaved pairs:
        rows 0..7, 1 head -> [0, 4, 1, 5, 2, 6, 3, 7]
    """
    rows, *rest = w.shape
    return w.reshape(n_heads, 2, rows // n_heads // 2, *rest).swapaxes(1, 2).reshape(w.shape)


def unpermute_rows(w: Any, n_heads: int) -> Any:
    """Undo llama.cpp's Q/K row permutation (GGUF -> HF layout, standard non-traditional RoPE).

    Works on weight, scales, biases and bias alike (any array whose first axis is the rows):
        rows [0, 4, 1, 5, 2, 6, 3, 7], 1 head -> [0, 1, 2, 3, 4, 5, 6, 7]
    """
    rows, *rest = w.shape
    if rows % (2 * n_heads):
        raise GGUFError(
            f"cannot unpermute {rows} rows over {n_heads} heads: rows must be a multiple of "
            f"{2 * n_heads}; check llama.attention.head_count(_kv) in the GGUF metadata"
        )
    return w.reshape(n_heads, rows // n_heads // 2, 2, *rest).swapaxes(1, 2).reshape(w.shape)


def quant_bits(packed_cols: int, scales_cols: int, group_size: int = GROUP_SIZE) -> int:
    """Bits per weight of an MLX affine-quantized tensor from its uint32 and scales widths.

        >>> quant_bits(72, 18)     # Q4_1 576-wide row: 18 groups of 32 in 72 uint32
        4
        >>> quant_bits(144, 18)    # Q8_0
        8
    """
    return packed_cols * 32 // (scales_cols * group_size)


# ---------------------------------------------------------------------------------------------
# Config and tokenizer.


def _value(metadata: dict[str, Any], key: str, default: Any = ...) -> Any:
    """A metadata value as a plain Python value (mx.load gives scalars as 0-d arrays)."""
    if key not in metadata:
        if default is ...:
            raise GGUFError(f"GGUF metadata lacks {key!r}, which the MLX config needs")
        return default
    value = metadata[key]
    return value.item() if hasattr(value, "item") else value


def _float32(value: float) -> float:
    """The shortest decimal that is the same float32 (GGUF stores float32 metadata).

        9.999999747378752e-06 -> 1e-05
    """
    import numpy as np

    return float(str(np.float32(value)))


def quantization_config(weights: dict[str, Any]) -> dict[str, Any] | None:
    """The `quantization` section of config.json, or None for an unquantized model.

    The most common bit width is the default; layers that differ get their own entry:
        {'group_size': 32, 'bits': 4, 'mode': 'affine',
         'model.embed_tokens': {'group_size': 32, 'bits': 8, 'mode': 'affine'}}
    """
    bits: dict[str, int] = {}
    for name, scales in weights.items():
        if name.endswith(".scales"):
            layer = name.removesuffix(".scales")
            b = quant_bits(weights[f"{layer}.weight"].shape[-1], scales.shape[-1])
            if b not in SUPPORTED_BITS:
                raise GGUFError(f"{layer} is quantized to {b} bits; supported: {SUPPORTED_BITS}")
            bits[layer] = b
    if not bits:
        return None
    default = Counter(bits.values()).most_common(1)[0][0]
    config: dict[str, Any] = {"group_size": GROUP_SIZE, "bits": default, "mode": "affine"}
    for layer, b in sorted(bits.items()):
        if b != default:
            config[layer] = {"group_size": GROUP_SIZE, "bits": b, "mode": "affine"}
    return config


def build_config(metadata: dict[str, Any], weights: dict[str, Any]) -> dict[str, Any]:
    """config.json for mlx_lm's llama model from GGUF metadata and the renamed MLX weights.

        {'model_type': 'llama', 'hidden_size': 576, 'num_hidden_layers': 30,
         'num_attention_heads': 9, 'num_key_value_heads': 3, 'rope_theta': 100000.0,
         'tie_word_embeddings': True, 'quantization': {...}, ...}
    """
    hidden = _value(metadata, "llama.embedding_length")
    heads = _value(metadata, "llama.attention.head_count")
    config: dict[str, Any] = {
        "model_type": "llama",
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": hidden,
        "num_hidden_layers": _value(metadata, "llama.block_count"),
        "intermediate_size": _value(metadata, "llama.feed_forward_length"),
        "num_attention_heads": heads,
        "num_key_value_heads": _value(metadata, "llama.attention.head_count_kv", heads),
        "head_dim": _value(metadata, "llama.attention.key_length", hidden // heads),
        "rms_norm_eps": _float32(_value(metadata, "llama.attention.layer_norm_rms_epsilon")),
        "rope_theta": _float32(_value(metadata, "llama.rope.freq_base", 10000.0)),
        "max_position_embeddings": _value(metadata, "llama.context_length", 2048),
        # The embedding's row count is the vocabulary the weights were trained with.
        "vocab_size": weights["model.embed_tokens.weight"].shape[0],
        "tie_word_embeddings": "lm_head.weight" not in weights,
        "attention_bias": "model.layers.0.self_attn.q_proj.bias" in weights,
        "mlp_bias": "model.layers.0.mlp.up_proj.bias" in weights,
        "bos_token_id": _value(metadata, "tokenizer.ggml.bos_token_id", None),
        "eos_token_id": _value(metadata, "tokenizer.ggml.eos_token_id", None),
    }
    scaling = _value(metadata, "llama.rope.scaling.type", "none")
    if scaling == "linear":
        factor = _value(metadata, "llama.rope.scaling.factor")
        config["rope_scaling"] = {"type": "linear", "factor": factor}
    elif scaling != "none":
        raise GGUFError(f"rope scaling {scaling!r} is not supported; only 'linear' or none")
    quantization = quantization_config(weights)
    if quantization is not None:
        config["quantization"] = quantization
    return config


def build_tokenizer(
    tokens: list[str], merges: list[str], token_types: list[int], pre: str = "default"
) -> Any:
    """A `tokenizers.Tokenizer` (byte-level BPE) from a GGUF vocabulary.

    tokens are byte-level strings ('Ġthe'), merges "a b" strings, token_types the GGUF
    token_type list (3 = control tokens such as <|im_end|>, added as special tokens):
        >>> build_tokenizer(["a", "b", "ab"], ["a b"], [1, 1, 1]).encode("ab").ids
        [2]
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

    vocab = {token: i for i, token in enumerate(tokens)}
    pairs = [tuple(merge.split(" ", 1)) for merge in merges]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=pairs))
    split = PRE_TOKENIZERS[pre]
    if split is None or split == _DIGITS_THEN_GPT2:
        steps = [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
        if split == _DIGITS_THEN_GPT2:
            steps.insert(0, pre_tokenizers.Digits(individual_digits=True))
    else:
        # The split regex replaces ByteLevel's own, as in Hugging Face's Llama 3 tokenizer.json.
        steps = [
            pre_tokenizers.Split(Regex(split), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    tokenizer.pre_tokenizer = steps[0] if len(steps) == 1 else pre_tokenizers.Sequence(steps)
    tokenizer.decoder = decoders.ByteLevel()
    specials = [tokens[i] for i, t in enumerate(token_types) if t == CONTROL_TOKEN]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    user = [tokens[i] for i, t in enumerate(token_types) if t == USER_DEFINED_TOKEN]
    tokenizer.add_tokens([AddedToken(t, special=False, normalized=False) for t in user])
    return tokenizer


def tokenizer_config(
    tokens: list[str], metadata: dict[str, Any], specials: list[str]
) -> dict[str, Any]:
    """tokenizer_config.json: special tokens by name, chat template, no automatic BOS.

        {'tokenizer_class': 'PreTrainedTokenizerFast', 'bos_token': '<|im_start|>',
         'eos_token': '<|im_end|>', 'pad_token': '<|im_end|>', 'chat_template': '{% for ...'}
    """

    def token(key: str) -> str | None:
        index = _value(metadata, f"tokenizer.ggml.{key}_token_id", None)
        return tokens[index] if index is not None and index < len(tokens) else None

    config: dict[str, Any] = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "add_bos_token": bool(_value(metadata, "tokenizer.ggml.add_bos_token", False)),
        "add_eos_token": bool(_value(metadata, "tokenizer.ggml.add_eos_token", False)),
        "clean_up_tokenization_spaces": False,
        "model_max_length": _value(metadata, "llama.context_length", 2048),
        "additional_special_tokens": specials,
    }
    for key in ("bos", "eos", "pad", "unk"):
        if (value := token(key)) is not None:
            config[f"{key}_token"] = value
    if (template := _value(metadata, "tokenizer.chat_template", None)) is not None:
        config["chat_template"] = template
    return config


# ---------------------------------------------------------------------------------------------
# Conversion with an atomic, idempotent write.


def source_fingerprint(gguf_path: Path) -> dict[str, Any]:
    """What identifies a GGUF source cheaply: resolved path, size, modification time.

        {'source': '/.../SmolLM2-135M-Instruct.Q4_1.gguf', 'size': 98362432,
         'mtime_ns': 1763757240000000000, 'converter': 1}
    """
    stat = gguf_path.stat()
    return {
        "source": str(gguf_path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "converter": CONVERTER_VERSION,
    }


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a complete conversion, or None when the folder is not one.

    Complete means: the manifest parses and every file it lists exists with its recorded size.
        {'source': ..., 'size': ..., 'mtime_ns': ..., 'converter': 1,
         'files': {'config.json': 1234, 'model.safetensors': 98000000, ...}}
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, json.JSONDecodeError):
        return None
    files = manifest.get("files", {}) if isinstance(manifest, dict) else {}
    for name, size in files.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            return None
    return manifest if files else None


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a hidden temp folder beside `target`; on success rename it to `target`.

    On any exception (KeyboardInterrupt included) the temp folder is removed and `target` is
    left untouched. If another process completes `target` first, ours is discarded.
        with atomic_folder(Path("out")) as tmp:    # tmp = out/../.out.tmp-k3j2
            (tmp / "a.json").write_text("{}")
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError as e:
            # rename(2) refuses to replace a non-empty folder: a concurrent conversion won.
            if read_manifest(target) is None:
                raise GGUFError(
                    f"{target} exists and is not a complete conversion: remove it and retry"
                ) from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _load_weights(gguf_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """mx.load the GGUF into MLX-named weights with Q/K unpermuted, plus its metadata."""
    import mlx.core as mx

    try:
        raw, metadata = mx.load(str(gguf_path), return_metadata=True)
    except (RuntimeError, ValueError) as e:
        raise GGUFError(f"MLX could not read {gguf_path}: {e}") from e
    heads = _value(metadata, "llama.attention.head_count")
    kv_heads = _value(metadata, "llama.attention.head_count_kv", heads)
    weights: dict[str, Any] = {}
    for name, array in raw.items():
        if array.dtype not in (mx.float32, mx.float16, mx.bfloat16, mx.uint32):
            raise GGUFError(
                f"tensor {name} in {gguf_path} loads as {array.dtype}; supported types: "
                f"{', '.join(SUPPORTED_TYPES)}"
            )
        if ".attn_q." in name:
            array = unpermute_rows(array, heads)
        elif ".attn_k." in name:
            array = unpermute_rows(array, kv_heads)
        weights[mlx_name(name)] = array
    return weights, metadata


def _write_folder(folder: Path, weights: dict[str, Any], metadata: dict[str, Any]) -> None:
    """Write config, weights, tokenizer and generation config into `folder` (no manifest)."""
    import mlx.core as mx

    config = build_config(metadata, weights)
    _write_json(folder / "config.json", config)
    mx.save_safetensors(str(folder / "model.safetensors"), weights, metadata={"format": "mlx"})

    tokens = list(_value(metadata, "tokenizer.ggml.tokens"))
    types = metadata.get("tokenizer.ggml.token_type")
    types = types.tolist() if types is not None else [1] * len(tokens)
    pre = _value(metadata, "tokenizer.ggml.pre", "default")
    merges = list(_value(metadata, "tokenizer.ggml.merges", []))
    tokenizer = build_tokenizer(tokens, merges, types, pre)
    tokenizer.save(str(folder / "tokenizer.json"))
    specials = [tokens[i] for i, t in enumerate(types) if t == CONTROL_TOKEN]
    tok_config = tokenizer_config(tokens, metadata, specials)
    _write_json(folder / "tokenizer_config.json", tok_config)
    special_map = {k: v for k, v in tok_config.items() if k.endswith("_token") and v}
    special_map["additional_special_tokens"] = specials
    _write_json(folder / "special_tokens_map.json", special_map)
    generation = {k: config[k] for k in ("bos_token_id", "eos_token_id") if config[k] is not None}
    _write_json(folder / "generation_config.json", generation)


def convert_gguf(gguf_path: Path, out: Path) -> Path:
    """Convert a llama GGUF into an MLX model folder at `out`; a no-op if already done.

    Raises GGUFError (before loading weights) for other architectures, unsupported tensor types
    or tokenizers, and when `out` holds a different, complete conversion.
        >>> convert_gguf(Path("SmolLM2-135M-Instruct.Q4_1.gguf"), Path("smollm2"))  # doctest: +SKIP
        PosixPath('smollm2')
    """
    gguf_path, out = Path(gguf_path), Path(out)
    if not gguf_path.is_file():
        raise GGUFError(f"GGUF file {gguf_path} does not exist")
    fingerprint = source_fingerprint(gguf_path)
    existing = read_manifest(out)
    if existing is not None:
        if {k: existing.get(k) for k in fingerprint} == fingerprint:
            return out
        raise GGUFError(
            f"{out} already holds a conversion of {existing.get('source')}: remove it or choose "
            "another output folder"
        )
    if out.exists() and any(out.iterdir()):
        raise GGUFError(
            f"{out} exists, is not empty and is not a smolcall conversion: choose another folder"
        )
    check_header(read_header(gguf_path), gguf_path)
    weights, metadata = _load_weights(gguf_path)
    with atomic_folder(out) as tmp:
        _write_folder(tmp, weights, metadata)
        files = {p.name: p.stat().st_size for p in sorted(tmp.iterdir())}
        # The manifest goes last: its presence marks the folder complete.
        _write_json(tmp / MANIFEST, {**fingerprint, "files": files})
    return out


# ---------------------------------------------------------------------------------------------
# Export: an MLX llama (adapters fused, float weights) back to a GGUF that llama.cpp runs.

FILE_TYPES = {"f32": 0, "f16": 1}


def gguf_name(name: str) -> str:
    """The GGUF tensor name of an MLX llama parameter; the inverse of mlx_name.

        >>> gguf_name("model.layers.3.self_attn.q_proj.weight")
        'blk.3.attn_q.weight'
    """
    stem, _, part = name.rpartition(".")
    for short, long in TOP_NAMES.items():
        if stem == long:
            return f"{short}.{part}"
    match = re.fullmatch(r"model\.layers\.(\d+)\.(.+)", stem)
    if match:
        for short, long in BLOCK_NAMES.items():
            if match.group(2) == long:
                return f"blk.{match.group(1)}.{short}.{part}"
    raise GGUFError(f"parameter {name} has no GGUF counterpart in llama.cpp's llama layout")


def export_gguf(model: Any, source_gguf: Path, out: Path, dtype: str = "f16") -> Path:
    """Write `model` (a llama whose adapters are fused and whose weights are floats) as a GGUF
    file, with the tokenizer, chat template and hyperparameters of `source_gguf` (the GGUF the
    base model came from). Matrices are stored as `dtype` (f16 or f32), norms as f32; Q and K
    rows get llama.cpp's permutation back. llama.cpp can then quantize it (llama-quantize).

        >>> model, _, _ = load_model(EMBEDDED_MODEL, "adapters/default", fuse=True)   # doctest: +SKIP
        >>> export_gguf(model, embedded_gguf_path(), Path("tuned-f16.gguf"))           # doctest: +SKIP
    """
    import mlx.core as mx
    from mlx.utils import tree_flatten

    if dtype not in FILE_TYPES:
        raise GGUFError(f"dtype {dtype!r} is not one of {', '.join(FILE_TYPES)}")
    _, metadata = mx.load(str(source_gguf), return_metadata=True)
    heads = _value(metadata, "llama.attention.head_count")
    kv_heads = _value(metadata, "llama.attention.head_count_kv", heads)
    store = mx.float16 if dtype == "f16" else mx.float32
    arrays: dict[str, Any] = {}
    params = tree_flatten(model.parameters())
    for name, _ in params:
        if name.endswith((".scales", ".biases")) or ".lora_" in name or ".linear." in name:
            raise GGUFError(f"{name}: export needs float weights with adapters fused; load the model with "
                            "dequantize=True and fuse=True")
    for name, array in params:
        target = gguf_name(name)
        if ".attn_q." in target:
            array = permute_rows(array, heads)
        elif ".attn_k." in target:
            array = permute_rows(array, kv_heads)
        arrays[target] = array.astype(mx.float32 if array.ndim == 1 else store)
    metadata = dict(metadata)
    metadata["general.file_type"] = mx.array(FILE_TYPES[dtype], dtype=mx.uint32)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.stem + ".partial.gguf")  # save_gguf insists on the suffix
    mx.save_gguf(str(partial), arrays, metadata)
    partial.replace(out)
    return out
