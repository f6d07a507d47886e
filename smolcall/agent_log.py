"""The agent's step log (one JSON object per line) and its summary. Pure Python, no MLX.

Every step of `smolcall.agent` appends a line to `logs/agent-YYYYMMDD.jsonl` (UTC date):

    {"ts": "2026-11-21T20:58:03.120Z", "run": "5f0c...", "model": "embedded:smollm2-135m-instruct",
     "query": "What is 12 * 7?", "event": "attempt", "attempt": 0, "action": "route",
     "raw": "<functioncall> {...}", "calls": [{"name": "calculate", "arguments": {...}}],
     "verdict": "invalid_arguments", "error": "...", "recovery": "none", "seconds": 3.2,
     "prompt_tokens": 512, "completion_tokens": 21}

Events: `attempt` (route, retry or constrained), `tool` (the MCP call and its result), `answer`
(the final reply) and one `outcome` per query, which `summarize` reads:

    {"event": "outcome", "status": "called", "recovery": "retry", "tool": "calculate",
     "attempts": 2, "seconds": 9.8, "route_seconds": 6.1, ...}
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DEFAULT_LOG_DIR = "logs"
RECOVERIES = ("none", "retry", "constrained", "gave_up")
# called: a valid call ran; tool_error: a valid call the tool refused or could not serve;
# no_call: a plain answer; gave_up: no valid call after every recovery step.
STATUSES = ("called", "tool_error", "no_call", "gave_up")
NO_CALL_KEY = "(no call)"
UNPARSED_KEY = "(no parsed call)"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AgentLog:
    """Appends records to `<folder>/agent-YYYYMMDD.jsonl`, the file of the record's UTC day.

        >>> log = AgentLog("logs")
        >>> log.write({"event": "outcome", "status": "called"})["ts"]      # doctest: +SKIP
        '2026-11-21T20:58:03.120Z'
    """

    def __init__(self, folder: str | Path = DEFAULT_LOG_DIR, clock: Callable[[], datetime] = _utc_now) -> None:
        self.folder = Path(folder)
        self._clock = clock

    def path_for(self, when: datetime) -> Path:
        """`logs/agent-20261121.jsonl` for any time on 2026-11-21 (UTC)."""
        return self.folder / f"agent-{when.astimezone(timezone.utc):%Y%m%d}.jsonl"

    def write(self, record: dict[str, Any]) -> dict[str, Any]:
        """Stamp the record with `ts`, append it as one line, and return it."""
        now = self._clock()
        stamped = {"ts": now.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                   **record}
        self.folder.mkdir(parents=True, exist_ok=True)
        # One write per line and append mode: concurrent writers interleave whole lines.
        with self.path_for(now).open("a", encoding="utf-8") as f:
            f.write(json.dumps(stamped, ensure_ascii=False, default=str) + "\n")
        return stamped


def log_files(path: str | Path) -> list[Path]:
    """The agent logs under a folder (sorted by name, so by day), or the one file given.

    Raises FileNotFoundError naming the path when there is nothing to read.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    files = sorted(path.glob("agent-*.jsonl")) if path.is_dir() else []
    if not files:
        raise FileNotFoundError(
            f"no agent logs (agent-YYYYMMDD.jsonl) at {path}: run `uv run mcp/agent.py` or "
            "`uv run mcp/client.py` first, or pass the folder they wrote (--log-dir)"
        )
    return files


def read_records(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every record in the files, in order.

    Raises ValueError with the file and line number of a line that is not a JSON object.
    """
    records: list[dict[str, Any]] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number} is not JSON ({e.msg}); delete or fix that line") from e
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number} is not a JSON object")
            records.append(record)
    return records


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it.

        >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
        (5, 10)
        >>> percentile([], 50) is None
        True
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Group:
    """Outcome counts and latencies of one tool (or of everything)."""

    name: str
    statuses: Counter[str] = field(default_factory=Counter)
    recoveries: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    route_seconds: list[float] = field(default_factory=list)

    @property
    def queries(self) -> int:
        return sum(self.statuses.values())

    @property
    def success_rate(self) -> float:
        """Share of queries that ended in a valid call or a plain answer (tool errors count: the
        model did its part; the tool, e.g. an offline weather API, did not)."""
        return 1 - self.statuses["gave_up"] / self.queries if self.queries else 0.0

    def add(self, outcome: dict[str, Any]) -> None:
        self.statuses[outcome["status"]] += 1
        self.recoveries[outcome["recovery"]] += 1
        self.seconds.append(float(outcome["seconds"]))
        self.route_seconds.append(float(outcome["route_seconds"]))

    def latency(self, p: float, route: bool = False) -> float | None:
        return percentile(self.route_seconds if route else self.seconds, p)


@dataclass
class LogSummary:
    """Per-tool groups (sorted by name) and the total, over the `outcome` records."""

    total: Group
    tools: list[Group]
    models: list[str]


def tool_key(outcome: dict[str, Any]) -> str:
    """Which row an outcome counts in: the tool called (or tried), or a placeholder.

        {"status": "no_call", ...}                         -> '(no call)'
        {"status": "gave_up", "tool": null, ...}           -> '(no parsed call)'
        {"status": "called", "tool": "calculate", ...}     -> 'calculate'
    """
    if outcome["status"] == "no_call":
        return NO_CALL_KEY
    return outcome.get("tool") or UNPARSED_KEY


def summarize(records: Iterable[dict[str, Any]], model: str | None = None) -> LogSummary:
    """Success rate, recovery breakdown and latencies per tool, from the `outcome` records
    (of one model when `model` is given)."""
    total = Group("all")
    groups: dict[str, Group] = {}
    models: list[str] = []
    for record in records:
        if record.get("event") != "outcome":
            continue
        if record.get("model") not in models:
            models.append(record.get("model"))
        if model is not None and record.get("model") != model:
            continue
        total.add(record)
        key = tool_key(record)
        groups.setdefault(key, Group(key)).add(record)
    return LogSummary(total, [groups[k] for k in sorted(groups)], models)
