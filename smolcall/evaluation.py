"""Evaluation cases, resumable per-case results, and the report. Pure Python, no MLX.

A case is a prompt (messages up to an assistant turn) and what that turn should be. From a test
row of `data/<name>/test.jsonl`

    {"messages": [system, user, assistant("<functioncall> {...}"), tool("{...}"), assistant("It is 21 C.")],
     "meta": {"kind": "multi_turn", "split_group": "easy", "called": ["get_weather"], ...}}

come two cases: [system, user] -> the call, and [system, user, assistant, tool] -> plain text
(the model should answer from the tool's result, not call again). A row written one prefix per
assistant turn (`meta.turn` set) gives one case: its last assistant turn.
BFCL cases come from `smolcall.bfcl` and are graded by its official checker.

Each graded case is one JSON line in `per_case.jsonl`, keyed by (model_id, dataset, case_id);
`model_id` names everything that changes the replies (base model, adapter weights, decoding),
so a rerun skips what is done and never mixes in results of other settings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from smolcall.bfcl import BfclCase, BfclVerdict, check_reply
from smolcall.calls import FunctionCall, parse_reply
from smolcall.prompt import parse_tools
from smolcall.scoring import METRICS, breakdown, grade, schema_errors, summarize

NO_CALL_GROUP = "(no call)"
# "constrained": the last model again, grammar-constrained; "distinct": its replies with repeated
# calls replaced (train/evaluate.py --distinct-calls).
MODELS = ("base", "tuned", "constrained", "distinct")


class EvalDataError(ValueError):
    """A test file that cannot be read as cases; the message names the file and line."""


@dataclass(frozen=True)
class EvalCase:
    """One prompt to generate for and how to grade the reply."""

    dataset: str  # "smolcall-gen/test" or "bfcl/<category>"
    case_id: str
    messages: list[dict]
    expected: list[FunctionCall] = field(default_factory=list)  # empty: a text answer is expected
    tools: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # kind, split_group, functions, turn
    bfcl: BfclCase | None = None


def _fingerprint(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:10]


def _turn_functions(meta: dict, earlier_calls: int, expected: list[FunctionCall]) -> list[str]:
    """The catalogue names behind a turn's calls. The generator lists every call of a row in order
    in `meta.called`, unmasked; other data has only the names as written."""
    if not expected:
        return [NO_CALL_GROUP]
    called = meta.get("called")
    if isinstance(called, list) and len(called) >= earlier_calls + len(expected):
        return list(dict.fromkeys(called[earlier_calls : earlier_calls + len(expected)]))
    return list(dict.fromkeys(c.name for c in expected))


def row_cases(row: dict, dataset: str, line: int) -> list[EvalCase]:
    """The cases of one test row: each assistant turn graded given the true history before it.

    Raises EvalDataError when the row has no system message with tools or no assistant turn.
    """
    messages, meta = row.get("messages"), dict(row.get("meta") or {})
    if not isinstance(messages, list) or not messages or messages[0].get("role") != "system":
        raise EvalDataError(f"{dataset} line {line}: expected \"messages\" starting with a system message")
    try:
        tools = parse_tools(messages[0]["content"])
    except ValueError as e:
        raise EvalDataError(f"{dataset} line {line}: the system message's tool specs do not parse: {e}") from e
    turns = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    if not turns:
        raise EvalDataError(f"{dataset} line {line}: no assistant message to grade")
    if "turn" in meta:  # one prefix per assistant turn: only its last one is new
        turns = turns[-1:]
    cases, earlier_calls = [], 0
    for i, m in enumerate(messages):
        if m.get("role") != "assistant":
            continue
        expected = parse_reply(m["content"]).calls
        if i in turns:
            prompt = messages[:i]
            turn = sum(1 for p in prompt if p.get("role") == "assistant")
            case_meta = {
                "kind": meta.get("kind", "unknown"),
                "split_group": meta.get("split_group", "all"),
                "functions": _turn_functions(meta, earlier_calls, expected),
                "turn": meta.get("turn", turn),
            }
            case_id = f"{line}:{turn}:{_fingerprint([prompt, m['content']])}"
            cases.append(EvalCase(dataset, case_id, prompt, expected, tools, case_meta))
        earlier_calls += len(expected)
    return cases


def load_test_cases(data_dir: Path, split: str = "test", limit: int | None = None) -> list[EvalCase]:
    """The cases of `data_dir/<split>.jsonl`; `limit` keeps the first `limit` rows.

    Raises FileNotFoundError with the fix when the split is missing.
    """
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(
            f"no test split at {path}: build the data first (`uv run train/train.py` generates "
            f"data/smolcall-gen on first use), or pass --data with a folder holding {split}.jsonl"
        )
    dataset = f"{Path(data_dir).name}/{split}"
    cases: list[EvalCase] = []
    with path.open(encoding="utf-8") as f:
        for line, text in enumerate(f):
            if limit is not None and line >= limit:
                break
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as e:
                raise EvalDataError(f"{path} line {line}: not JSON: {e}") from e
            cases += row_cases(row, dataset, line)
    return cases


def bfcl_eval_cases(cases: list[BfclCase]) -> list[EvalCase]:
    """BFCL cases keyed by their id and a fingerprint of the prompt, so a reply cached under one
    prompt style (or an older prompt) is never taken for another: `simple_python_1:3f2a9c0b1d`."""
    return [
        EvalCase(f"bfcl/{c.category}", f"{c.id}:{_fingerprint(c.messages)}", c.messages, tools=c.tools,
                 meta={"kind": c.category, "split_group": "bfcl"}, bfcl=c)
        for c in cases
    ]


def call_checks(parsed, tools: list[dict]) -> dict:
    """Whether the reply tried to call (wrote a `<functioncall>` marker), and whether every call
    it tried parsed and validated against its tool's schema (None when it tried none): the
    "schema-valid calls" rate that the constrained column must hold at 100%."""
    attempted = parsed.has_marker
    return {"call_attempted": attempted,
            "calls_schema_valid": (parsed.ok and bool(parsed.calls) and not schema_errors(parsed.calls, tools))
            if attempted else None}


def grade_record(case: EvalCase, reply_text: str) -> dict:
    """The grading fields of a case's per-case line (BFCL cases add the official verdict)."""
    parsed = parse_reply(reply_text)
    return _grade(case, parsed) | call_checks(parsed, case.tools)


def bfcl_verdict_fields(verdict: BfclVerdict) -> dict:
    """The official verdict as a per-case line stores it (the first three errors, cut to 500 characters)."""
    return {"bfcl_valid": verdict.valid, "bfcl_error_type": verdict.error_type,
            "bfcl_errors": [str(e)[:500] for e in verdict.errors[:3]], "made_call": verdict.made_call}


def _grade(case: EvalCase, parsed) -> dict:
    if case.bfcl is not None:
        verdict = check_reply(case.bfcl, parsed)
        expects_call = case.bfcl.ground_truth is not None
        # BFCL's verdict is the accuracy; our syntax and schema checks say how the misses failed.
        return bfcl_verdict_fields(verdict) | {
            "valid_syntax": parsed.ok and (bool(parsed.calls) or not expects_call),
            "schema_valid": (bool(parsed.calls) and not schema_errors(parsed.calls, case.tools)) if expects_call else None,
            # How many calls parsed against how many the answer has: too few calls is the
            # largest miss class on the parallel categories, and a count says which way a miss went.
            "calls_made": len(parsed.calls),
            "calls_expected": len(case.bfcl.ground_truth) if expects_call else 0}
    return grade(case.expected, parsed, case.tools).to_dict()


# What a constrained column decoded with tool_choice "auto" on every case adds to its model id
# (train/evaluate.py's --tool-choice auto; "category" adds nothing, as before the setting existed).
TOOL_CHOICE_AUTO_KEY = ",tool-choice-auto"


class ResultStore:
    """Per-case results, one JSON line each, appended as they finish; survives interruption."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.records: dict[tuple[str, str, str], dict] = {}
        self._by_case: dict[tuple[str, str], dict] = {}  # (model_id, case_id): for find()
        if self.path.is_file():
            with self.path.open(encoding="utf-8") as f:
                for line in f:
                    # A run killed mid-write leaves at most one partial last line; skip it.
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    self._add(record)

    def _add(self, record: dict) -> None:
        self.records[self.key(record)] = record
        self._by_case[record["model_id"], record["case_id"]] = record

    @staticmethod
    def key(record: dict) -> tuple[str, str, str]:
        return (record["model_id"], record["dataset"], record["case_id"])

    def done(self, model_id: str, case: EvalCase) -> bool:
        return (model_id, case.dataset, case.case_id) in self.records

    def find(self, model_id: str, case_id: str) -> dict | None:
        """This model's record of a case id, whatever dataset it was filed under."""
        return self._by_case.get((model_id, case_id))

    def records_of(self, case: EvalCase) -> list[dict]:
        """Every model's record of this case."""
        return [r for (_, dataset, case_id), r in self.records.items()
                if dataset == case.dataset and case_id == case.case_id]

    def append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._add(record)

    def select(self, model_id: str, cases: list[EvalCase]) -> list[dict]:
        """The records of these cases for this model, in case order (missing ones left out)."""
        keys = [(model_id, c.dataset, c.case_id) for c in cases]
        return [self.records[k] for k in keys if k in self.records]

    def regraded(self, model_id: str, cases: list[EvalCase]) -> list[dict]:
        """select(), with every grading field recomputed from the stored reply by today's
        grader (grading is pure and cheap; older files gain metrics added since)."""
        by_key = {(model_id, c.dataset, c.case_id): c for c in cases}
        return [r | grade_record(by_key[self.key(r)], r["reply"]) for r in self.select(model_id, cases)]


def attempted_calls(records: list[dict]) -> dict:
    """Among replies that wrote a `<functioncall>`, the share whose calls all parsed and were
    schema-valid (None when none tried)."""
    tried = [r for r in records if r.get("call_attempted")]
    return {"n_call_attempted": len(tried),
            "calls_schema_valid": sum(bool(r["calls_schema_valid"]) for r in tried) / len(tried) if tried else None}


def call_counts(records: list[dict]) -> dict:
    """On a category whose answers are calls: the share of replies with fewer parsed calls than
    the answer has, the same number, and more (empty where no answer has a call)."""
    graded = [r for r in records if r.get("calls_expected")]
    if not graded:
        return {}
    n = len(graded)
    return {"too_few_calls": sum(r["calls_made"] < r["calls_expected"] for r in graded) / n,
            "right_call_count": sum(r["calls_made"] == r["calls_expected"] for r in graded) / n,
            "too_many_calls": sum(r["calls_made"] > r["calls_expected"] for r in graded) / n}


def summarize_model(records: list[dict]) -> dict:
    """Metrics of one model: our test set overall and by split group, kind and function; BFCL
    accuracy per category."""
    ours = [r for r in records if not r["dataset"].startswith("bfcl/")]
    bfcl = [r for r in records if r["dataset"].startswith("bfcl/")]
    result: dict = {}
    if ours:
        result["test"] = {
            "overall": summarize(ours) | attempted_calls(ours),
            "by_split_group": breakdown(ours, lambda r: [r["split_group"]]),
            "by_kind": breakdown(ours, lambda r: [r["kind"]]),
            "by_function": breakdown(ours, lambda r: r["functions"]),
        }
    if bfcl:
        categories: dict[str, list[dict]] = {}
        for r in bfcl:
            categories.setdefault(r["dataset"].removeprefix("bfcl/"), []).append(r)
        result["bfcl"] = {
            cat: {"n": len(rs), "accuracy": sum(r["bfcl_valid"] for r in rs) / len(rs),
                  "valid_syntax": sum(r["valid_syntax"] for r in rs) / len(rs),
                  "made_call": sum(r["made_call"] for r in rs) / len(rs)} | attempted_calls(rs) | call_counts(rs)
            for cat, rs in sorted(categories.items())
        }
    tokens = sum(r["prompt_tokens"] + r["completion_tokens"] for r in records)
    result["cases"] = len(records)
    result["tokens"] = tokens
    result["finished_by_length"] = sum(r["finish_reason"] == "length" for r in records)
    return result


# --- the report -----------------------------------------------------------------------------


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _models(metrics: dict) -> list[str]:
    return [m for m in MODELS if m in metrics["models"]]


def _metric_rows(metrics: dict, section: str, group: str | None = None) -> list[list[str]]:
    models = _models(metrics)
    rows = []
    for metric in METRICS:
        cells, n = [], 0
        for m in models:
            summary = metrics["models"][m].get("test", {}).get(section, {})
            summary = summary.get(group, {}) if group is not None else summary
            cells.append(_pct(summary.get(metric)))
            n = summary.get(f"n_{metric}", n)
        rows.append([metric, str(n), *cells])
    if section == "overall":
        summaries = [metrics["models"][m].get("test", {}).get("overall", {}) for m in models]
        rows.append(["schema-valid among replies that called", str(max(x.get("n_call_attempted", 0) for x in summaries)),
                     *(_pct(x.get("calls_schema_valid")) for x in summaries)])
    return rows


def render_report(metrics: dict) -> str:
    """report.md: settings, throughput, our test metrics (overall, by group, kind, function),
    BFCL accuracy per category. Percentages; n is the number of cases a metric applies to."""
    models = _models(metrics)
    s = metrics["settings"]
    out = [f"# Evaluation: {s.get('adapter') or s['base_model']}", ""]
    out += [f"- base model: `{s['base_model']}`" + (f", adapter: `{s['adapter']}`" if s.get("adapter") else "")]
    bfcl_budget = f" ({s['bfcl_max_tokens']} for BFCL)" if s.get("bfcl_categories") and s.get("bfcl_max_tokens") else ""
    out += [f"- greedy decoding, max {s['max_tokens']} new tokens{bfcl_budget}, batch {s['batch_size']}, "
            f"constrained: {s['constrained']}" + (" (free strings grounded in the request)" if s.get("ground_strings")
                                                  else "")
            + (", distinct calls: repeated calls replaced" if s.get("distinct_calls") else "")
            + f", prompt style: {s['prompt_style']}"]
    out += [f"- backend: {s.get('backend', '?')}", ""]
    out += ["## Throughput (this session's generation; all tokens = prompt + completion)", ""]
    rows = []
    for m in models:
        t = metrics["throughput"].get(m)
        if t:
            rows.append([m, str(t["cases"]), str(t["prompt_tokens"]), str(t["completion_tokens"]),
                         f"{t['seconds']:.1f}", f"{t['all_tokens_per_second']:.1f}",
                         f"{t['completion_tokens_per_second']:.1f}"])
    out += _table(["model", "cases", "prompt tok", "completion tok", "seconds", "all tok/s", "completion tok/s"],
                  rows) if rows else ["(no generation ran in the last session: every case was already done)"]
    out.append("")
    if any("test" in metrics["models"][m] for m in models):
        out += [f"## Test split ({s.get('data')})", ""]
        out += _table(["metric", "n", *models], _metric_rows(metrics, "overall"))
        for section, title in (("by_split_group", "split group"), ("by_kind", "kind")):
            groups = sorted({g for m in models for g in metrics["models"][m].get("test", {}).get(section, {})})
            for g in groups:
                out += ["", f"### {title}: {g}", ""]
                out += _table(["metric", "n", *models], _metric_rows(metrics, section, g))
        out += ["", "### fully correct by function", ""]
        functions = sorted({f for m in models for f in metrics["models"][m].get("test", {}).get("by_function", {})})
        rows = []
        for f in functions:
            summaries = [metrics["models"][m].get("test", {}).get("by_function", {}).get(f, {}) for m in models]
            rows.append([f, str(max(x.get("n", 0) for x in summaries)), *(_pct(x.get("fully_correct")) for x in summaries)])
        out += _table(["function", "n", *models], rows)
        out.append("")
    if any("bfcl" in metrics["models"][m] for m in models):
        out += ["## BFCL v4 (official AST checker)", ""]
        if s.get("bfcl_limit") is not None:
            out += [f"A sample of at most {s['bfcl_limit']} cases per category: the first after a shuffle seeded "
                    f"with {s.get('bfcl_seed')}. Numbers on small samples are rough.", ""]
        cats = sorted({c for m in models for c in metrics["models"][m].get("bfcl", {})})
        rows = []
        for c in cats:
            per = [metrics["models"][m].get("bfcl", {}).get(c, {}) for m in models]
            rows.append([c, str(max(p.get("n", 0) for p in per)), *(_pct(p.get("accuracy")) for p in per),
                         *(_pct(p.get("valid_syntax")) for p in per),
                         *(f"{_pct(p.get('calls_schema_valid'))} ({p.get('n_call_attempted', 0)})" for p in per)])
        out += _table(["category", "n", *(f"{m} accuracy" for m in models), *(f"{m} valid syntax" for m in models),
                       *(f"{m} schema-valid calls (replies that called)" for m in models)], rows)
        rows = []
        for c in cats:
            per = [metrics["models"][m].get("bfcl", {}).get(c, {}) for m in models]
            if any("right_call_count" in p for p in per):
                rows.append([c, str(max(p.get("n", 0) for p in per)),
                             *(" / ".join(_pct(p.get(k)) for k in ("too_few_calls", "right_call_count", "too_many_calls"))
                               if "right_call_count" in p else "-" for p in per)])
        if rows:
            out += ["", "### Call count: replies with too few / the right number / too many parsed calls (%)", ""]
            out += _table(["category", "n", *models], rows)
        if s.get("constrained"):
            if s.get("tool_choice", "category") == "auto":
                out += ["", "The constrained column decodes under the grammar of the offered tools with "
                        "tool_choice \"auto\" on every case: a call or a plain-text reply, as the model chooses, "
                        "never told which category a case is from (`--tool-choice auto`)."]
            else:
                out += ["", "The constrained column decodes under the grammar of the offered tools with "
                        "tool_choice \"required\" (no plain-text reply) on the categories where BFCL requires a "
                        "call, and \"auto\" on irrelevance and on our test split: it is told which cases need a "
                        "call (`--tool-choice auto` does not tell it)."]
            if s.get("ground_strings"):
                out[-1] += (" Its free string arguments (no enum, pattern or format) can only be runs of the "
                            "request's words or of the parameter's description (`--ground-strings`).")
            if s.get("distinct_calls"):
                out[-1] += (" The distinct column is the constrained column's replies with each call that repeats "
                            "an earlier one in its reply replaced by the likeliest new call (`--distinct-calls`); "
                            "replies without a repeat are the same.")
            if s.get("call_calibration"):
                out[-1] += (" Its decision to call or answer each new request is calibrated against foil tools "
                            f"({s['call_calibration']}; `--call-calibration`, smolcall.call_calibration): the "
                            "first step's `<` logit moves by bias - alpha x the mean call margin of the request "
                            "with the foils offered instead.")
            if s.get("more_arguments"):
                out[-1] += (" Where the model would close a call's arguments and the tool has arguments left, the "
                            f"tokens that go on to another one get +{s['more_arguments']:g} "
                            "(`--more-arguments`).")
            if s.get("stated_arguments"):
                out[-1] += (" Where the model would close a call's arguments, it goes on to an optional argument "
                            "the request names (a word of its name, or one of its enum values), if one is left "
                            "(`--stated-arguments`).")
            if s.get("contrast"):
                from smolcall.guided import CONTRAST_PLAUSIBLE

                out[-1] += (" Each free choice of the constrained column is made on contrasted scores, "
                            f"(1 + {s['contrast']:g}) log p(token | the prompt) - {s['contrast']:g} log p(token | the "
                            f"prompt with the request emptied), among the tokens at least {CONTRAST_PLAUSIBLE:g} times "
                            "as likely as the "
                            "best (`--contrast`, smolcall.guided.contrasted), decoded by guided decoding one case at "
                            "a time.")
        out.append("")
    return "\n".join(out)


def plot_chart(metrics: dict, path: Path) -> None:
    """Grouped bars, base vs tuned: our test metrics (left), BFCL accuracy per category (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = _models(metrics)
    panels = []
    test = [m for m in METRICS if any(metrics["models"][x].get("test", {}).get("overall", {}).get(m) is not None
                                      for x in models)]
    if test:
        panels.append(("test split", test, lambda x, k: metrics["models"][x].get("test", {}).get("overall", {}).get(k)))
    cats = sorted({c for x in models for c in metrics["models"][x].get("bfcl", {})})
    if cats:
        panels.append(("BFCL v4 accuracy", cats,
                       lambda x, k: metrics["models"][x].get("bfcl", {}).get(k, {}).get("accuracy")))
    fig, axes = plt.subplots(1, max(len(panels), 1), figsize=(6 * max(len(panels), 1), 4), squeeze=False)
    width = 0.8 / max(len(models), 1)
    for ax, (title, keys, value) in zip(axes[0], panels):
        for j, model in enumerate(models):
            heights = [100 * (value(model, k) or 0) for k in keys]
            xs = [i + (j - (len(models) - 1) / 2) * width for i in range(len(keys))]
            ax.bar_label(ax.bar(xs, heights, width, label=model), fmt="%.0f", fontsize=7)
        ax.set_xticks(range(len(keys)), [k.replace("_", "\n") for k in keys], fontsize=8)
        ax.set_ylim(0, 100)
        ax.set_ylabel("%")
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
