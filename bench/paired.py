"""uv run bench/paired.py adapters/default/eval-bfcl-full:constrained adapters/long-440-v3/eval-bfcl-full:constrained

Is one evaluation's BFCL score really above another's, or is the gap what the sample alone gives?

Each argument is an evaluation folder (train/evaluate.py --out) and one of its columns (`base`,
`tuned`, `constrained`; `constrained` when left out). The first is the reference; every other one
is compared with it on the BFCL cases both graded (the same case ids), category by category:

- accuracy with its 95% Wilson interval (the sampling error of one column alone);
- the paired difference, with the cases only one of the two got right (discordant pairs) and the
  exact two-sided McNemar p-value on them (a binomial test: under "no difference" each discordant
  case is a fair coin);
- the mean of the five non-live categories, as published scores are averaged, with a 95% interval
  from a paired bootstrap that resamples cases within each category (10,000 draws, seeded). BFCL's
  live categories (`--bfcl live`) are compared one by one and left out of the mean.

Nothing is decoded again: each stored reply is graded by the official checker, as the report
(metrics.json) grades it. The sample is what this measures; the spread between training runs of one recipe
(README, "Run-to-run spread") is a second source of error on top of it, which no single pair of
evaluations can show.

Results: bench/results/paired/report.md and report.json.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from smolcall.bfcl import ALL_CATEGORIES, CATEGORIES, BfclCase

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from results_io import bfcl_cases_by_id, column_model_ids, folders_main, graded_bfcl_records  # noqa: E402

OUT = ROOT / "bench" / "results" / "paired" / "report.json"
COLUMNS = ("base", "tuned", "constrained")
DRAWS = 10_000
Z95 = 1.959963984540054


def parse_spec(spec: str) -> tuple[Path, str]:
    """`FOLDER[:COLUMN]` -> (folder, column)."""
    folder, sep, column = spec.rpartition(":")
    if sep and column in COLUMNS:
        return Path(folder), column
    if sep and not Path(spec).exists():
        raise ValueError(f"{spec}: unknown column {column!r}; write FOLDER:COLUMN with COLUMN one of "
                         f"{', '.join(COLUMNS)}")
    return Path(spec), "constrained"


def column_verdicts(folder: Path, column: str, cases: dict[str, BfclCase]) -> dict[str, tuple[str, bool]]:
    """case id -> (category, the checker's verdict) for one column's BFCL replies: the model ids
    its report (metrics.json) graded, so replies the folder holds for other settings are left out.
    Each stored reply is graded again, as the report was (results_io.graded_bfcl_records)."""
    metrics, per_case = folder / "metrics.json", folder / "per_case.jsonl"
    if not metrics.is_file() or not per_case.is_file():
        raise FileNotFoundError(f"{folder} has no metrics.json and per_case.jsonl: pass an evaluation folder "
                                "written by train/evaluate.py --bfcl")
    models = column_model_ids(folder)
    if column not in models:
        raise ValueError(f"{folder} has no {column} column (it has {', '.join(sorted(models)) or 'none'}): "
                         f"write FOLDER:COLUMN with one of those")
    verdicts = {r["case_id"]: (r["kind"], r["bfcl_valid"]) for r in graded_bfcl_records(folder, models[column], cases)
                if r["kind"] in ALL_CATEGORIES}
    if not verdicts:
        raise ValueError(f"{folder}'s {column} column has no graded BFCL case: evaluate with --bfcl")
    return verdicts


def wilson(right: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion, in percent."""
    if n == 0:
        return (0.0, 100.0)
    p = right / n
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / (1 + Z95 ** 2 / n)
    return (round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1))


def mcnemar_p(only_ref: int, only_other: int) -> float:
    """Exact two-sided McNemar p-value: the binomial tail of the rarer discordant side, doubled."""
    n = only_ref + only_other
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(only_ref, only_other) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def bootstrap_mean_diff(diffs: dict[str, np.ndarray], seed: int = 0) -> tuple[float, float]:
    """95% interval of the five-category mean difference (points), resampling cases within each
    category: the categories' sizes stay fixed, as in the benchmark."""
    rng = np.random.default_rng(seed)
    total = np.zeros(DRAWS)
    for d in diffs.values():
        picks = rng.integers(0, len(d), size=(DRAWS, len(d)))
        total += d[picks].mean(axis=1)
    total *= 100 / len(diffs)
    low, high = np.percentile(total, [2.5, 97.5])
    return (round(float(low), 1) + 0.0, round(float(high), 1) + 0.0)


def accuracy(verdicts: dict[str, tuple[str, bool]]) -> dict[str, dict]:
    per = {}
    for kind in ALL_CATEGORIES:
        oks = [ok for k, ok in verdicts.values() if k == kind]
        if oks:
            per[kind] = {"n": len(oks), "accuracy": round(100 * sum(oks) / len(oks), 1),
                         "ci95": wilson(sum(oks), len(oks))}
    return per


def compare(ref: dict[str, tuple[str, bool]], other: dict[str, tuple[str, bool]]) -> dict:
    shared = sorted(set(ref) & set(other))
    if not shared:
        raise ValueError("the two columns share no BFCL case: compare evaluations of the same cases "
                         "(the same --bfcl-limit, or one a part of the other)")
    per, diffs = {}, {}
    for kind in ALL_CATEGORIES:
        ids = [c for c in shared if ref[c][0] == kind]
        if not ids:
            continue
        a = np.array([ref[c][1] for c in ids], dtype=float)
        b = np.array([other[c][1] for c in ids], dtype=float)
        only_ref, only_other = int(((a == 1) & (b == 0)).sum()), int(((a == 0) & (b == 1)).sum())
        diffs[kind] = b - a
        per[kind] = {"n": len(ids), "reference": round(100 * a.mean(), 1), "other": round(100 * b.mean(), 1),
                     "difference": round(100 * (b.mean() - a.mean()), 1) + 0.0,  # never -0
                     "only_reference_right": only_ref, "only_other_right": only_other,
                     "mcnemar_p": round(mcnemar_p(only_ref, only_other), 4)}
    result = {"cases": len(shared), "categories": per}
    if all(kind in diffs for kind in CATEGORIES):  # the mean of the five non-live categories
        five = {kind: diffs[kind] for kind in CATEGORIES}
        result["mean"] = {"reference": round(sum(per[k]["reference"] for k in CATEGORIES) / len(CATEGORIES), 1),
                          "other": round(sum(per[k]["other"] for k in CATEGORIES) / len(CATEGORIES), 1),
                          "difference": round(sum(100 * d.mean() for d in five.values()) / len(five), 1) + 0.0,
                          "ci95": bootstrap_mean_diff(five)}
    return result


def collect(specs: list[str]) -> dict:
    if len(specs) < 2:
        raise ValueError("name two evaluations or more: the first is the reference")
    columns, cases = [], bfcl_cases_by_id()
    for spec in specs:
        folder, column = parse_spec(spec)
        folder = folder.resolve()
        label = f"{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}:{column}"
        columns.append((label, column_verdicts(folder, column, cases)))
    (ref_label, ref), rest = columns[0], columns[1:]
    return {"evaluations": [{"column": label, "categories": accuracy(v)} for label, v in columns],
            "reference": ref_label,
            "comparisons": [{"column": label} | compare(ref, v) for label, v in rest]}


def pvalue(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.2g}"


def to_markdown(results: dict) -> str:
    def cell(c: dict) -> str:
        return f"{c['accuracy']:g} [{c['ci95'][0]:g}, {c['ci95'][1]:g}] (n {c['n']})"

    # The categories any evaluation graded, non-live first (the mean is of the five non-live ones).
    kinds = [k for k in ALL_CATEGORIES if any(k in e["categories"] for e in results["evaluations"])]
    lines = ["Accuracy (%) with its 95% Wilson interval, by the official checker:", "",
             "| column | " + " | ".join(kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
    for e in results["evaluations"]:
        lines.append(f"| `{e['column']}` | " + " | ".join(cell(e["categories"][k]) if k in e["categories"] else "-"
                                                        for k in kinds) + " |")
    lines += ["", f"Paired with `{results['reference']}` on the cases both graded: difference in points "
              "(cases only the reference / only the other got right; exact McNemar p):", "",
              "| column | cases | " + " | ".join(kinds) + " | mean of five [95% paired bootstrap] |",
              "|---" * (len(kinds) + 3) + "|"]
    for c in results["comparisons"]:
        cells = []
        for k in kinds:
            p = c["categories"].get(k)
            cells.append("-" if p is None else
                         f"{p['difference']:+g} ({p['only_reference_right']} / {p['only_other_right']}; "
                         f"p {pvalue(p['mcnemar_p'])})")
        m = c.get("mean")
        mean = "-" if m is None else (f"{m['reference']:g} -> {m['other']:g}: {m['difference']:+g} "
                                      f"[{m['ci95'][0]:+g}, {m['ci95'][1]:+g}]")
        lines.append(f"| `{c['column']}` | {c['cases']} | " + " | ".join(cells) + f" | {mean} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return folders_main(argv, __doc__.splitlines()[2], OUT, collect, to_markdown, folder_type=str,
                        folder_help="FOLDER[:COLUMN], COLUMN one of base, tuned, constrained (default "
                                    "constrained); the first is the reference")


if __name__ == "__main__":
    sys.exit(main())
