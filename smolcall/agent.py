"""The agent loop: a model picks a tool call, the call is checked against the tool's JSON schema and
repaired when it is wrong, made over MCP, and its result turned into an answer.

    route        <functioncall> {"name": "calculate", "arguments": {"expr": "17 * 23"}}
    verdict      invalid_arguments: 'expression' is a required property; ...
    retry 1      <functioncall> {"name": "calculate", "arguments": {"expression": "17 * 23"}}
    verdict      valid                                         -> recovery "retry"
    tool         {"expression": "17 * 23", "result": 391}
    answer       17 * 23 is 391.

Recovery, in order: re-prompt with the exact error (`max_retries` times, the bad reply kept as an
assistant turn), then one constrained-decoding attempt (the `fallback` generator, which can only
write schema-valid calls), then give up with a clear "could not call" result. A plain answer is a
valid outcome when the request needs no tool. A tool that fails (`is_error`) is reported to the
model as the function response and shown to the user; it is not a recovery case.

The model side is the `Generator` protocol (`conversation -> Generation`), so tests script the
replies and `smolcall.chat_model` plugs in MLX. Generation runs in a worker thread, so the event
loop (and an MCP session on it) stays responsive. Every step goes to an `AgentLog`.
"""

from __future__ import annotations

import inspect
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio.to_thread
from jsonschema import Draft202012Validator
from jsonschema.exceptions import relevance
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, Tool

from smolcall.agent_log import AgentLog
from smolcall.calls import END_OF_TEXT, MARKER, FunctionCall, format_calls, parse_reply
from smolcall.prompt import system_prompt

DEFAULT_MAX_RETRIES = 2
# Verdicts on one reply. Only "valid" (and "no_call" when no call is required) end the routing.
VERDICTS = ("valid", "no_call", "unparseable", "unknown_tool", "invalid_arguments")
# How many schema errors the repair message quotes: enough to fix the call, short enough to read.
MAX_SCHEMA_ERRORS = 3
# Schema keywords whose values are name -> schema maps (their keys are names, never keywords).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
# Keywords whose values are data, not schemas.
_SCHEMA_DATA = ("default", "enum", "const", "examples", "required")


# ---------------------------------------------------------------------------------------------
# The model side


@dataclass(frozen=True)
class Generation:
    """One model reply with its cost. `finish_reason` is "stop" or "length" (hit max_tokens);
    `cached_tokens` of the prompt came from a KV cache and were not run again."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    finish_reason: str = "stop"
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def processed_tokens(self) -> int:
        """Tokens the model ran: the uncached prompt and the completion."""
        return self.prompt_tokens - self.cached_tokens + self.completion_tokens


class Generator(Protocol):
    """Writes the assistant's next reply to a chat conversation.

        >>> generator([{"role": "system", "content": "..."}, {"role": "user", "content": "2+2?"}])
        Generation(text='<functioncall> {"name": "calculate", ...}', prompt_tokens=412, ...)
    """

    model_id: str

    def __call__(self, conversation: list[dict[str, str]]) -> Generation: ...


class ToolSession(Protocol):
    """What the loop needs of an MCP session: `mcp.Client` and `mcp.ClientSession` both fit."""

    async def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> CallToolResult: ...


# ---------------------------------------------------------------------------------------------
# Tool specs and checking a reply against them


def strip_titles(schema: Any) -> Any:
    """A JSON schema without pydantic's "title" keywords (noise to a small model), keeping any
    property that happens to be *named* "title".

        {"title": "calculateArguments", "properties": {"title": {"title": "Title", "type": "string"}}}
        -> {"properties": {"title": {"type": "string"}}}
    """
    if isinstance(schema, list):
        return [strip_titles(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: strip_titles(sub) for name, sub in value.items()}
        elif key in _SCHEMA_DATA:
            out[key] = value
        else:
            out[key] = strip_titles(value)
    return out


def tool_spec(tool: Tool) -> dict[str, Any]:
    """An MCP tool as the Glaive function spec that `system_prompt` writes.

        Tool(name="calculate", description="Evaluate ... result.\n\n    Supports ...", input_schema={...})
        -> {"name": "calculate", "description": "Evaluate ... result.", "parameters": {"type": "object", ...}}
    """
    # Docstring-derived descriptions carry the function's indentation. Only the first paragraph:
    # Glaive descriptions are one sentence, and every prompt token costs time on a CPU.
    description = inspect.cleandoc(tool.description or "").split("\n\n")[0]
    return {"name": tool.name, "description": description, "parameters": strip_titles(tool.input_schema)}


def tool_specs(tools: Sequence[Tool]) -> list[dict[str, Any]]:
    return [tool_spec(tool) for tool in tools]


def signature(spec: dict[str, Any]) -> str:
    """A function's arguments in one line, for error messages.

        calculate(expression: string, required)  ->  'expression (string, required)'
    """
    parameters = spec.get("parameters") or {}
    required = set(parameters.get("required", []))
    parts = []
    for name, schema in (parameters.get("properties") or {}).items():
        kind = schema.get("type", "any") if isinstance(schema, dict) else "any"
        parts.append(f"{name} ({kind}{', required' if name in required else ''})")
    return ", ".join(parts) or "no arguments"


def check_call(call: FunctionCall, specs: dict[str, dict[str, Any]]) -> tuple[str, str | None]:
    """("valid", None), or the verdict and the exact error to show the model.

        calculate(expr="1+1") -> ("invalid_arguments", "arguments of 'calculate' do not fit its schema:
            'expression' is a required property; Additional properties are not allowed ('expr' was
            unexpected). calculate takes: expression (string, required)")

    Arguments the schema does not name are errors unless it sets `additionalProperties`: a small
    model's usual mistake is a plausible name that the tool silently ignores.
    """
    spec = specs.get(call.name)
    if spec is None:
        return "unknown_tool", f"there is no function named {call.name!r}; the functions are: {', '.join(specs)}"
    schema = spec.get("parameters") or {"type": "object", "properties": {}}
    if "additionalProperties" not in schema:
        schema = {**schema, "additionalProperties": False}
    errors = sorted(Draft202012Validator(schema).iter_errors(call.arguments), key=relevance, reverse=True)
    if not errors:
        return "valid", None
    messages = []
    for error in errors[:MAX_SCHEMA_ERRORS]:
        where = "/".join(str(part) for part in error.absolute_path)
        messages.append(f"{where}: {error.message}" if where else error.message)
    return "invalid_arguments", (
        f"arguments of {call.name!r} do not fit its schema: {'; '.join(messages)}. "
        f"{call.name} takes: {signature(spec)}"
    )


@dataclass(frozen=True)
class Verdict:
    """What one reply amounts to: its calls, the text around them, and why it is not usable."""

    kind: str  # one of VERDICTS
    calls: tuple[FunctionCall, ...] = ()
    text: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def judge_reply(text: str, specs: dict[str, dict[str, Any]], call_required: bool = False) -> Verdict:
    """Parse a reply and check every call in it against the offered tools.

        '<functioncall> {"name": "calculate", "arguments": {"expression": "2+2"}}' -> Verdict("valid", ...)
        'Paris is the capital of France.'    -> Verdict("no_call") (an error when call_required)
        '<functioncall> {"name": "calculate", "arguments": {'  -> Verdict("unparseable", error=...)
    """
    parsed = parse_reply(text)
    if parsed.errors:
        return Verdict("unparseable", tuple(parsed.calls), parsed.text,
                       f"the {MARKER} is not a readable call: {parsed.errors[0]}")
    if not parsed.calls:
        error = f"the reply has no {MARKER}, but this request needs a function" if call_required else None
        return Verdict("no_call", (), parsed.text, error)
    for call in parsed.calls:
        kind, error = check_call(call, specs)
        if error is not None:
            return Verdict(kind, tuple(parsed.calls), parsed.text, error)
    return Verdict("valid", tuple(parsed.calls), parsed.text)


def repair_message(error: str) -> dict[str, str]:
    """The user turn that asks for a corrected call, quoting the exact error."""
    return {
        "role": "user",
        "content": (
            f"That function call is not valid: {error}. Reply with the corrected call only, as "
            f'{MARKER} {{"name": "...", "arguments": {{...}}}}, using a function and argument names '
            "from the list."
        ),
    }


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Attempt:
    """One try at a call: `action` is route (the first), retry, or constrained (the fallback)."""

    number: int
    action: str
    generation: Generation
    verdict: Verdict


@dataclass(frozen=True)
class Choice:
    """How routing ended: the attempts made and the recovery that produced the result."""

    attempts: list[Attempt]
    recovery: str  # none | retry | constrained | gave_up
    seconds: float

    @property
    def final(self) -> Verdict:
        return self.attempts[-1].verdict

    @property
    def calls(self) -> tuple[FunctionCall, ...]:
        """The valid calls to make (empty for a plain answer or when the loop gave up)."""
        return () if self.recovery == "gave_up" else self.final.calls

    @property
    def error(self) -> str | None:
        return self.final.error if self.recovery == "gave_up" else None


@dataclass(frozen=True)
class ToolResult:
    """One MCP call: `content` is what the model reads back (JSON, or the error text)."""

    name: str
    arguments: dict[str, Any]
    is_error: bool
    content: str
    structured: Any
    seconds: float

    def message(self) -> dict[str, str]:
        """The function response, as the `tool` turn Glaive training rows use."""
        return {"role": "tool", "content": json.dumps({"error": self.content}) if self.is_error else self.content}


@dataclass(frozen=True)
class AgentResult:
    """Everything one query went through, for display and for the log."""

    query: str
    model_id: str
    run_id: str
    status: str  # called | tool_error | no_call | gave_up (see smolcall.agent_log.STATUSES)
    choice: Choice
    tool_results: list[ToolResult] = field(default_factory=list)
    answer: str | None = None
    answer_generation: Generation | None = None
    seconds: float = 0.0

    @property
    def recovery(self) -> str:
        return self.choice.recovery

    @property
    def error(self) -> str | None:
        """Why no call could be made, in words for the user (None unless the loop gave up)."""
        if self.choice.error is None:
            return None
        return f"could not call a tool after {len(self.choice.attempts)} attempts: {self.choice.error}"

    @property
    def generations(self) -> list[Generation]:
        found = [a.generation for a in self.choice.attempts]
        return found + ([self.answer_generation] if self.answer_generation is not None else [])

    @property
    def total_tokens(self) -> int:
        return sum(g.total_tokens for g in self.generations)

    @property
    def processed_tokens(self) -> int:
        return sum(g.processed_tokens for g in self.generations)

    @property
    def tokens_per_second(self) -> float:
        """All tokens the model ran (prompt + completion, not those reused from the KV cache) of
        every generation, per second spent generating."""
        seconds = sum(g.seconds for g in self.generations)
        return self.processed_tokens / seconds if seconds > 0 else 0.0


def result_text(result: CallToolResult) -> str:
    """A tool result as text: the structured content as JSON, else the text blocks.

        structured {"result": 4} -> '{"result": 4}';   is_error -> 'Error executing tool ...: ...'
    """
    if result.structured_content is not None and not result.is_error:
        return json.dumps(result.structured_content, ensure_ascii=False)
    return "\n".join(block.text for block in result.content if block.type == "text")


# ---------------------------------------------------------------------------------------------
# The loop


class _Trace:
    """Writes one query's records to the log (or nowhere), with the fields they share."""

    def __init__(self, log: AgentLog | None, model_id: str, query: str) -> None:
        self.log = log
        self.run_id = uuid.uuid4().hex[:12]
        self.common = {"run": self.run_id, "model": model_id, "query": query}

    def write(self, event: str, **fields: Any) -> None:
        if self.log is not None:
            self.log.write({**self.common, "event": event, **fields})

    def attempt(self, attempt: Attempt) -> None:
        generation, verdict = attempt.generation, attempt.verdict
        self.write(
            "attempt",
            attempt=attempt.number,
            action=attempt.action,
            recovery="none" if attempt.action == "route" else attempt.action,
            raw=generation.text,
            calls=[c.to_dict() for c in verdict.calls],
            verdict=verdict.kind,
            error=verdict.error,
            seconds=round(generation.seconds, 4),
            prompt_tokens=generation.prompt_tokens,
            cached_tokens=generation.cached_tokens,
            completion_tokens=generation.completion_tokens,
            finish_reason=generation.finish_reason,
        )


def outcome_tool(choice: Choice) -> str | None:
    """The tool an outcome belongs to: the (first) call made, else the last one tried."""
    for attempt in reversed(choice.attempts):
        if attempt.verdict.calls:
            return attempt.verdict.calls[0].name
    return None


@dataclass
class Agent:
    """One model's agent loop.

    generator: writes the routing replies (and the answer, unless `answerer` is given).
    fallback: the constrained generator tried once after the retries; None skips that step.
    answerer: writes the final answer from the tool result (e.g. the unconstrained model when
        `generator` is constrained).
    require_call: treat a plain answer as a failure (for requests known to need a tool).

        >>> agent = Agent(generator, fallback=constrained, log=AgentLog("logs"))
        >>> result = await agent.run("What is 17 * 23?", client, tool_specs(tools))
        >>> result.status, result.recovery, result.answer
        ('called', 'none', '17 * 23 is 391.')
    """

    generator: Generator
    fallback: Generator | None = None
    answerer: Generator | None = None
    max_retries: int = DEFAULT_MAX_RETRIES
    require_call: bool = False
    prompt_style: str = "compact"
    log: AgentLog | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries is {self.max_retries}; use 0 (no re-prompting) or more")

    @property
    def model_id(self) -> str:
        return self.generator.model_id

    def conversation(self, query: str, specs: list[dict[str, Any]]) -> list[dict[str, str]]:
        """[system prompt offering the tools, the user's query]."""
        return [{"role": "system", "content": system_prompt(specs, self.prompt_style)},
                {"role": "user", "content": query}]

    async def _generate(self, generator: Generator, conversation: list[dict[str, str]]) -> Generation:
        # A worker thread keeps the event loop (and the MCP session on it) alive during generation.
        return await anyio.to_thread.run_sync(generator, conversation)

    async def choose(self, query: str, specs: list[dict[str, Any]], trace: _Trace | None = None) -> Choice:
        """Route, re-prompt on errors, fall back to constrained decoding, or give up."""
        trace = trace if trace is not None else _Trace(self.log, self.model_id, query)
        by_name = {spec["name"]: spec for spec in specs}
        start = time.perf_counter()
        base = self.conversation(query, specs)
        conversation = list(base)
        attempts: list[Attempt] = []

        def record(action: str, generation: Generation, call_required: bool) -> Verdict:
            verdict = judge_reply(generation.text, by_name, call_required)
            attempts.append(Attempt(len(attempts), action, generation, verdict))
            trace.attempt(attempts[-1])
            return verdict

        for number in range(self.max_retries + 1):
            action = "route" if number == 0 else "retry"
            generation = await self._generate(self.generator, conversation)
            # Once the model has tried to call, a plain answer to the repair request is a failure.
            verdict = record(action, generation, self.require_call or number > 0)
            if verdict.ok:
                return Choice(attempts, "none" if number == 0 else "retry", time.perf_counter() - start)
            conversation = [*conversation, {"role": "assistant", "content": generation.text},
                            repair_message(verdict.error or "")]
        if self.fallback is not None:
            # The fresh conversation, not the repair thread: the constraint makes any call valid.
            generation = await self._generate(self.fallback, base)
            if record("constrained", generation, True).ok:
                return Choice(attempts, "constrained", time.perf_counter() - start)
        return Choice(attempts, "gave_up", time.perf_counter() - start)

    async def call_tools(self, session: ToolSession, calls: Sequence[FunctionCall], trace: _Trace) -> list[ToolResult]:
        """Make each call over MCP; a tool error is a result, not an exception."""
        results = []
        for call in calls:
            start = time.perf_counter()
            raw = await session.call_tool(call.name, call.arguments)
            result = ToolResult(call.name, call.arguments, bool(raw.is_error), result_text(raw),
                                raw.structured_content, time.perf_counter() - start)
            trace.write("tool", name=call.name, arguments=call.arguments, is_error=result.is_error,
                        result=result.content, seconds=round(result.seconds, 4))
            results.append(result)
        return results

    async def run(self, query: str, session: ToolSession, specs: list[dict[str, Any]]) -> AgentResult:
        """The whole loop for one query: choose, call, answer; every step logged."""
        trace = _Trace(self.log, self.model_id, query)
        start = time.perf_counter()
        choice = await self.choose(query, specs, trace)
        results: list[ToolResult] = []
        answer: str | None = None
        answer_generation: Generation | None = None
        if choice.recovery == "gave_up":
            status = "gave_up"
        elif not choice.calls:
            status, answer = "no_call", choice.final.text
        else:
            results = await self.call_tools(session, choice.calls, trace)
            status = "tool_error" if any(r.is_error for r in results) else "called"
            conversation = [*self.conversation(query, specs),
                            {"role": "assistant", "content": format_calls(list(choice.calls))},
                            *(r.message() for r in results)]
            answer_generation = await self._generate(self.answerer or self.generator, conversation)
            answer = answer_generation.text.replace(END_OF_TEXT, "").strip()
            trace.write("answer", raw=answer_generation.text, seconds=round(answer_generation.seconds, 4),
                        prompt_tokens=answer_generation.prompt_tokens,
                        cached_tokens=answer_generation.cached_tokens,
                        completion_tokens=answer_generation.completion_tokens)
        result = AgentResult(query, self.model_id, trace.run_id, status, choice, results, answer,
                             answer_generation, time.perf_counter() - start)
        trace.write("outcome", status=status, recovery=choice.recovery, tool=outcome_tool(choice),
                    attempts=len(choice.attempts), error=result.error, seconds=round(result.seconds, 4),
                    route_seconds=round(choice.seconds, 4), total_tokens=result.total_tokens,
                    processed_tokens=result.processed_tokens,
                    tokens_per_second=round(result.tokens_per_second, 2))
        return result


class AgentRouter:
    """`smolcall.server.Router` backed by an agent: the model picks the call, the server makes it.

    Gives `None` (the server says no tool fits) for a plain answer, and raises `ToolError` with
    the last error when no valid call could be made.

        >>> server = build_server(router=AgentRouter(agent))
        >>> await client.call_tool("route", {"request": "17 times 23"})     # doctest: +SKIP
        {"request": "17 times 23", "call": {"name": "calculate", ...}, "result": {... 391}}
    """

    def __init__(self, agent: Agent) -> None:
        self.agent = agent

    async def __call__(self, request: str, tools: list[Tool]) -> dict[str, Any] | None:
        trace = _Trace(self.agent.log, self.agent.model_id, request)
        choice = await self.agent.choose(request, tool_specs(tools), trace)
        # The server makes the call after this returns: "called" here means a valid call was chosen.
        status = "gave_up" if choice.recovery == "gave_up" else ("called" if choice.calls else "no_call")
        trace.write("outcome", status=status, recovery=choice.recovery, tool=outcome_tool(choice),
                    attempts=len(choice.attempts), error=choice.error, seconds=round(choice.seconds, 4),
                    route_seconds=round(choice.seconds, 4), via="route_tool")
        if choice.recovery == "gave_up":
            raise ToolError(
                f"the model could not produce a valid call for {request!r} after "
                f"{len(choice.attempts)} attempts: {choice.error}"
            )
        if not choice.calls:
            return None
        return choice.calls[0].to_dict()
