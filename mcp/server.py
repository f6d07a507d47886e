"""uv run mcp/server.py [--transport stdio|http] [--host 127.0.0.1] [--port 8000]

Serve smolcall's tools over MCP: stdio (the default, for Claude Desktop, Cursor and Claude Code)
or streamable HTTP at http://HOST:PORT/mcp. Logs go to stderr; on stdio, stdout carries only the
protocol. Upstream URLs and the HTTP timeout come from the SMOLCALL_* environment variables
(see smolcall/tools/upstream.py).
"""

import smolcall  # noqa: F401  (first, as in every entry script: preloads OpenBLAS before anything imports mlx.core)

import argparse
import logging
import sys

from smolcall.server import build_server


def main() -> None:
    parser = argparse.ArgumentParser(
        description="\n".join(__doc__.splitlines()[2:]), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio", help="default: stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="HTTP port (default: 8000)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], default="INFO")
    args = parser.parse_args()

    # Configure the root logger before the SDK does, so every log line goes to stderr as plain text.
    logging.basicConfig(
        stream=sys.stderr, level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        server = build_server()
    except ValueError as e:  # a bad SMOLCALL_* variable: say which, without a traceback
        parser.error(str(e))
    if args.transport == "stdio":
        server.run("stdio")
    else:
        logging.getLogger("smolcall").info("serving on http://%s:%d/mcp", args.host, args.port)
        server.run("streamable-http", host=args.host, port=args.port)


if __name__ == "__main__":
    main()
