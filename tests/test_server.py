"""The MCP server: tool schemas, calls and errors in-process, the route hook, and the real entry
script over stdio and streamable HTTP (subprocesses talking to the fake upstreams)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fake_upstreams import FakeUpstreams, fake_env, fake_upstreams, upstreams  # noqa: F401 (pytest fixtures)
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, Tool

from smolcall.server import ToolCall, build_server
from smolcall.tools import Upstreams

REPO = Path(__file__).resolve().parents[1]
ENTRY = REPO / "mcp" / "server.py"
TOOL_NAMES = {
    "get_weather",
    "convert_currency",
    "calculate",
    "convert_units",
    "get_current_time",
    "convert_time",
    "days_between",
}


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result
    return "\n".join(block.text for block in result.content if block.type == "text")


@pytest.mark.anyio
async def test_tools_are_listed_with_described_schemas(upstreams: Upstreams) -> None:
    async with Client(build_server(upstreams=upstreams)) as client:
        tools = (await client.list_tools()).tools
    assert {tool.name for tool in tools} == TOOL_NAMES
    for tool in tools:
        assert tool.description, tool.name
        assert tool.output_schema is not None, tool.name
        properties = tool.input_schema["properties"]
        assert properties, tool.name
        for name, schema in properties.items():
            assert schema.get("description"), f"{tool.name}.{name} has no description"
        # The context parameter is injected by the server, never asked of the model.
        assert "ctx" not in properties


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("get_weather", {"location": "Paris"}, {"place": "Paris", "temperature": 12.5, "conditions": "overcast"}),
        (
            "get_weather",
            {"location": "Paris, Texas", "unit": "fahrenheit"},
            {"temperature": 75.2, "unit": "fahrenheit"},
        ),
        ("convert_currency", {"amount": 10, "from_currency": "USD", "to_currency": "EUR"}, {"rates": {"EUR": 9.26355}}),
        ("calculate", {"expression": "2 * (3 + 4)"}, {"result": 14}),
        ("convert_units", {"value": 100, "from_unit": "C", "to_unit": "F"}, {"result": 212.0}),
        ("get_current_time", {"timezone": "Asia/Tokyo"}, {"timezone": "Asia/Tokyo", "utc_offset": "+09:00"}),
        (
            "convert_time",
            {"time": "2026-07-01 09:00", "from_timezone": "America/New_York", "to_timezone": "Europe/Paris"},
            {"time_difference": "+6h"},
        ),
        ("days_between", {"start_date": "2026-01-01", "end_date": "2026-12-25"}, {"days": 358}),
    ],
)
@pytest.mark.anyio
async def test_tool_calls(upstreams: Upstreams, name: str, arguments: dict[str, Any], expected: dict[str, Any]) -> None:
    async with Client(build_server(upstreams=upstreams)) as client:
        result = await client.call_tool(name, arguments)
    assert not result.is_error, result
    assert result.structured_content is not None
    assert {key: result.structured_content[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("get_weather", {"location": "Atlantis"}, "no place named 'Atlantis' found; check the spelling or add"),
        ("get_weather", {"location": "Paris", "unit": "kelvin"}, "unit"),
        ("convert_currency", {"amount": 1, "from_currency": "XYZ", "to_currency": "EUR"}, "unknown currency 'XYZ'"),
        ("convert_currency", {"amount": -5, "from_currency": "USD", "to_currency": "EUR"}, "greater than 0"),
        ("calculate", {"expression": "__import__('os')"}, "unknown function '__import__'"),
        ("calculate", {"expression": "1 / 0"}, "division by zero"),
        ("convert_units", {"value": 1, "from_unit": "kg", "to_unit": "m"}, "cannot convert kg (mass) to m (length)"),
        ("get_current_time", {"timezone": "Tokyo"}, "did you mean 'Asia/Tokyo'?"),
        ("days_between", {"start_date": "yesterday", "end_date": "2026-01-01"}, "is not a date"),
        ("no_such_tool", {}, "Unknown tool"),
    ],
)
@pytest.mark.anyio
async def test_tool_errors_come_back_as_is_error(
    upstreams: Upstreams, name: str, arguments: dict[str, Any], message: str
) -> None:
    async with Client(build_server(upstreams=upstreams)) as client:
        result = await client.call_tool(name, arguments)
    assert message in error_text(result)


@pytest.mark.anyio
async def test_upstream_failures_come_back_as_is_error(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/latest", status=500, times=2)
    async with Client(build_server(upstreams=upstreams)) as client:
        arguments = {"amount": 1, "from_currency": "USD", "to_currency": "GBP"}
        failed = await client.call_tool("convert_currency", arguments)
        assert "currency service failed after 2 tries: HTTP 500" in error_text(failed)
        # The same client (and the server's shared HTTP client) keeps working afterwards.
        recovered = await client.call_tool("convert_currency", arguments)
    assert not recovered.is_error
    assert fake_upstreams.hits["/v1/latest"] == 3


@pytest.mark.anyio
async def test_build_server_reads_the_environment(fake_env: FakeUpstreams) -> None:
    async with Client(build_server()) as client:
        result = await client.call_tool("get_weather", {"location": "Tokyo"})
    assert not result.is_error, result
    assert fake_env.hits == {"/v1/search": 1, "/v1/forecast": 1}


# ---------------------------------------------------------------- the route hook


class FakeRouter:
    """Stands in for the tuned model: answers every request with one fixed call."""

    def __init__(self, call: ToolCall | None) -> None:
        self.call = call
        self.seen: list[tuple[str, list[Tool]]] = []

    async def __call__(self, request: str, tools: list[Tool]) -> ToolCall | None:
        self.seen.append((request, tools))
        return self.call


@pytest.mark.anyio
async def test_route_is_registered_only_with_a_router(upstreams: Upstreams) -> None:
    async with Client(build_server(upstreams=upstreams, router=FakeRouter(None))) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == TOOL_NAMES | {"route"}
    assert tools["route"].input_schema["properties"]["request"]["description"]


@pytest.mark.anyio
async def test_route_calls_what_the_router_picks(upstreams: Upstreams) -> None:
    router = FakeRouter({"name": "calculate", "arguments": {"expression": "6 * 7"}})
    async with Client(build_server(upstreams=upstreams, router=router)) as client:
        result = await client.call_tool("route", {"request": "what is six times seven"})
    assert not result.is_error, result
    assert result.structured_content == {
        "request": "what is six times seven",
        "call": {"name": "calculate", "arguments": {"expression": "6 * 7"}},
        "result": {"expression": "6 * 7", "result": 42},
    }
    request, tools = router.seen[0]
    assert request == "what is six times seven"
    assert {tool.name for tool in tools} == TOOL_NAMES  # the router never sees route itself


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (None, "no tool fits 'sing me a song'; the tools are: get_weather"),
        ({"name": "sing", "arguments": {}}, "the router chose 'sing', which is not a tool here"),
        ({"name": "calculate", "arguments": {"expression": "1 / 0"}}, "division by zero"),
    ],
)
@pytest.mark.anyio
async def test_route_errors(upstreams: Upstreams, call: ToolCall | None, message: str) -> None:
    async with Client(build_server(upstreams=upstreams, router=FakeRouter(call))) as client:
        result = await client.call_tool("route", {"request": "sing me a song"})
    assert message in error_text(result)


# ---------------------------------------------------------------- the entry script, for real


@pytest.mark.anyio
async def test_stdio_subprocess(fake_upstreams: FakeUpstreams) -> None:
    params = StdioServerParameters(command=sys.executable, args=[str(ENTRY)], env=fake_upstreams.env(), cwd=REPO)
    async with Client(params) as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool("get_weather", {"location": "Paris"})
    assert {tool.name for tool in tools} == TOOL_NAMES
    assert not result.is_error, result
    assert result.structured_content is not None and result.structured_content["temperature"] == 12.5
    assert fake_upstreams.hits["/v1/forecast"] == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before listening on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"server did not listen on 127.0.0.1:{port} within {timeout_s} s")


@pytest.mark.anyio
async def test_streamable_http_subprocess(fake_upstreams: FakeUpstreams, tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(ENTRY), "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=os.environ | fake_upstreams.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            arguments = {"amount": 10, "from_currency": "USD", "to_currency": "EUR"}
            result = await client.call_tool("convert_currency", arguments)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    assert not result.is_error, (tmp_path / "server.log").read_text()
    assert result.structured_content == {"amount": 10.0, "base": "USD", "date": "2026-11-20", "rates": {"EUR": 9.26355}}
