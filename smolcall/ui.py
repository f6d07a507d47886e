"""All terminal output that uses Rich lives here; logic modules never import rich.

Sections per stage: train, data, eval, mcp. Rich detects colour support itself.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

console = Console(stderr=True)

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
