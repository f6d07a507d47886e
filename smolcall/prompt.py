"""The Glaive system prompt: tool specs in, tool specs out. Pure Python, no MLX.

Glaive v2 writes the offered functions as indented JSON objects after a fixed preamble:

    SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -
    {
        "name": "get_weather",
        "description": "Get the weather",
        "parameters": {"type": "object", "properties": {...}, "required": [...]}
    }

and, when there are none, "You are a helpful assistant, with no access to external functions."
Every stage (data, training, evaluation, the MCP client) builds its prompt here, so the model
always sees one format.
"""

from __future__ import annotations

import json

PREAMBLE = "You are a helpful assistant with access to the following functions. Use them if required -"
NO_FUNCTIONS = "You are a helpful assistant, with no access to external functions."
STYLES = ("glaive", "compact")

_decoder = json.JSONDecoder()


def format_tools(tools: list[dict], style: str = "glaive") -> str:
    """Tool specs as text: Glaive's 4-space indented JSON, or one compact JSON line per tool."""
    if style == "glaive":
        return "\n".join(json.dumps(t, indent=4, ensure_ascii=False) for t in tools)
    if style == "compact":
        return "\n".join(json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in tools)
    raise ValueError(f"unknown prompt style {style!r}; use one of {', '.join(STYLES)}")


def system_prompt(tools: list[dict], style: str = "glaive") -> str:
    """The system message offering `tools` (or saying there are none)."""
    if not tools:
        return NO_FUNCTIONS
    return f"{PREAMBLE}\n{format_tools(tools, style)}"


def parse_tools(system: str) -> list[dict]:
    """Read the function specs back out of a Glaive system prompt.

    >>> parse_tools('SYSTEM: You are ... Use them if required -\\n{"name": "f"}\\n{"name": "g"}')
    [{'name': 'f'}, {'name': 'g'}]

    Raises ValueError (with the character offset) when a spec is not valid JSON.
    """
    start = system.find("{")
    tools: list[dict] = []
    while start != -1:
        try:
            obj, end = _decoder.raw_decode(system, start)
        except json.JSONDecodeError as e:
            raise ValueError(f"function spec at character {start} is not valid JSON: {e.msg}") from e
        if not isinstance(obj, dict) or "name" not in obj:
            raise ValueError(f"function spec at character {start} has no \"name\"")
        tools.append(obj)
        start = system.find("{", end)
    return tools
