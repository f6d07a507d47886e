"""The tools smolcall serves over MCP.

Each tool is a small typed function whose signature and docstring are its schema; bad input raises
`ToolError` with the problem and the fix. The HTTP tools keep their upstream logic in plain async
functions (`fetch_weather`, `fetch_conversion`) that take an `httpx.AsyncClient`, so they can be
used and tested without MCP. `smolcall.server.build_server` registers everything in `TOOLS`.
"""

from smolcall.tools.calculator import calculate
from smolcall.tools.clock import convert_time, days_between, get_current_time
from smolcall.tools.currency import convert_currency, fetch_conversion
from smolcall.tools.units import convert_units
from smolcall.tools.upstream import ToolState, Upstreams
from smolcall.tools.weather import fetch_weather, get_weather

TOOLS = (get_weather, convert_currency, calculate, convert_units, get_current_time, convert_time, days_between)

__all__ = [
    "TOOLS",
    "ToolState",
    "Upstreams",
    "calculate",
    "convert_currency",
    "convert_time",
    "convert_units",
    "days_between",
    "fetch_conversion",
    "fetch_weather",
    "get_current_time",
    "get_weather",
]
