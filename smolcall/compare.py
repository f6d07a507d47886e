"""The MCP client's logic: connect to a server, and run each query through every model's agent.

`mcp/client.py` shows the results side by side; this module only collects them:

    >>> comparisons = await compare_models(client, tool_specs(tools), ["What is 17 * 23?"],
    ...                                    [("base", base_agent), ("tuned", tuned_agent)])
    >>> comparisons[0].results["tuned"].status                            # doctest: +SKIP
    'called'
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import argparse

from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from smolcall.agent import Agent, AgentResult, ToolSession

SERVER_SCRIPT = Path(__file__).resolve().parents[1] / "mcp" / "server.py"
# Offline tools (calculate, convert_units, time and dates), one network tool, and one question
# that needs no tool at all.
DEMO_QUERIES = (
    "What is 17 * 23 + 4?",
    "Convert 5 miles to kilometers.",
    "What time is it in Tokyo right now?",
    "How many days are there from 2026-01-01 to 2026-12-25?",
    "What's the weather like in Paris right now?",
    "Tell me a fun fact about octopuses.",
)


@dataclass(frozen=True)
class ModelSlot:
    """A column of the comparison: its label and the adapter it loads (None: the base model)."""

    label: str
    adapter: Path | None


def plan_models(adapter: str | Path | None, default: Path | None) -> tuple[list[ModelSlot], str | None]:
    """The models to compare, and a note when the tuned one is missing.

        plan_models("adapters/r8", None)  -> [base, tuned (adapters/r8)], None
        plan_models(None, None)           -> [base], 'no adapter: ... base model only'
    """
    chosen = Path(adapter) if adapter is not None else default
    if chosen is None:
        return [ModelSlot("base", None)], (
            "no adapter given and adapters/default does not exist: showing the base model only. "
            "Train one with `uv run train/train.py`, or pass --adapter adapters/<run>"
        )
    return [ModelSlot("base", None), ModelSlot("tuned", chosen)], None


def server_target(server: str | None = None, url: str | None = None, errlog: TextIO = sys.stderr) -> Any:
    """What `mcp.Client` connects to: a URL, a command to start over stdio, or our own server.

    The server process gets this environment (so SMOLCALL_* upstream settings reach it) and
    writes its log to `errlog`.
        server_target()                              -> stdio: <python> mcp/server.py
        server_target("npx some-mcp-server --flag")  -> stdio: that command
        server_target(url="http://127.0.0.1:8000/mcp") -> streamable HTTP
    """
    if server is not None and url is not None:
        raise ValueError("pass --server CMD or --url URL, not both")
    if url is not None:
        return url
    argv = shlex.split(server) if server is not None else [sys.executable, str(SERVER_SCRIPT)]
    if not argv:
        raise ValueError("--server needs a command, e.g. --server 'python mcp/server.py'")
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=dict(os.environ))
    return stdio_client(params, errlog=errlog)


def connect(server: str | None = None, url: str | None = None, errlog: TextIO = sys.stderr) -> Client:
    """An (unopened) MCP client for `server_target(...)`; use it as `async with connect(...) as c`."""
    return Client(server_target(server, url, errlog))


@dataclass(frozen=True)
class Comparison:
    """One query and each model's result, by label, in the order the models were given."""

    query: str
    results: dict[str, AgentResult]


async def compare_models(
    session: ToolSession,
    specs: list[dict[str, Any]],
    queries: Sequence[str],
    agents: Sequence[tuple[str, Agent]],
    on_comparison: Callable[[Comparison], None] | None = None,
) -> list[Comparison]:
    """Run every query through every agent; `on_comparison` sees each query's results as they
    complete, so a long run shows progress."""
    comparisons = []
    for query in queries:
        results = {label: await agent.run(query, session, specs) for label, agent in agents}
        comparison = Comparison(query, results)
        if on_comparison is not None:
            on_comparison(comparison)
        comparisons.append(comparison)
    return comparisons


def add_agent_options(parser: argparse.ArgumentParser) -> None:
    """The options mcp/agent.py and mcp/client.py share: server target, decoding, recovery, logs."""
    from smolcall.agent import DEFAULT_MAX_RETRIES
    from smolcall.agent_log import DEFAULT_LOG_DIR
    from smolcall.prompt import STYLES

    target = parser.add_mutually_exclusive_group()
    target.add_argument("--server", help="MCP server command to start over stdio (default: our mcp/server.py)")
    target.add_argument("--url", help="streamable HTTP MCP server, e.g. http://127.0.0.1:8000/mcp")
    parser.add_argument("--constrained", action="store_true",
                        help="route with constrained decoding from the first attempt (plain answers still allowed)")
    parser.add_argument("--no-fallback", action="store_true", help="skip the constrained-decoding fallback step")
    parser.add_argument("--ground-strings", action="store_true", help="constrained decoding writes free string "
                        "arguments only from the request's words (no invented names or places)")
    parser.add_argument("--stated-arguments", action="store_true", help="constrained decoding goes on to the "
                        "optional arguments the request names (a word of the name, or an enum value) where a call "
                        "would close without them")
    parser.add_argument("--max-retries", type=int, default=DEFAULT_MAX_RETRIES,
                        help=f"re-prompts with the error before the fallback (default: {DEFAULT_MAX_RETRIES})")
    parser.add_argument("--prompt-style", choices=STYLES,
                        help="how the system prompt writes the tool specs (default: the adapter's training "
                             "style from its adapter_config.json, else compact)")
    parser.add_argument("--log-dir", default=DEFAULT_LOG_DIR, help=f"where the step log goes (default: {DEFAULT_LOG_DIR})")


def check_agent_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Reject bad values before any weights load (a bad adapter folder included)."""
    from smolcall.chat_model import adapter_base_model
    from smolcall.models import ModelNotFoundError

    if args.max_retries < 0:
        parser.error(f"--max-retries is {args.max_retries}; use 0 or more")
    for flag, given in (("--ground-strings", args.ground_strings), ("--stated-arguments", args.stated_arguments)):
        if given and args.no_fallback and not args.constrained:
            parser.error(f"{flag} applies to constrained decoding, and --no-fallback without --constrained "
                         "leaves none: drop --no-fallback or add --constrained")
    if args.adapter is not None:
        try:
            adapter_base_model(args.adapter)
        except ModelNotFoundError as e:
            parser.error(str(e))
