"""smolcall.call_calibration: the first step's call decision moved by a calibrated shift, on a tiny
random model (real MLX forward passes and grammar, milliseconds), and its evaluate.py flag."""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx.core)

import json
from pathlib import Path

import pytest

from smolcall.call_calibration import (FILE_NAME, FOILS, CalibrationError, CallCalibration, calibrated_factory,
                                       call_margin, foil_conversations, foil_tools)
from smolcall.prompt import system_prompt
from test_evaluate import load_script, write_data, write_random_adapter

WEATHER = {"name": "get_weather", "description": "Weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
REQUESTS = ("What's the weather in Paris?", "Tell me a joke about cats.", "Is it raining in Oslo today?")


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    return model, tokenizer


def conversation(text: str) -> list[dict]:
    return [{"role": "system", "content": system_prompt([WEATHER], "compact")}, {"role": "user", "content": text}]


def test_foils_stand_in_for_the_system_message():
    (one, two) = foil_conversations(conversation("hi"), foil_tools(), "compact")
    assert [c[0]["content"] for c in (one, two)] == [system_prompt([t], "compact") for t in foil_tools()]
    assert one[1:] == two[1:] == [{"role": "user", "content": "hi"}]
    assert [t["name"] for t in foil_tools()] == list(FOILS)
    with pytest.raises(CalibrationError, match="not in the base catalogue"):
        foil_tools(("no_such_function",))


@pytest.mark.parametrize("side", [-1, 1])
def test_the_reply_calls_exactly_when_margin_plus_shift_is_positive(tiny, side):
    """For each request the bias is set half a logit either side of minus its calibrated margin:
    the constrained greedy reply then starts with `<` (the first token of `<functioncall>`) on one
    side and with another token on the other, as the sign of margin - alpha * mean(foil margins) +
    bias says: the shift lands on `<` at step one. (What follows `<` is the model's: this random
    one goes on with more `<`, which the grammar's text branch allows.)"""
    from smolcall.constrain import constraint_factory
    from smolcall.generation import generate_replies

    model, tokenizer = tiny
    grammar = constraint_factory(tokenizer, allow_text=True, max_tokens=24)
    for text in REQUESTS:
        conv = conversation(text)
        margin = call_margin(model, tokenizer, conv)
        foil = sum(call_margin(model, tokenizer, c) for c in foil_conversations(conv, foil_tools(), "compact")) / 2
        bias = -(margin - 0.5 * foil) + side * 0.5
        calibration = CallCalibration(alpha=0.5, bias=bias)
        assert calibration.shift(model, tokenizer, conv) == pytest.approx(bias - 0.5 * foil, abs=1e-3)
        factory = calibrated_factory(grammar, model, tokenizer, calibration)
        (reply,) = generate_replies(model, tokenizer, [conv], max_tokens=24, logits_processors_factory=factory)
        assert reply.text.startswith("<") == (side > 0), (text, margin, foil, reply.text)


def test_after_a_tool_result_nothing_moves(tiny):
    model, tokenizer = tiny
    calibration = CallCalibration(alpha=1.0, bias=5.0)
    later = conversation("Weather in Paris?") + [
        {"role": "assistant", "content": '<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}'},
        {"role": "tool", "content": '{"temp": 20}'}]
    assert calibration.shift(model, tokenizer, later) == 0.0
    assert CallCalibration(alpha=0.0, bias=-1.5).shift(model, tokenizer, conversation("hi")) == -1.5


def test_saved_calibration_loads_and_bad_files_say_how_to_fix_them(tmp_path):
    saved = CallCalibration(0.5, -0.75, chosen_on={"split": "valid"})
    saved.save(tmp_path)
    assert CallCalibration.load(tmp_path) == saved
    assert saved.key() == ",call-calibrated(a=0.5,b=-0.75,book_grooming+restart_server)"
    (tmp_path / FILE_NAME).write_text('{"alpha": "x"}')
    with pytest.raises(CalibrationError, match="needs numbers"):
        CallCalibration.load(tmp_path)
    (tmp_path / FILE_NAME).write_text('{"alpha": 1, "bias": 0, "foils": ["nope"]}')
    with pytest.raises(CalibrationError, match="not in the base catalogue"):
        CallCalibration.load(tmp_path)
    with pytest.raises(CalibrationError, match="bench/call_calibration.py"):
        CallCalibration.load(tmp_path / "missing")


def test_evaluate_calibrates_the_constrained_column(tmp_path, tiny_model_dir, capsys):
    """--call-calibration: refused without --constrained or without the adapter's file (one line
    naming the fix); with both, the constrained column's replies are keyed by the calibration (so
    an uncalibrated cache is never taken for them) and the report says what was done."""
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "adapters" / "tiny")
    data = write_data(tmp_path / "gen")
    args = ["--adapter", str(adapter), "--data", str(data), "--no-base", "--no-test", "--bfcl", "irrelevance",
            "--bfcl-limit", "2", "--bfcl-max-tokens", "8", "--call-calibration"]
    assert script.main(args) == 2
    assert "add --constrained" in capsys.readouterr().err
    assert script.main(args + ["--constrained"]) == 2
    assert f"{adapter / FILE_NAME} does not exist" in capsys.readouterr().err
    CallCalibration(alpha=0.5, bias=-0.25).save(adapter)
    assert script.main(args + ["--constrained"]) == 0
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert metrics["models"]["constrained"]["model_id"].endswith(
        ",call-calibrated(a=0.5,b=-0.25,book_grooming+restart_server)")
    assert "calibrated against foil tools" in (adapter / "eval" / "report.md").read_text()
