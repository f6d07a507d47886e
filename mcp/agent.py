"""uv run mcp/agent.py [--adapter adapters/<run>] [--query TEXT] [--constrained] [--server CMD | --url URL]

Run the agent loop alone with one model and print every step: the model's raw reply, the parsed
call and its verdict, each recovery attempt (re-prompt with the error, then constrained decoding),
the MCP tool result and the final answer. Steps go to logs/agent-YYYYMMDD.jsonl (--log-dir);
summarize them with `uv run mcp/logs_report.py`.

By default it starts smolcall's own server over stdio (its log goes to <log-dir>/server.log).
`--require-call` treats a plain answer as a failure, which shows the whole recovery chain on a
model that never calls by itself (the base model):

    uv run mcp/agent.py --query "What is 17 * 23 + 4?" --require-call
"""

import smolcall  # noqa: F401  (first, as in every entry script: preloads OpenBLAS before anything imports mlx.core)

import argparse
from pathlib import Path

import anyio

from smolcall import ui
from smolcall.agent import Agent, tool_specs
from smolcall.agent_log import AgentLog
from smolcall.backend import exit_without_teardown
from smolcall.chat_model import build_agent, load_chat_model, trained_prompt_style
from smolcall.compare import add_agent_options, check_agent_options, connect

DEFAULT_QUERY = "What is 17 * 23 + 4?"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="\n".join(__doc__.splitlines()[2:]), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--adapter", help="adapter run folder (adapters/<run>); default: the base model alone")
    parser.add_argument("--base", help="base model ref (default: the adapter's base_model, else the embedded SmolLM2)")
    parser.add_argument("--query", action="append", help=f"a request (repeatable; default: {DEFAULT_QUERY!r})")
    parser.add_argument("--require-call", action="store_true", help="treat a plain answer as a failed call")
    add_agent_options(parser)
    args = parser.parse_args()
    check_agent_options(parser, args)
    return args


async def run(agent: Agent, queries: list[str], args: argparse.Namespace) -> None:
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "server.log").open("a") as server_log:
        async with connect(args.server, args.url, errlog=server_log) as client:
            specs = tool_specs((await client.list_tools()).tools)
            ui.print_mcp_banner("smolcall agent", {
                "server": args.url or args.server or "mcp/server.py (stdio)",
                "tools": ", ".join(spec["name"] for spec in specs),
                "model": agent.model_id,
                "recovery": f"{agent.max_retries} re-prompts, then "
                            + ("constrained decoding" if agent.fallback is not None else "give up"),
                "log": str(log_dir / "agent-YYYYMMDD.jsonl"),
            })
            for query in queries:
                ui.print_agent_result(await agent.run(query, client, specs))


def main() -> None:
    args = parse_args()
    ui.console.print(f"loading {args.adapter or args.base or 'the base model'} ...")
    chat = load_chat_model(args.adapter, args.base)
    agent = build_agent(chat, constrained=args.constrained, fallback=not args.no_fallback,
                        max_retries=args.max_retries, require_call=args.require_call,
                        prompt_style=args.prompt_style or trained_prompt_style(args.adapter),
                        log=AgentLog(args.log_dir), ground_strings=args.ground_strings,
                        stated_arguments=args.stated_arguments)
    anyio.run(run, agent, args.query or [DEFAULT_QUERY], args)


if __name__ == "__main__":
    main()
    exit_without_teardown()  # see smolcall.backend: native teardown could abort a finished run
