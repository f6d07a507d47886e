"""smolcall's MCP server: the tools in `smolcall.tools`, plus `route` when a router is given.

`build_server()` returns an `MCPServer` (the official SDK's decorator server) that `mcp/server.py`
runs over stdio or streamable HTTP, and that tests drive in-process with `mcp.Client(server)`.
"""

import importlib.metadata
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import Tool
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12

from smolcall.tools import TOOLS, ToolState, Upstreams

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Tools for everyday questions: current weather (get_weather), currency conversion "
    "(convert_currency), arithmetic (calculate), unit conversion (convert_units), and time and dates "
    "(get_current_time, convert_time, days_between). Weather and exchange rates come from the public "
    "Open-Meteo and Frankfurter APIs."
)


class ToolCall(TypedDict):
    name: str
    arguments: dict[str, Any]


# A router reads a plain-language request and the server's tools (name, description, input schema)
# and picks one call, or None when no tool fits. It is async so that a model-backed router can
# choose how it runs (a worker thread, a process) without blocking the server's event loop.
Router = Callable[[str, list[Tool]], Awaitable[ToolCall | None]]


class RoutedCall(TypedDict):
    request: str
    call: ToolCall
    result: Any


def _route_tool(router: Router) -> Callable[..., Awaitable[RoutedCall]]:
    async def route(
        request: Annotated[
            str, Field(description="What the user wants, in plain words, e.g. 'weather in Oslo in fahrenheit'.")
        ],
        *,
        ctx: Context,
    ) -> RoutedCall:
        """Let smolcall's small model pick the right tool for a plain-language request, call it, and
        return the chosen call together with its result."""
        tools = [tool for tool in await ctx.mcp_server.list_tools() if tool.name != "route"]
        call = await router(request, tools)
        names = [tool.name for tool in tools]
        if call is None:
            raise ToolError(f"no tool fits {request!r}; the tools are: {', '.join(names)}")
        if call["name"] not in names:
            raise ToolError(
                f"the router chose {call['name']!r}, which is not a tool here; the tools are: {', '.join(names)}"
            )
        logger.info("route %r -> %s(%s)", request, call["name"], call["arguments"])
        # A failing inner call raises ToolError, which reaches the client as this call's error.
        result = await ctx.mcp_server.call_tool(call["name"], call["arguments"], ctx)
        if result.structured_content is not None:
            value: Any = result.structured_content
        else:
            value = "\n".join(block.text for block in result.content if block.type == "text")
        return {"request": request, "call": call, "result": value}

    return route


def build_server(*, upstreams: Upstreams | None = None, router: Router | None = None) -> MCPServer[ToolState]:
    """The smolcall MCP server with every tool in `smolcall.tools.TOOLS` registered.

    upstreams: where the weather and currency tools send requests; None reads the SMOLCALL_*
        environment variables now (see `smolcall.tools.upstream`).
    router: when given, also registers a `route(request)` tool that lets the router pick and make
        one call among the other tools.
    """
    resolved = upstreams if upstreams is not None else Upstreams.from_env()

    @asynccontextmanager
    async def lifespan(_: MCPServer[ToolState]) -> AsyncIterator[ToolState]:
        # One connection pool for the server's lifetime, shared by every call.
        user_agent = f"smolcall/{importlib.metadata.version('smolcall')}"
        async with httpx.AsyncClient(timeout=resolved.timeout_s, headers={"User-Agent": user_agent}) as http:
            logger.info(
                "upstreams: geocoding %s, forecast %s, frankfurter %s, timeout %g s",
                resolved.geocoding_url,
                resolved.forecast_url,
                resolved.frankfurter_url,
                resolved.timeout_s,
            )
            yield ToolState(http=http, upstreams=resolved)

    server: MCPServer[ToolState] = MCPServer(
        "smolcall",
        instructions=INSTRUCTIONS,
        version=importlib.metadata.version("smolcall"),
        lifespan=lifespan,
    )
    for tool in TOOLS:
        server.add_tool(tool)
    if router is not None:
        server.add_tool(_route_tool(router))
    return server
