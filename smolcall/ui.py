"""All terminal output that uses Rich lives here; logic modules never import rich.

Sections per stage: train, data, eval, mcp. Rich detects colour support itself.
"""

from __future__ import annotations

import contextlib

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

console = Console(stderr=True)

# --- data ---


def print_conversion_report(report: dict) -> None:
    """Rows read, written per split, skipped by reason (with example row numbers), shapes, tokens."""
    table = Table(title=f"{report['rows_read']:,} rows -> {report['out_dir']} ({report['prompt_style']} prompts)")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_column("detail")
    for split, n in report["written"].items():
        table.add_row(f"written {split}", f"{n:,}", "")
    for reason, n in report["skipped"].items():
        rows = ", ".join(str(r) for r in report["skipped_rows"].get(reason, []))
        table.add_row(f"[yellow]skipped {reason}[/yellow]", f"{n:,}", f"{report['reasons'][reason]}; rows {rows}")
    for kind, n in report["kinds"].items():
        table.add_row(f"kind {kind}", f"{n:,}", "")
    calls = ", ".join(f"{k}: {v:,}" for k, v in report["calls_per_row"].items())
    table.add_row("calls per row", "", calls)
    tokens = report["tokens"]
    if tokens.get("rows"):
        table.add_row("tokens per row", f"{tokens['mean']:,}", f"p50 {tokens['p50']}  p90 {tokens['p90']}  "
                      f"p99 {tokens['p99']}  max {tokens['max']}  total {tokens['total']:,} ({report['token_counter']})")
    console.print(table)


def print_dataset_stats(stats: dict) -> None:
    """The generated set's diversity figures (stats.json), one row per figure."""
    table = Table(title=f"generated data: {stats['out_dir']}", show_header=False)
    for key, value in stats.items():
        if key in ("out_dir", "config"):
            continue
        if isinstance(value, dict):
            value = "  ".join(f"{k}: {v}" for k, v in value.items())
        table.add_row(key, str(value))
    console.print(table)


# --- train ---


def print_banner(title: str, lines: dict[str, str]) -> None:
    """A startup panel: backend, model, data, run folder."""
    table = Table.grid(padding=(0, 2))
    for key, value in lines.items():
        table.add_row(f"[bold]{key}[/bold]", str(value))
    console.print(Panel(table, title=title, expand=False))


def print_warning(text: str) -> None:
    console.print(f"[yellow]warning:[/yellow] {text}")


def print_train_entry(entry: dict, total_steps: int) -> None:
    """One history line: train loss with all-token throughput and ETA, or a validation loss."""
    step = entry["step"]
    if "val_loss" in entry:
        console.print(f"  step {step:>5}  [cyan]val loss {entry['val_loss']:.3f}[/cyan]  ({entry['val_time_s']:.1f} s)")
        return
    eta_text = f"ETA {entry['eta_s'] / 60:4.1f} min"
    console.print(
        f"  step {step:>5}/{total_steps}  loss {entry['train_loss']:.3f}  "
        f"lr {entry['learning_rate']:.2e}  {entry['tokens_per_second_all']:6.0f} tok/s (all tokens)  "
        f"{entry['peak_memory_gb']:.2f} GB  {eta_text}"
    )


def print_train_summary(metrics: dict, run_dir) -> None:
    table = Table(title=f"run {metrics['run']} -> {run_dir}", show_header=False)
    for key in ("iters", "train_rows", "valid_rows", "trainable_parameters", "final_train_loss",
                "final_val_loss", "tokens_per_second_all", "wall_seconds_this_session"):
        value = metrics.get(key)
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)


# --- eval ---


@contextlib.contextmanager
def eval_progress(label: str, total: int):
    """A progress bar with ETA for generating `total` replies; yields `advance(tokens_per_second)`."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[speed]}"))
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(label, total=total, speed="")

        def advance(tokens_per_second: float | None = None) -> None:
            speed = f"{tokens_per_second:.0f} tok/s (all tokens)" if tokens_per_second is not None else ""
            progress.update(task, advance=1, speed=speed)

        yield advance


def print_eval_summary(metrics: dict) -> None:
    """Headline numbers per model: our test metrics overall and BFCL accuracy per category."""
    models = [m for m in ("base", "tuned") if m in metrics["models"]]
    table = Table(title="evaluation (%; n = cases the metric applies to)")
    table.add_column("metric")
    table.add_column("n", justify="right")
    for m in models:
        table.add_column(m, justify="right")

    def pct(v):
        return "-" if v is None else f"{100 * v:.1f}"

    for name in ("valid_syntax", "schema_valid", "correct_function", "exact_arguments", "no_call_correct",
                 "fully_correct"):
        overall = [metrics["models"][m].get("test", {}).get("overall", {}) for m in models]
        if any(name in o for o in overall):
            n = max(o.get(f"n_{name}", 0) for o in overall)
            table.add_row(name, str(n), *(pct(o.get(name)) for o in overall))
    cats = sorted({c for m in models for c in metrics["models"][m].get("bfcl", {})})
    for cat in cats:
        per = [metrics["models"][m].get("bfcl", {}).get(cat, {}) for m in models]
        table.add_row(f"BFCL {cat}", str(max(p.get("n", 0) for p in per)), *(pct(p.get("accuracy")) for p in per))
    console.print(table)
    for m, t in metrics.get("throughput", {}).items():
        console.print(f"  {m}: {t['cases']} replies, {t['all_tokens_per_second']:.1f} tok/s (all tokens), "
                      f"{t['completion_tokens_per_second']:.1f} completion tok/s, batch {t['batch_size']}")


# --- mcp ---

import json  # noqa: E402 (this section's own imports)
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from smolcall.agent import AgentResult
    from smolcall.agent_log import LogSummary
    from smolcall.compare import Comparison

# Results go to stdout, so `mcp/client.py > out.txt` keeps them; notes and progress stay on stderr.
report_console = Console()
STATUS_STYLES = {"called": "green", "no_call": "green", "tool_error": "yellow", "gave_up": "red"}


def agent_result_panel(result: AgentResult, title: str) -> Panel:
    """One model's run of one query: each attempt's raw output and verdict, the call, the tool
    result (red when the tool failed), the answer, latency and all-token throughput."""
    from rich.text import Text

    body = Table.grid(padding=(0, 1))
    body.add_column(style="bold", no_wrap=True)
    body.add_column(overflow="fold")
    for attempt in result.choice.attempts:
        verdict = attempt.verdict
        label = "raw" if attempt.action == "route" else f"{attempt.action} {attempt.number}"
        # Text(), not markup: model output may hold [brackets].
        body.add_row(label, Text(attempt.generation.text.strip() or "(empty reply)"))
        body.add_row("", Text(f"-> {verdict.kind}" + (f": {verdict.error}" if verdict.error else ""),
                              style="red" if verdict.error else "dim"))
    calls = result.choice.calls
    body.add_row("call", Text("\n".join(f"{c.name}({json.dumps(c.arguments, ensure_ascii=False)})" for c in calls)
                              if calls else "no call", style="cyan"))
    body.add_row("recovery", result.recovery)
    for tool in result.tool_results:
        label, style = ("tool error", "bold red") if tool.is_error else ("tool result", "green")
        body.add_row(label, Text(tool.content, style=style))
    if result.error is not None:
        body.add_row("result", Text(result.error, style="bold red"))
    if result.status == "no_call":
        body.add_row("answer", Text("the raw reply above (no tool needed)", style="dim"))
    elif result.answer is not None:
        body.add_row("answer", Text(result.answer or "(empty answer)"))
    tools_s = sum(t.seconds for t in result.tool_results)
    body.add_row("latency", f"{result.seconds:.1f} s (choosing the call {result.choice.seconds:.1f} s, "
                            f"tools {tools_s:.2f} s)")
    generations = len(result.generations)
    reused = result.total_tokens - result.processed_tokens
    body.add_row("speed", f"{result.tokens_per_second:.0f} tok/s, all tokens ({result.processed_tokens} tokens run "
                          f"in {generations} generation{'s' if generations != 1 else ''}"
                          + (f", {reused} more reused from the KV cache)" if reused else ")"))
    return Panel(body, title=Text(title), subtitle=result.status, border_style=STATUS_STYLES.get(result.status, "white"))


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """A query as a heading, then one panel per model side by side."""
    from rich.text import Text

    console = console or report_console
    console.rule(Text(comparison.query, style="bold"))
    grid = Table.grid(expand=True, padding=(0, 1))
    for _ in comparison.results:
        grid.add_column(ratio=1)
    grid.add_row(*(agent_result_panel(r, f"{label}: {r.model_id}") for label, r in comparison.results.items()))
    console.print(grid)


def print_agent_result(result: AgentResult, console: Console | None = None) -> None:
    """The steps of one agent run, as one panel."""
    (console or report_console).print(agent_result_panel(result, f"{result.query}  [{result.model_id}]"))


def print_mcp_banner(title: str, lines: dict[str, str], note: str | None = None) -> None:
    """Server, tools and models in use; a yellow note (e.g. no adapter found) under it."""
    print_banner(title, lines)
    if note:
        console.print(f"[yellow]{note}[/yellow]", highlight=False)


def print_log_summary(summary: LogSummary, console: Console | None = None) -> None:
    """Per-tool success rate, outcomes, recovery breakdown and latency percentiles."""
    console = console or report_console
    title = f"agent logs: {summary.total.queries} queries, models: {', '.join(map(str, summary.models))}"
    table = Table(title=title)
    for name in ("tool", "queries", "success", "called", "tool err", "no call", "gave up",
                 "none", "retry", "constr.", "p50 s", "p95 s", "route p50", "route p95"):
        table.add_column(name, justify="left" if name == "tool" else "right")

    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    for group in [*summary.tools, summary.total]:
        s, r = group.statuses, group.recoveries
        table.add_row(
            group.name, str(group.queries), f"{100 * group.success_rate:.0f}%",
            str(s["called"]), str(s["tool_error"]), str(s["no_call"]), str(s["gave_up"]),
            str(r["none"]), str(r["retry"]), str(r["constrained"]),
            seconds(group.latency(50)), seconds(group.latency(95)),
            seconds(group.latency(50, route=True)), seconds(group.latency(95, route=True)),
            style="bold" if group is summary.total else None,
        )
    console.print(table)
    console.print("success: queries that ended in a valid call or a plain answer (tool errors included); "
                  "recovery columns: none / retry / constrained (the rest gave up); p50/p95: nearest-rank "
                  "latency of the whole query and of choosing the call", style="dim")
