"""The agent loop with scripted models against the real in-process MCP server: every recovery path,
the step log and its report, the route tool; and (slow) the embedded model for real."""

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from fake_upstreams import FakeUpstreams, fake_upstreams, upstreams  # noqa: F401 (pytest fixtures)
from mcp import Client

from smolcall.agent import Agent, AgentRouter, Generation, check_call, judge_reply, strip_titles, tool_specs
from smolcall.agent_log import AgentLog, log_files, percentile, read_records, summarize
from smolcall.calls import FunctionCall
from smolcall.server import build_server
from smolcall.tools import Upstreams

REPO = Path(__file__).resolve().parents[1]
CALC_OK = '<functioncall> {"name": "calculate", "arguments": {"expression": "17 * 23"}}'
CALC_BAD_ARGS = '<functioncall> {"name": "calculate", "arguments": {"expr": "17 * 23"}}'
CALC_CUT = '<functioncall> {"name": "calculate", "arguments": {"expression": "17 *'
ANSWER = "17 * 23 is 391."


class Scripted:
    """A stand-in model: replies from a script, in order, and remembers every conversation."""

    def __init__(self, replies: Sequence[str], model_id: str = "stub") -> None:
        self.replies = list(replies)
        self.model_id = model_id
        self.seen: list[list[dict[str, str]]] = []

    def __call__(self, conversation: list[dict[str, str]]) -> Generation:
        self.seen.append(conversation)
        if not self.replies:
            raise AssertionError(f"the script ran out; last conversation: {conversation[-1]}")
        return Generation(self.replies.pop(0), prompt_tokens=100, completion_tokens=20, seconds=0.5)


async def run_agent(upstreams: Upstreams, agent: Agent, query: str = "What is 17 * 23?"):
    async with Client(build_server(upstreams=upstreams)) as client:
        specs = tool_specs((await client.list_tools()).tools)
        return await agent.run(query, client, specs)


# ---------------------------------------------------------------- checking one reply


@pytest.mark.parametrize(
    ("call", "verdict", "message"),
    [
        (FunctionCall("calculate", {"expression": "1+1"}), "valid", None),
        (FunctionCall("calculate", {"expr": "1+1"}), "invalid_arguments", "'expression' is a required property"),
        (FunctionCall("calculate", {"expr": "1+1"}), "invalid_arguments", "('expr' was unexpected)"),
        (FunctionCall("calculate", {"expression": 2}), "invalid_arguments", "expression: 2 is not of type 'string'"),
        (FunctionCall("get_weather", {"location": "Oslo", "unit": "kelvin"}), "invalid_arguments",
         "unit: 'kelvin' is not one of ['celsius', 'fahrenheit']"),
        (FunctionCall("get_stock_price", {}), "unknown_tool",
         "there is no function named 'get_stock_price'; the functions are: get_weather, convert_currency"),
    ],
)
@pytest.mark.anyio
async def test_check_call(upstreams: Upstreams, call: FunctionCall, verdict: str, message: str | None) -> None:
    async with Client(build_server(upstreams=upstreams)) as client:
        specs = {s["name"]: s for s in tool_specs((await client.list_tools()).tools)}
    kind, error = check_call(call, specs)
    assert kind == verdict
    if message is None:
        assert error is None
    else:
        assert message in error
    if kind == "invalid_arguments":
        assert error.endswith("takes: expression (string, required)") or "location (string, required)" in error


@pytest.mark.parametrize(
    ("text", "required", "kind", "ok"),
    [
        (CALC_OK, False, "valid", True),
        ("Octopuses have three hearts.", False, "no_call", True),
        ("Octopuses have three hearts.", True, "no_call", False),
        (CALC_CUT, False, "unparseable", False),
        ("<functioncall> {\"name\": \"calculate\", \"arguments\": '{\"expression\": \"1+1\"}'}", False, "valid", True),
    ],
)
def test_judge_reply(text: str, required: bool, kind: str, ok: bool) -> None:
    specs = {"calculate": {"name": "calculate", "parameters": {
        "type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}}
    verdict = judge_reply(text, specs, call_required=required)
    assert (verdict.kind, verdict.ok) == (kind, ok)


def test_strip_titles_keeps_a_property_named_title() -> None:
    schema = {"title": "fArguments", "type": "object",
              "properties": {"title": {"title": "Title", "type": "string", "default": "x"}}}
    assert strip_titles(schema) == {"type": "object", "properties": {"title": {"type": "string", "default": "x"}}}


# ---------------------------------------------------------------- the recovery paths


@pytest.mark.anyio
async def test_valid_first_time(upstreams: Upstreams) -> None:
    model = Scripted([CALC_OK, ANSWER])
    result = await run_agent(upstreams, Agent(model))
    assert (result.status, result.recovery, result.answer) == ("called", "none", ANSWER)
    assert [t.structured for t in result.tool_results] == [{"expression": "17 * 23", "result": 391}]
    # The answer is written from: system, query, the call, and the function response as a `tool` turn.
    answer_prompt = model.seen[1]
    assert [m["role"] for m in answer_prompt] == ["system", "user", "assistant", "tool"]
    assert answer_prompt[2]["content"] == CALC_OK
    assert json.loads(answer_prompt[3]["content"]) == {"expression": "17 * 23", "result": 391}
    assert answer_prompt[0]["content"].startswith("You are a helpful assistant with access to the following functions.")
    assert result.total_tokens == 240 and result.tokens_per_second == pytest.approx(240.0)


@pytest.mark.parametrize(("bad", "verdict", "quoted"), [
    (CALC_BAD_ARGS, "invalid_arguments", "'expression' is a required property"),
    (CALC_CUT, "unparseable", "is not a readable call"),
    ('<functioncall> {"name": "calculate", "arguments": {"expression": "17 * 23", "expression": "17 * 24"}}',
     "unparseable", "key 'expression' appears twice"),
    ('<functioncall> {"name": "multiply", "arguments": {"a": 17, "b": 23}}', "unknown_tool",
     "there is no function named 'multiply'"),
])
@pytest.mark.anyio
async def test_retry_with_the_error_succeeds(upstreams: Upstreams, bad: str, verdict: str, quoted: str) -> None:
    model = Scripted([bad, CALC_OK, ANSWER])
    result = await run_agent(upstreams, Agent(model))
    assert (result.status, result.recovery) == ("called", "retry")
    assert [a.verdict.kind for a in result.choice.attempts] == [verdict, "valid"]
    retry_prompt = model.seen[1]
    # The bad reply stays as the assistant's turn; a user turn quotes the exact error.
    assert retry_prompt[2] == {"role": "assistant", "content": bad}
    assert retry_prompt[3]["role"] == "user" and quoted in retry_prompt[3]["content"]
    assert "<functioncall>" in retry_prompt[3]["content"]


@pytest.mark.anyio
async def test_constrained_fallback_succeeds(upstreams: Upstreams) -> None:
    model = Scripted([CALC_BAD_ARGS, CALC_CUT, "I cannot call that.", ANSWER])
    fallback = Scripted([CALC_OK])
    result = await run_agent(upstreams, Agent(model, fallback=fallback, max_retries=2))
    assert (result.status, result.recovery, result.answer) == ("called", "constrained", ANSWER)
    assert [(a.action, a.verdict.kind) for a in result.choice.attempts] == [
        ("route", "invalid_arguments"), ("retry", "unparseable"), ("retry", "no_call"), ("constrained", "valid")]
    # The fallback sees the fresh conversation, not the repair thread.
    assert [m["role"] for m in fallback.seen[0]] == ["system", "user"]


@pytest.mark.anyio
async def test_everything_fails_gives_up(upstreams: Upstreams) -> None:
    model = Scripted([CALC_BAD_ARGS] * 3)
    fallback = Scripted([CALC_CUT])
    result = await run_agent(upstreams, Agent(model, fallback=fallback))
    assert (result.status, result.recovery, result.tool_results, result.answer) == ("gave_up", "gave_up", [], None)
    assert result.error.startswith("could not call a tool after 4 attempts: the <functioncall> is not a readable call")


@pytest.mark.anyio
async def test_no_retries_no_fallback_gives_up_at_once(upstreams: Upstreams) -> None:
    result = await run_agent(upstreams, Agent(Scripted([CALC_BAD_ARGS]), max_retries=0))
    assert result.status == "gave_up" and len(result.choice.attempts) == 1


@pytest.mark.anyio
async def test_tool_error_is_reported_to_the_model_and_the_user(upstreams: Upstreams) -> None:
    model = Scripted(['<functioncall> {"name": "calculate", "arguments": {"expression": "1 / 0"}}',
                      "You cannot divide by zero."])
    result = await run_agent(upstreams, Agent(model))
    assert (result.status, result.recovery) == ("tool_error", "none")
    [tool] = result.tool_results
    assert tool.is_error and "division by zero" in tool.content
    assert json.loads(model.seen[1][-1]["content"]) == {"error": tool.content}
    assert result.answer == "You cannot divide by zero."


@pytest.mark.anyio
async def test_unreachable_network_tool_is_a_tool_error(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/search", status=503, times=2)
    model = Scripted(['<functioncall> {"name": "get_weather", "arguments": {"location": "Paris"}}',
                      "The weather service is down."])
    result = await run_agent(upstreams, Agent(model), "Weather in Paris?")
    assert result.status == "tool_error"
    assert "weather service failed after 2 tries: HTTP 503" in result.tool_results[0].content


@pytest.mark.anyio
async def test_plain_answer_is_a_valid_outcome(upstreams: Upstreams) -> None:
    model = Scripted(["Octopuses have three hearts."])
    result = await run_agent(upstreams, Agent(model), "Tell me a fact about octopuses.")
    assert (result.status, result.recovery, result.answer) == ("no_call", "none", "Octopuses have three hearts.")
    assert len(model.seen) == 1 and result.tool_results == []


@pytest.mark.anyio
async def test_require_call_retries_a_plain_answer(upstreams: Upstreams) -> None:
    model = Scripted(["391", CALC_OK, ANSWER])
    result = await run_agent(upstreams, Agent(model, require_call=True))
    assert (result.status, result.recovery) == ("called", "retry")
    assert "the reply has no <functioncall>" in model.seen[1][3]["content"]


def test_negative_retries_are_refused() -> None:
    with pytest.raises(ValueError, match="max_retries is -1; use 0"):
        Agent(Scripted([]), max_retries=-1)


# ---------------------------------------------------------------- the step log and its report


@pytest.mark.anyio
async def test_every_step_is_logged(upstreams: Upstreams, tmp_path: Path) -> None:
    log = AgentLog(tmp_path, clock=lambda: datetime(2026, 11, 21, 20, 58, tzinfo=timezone.utc))
    agent = Agent(Scripted([CALC_BAD_ARGS, CALC_OK, ANSWER], model_id="stub-model"), log=log)
    await run_agent(upstreams, agent)
    [path] = log_files(tmp_path)
    assert path.name == "agent-20261121.jsonl"
    records = read_records([path])
    assert [r["event"] for r in records] == ["attempt", "attempt", "tool", "answer", "outcome"]
    assert {r["model"] for r in records} == {"stub-model"} and len({r["run"] for r in records}) == 1
    first, second = records[0], records[1]
    assert (first["attempt"], first["action"], first["recovery"], first["verdict"]) == (0, "route", "none",
                                                                                     "invalid_arguments")
    assert first["raw"] == CALC_BAD_ARGS and first["calls"] == [{"name": "calculate", "arguments": {"expr": "17 * 23"}}]
    assert "'expression' is a required property" in first["error"]
    assert (first["seconds"], first["prompt_tokens"], first["completion_tokens"]) == (0.5, 100, 20)
    assert (second["action"], second["recovery"], second["verdict"], second["error"]) == ("retry", "retry", "valid", None)
    assert records[2]["result"] == '{"expression": "17 * 23", "result": 391}' and records[2]["is_error"] is False
    outcome = records[-1]
    assert (outcome["status"], outcome["recovery"], outcome["tool"], outcome["attempts"]) == ("called", "retry",
                                                                                              "calculate", 2)
    assert outcome["ts"] == "2026-11-21T20:58:00.000Z"
    assert outcome["seconds"] >= outcome["route_seconds"] > 0


@pytest.mark.anyio
async def test_report_counts_the_logged_runs(upstreams: Upstreams, tmp_path: Path) -> None:
    log = AgentLog(tmp_path)
    scripts = [
        ([CALC_OK, ANSWER], None),                                              # called, none
        ([CALC_BAD_ARGS, CALC_OK, ANSWER], None),                               # called, retry
        ([CALC_BAD_ARGS, CALC_CUT, CALC_CUT, ANSWER], [CALC_OK]),               # called, constrained
        ([CALC_CUT] * 3, [CALC_CUT]),                                           # gave_up (no parsed call)
        (['<functioncall> {"name": "calculate", "arguments": {"expression": "1/0"}}', "oops"], None),  # tool_error
        (["Hello!"], None),                                                     # no_call
    ]
    async with Client(build_server(upstreams=upstreams)) as client:
        specs = tool_specs((await client.list_tools()).tools)
        for replies, fallback in scripts:
            agent = Agent(Scripted(replies), fallback=Scripted(fallback) if fallback else None, log=log)
            await agent.run("q", client, specs)
    summary = summarize(read_records(log_files(tmp_path)))
    total = summary.total
    assert total.queries == 6
    assert dict(total.statuses) == {"called": 3, "gave_up": 1, "tool_error": 1, "no_call": 1}
    assert dict(total.recoveries) == {"none": 3, "retry": 1, "constrained": 1, "gave_up": 1}
    assert total.success_rate == pytest.approx(5 / 6)
    groups = {g.name: g for g in summary.tools}
    assert set(groups) == {"calculate", "(no call)", "(no parsed call)"}
    assert groups["calculate"].queries == 4 and dict(groups["calculate"].statuses) == {"called": 3, "tool_error": 1}
    assert summary.models == ["stub"]

    report = subprocess.run([sys.executable, str(REPO / "mcp" / "logs_report.py"), str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO, env={**os.environ, "COLUMNS": "200"})
    assert report.returncode == 0, report.stderr
    assert "agent logs: 6 queries" in report.stdout
    [all_row] = [line for line in report.stdout.splitlines() if "│ all" in line]
    cells = [c.strip() for c in all_row.split("│")[1:-1]]
    assert cells[:10] == ["all", "6", "83%", "3", "1", "1", "1", "3", "1", "1"]


def outcome(tool: str | None, status: str, recovery: str, seconds: float, route: float) -> dict[str, Any]:
    return {"event": "outcome", "model": "m", "tool": tool, "status": status, "recovery": recovery,
            "seconds": seconds, "route_seconds": route}


def test_summary_latency_percentiles() -> None:
    records = [outcome("calculate", "called", "none", s, s / 2) for s in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    records += [outcome("get_weather", "tool_error", "retry", 20, 4), {"event": "attempt", "model": "m"}]
    summary = summarize(records)
    calc = summary.tools[0]
    assert (calc.name, calc.latency(50), calc.latency(95), calc.latency(50, route=True)) == ("calculate", 5, 10, 2.5)
    assert (summary.total.latency(50), summary.total.latency(95)) == (6, 20)
    assert summarize(records, model="other").total.queries == 0


@pytest.mark.parametrize(("values", "p", "expected"), [([3, 1, 2], 50, 2), ([5], 95, 5), ([1, 2], 50, 1), ([], 50, None)])
def test_percentile(values: list[float], p: float, expected: float | None) -> None:
    assert percentile(values, p) == expected


def test_report_without_logs_says_what_to_run(tmp_path: Path) -> None:
    report = subprocess.run([sys.executable, str(REPO / "mcp" / "logs_report.py"), str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO)
    assert report.returncode == 2
    assert "no agent logs (agent-YYYYMMDD.jsonl)" in report.stderr and "uv run mcp/agent.py" in report.stderr
    assert "Traceback" not in report.stderr


def test_a_broken_log_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "agent-20261121.jsonl").write_text('{"event": "outcome"}\nnot json\n')
    with pytest.raises(ValueError, match=r"agent-20261121.jsonl:2 is not JSON"):
        read_records(log_files(tmp_path))


# ---------------------------------------------------------------- the route tool


@pytest.mark.anyio
async def test_route_tool_with_an_agent_router(upstreams: Upstreams, tmp_path: Path) -> None:
    router = AgentRouter(Agent(Scripted([CALC_BAD_ARGS, CALC_OK]), log=AgentLog(tmp_path)))
    async with Client(build_server(upstreams=upstreams, router=router)) as client:
        result = await client.call_tool("route", {"request": "what is 17 times 23"})
    assert not result.is_error, result
    assert result.structured_content["call"] == {"name": "calculate", "arguments": {"expression": "17 * 23"}}
    assert result.structured_content["result"]["result"] == 391
    outcome_record = read_records(log_files(tmp_path))[-1]
    assert (outcome_record["status"], outcome_record["recovery"], outcome_record["via"]) == ("called", "retry",
                                                                                             "route_tool")


@pytest.mark.parametrize(("replies", "message"), [
    (["Sure, here is a song."], "no tool fits 'sing me a song'"),
    ([CALC_CUT] * 3, "the model could not produce a valid call for 'sing me a song' after 3 attempts"),
])
@pytest.mark.anyio
async def test_route_tool_failures(upstreams: Upstreams, replies: list[str], message: str) -> None:
    router = AgentRouter(Agent(Scripted(replies)))
    async with Client(build_server(upstreams=upstreams, router=router)) as client:
        result = await client.call_tool("route", {"request": "sing me a song"})
    assert result.is_error
    assert message in result.content[0].text


# ---------------------------------------------------------------- the MLX generator (tiny random model)

CALC_SPEC = {"name": "calculate", "description": "Evaluate an arithmetic expression.",
             "parameters": {"type": "object", "properties": {"expression": {"type": "string"}},
                            "required": ["expression"]}}


def test_prefix_cache_replies_like_uncached_generation(tiny_model_dir: Path) -> None:
    from smolcall.chat_model import MLXGenerator, load_chat_model
    from smolcall.generation import generate_replies

    chat = load_chat_model(base=str(tiny_model_dir))
    generator = MLXGenerator(chat, max_tokens=12)
    system = {"role": "system", "content": "You are a helpful assistant with access to tools."}
    first = [system, {"role": "user", "content": "What is 17 * 23?"}]
    retry = [*first, {"role": "assistant", "content": "hmm"}, {"role": "user", "content": "Try again."}]
    other = [system, {"role": "user", "content": "Weather in Oslo?"}]
    replies = [generator(c) for c in (first, retry, other, first)]
    expected = generate_replies(chat.model, chat.tokenizer, [first, retry, other, first], max_tokens=12)
    assert [r.text for r in replies] == [e.text for e in expected]
    assert [r.prompt_tokens for r in replies] == [e.prompt_tokens for e in expected]
    # Nothing cached at first; then the shared prefix: the whole first prompt, the system turn.
    assert replies[0].cached_tokens == 0
    assert replies[1].cached_tokens >= replies[0].prompt_tokens - 1
    assert 0 < replies[2].cached_tokens < replies[0].prompt_tokens
    assert replies[3].cached_tokens >= len(system["content"])


def test_constrained_fallback_on_a_cached_prompt_writes_a_valid_call(tiny_model_dir: Path) -> None:
    from smolcall.chat_model import MLXGenerator, constrained_generator, load_chat_model
    from smolcall.prompt import system_prompt

    chat = load_chat_model(base=str(tiny_model_dir))
    conversation = [{"role": "system", "content": system_prompt([CALC_SPEC], "compact")},
                    {"role": "user", "content": "What is 17 * 23?"}]
    MLXGenerator(chat, max_tokens=8)(conversation)  # fills the cache with this prompt
    reply = constrained_generator(chat, allow_text=False, max_tokens=120)(conversation)
    assert reply.cached_tokens == reply.prompt_tokens - 1
    verdict = judge_reply(reply.text, {"calculate": CALC_SPEC}, call_required=True)
    assert verdict.kind == "valid", reply.text
    assert len(verdict.calls) == 1


def test_grounded_agent_writes_strings_from_the_request(tiny_model_dir: Path) -> None:
    """--ground-strings reaches both constrained steps; a random model's city is the user's words."""
    from smolcall.chat_model import build_agent, load_chat_model
    from smolcall.constrain import grounding_spans
    from smolcall.prompt import system_prompt

    spec = {"name": "get_weather", "description": "Weather in a city", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    agent = build_agent(load_chat_model(base=str(tiny_model_dir)), constrained=True, ground_strings=True)
    assert agent.generator.ground_strings and agent.fallback.ground_strings
    conversation = [{"role": "system", "content": system_prompt([spec], "compact")},
                    {"role": "user", "content": "Is it raining in Porto Alegre, Brazil?"}]
    reply = agent.fallback(conversation)
    verdict = judge_reply(reply.text, {"get_weather": spec}, call_required=True)
    assert verdict.kind == "valid", reply.text
    assert verdict.calls[0].arguments["city"] in grounding_spans(conversation), reply.text


@pytest.mark.parametrize("flag", ["--ground-strings", "--stated-arguments"])
def test_constrained_options_need_a_constrained_step(flag: str) -> None:
    run = subprocess.run([sys.executable, str(REPO / "mcp" / "agent.py"), flag, "--no-fallback"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 2 and f"{flag} applies" in run.stderr and "add --constrained" in run.stderr
    assert "Traceback" not in run.stderr


def test_agent_with_stated_arguments_writes_the_named_optional_argument(tiny_model_dir: Path) -> None:
    """--stated-arguments reaches both constrained steps: the random model's call holds the
    optional argument the request names."""
    from smolcall.chat_model import build_agent, load_chat_model
    from smolcall.prompt import system_prompt

    spec = {"name": "set_lamp", "description": "Switch a lamp", "parameters": {"type": "object", "properties": {
        "room": {"type": "string", "enum": ["kitchen", "hall"]}, "flicker": {"type": "boolean"},
        "colour": {"type": "string", "enum": ["warm", "cold"]}}, "required": ["room"]}}
    agent = build_agent(load_chat_model(base=str(tiny_model_dir)), constrained=True, stated_arguments=True)
    assert agent.generator.stated_arguments and agent.fallback.stated_arguments
    for text, named in (("a flickering hall lamp", {"flicker"}), ("flicker it, warm", {"flicker", "colour"})):
        conversation = [{"role": "system", "content": system_prompt([spec], "compact")},
                        {"role": "user", "content": text}]
        verdict = judge_reply(agent.fallback(conversation).text, {"set_lamp": spec}, call_required=True)
        assert verdict.kind == "valid" and named <= set(verdict.calls[0].arguments), verdict


def test_server_router_flag_checks_the_folder_before_loading(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "mcp" / "server.py"), "--router", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 2
    assert "has no adapter_config.json" in run.stderr and "Traceback" not in run.stderr


# ---------------------------------------------------------------- the real model (slow)


@pytest.mark.slow
def test_agent_script_recovers_with_the_real_model(fake_upstreams: FakeUpstreams, tmp_path: Path) -> None:
    """The base model never calls by itself: with --require-call the log shows the whole chain
    (route, 2 retries, constrained decoding) ending in a schema-valid call that runs."""
    command = [sys.executable, str(REPO / "mcp" / "agent.py"), "--query", "What is 17 * 23 + 4?",
               "--require-call", "--log-dir", str(tmp_path)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=900,
                         env={**os.environ, **fake_upstreams.env(), "COLUMNS": "160"})
    assert run.returncode == 0, run.stderr[-3000:]
    records = read_records(log_files(tmp_path))
    attempts = [r for r in records if r["event"] == "attempt"]
    outcome_record = records[-1]
    assert outcome_record["event"] == "outcome" and outcome_record["model"] == "embedded:smollm2-135m-instruct"
    assert attempts[0]["action"] == "route"
    if outcome_record["recovery"] == "constrained":
        assert [a["action"] for a in attempts] == ["route", "retry", "retry", "constrained"]
        assert attempts[-1]["verdict"] == "valid"
        assert outcome_record["status"] in ("called", "tool_error")
    assert outcome_record["status"] != "gave_up", attempts
    assert "call" in run.stdout and "latency" in run.stdout and "Traceback" not in run.stdout + run.stderr


@pytest.mark.slow
@pytest.mark.anyio
async def test_route_tool_with_the_real_model(upstreams: Upstreams) -> None:
    from smolcall.chat_model import build_agent, load_chat_model

    agent = build_agent(load_chat_model(), require_call=True)
    async with Client(build_server(upstreams=upstreams, router=AgentRouter(agent))) as client:
        result = await client.call_tool("route", {"request": "Convert 5 miles to kilometers."})
    # The constrained fallback guarantees a schema-valid call; the tool may still refuse its values.
    if result.is_error:
        assert "Traceback" not in result.content[0].text
    else:
        call = result.structured_content["call"]
        assert call["name"] in {"convert_units", "calculate", "get_weather", "convert_currency",
                                "get_current_time", "convert_time", "days_between"}
