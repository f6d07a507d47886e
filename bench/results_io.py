"""Shared by the bench scripts: write a run's results as JSON plus the Markdown table the README quotes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def write_results(out: Path, results: dict, to_markdown: Callable[[dict], str]) -> None:
    """out (.json) and its .md sibling; the table is printed too."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = to_markdown(results)
    out.with_suffix(".md").write_text(table)
    print(table)
