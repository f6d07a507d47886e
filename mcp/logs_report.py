"""uv run mcp/logs_report.py [logs/] [--model MODEL_ID]

Summarize the agent's step logs (agent-YYYYMMDD.jsonl, written by mcp/agent.py, mcp/client.py and
the server's route tool): per tool, the success rate, the outcomes (called, tool error, no call,
gave up), how each call was obtained (first try, re-prompt, constrained decoding), and latency
percentiles (p50/p95, nearest rank) of the whole query and of choosing the call.
"""

import smolcall  # noqa: F401  (first, as in every entry script: preloads OpenBLAS before anything imports mlx.core)

import argparse

from smolcall import ui
from smolcall.agent_log import DEFAULT_LOG_DIR, log_files, read_records, summarize


def main() -> None:
    parser = argparse.ArgumentParser(
        description="\n".join(__doc__.splitlines()[2:]), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", nargs="?", default=DEFAULT_LOG_DIR,
                        help=f"a log folder or one agent-YYYYMMDD.jsonl file (default: {DEFAULT_LOG_DIR})")
    parser.add_argument("--model", help="only this model id (as the logs write it); default: all models")
    args = parser.parse_args()
    try:
        files = log_files(args.path)
        summary = summarize(read_records(files), model=args.model)
    except (FileNotFoundError, ValueError) as e:
        parser.error(str(e))
    if summary.total.queries == 0:
        known = ", ".join(map(str, summary.models)) or "none"
        parser.error(f"no agent outcomes in {args.path}" + (f" for model {args.model!r}; models logged: {known}"
                                                            if args.model else ""))
    ui.print_log_summary(summary)


if __name__ == "__main__":
    main()
