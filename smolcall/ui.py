"""All terminal output that uses Rich lives here; logic modules never import rich.

Sections per stage: train, data, eval, mcp. Rich detects colour support itself.
"""

from __future__ import annotations

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
