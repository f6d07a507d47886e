"""uv run mcp/server.py [--transport stdio|http] [--host 127.0.0.1] [--port 8000] [--router adapters/<run>|base]

Serve smolcall's tools over MCP: stdio (the default, for Claude Desktop, Cursor and Claude Code)
or streamable HTTP at http://HOST:PORT/mcp. Logs go to stderr; on stdio, stdout carries only the
protocol. Upstream URLs and the HTTP timeout come from the SMOLCALL_* environment variables
(see smolcall/tools/upstream.py).

--router adds a `route(request)` tool: the tuned model (an adapter folder, or `base` for the
embedded base model) reads a plain-language request, picks and checks a call (re-prompting and
falling back to constrained decoding as smolcall.agent does), and the server makes it. The model
loads once at startup; its steps go to <--log-dir>/agent-YYYYMMDD.jsonl.
"""

import smolcall  # noqa: F401  (first, as in every entry script: preloads OpenBLAS before anything imports mlx.core)

import argparse
import contextlib
import logging
import sys

from smolcall.models import ModelNotFoundError
from smolcall.server import Router, build_server


def load_router(adapter: str, log_dir: str) -> Router:
    """The model-backed router, loaded now so that a bad folder fails before serving."""
    from smolcall.agent import AgentRouter
    from smolcall.agent_log import AgentLog
    from smolcall.chat_model import adapter_base_model, build_agent, load_chat_model

    if adapter != "base":
        adapter_base_model(adapter)  # raises ModelNotFoundError with the fix, before any weights load
    logging.getLogger("smolcall").info("loading the router model: %s", adapter)
    # On stdio, stdout is the protocol: anything a loader prints must go to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        chat = load_chat_model(None if adapter == "base" else adapter)
    return AgentRouter(build_agent(chat, log=AgentLog(log_dir)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description="\n".join(__doc__.splitlines()[2:]), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio", help="default: stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="HTTP port (default: 8000)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], default="INFO")
    parser.add_argument("--router", metavar="ADAPTER|base",
                        help="register route(request), backed by this adapter run folder or the base model")
    parser.add_argument("--log-dir", default="logs", help="where the router's step log goes (default: logs)")
    args = parser.parse_args()

    # Configure the root logger before the SDK does, so every log line goes to stderr as plain text.
    logging.basicConfig(
        stream=sys.stderr, level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        router = load_router(args.router, args.log_dir) if args.router is not None else None
        server = build_server(router=router)
    except (ValueError, ModelNotFoundError) as e:  # a bad SMOLCALL_* variable or router folder, without a traceback
        parser.error(str(e))
    if args.transport == "stdio":
        server.run("stdio")
    else:
        logging.getLogger("smolcall").info("serving on http://%s:%d/mcp", args.host, args.port)
        server.run("streamable-http", host=args.host, port=args.port)


if __name__ == "__main__":
    main()
