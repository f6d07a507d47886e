"""The comparison client: which models it runs, where it connects, what its panels show (with
scripted models against the in-process server), and (slow) mcp/client.py with the embedded model."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fake_upstreams import FakeUpstreams, fake_env, fake_upstreams, upstreams  # noqa: F401 (pytest fixtures)
from mcp import Client
from rich.console import Console
from test_agent import ANSWER, CALC_BAD_ARGS, CALC_OK, Scripted

from smolcall import ui
from smolcall.agent import Agent, tool_specs
from smolcall.agent_log import log_files, read_records
from smolcall.chat_model import DEFAULT_ADAPTER, adapter_base_model, default_adapter, trained_prompt_style
from smolcall.compare import SERVER_SCRIPT, ModelSlot, compare_models, plan_models, server_target
from smolcall.models import ModelNotFoundError
from smolcall.server import build_server
from smolcall.tools import Upstreams

REPO = Path(__file__).resolve().parents[1]


def test_plan_models_with_and_without_an_adapter(tmp_path: Path) -> None:
    slots, note = plan_models(tmp_path / "run", None)
    assert (slots, note) == ([ModelSlot("base", None), ModelSlot("tuned", tmp_path / "run")], None)
    slots, note = plan_models(None, DEFAULT_ADAPTER)
    assert slots[1] == ModelSlot("tuned", DEFAULT_ADAPTER)
    slots, note = plan_models(None, None)
    assert slots == [ModelSlot("base", None)]
    assert "base model only" in note and "--adapter adapters/<run>" in note


def test_server_target() -> None:
    assert server_target(url="http://127.0.0.1:8000/mcp") == "http://127.0.0.1:8000/mcp"
    with pytest.raises(ValueError, match="not both"):
        server_target("python x.py", "http://127.0.0.1:8000/mcp")
    with pytest.raises(ValueError, match="--server needs a command"):
        server_target("   ")
    assert SERVER_SCRIPT == REPO / "mcp" / "server.py"


@pytest.mark.anyio
async def test_client_over_stdio_with_scripted_models(fake_env: FakeUpstreams, tmp_path: Path) -> None:
    """Our server started as a subprocess (as mcp/client.py does), its environment passed on."""
    with (tmp_path / "server.log").open("w") as errlog:
        async with Client(server_target(errlog=errlog)) as client:
            specs = tool_specs((await client.list_tools()).tools)
            agent = Agent(Scripted(['<functioncall> {"name": "get_weather", "arguments": {"location": "Tokyo"}}',
                                    "It is 18 degrees in Tokyo."]))
            [comparison] = await compare_models(client, specs, ["Weather in Tokyo?"], [("base", agent)])
    result = comparison.results["base"]
    assert result.status == "called" and result.tool_results[0].structured["temperature"] == 18.0
    assert fake_env.hits["/v1/forecast"] == 1


def render(comparison) -> str:
    # Wide enough that no cell wraps, so phrases can be looked up whole.
    console = Console(record=True, width=600, file=open(os.devnull, "w"))
    ui.print_comparison(comparison, console)
    return console.export_text()


@pytest.mark.anyio
async def test_panels_show_each_models_steps_side_by_side(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/search", status=503, times=2)
    base = Agent(Scripted(["I am not sure [maybe] about that.", "Sorry, no idea."], model_id="base-model"))
    tuned = Agent(Scripted([CALC_BAD_ARGS, CALC_OK, ANSWER,
                            '<functioncall> {"name": "get_weather", "arguments": {"location": "Paris"}}',
                            "The weather service is unavailable."], model_id="tuned-model"))
    async with Client(build_server(upstreams=upstreams)) as client:
        specs = tool_specs((await client.list_tools()).tools)
        shown = []
        comparisons = await compare_models(client, specs, ["What is 17 * 23?", "Weather in Paris?"],
                                           [("base", base), ("tuned", tuned)], shown.append)
    assert shown == comparisons
    text = render(comparisons[0])
    header = next(line for line in text.splitlines() if "base: base-model" in line)
    assert "tuned: tuned-model" in header  # side by side: both titles on one line
    for expected in ("I am not sure [maybe] about that.", "no call", "no_call",
                     "'expression' is a required property", 'calculate({"expression": "17 * 23"})',
                     "recovery", "retry", '"result": 391', ANSWER, "latency", "tok/s, all tokens"):
        assert expected in text, expected
    weather = render(comparisons[1])
    assert "tool error" in weather and "weather service failed after 2 tries: HTTP 503" in weather
    assert "Traceback" not in weather


@pytest.mark.anyio
async def test_gave_up_panel_says_it_could_not_call(upstreams: Upstreams) -> None:
    agent = Agent(Scripted([CALC_BAD_ARGS]), max_retries=0)
    async with Client(build_server(upstreams=upstreams)) as client:
        specs = tool_specs((await client.list_tools()).tools)
        [comparison] = await compare_models(client, specs, ["17 * 23?"], [("base", agent)])
    assert "could not call a tool after 1 attempts" in render(comparison)


def test_bad_adapter_fails_before_loading(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "mcp" / "client.py"), "--adapter", str(tmp_path),
                          "--query", "hi"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 2
    assert "has no adapter_config.json" in run.stderr and "Traceback" not in run.stderr


def zero_lora_adapter(folder: Path) -> Path:
    """A LoRA adapter for the embedded SmolLM2 whose B matrices are zero: the tuned model then
    equals the base model, so the two panels must show the same replies. No training, no load."""
    import mlx.core as mx

    from smolcall.models import EMBEDDED_MODEL

    folder.mkdir(parents=True)
    rank, hidden, last = 4, 576, 29
    config = {"fine_tune_type": "lora", "num_layers": 1, "base_model": EMBEDDED_MODEL,
              "lora_parameters": {"rank": rank, "scale": 1.0, "dropout": 0.0, "keys": ["self_attn.q_proj"]}}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    prefix = f"model.layers.{last}.self_attn.q_proj"
    mx.save_safetensors(str(folder / "adapters.safetensors"), {
        f"{prefix}.lora_a": mx.random.normal((hidden, rank)), f"{prefix}.lora_b": mx.zeros((rank, hidden))})
    return folder


@pytest.mark.parametrize(("files", "message"), [
    ({}, "has no adapter_config.json"),
    ({"adapter_config.json": "{"}, "is not JSON"),
    ({"adapter_config.json": "{}"}, 'has no "base_model"; pass --base MODEL_REF'),
    ({"adapter_config.json": '{"base_model": "embedded:smollm2-135m-instruct"}'},
     "has no adapters.safetensors yet: its training is still running"),
])
def test_unfinished_adapter_folders_are_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(ModelNotFoundError, match=re.escape(message)):
        adapter_base_model(tmp_path)


@pytest.mark.parametrize(("config", "report", "style"), [
    (None, None, "compact"),                                            # no adapter folder: the default
    ({"base_model": "x", "prompt_style": "glaive"}, None, "glaive"),     # recorded by training
    ({"base_model": "x", "smolcall_config": {"data": "DATA"}}, "glaive", "glaive"),  # older run: its data's report
    ({"base_model": "x", "smolcall_config": {"data": "DATA"}}, None, "compact"),     # data gone: the default
])
def test_serving_prompts_the_way_the_adapter_was_trained(tmp_path: Path, config, report, style) -> None:
    data = tmp_path / "data"
    if report is not None:
        data.mkdir()
        (data / "report.json").write_text(json.dumps({"prompt_style": report}))
    adapter = tmp_path / "adapter"
    if config is not None:
        adapter.mkdir()
        (adapter / "adapter_config.json").write_text(json.dumps(config).replace("DATA", str(data)))
    assert trained_prompt_style(adapter if config is not None else None) == style


def test_a_broken_adapter_config_is_named_when_reading_its_prompt_style(tmp_path: Path) -> None:
    (tmp_path / "adapter_config.json").write_text("{")
    with pytest.raises(ModelNotFoundError, match="adapter_config.json is not JSON"):
        trained_prompt_style(tmp_path)


@pytest.mark.slow
def test_client_with_the_embedded_model(fake_upstreams: FakeUpstreams, tmp_path: Path) -> None:
    """mcp/client.py end to end on one offline query: the base model and a tuned one side by side
    (adapters/default when it exists, else a zero LoRA that must reply exactly like the base)."""
    adapter = default_adapter() or zero_lora_adapter(tmp_path / "zero-lora")
    command = [sys.executable, str(REPO / "mcp" / "client.py"), "--query", "What is 17 * 23 + 4?",
               "--adapter", str(adapter), "--log-dir", str(tmp_path / "logs")]
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=900,
                         env={**os.environ, **fake_upstreams.env(), "COLUMNS": "240"})
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert "What is 17 * 23 + 4?" in out
    header = next(line for line in out.splitlines() if "base: embedded:smollm2-135m-instruct" in line)
    assert f"tuned: embedded:smollm2-135m-instruct+{adapter.as_posix()}" in header  # side by side
    for label in ("raw", "call", "recovery", "latency", "tok/s, all tokens"):
        assert label in out, label
    assert "Traceback" not in out + run.stderr
    if adapter != default_adapter():
        raws = [r["raw"] for r in read_records(log_files(tmp_path / "logs")) if r["event"] == "attempt"]
        assert len(raws) == 2 and raws[0] == raws[1]
