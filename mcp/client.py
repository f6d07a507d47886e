"""uv run mcp/client.py [--adapter adapters/<run>] [--query TEXT | --interactive] [--server CMD | --url URL] [--constrained]

Compare the base and the tuned model as MCP tool callers. Starts smolcall's server over stdio
(or connects to --server / --url), lists its tools, offers them in the Glaive system prompt, and
runs each query through both models' agent loops (route, check, repair, call, answer). Each
query shows one panel per model, side by side: raw output, parsed call, tool result, final
answer, latency and tokens/s (all tokens, prompt + completion).

The tuned model is --adapter, else adapters/default when it exists, else the base model runs
alone. Without --query or --interactive it runs a built-in demo set. Steps are logged to
<log-dir>/agent-YYYYMMDD.jsonl; the server's own log goes to <log-dir>/server.log.
"""

import smolcall  # noqa: F401  (first, as in every entry script: preloads OpenBLAS before anything imports mlx.core)

import argparse
from pathlib import Path

import anyio
import anyio.to_thread

from smolcall import ui
from smolcall.agent import Agent, tool_specs
from smolcall.agent_log import AgentLog
from smolcall.backend import exit_without_teardown
from smolcall.chat_model import build_agent, default_adapter, load_chat_model, trained_prompt_style
from smolcall.compare import (DEMO_QUERIES, Comparison, add_agent_options, check_agent_options, compare_models,
                              connect, plan_models)

QUIT_WORDS = ("", "quit", "exit", ":q")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="\n".join(__doc__.splitlines()[2:]), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--adapter", help="tuned model: adapter run folder (default: adapters/default if present)")
    queries = parser.add_mutually_exclusive_group()
    queries.add_argument("--query", action="append", help="a request (repeatable; default: the demo set)")
    queries.add_argument("--interactive", action="store_true", help="read requests from the terminal")
    add_agent_options(parser)
    args = parser.parse_args()
    check_agent_options(parser, args)
    return args


async def run(agents: list[tuple[str, Agent]], args: argparse.Namespace, note: str | None) -> None:
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "server.log").open("a") as server_log:
        async with connect(args.server, args.url, errlog=server_log) as client:
            specs = tool_specs((await client.list_tools()).tools)
            ui.print_mcp_banner("smolcall client", {
                "server": args.url or args.server or "mcp/server.py (stdio)",
                "tools": ", ".join(spec["name"] for spec in specs),
                **{label: agent.model_id for label, agent in agents},
                "log": str(log_dir / "agent-YYYYMMDD.jsonl"),
            }, note)

            def show(comparison: Comparison) -> None:
                ui.print_comparison(comparison)

            if not args.interactive:
                await compare_models(client, specs, args.query or DEMO_QUERIES, agents, show)
                return
            while True:
                try:
                    # In a worker thread: the MCP session keeps running while we wait for the user.
                    query = (await anyio.to_thread.run_sync(input, "query> ")).strip()
                except EOFError:
                    return
                if query.lower() in QUIT_WORDS:
                    return
                await compare_models(client, specs, [query], agents, show)


def main() -> None:
    args = parse_args()
    slots, note = plan_models(args.adapter, default_adapter())
    log = AgentLog(args.log_dir)
    # Both columns get the prompt the tuned adapter was trained on, so they answer the same text.
    tuned = next((slot.adapter for slot in slots if slot.adapter is not None), None)
    prompt_style = args.prompt_style or trained_prompt_style(tuned)
    agents = []
    for slot in slots:
        ui.console.print(f"loading {slot.label} model{f' ({slot.adapter})' if slot.adapter else ''} ...")
        chat = load_chat_model(slot.adapter)
        agents.append((slot.label, build_agent(chat, constrained=args.constrained, fallback=not args.no_fallback,
                                               max_retries=args.max_retries, prompt_style=prompt_style,
                                               log=log, ground_strings=args.ground_strings,
                                               stated_arguments=args.stated_arguments)))
    anyio.run(run, agents, args, note)


if __name__ == "__main__":
    main()
    exit_without_teardown()  # see smolcall.backend: native teardown could abort a finished run
