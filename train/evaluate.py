"""uv run train/evaluate.py --adapter adapters/<run> [--bfcl [CATS ...]] [--limit N] [--bfcl-limit N]

Evaluate a trained adapter against its base model: greedy replies to the test split of the data
(and to BFCL v4 cases with --bfcl), graded per case. Writes to adapters/<run>/eval/ (or --out):
report.md, metrics.json, chart.png and per_case.jsonl. Results are saved per case as they
finish; rerunning skips cases already done with the same model, adapter weights and decoding
settings, and --reuse takes such replies from other evaluations (say the base column of another
adapter's).

    uv run train/evaluate.py --adapter adapters/default --limit 40 --bfcl --bfcl-limit 20
    uv run train/evaluate.py --adapter adapters/abl-x --limit 40 --reuse adapters/default/eval
    uv run train/evaluate.py --base-only --model embedded:smollm2-135m-instruct --bfcl simple_python \\
        --bfcl-limit 10 --no-test --out eval/base
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx loads)
from smolcall import bfcl, ui
from smolcall.backend import format_backend
from smolcall.call_calibration import CalibrationError, CallCalibration, calibrated_factory
from smolcall.dataset_io import adapter_prompt_style, data_prompt_style
from smolcall.evaluation import (TOOL_CHOICE_AUTO_KEY, EvalCase, EvalDataError, ResultStore, bfcl_eval_cases,
                                 grade_record, load_test_cases, plot_chart, render_report, summarize_model)
from smolcall.generation import DEFAULT_BATCH_SIZE, DEFAULT_MAX_TOKENS, Reply, generate_replies
from smolcall.models import EMBEDDED_MODEL, ModelNotFoundError, file_digest, load_model
from smolcall.prompt import STYLES

DEFAULT_DATA = Path("data/smolcall-gen")
# New tokens a BFCL reply may use unless --bfcl-max-tokens says otherwise. A parallel_multiple
# answer is up to four calls of 30-60 tokens each; at 112 tokens half of them were cut off mid-call
# and scored as syntax errors. Replies that stop earlier (most) cost nothing extra.
BFCL_MAX_TOKENS = 384
# --tool-choice: "category" requires a call on BFCL's call categories; "auto" never tells the model.
# "auto" is the default since 2026-12-07; the constrained reports before it used "category".
TOOL_CHOICES = ("category", "auto")
DEFAULT_TOOL_CHOICE = "auto"


class EvalSetupError(ValueError):
    """Arguments or files that cannot make an evaluation; the message says how to fix it."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--adapter", type=Path, help="adapter folder written by training (adapters/<run>)")
    p.add_argument("--base-only", action="store_true", help="evaluate only the base model")
    p.add_argument("--no-base", action="store_true", help="leave the base column out (on BFCL it is the slowest: "
                   "prose to the token budget); the same command without it adds the column later, the other "
                   "columns' replies coming from --out's own per_case.jsonl")
    p.add_argument("--model", help="base model ref (default: the adapter's base_model, else "
                                    f"{EMBEDDED_MODEL})")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with test.jsonl (default: %(default)s)")
    p.add_argument("--limit", type=int, help="use only the first N rows of test.jsonl")
    p.add_argument("--no-test", action="store_true", help="skip the test split (BFCL only)")
    p.add_argument("--bfcl", nargs="*", metavar="CAT", help="also run BFCL v4 categories (no names: "
                   f"{' '.join(bfcl.CATEGORIES)}; 'live': the five live ones; 'all': all ten)")
    p.add_argument("--bfcl-dir", type=Path, help="BFCL data folder (default: the installed bfcl_eval package)")
    p.add_argument("--bfcl-limit", type=int, help="at most N cases per BFCL category (a seeded sample)")
    p.add_argument("--bfcl-seed", type=int, default=bfcl.DEFAULT_SEED, help="seed of the BFCL sample (default: 0)")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="sequences decoded together")
    p.add_argument("--max-tokens", type=int, default=DEFAULT_MAX_TOKENS, help="most new tokens per reply "
                   "(default: %(default)s)")
    p.add_argument("--bfcl-max-tokens", type=int, help="most new tokens per BFCL reply (default: the larger "
                   f"of --max-tokens and {BFCL_MAX_TOKENS}, room for four parallel calls)")
    p.add_argument("--constrained", action="store_true", help="also run the last model (tuned, or base with "
                   "--base-only) with grammar-constrained decoding: a third \"constrained\" column")
    p.add_argument("--tool-choice", choices=TOOL_CHOICES,
                   help="with --constrained: 'auto' (default) leaves the call to the model on every case, as a "
                        "deployed model that is not told the category decides, the setting to compare with "
                        "published BFCL scores; 'category' requires a call on BFCL's call categories (tool_choice "
                        "\"required\"), as every constrained report before 2026-12-07 did, and leaves it to "
                        "the model on irrelevance and the test split")
    p.add_argument("--ground-strings", action="store_true", help="with --constrained: every free string "
                   "argument must also be a run of words from the request (smolcall.constrain.grounding_spans)")
    p.add_argument("--more-arguments", type=float, default=0.0, metavar="B", help="with --constrained: where "
                   "the model would close a call's arguments and the tool has arguments left, the tokens that go "
                   "on to another one get +B (smolcall.constrain.GrammarConstraint); 0 (default) changes nothing, "
                   "a large B goes on until the tool's last argument (in schema order) is written")
    p.add_argument("--stated-arguments", action="store_true", help="with --constrained: where the model would "
                   "close a call's arguments and an optional argument the request names is left (a word of its "
                   "name, or one of its enum values), the call goes on to it (smolcall.constrain.StatedArguments)")
    p.add_argument("--contrast", type=float, default=0.0, metavar="ALPHA", help="with --constrained: "
                   "context-aware decoding, each free choice weighing the model with the request against the model "
                   "without it, (1 + ALPHA) log p(with) - ALPHA log p(without) (smolcall.guided.contrasted); the "
                   "column is decoded one case at a time by guided decoding, about twice the work of a plain "
                   "guided reply; 0 (default) changes nothing")
    p.add_argument("--call-calibration", action="store_true", help="with --constrained: the call-or-answer "
                   "decision of each new request calibrated against foil tools with the alpha and bias chosen "
                   "on the valid split and kept in <adapter>/call_calibration.json (smolcall.call_calibration; "
                   "bench/call_calibration.py chooses and saves them)")
    p.add_argument("--distinct-calls", action="store_true", help="with --constrained: a further column, "
                   "\"distinct\": the constrained replies, each call that repeats an earlier one in its reply "
                   "replaced by the likeliest new call (smolcall.guided.GuidedDecoder.generate_distinct)")
    p.add_argument("--prompt-style", choices=STYLES, help="how BFCL tools are written in the system prompt "
                   "(default: the adapter's training style, else --data's report.json, else glaive)")
    p.add_argument("--out", type=Path, help="output folder (default: <adapter>/eval)")
    p.add_argument("--reuse", type=Path, nargs="+", default=[], metavar="EVAL",
                   help="earlier evaluation folders (or their per_case.jsonl) to copy replies from instead of "
                        "generating them: a reply is taken when its model id (weights digest and decoding "
                        "settings) and its case's prompt fingerprint match, e.g. another adapter's base column")
    return p.parse_args(argv)


def bfcl_categories(names: list[str]) -> list[str]:
    """`--bfcl` names to categories: none -> the five non-live ones; 'live'; 'all'."""
    if not names:
        return list(bfcl.CATEGORIES)
    out: list[str] = []
    for name in names:
        expanded = {"all": bfcl.ALL_CATEGORIES, "live": bfcl.LIVE_CATEGORIES}.get(name, (name,))
        for category in expanded:
            if category not in bfcl.ALL_CATEGORIES:
                raise EvalSetupError(f"unknown BFCL category {category!r}; use any of "
                                     f"{', '.join(bfcl.ALL_CATEGORIES)}, 'live' or 'all'")
            if category not in out:
                out.append(category)
    return out


def read_adapter_config(adapter: Path) -> dict:
    path = adapter / "adapter_config.json"
    if not path.is_file():
        raise EvalSetupError(f"{path} does not exist: pass the folder that training wrote (adapters/<run>/)")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise EvalSetupError(f"{path} is not valid JSON: {e}") from e


def call_required(case: EvalCase, tool_choice: str = DEFAULT_TOOL_CHOICE) -> bool:
    """With tool_choice "category", BFCL's call categories require a call by construction
    (tool_choice "required"); its irrelevance categories and our test split (which holds no-call
    turns) leave it to the model. With "auto" the model decides everywhere: it is not told which
    category a case is from, as no deployed model is."""
    if tool_choice not in TOOL_CHOICES:
        raise EvalSetupError(f"tool choice {tool_choice!r}; use one of {', '.join(TOOL_CHOICES)}")
    return tool_choice == "category" and case.bfcl is not None and "irrelevance" not in case.bfcl.category


def constrained_factory(tokenizer, cases: list[EvalCase], max_tokens: int, ground_strings: bool = False,
                        tool_choice: str = DEFAULT_TOOL_CHOICE, more_arguments: float = 0.0,
                        stated_arguments: bool = False):
    """One grammar constraint per conversation, built from the tools in its system prompt: calls
    only where a call is required (`call_required`), calls or a plain answer elsewhere; with
    `ground_strings`, free strings only from the request's words; with `more_arguments`, a lean
    toward writing another argument; with `stated_arguments`, the optional arguments the request
    names are written."""
    from smolcall.constrain import constraint_factory

    options = {"max_tokens": max_tokens, "ground_strings": ground_strings, "more_arguments": more_arguments,
               "stated_arguments": stated_arguments}
    auto = constraint_factory(tokenizer, allow_text=True, **options)
    required = constraint_factory(tokenizer, allow_text=False, **options)
    required_ids = {id(c.messages) for c in cases if call_required(c, tool_choice)}

    def factory(conversation: list[dict], prompt_tokens: list[int]):
        return (required if id(conversation) in required_ids else auto)(conversation, prompt_tokens)

    return factory


def token_budget(case: EvalCase, args: argparse.Namespace) -> int:
    """Most new tokens for this case's reply: BFCL's own budget for BFCL cases."""
    return args.bfcl_max_tokens if case.bfcl is not None else args.max_tokens


def model_id_for(prefix: str, max_tokens: int, constrained: bool, grounded: bool = False,
                 distinct: bool = False, tool_choice: str = DEFAULT_TOOL_CHOICE,
                 calibration: CallCalibration | None = None, more_arguments: float = 0.0,
                 stated_arguments: bool = False, contrast: float = 0.0) -> str:
    """The cache key of a model's replies: weights and every decoding setting that changes them
    (tool_choice "category" adds nothing, so the keys of earlier runs still match)."""
    return (f"{prefix}|greedy,max_tokens={max_tokens}" + (",constrained-v4" if constrained else "")
            + (TOOL_CHOICE_AUTO_KEY if constrained and tool_choice == "auto" else "")
            + (",grounded-v1" if constrained and grounded else "")
            + (",distinct-v1" if constrained and distinct else "")
            + (calibration.key() if constrained and calibration is not None else "")
            + (f",more-args(b={more_arguments:g})" if constrained and more_arguments else "")
            + (",stated-args-v1" if constrained and stated_arguments else "")
            + (f",contrast(a={contrast:g})-v1" if constrained and contrast else ""))


def column_model_id(prefix: str, max_tokens: int, constrained: bool, args: argparse.Namespace,
                    distinct: bool = False) -> str:
    """model_id_for with this run's decoding options (`args`)."""
    return model_id_for(prefix, max_tokens, constrained, args.ground_strings, distinct, args.tool_choice,
                        args.calibration, args.more_arguments, args.stated_arguments, args.contrast)


def reuse_stopped_replies(store: ResultStore, prefix: str, max_tokens: int, cases: list[EvalCase]) -> int:
    """Copy to this budget the replies another budget already finished in fewer tokens than this
    one allows (greedy decoding that stopped at step t is the same under any cap above t), so
    changing a budget regenerates only the replies the old one cut off or that would now be cut.
    Not for constrained decoding, whose grammar closes calls early when the budget runs short.
    Returns how many were reused."""
    model_id = model_id_for(prefix, max_tokens, constrained=False)
    head = f"{prefix}|greedy,max_tokens="
    reused = 0
    for case in cases:
        if store.done(model_id, case):
            continue
        for old in store.records_of(case):
            if (old["model_id"].startswith(head) and old["model_id"][len(head):].isdigit()
                    and old.get("finish_reason") == "stop" and old.get("completion_tokens", max_tokens) < max_tokens):
                store.append(old | {"model_id": model_id, "reused_from": old["model_id"]})
                reused += 1
                break
    return reused


def reuse_sources(paths: list[Path]) -> list[ResultStore]:
    """The stores --reuse names (a folder holding per_case.jsonl, or the file itself)."""
    stores = []
    for path in paths:
        file = path / "per_case.jsonl" if path.is_dir() else path
        if not file.is_file():
            raise EvalSetupError(f"--reuse {path}: no per_case.jsonl there; name an evaluation's output folder "
                                 "(say adapters/default/eval) or its per_case.jsonl")
        stores.append(ResultStore(file))
    return stores


def reuse_earlier_replies(store: ResultStore, sources: list[ResultStore], model_id: str,
                          cases: list[EvalCase]) -> int:
    """Copy into `store` the replies `sources` hold for this model id and these cases (matched by
    case id, which holds a fingerprint of the prompt, so another data folder's identical rows
    match too); returns how many. Grading is redone from the reply when the report is built."""
    reused = 0
    for case in cases:
        if store.done(model_id, case):
            continue
        for source in sources:
            old = source.find(model_id, case.case_id)
            if old is not None:
                store.append(old | {"dataset": case.dataset, "reused_from": str(source.path)})
                reused += 1
                break
    return reused


def run_model(role: str, ref: str, adapter: Path | None, prefix: str, cases: list[EvalCase],
              store: ResultStore, args: argparse.Namespace, max_tokens: int, constrained: bool = False,
              loaded: dict | None = None, sources: list[ResultStore] | None = None) -> dict | None:
    """Generate and grade the cases this model has not done yet; return this session's throughput
    (None when nothing was left to do). `loaded` keeps the model between calls of one role;
    `sources` are the --reuse stores."""
    model_id = column_model_id(prefix, max_tokens, constrained, args)
    copied = reuse_earlier_replies(store, sources or [], model_id, cases)
    reused = 0 if constrained else reuse_stopped_replies(store, prefix, max_tokens, cases)
    pending = [c for c in cases if not store.done(model_id, c)]
    notes = ([f"{copied} copied from --reuse"] if copied else []) + (
        [f"{reused} reused from another budget, where they had stopped within this one"] if reused else [])
    ui.console.print(f"{role}, max {max_tokens} new tokens: {len(cases) - len(pending)} of {len(cases)} "
                     "cases already done" + (f" ({'; '.join(notes)})" if notes else ""))
    if not pending:
        return None
    loaded = {} if loaded is None else loaded
    if constrained and args.contrast:
        return run_contrast(role, ref, adapter, prefix, pending, store, args, max_tokens, model_id, loaded)
    if "model" not in loaded:
        loaded["model"], loaded["tokenizer"], _ = load_model(ref, adapter_path=adapter)
    model, tokenizer = loaded["model"], loaded["tokenizer"]
    factory = constrained_factory(tokenizer, pending, max_tokens, args.ground_strings,
                                  args.tool_choice, args.more_arguments, args.stated_arguments) if constrained else None
    if constrained and args.calibration is not None:
        factory = calibrated_factory(factory, model, tokenizer, args.calibration)
    totals = {"prompt_tokens": 0, "completion_tokens": 0}
    start = time.perf_counter()

    with ui.eval_progress(f"{role} ({len(pending)} cases)", len(pending)) as advance:
        def on_reply(i: int, reply: Reply) -> None:
            case = pending[i]
            store.append(reply_record(role, model_id, case, reply.text, reply.prompt_tokens, reply.completion_tokens,
                                      reply.finish_reason, reply.seconds))
            totals["prompt_tokens"] += reply.prompt_tokens
            totals["completion_tokens"] += reply.completion_tokens
            advance(sum(totals.values()) / (time.perf_counter() - start))

        generate_replies(model, tokenizer, [c.messages for c in pending], max_tokens=max_tokens,
                         batch_size=args.batch_size, logits_processors_factory=factory, on_reply=on_reply)
    return throughput_of(model_id, len(pending), totals, time.perf_counter() - start, args.batch_size)


def run_contrast(role: str, ref: str, adapter: Path | None, prefix: str, pending: list[EvalCase], store: ResultStore,
                 args: argparse.Namespace, max_tokens: int, model_id: str, loaded: dict) -> dict:
    """The constrained column with --contrast: each pending case decoded by GuidedDecoder (its
    grammar, the same tool choice; greedy on contrasted scores), one at a time. Returns the throughput."""
    decoder, tokenizer = guided_decoder(ref, adapter, prefix, loaded, args.contrast)
    factory = constrained_factory(tokenizer, pending, max_tokens, args.ground_strings, args.tool_choice,
                                  stated_arguments=args.stated_arguments)
    totals = {"prompt_tokens": 0, "completion_tokens": 0}
    start = time.perf_counter()
    with ui.eval_progress(f"{role}, contrast {args.contrast:g} ({len(pending)} cases)", len(pending)) as advance:
        for case in pending:
            (constraint,) = factory(case.messages, [])
            result = decoder.generate(case.messages, constraint, max_tokens)
            store.append(reply_record(role, model_id, case, result.text, result.prompt_tokens, len(result.tokens),
                                      result.finish_reason, result.seconds))
            totals["prompt_tokens"] += result.prompt_tokens
            totals["completion_tokens"] += len(result.tokens)
            advance(sum(totals.values()) / (time.perf_counter() - start))
    return throughput_of(model_id, len(pending), totals, time.perf_counter() - start, 1)


def run_distinct(ref: str, adapter: Path | None, prefix: str, cases: list[EvalCase], store: ResultStore,
                 args: argparse.Namespace, max_tokens: int, loaded: dict, sources: list[ResultStore]) -> dict | None:
    """The "distinct" column: each constrained reply (already in `store`), with every call that
    repeats an earlier call of its reply replaced by the likeliest new one (GuidedDecoder's
    generate_distinct, starting from that very reply); a reply without a repeat is copied as it
    is. Returns the re-decoding's throughput (None when nothing was re-decoded)."""
    from smolcall.guided import repeats_a_call

    source_id = column_model_id(prefix, max_tokens, True, args)
    model_id = column_model_id(prefix, max_tokens, True, args, distinct=True)
    copied = reuse_earlier_replies(store, sources, model_id, cases)
    pending = [c for c in cases if not store.done(model_id, c)]
    repeats = []
    for case in pending:
        record = store.find(source_id, case.case_id)
        if record is None:  # the constrained role runs first, over the same cases
            raise EvalSetupError(f"{case.case_id} has no constrained reply to start the distinct column from; "
                                 "rerun to let the constrained column finish")
        if not repeats_a_call(record["reply"]):
            store.append(record | {"model": "distinct", "model_id": model_id, "distinct_from": source_id})
        else:
            repeats.append((case, record))
    ui.console.print(f"distinct, max {max_tokens} new tokens: {len(cases) - len(pending)} of {len(cases)} cases "
                     f"already done{f' ({copied} copied from --reuse)' if copied else ''}; "
                     f"{len(pending) - len(repeats)} constrained replies copied (no repeated call); "
                     f"{len(repeats)} re-decoded")
    if not repeats:
        return None
    decoder, tokenizer = guided_decoder(ref, adapter, prefix, loaded)
    factory = constrained_factory(tokenizer, [case for case, _ in repeats], max_tokens, args.ground_strings,
                                  args.tool_choice)
    totals = {"prompt_tokens": 0, "completion_tokens": 0, "tries": 0, "dropped": 0}
    start = time.perf_counter()
    with ui.eval_progress(f"distinct ({len(repeats)} cases)", len(repeats)) as advance:
        for case, record in repeats:
            (constraint,) = factory(case.messages, [])
            first = tokenizer.encode(record["reply"], add_special_tokens=False)
            try:
                result = decoder.generate_distinct(case.messages, constraint, max_tokens, first=first)
            except RuntimeError as e:  # the grammar refused the reply as re-tokenized: decode it afresh
                ui.console.print(f"[yellow]{case.case_id}: {e}; decoding it again instead[/]")
                (constraint,) = factory(case.messages, [])
                result = decoder.generate_distinct(case.messages, constraint, max_tokens)
            store.append(reply_record("distinct", model_id, case, result.text, result.prompt_tokens,
                                      len(result.tokens), result.finish_reason, result.seconds,
                                      distinct_from=source_id, tries=result.branches, dropped_repeats=result.dropped))
            totals["prompt_tokens"] += result.prompt_tokens
            totals["completion_tokens"] += len(result.tokens)
            totals["tries"] += result.branches
            totals["dropped"] += result.dropped
            advance((totals["prompt_tokens"] + totals["completion_tokens"]) / (time.perf_counter() - start))
    return throughput_of(model_id, len(repeats), totals, time.perf_counter() - start, 1)


def reply_record(role: str, model_id: str, case: EvalCase, text: str, prompt_tokens: int, completion_tokens: int,
                 finish_reason: str, seconds: float, **extra) -> dict:
    """One generated reply as per_case.jsonl stores it: the case, the reply, its token counts and
    time, any `extra` fields of its column, and its grade."""
    return {"model": role, "model_id": model_id, "dataset": case.dataset, "case_id": case.case_id, **case.meta,
            "reply": text, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "finish_reason": finish_reason, "seconds": round(seconds, 3), **extra, **grade_record(case, text)}


def guided_decoder(ref: str, adapter: Path | None, prefix: str, loaded: dict, contrast: float = 0.0):
    """(GuidedDecoder, tokenizer) over the fused model, loaded once into `loaded`: the same
    function as the adapter, and guided decoding's numpy passes can run it."""
    from smolcall.chat_model import ChatModel
    from smolcall.guided import GuidedDecoder

    if "fused" not in loaded:
        loaded["fused"], loaded["tokenizer"], _ = load_model(ref, adapter_path=adapter, fuse=True)
    return GuidedDecoder(ChatModel(loaded["fused"], loaded["tokenizer"], prefix), contrast=contrast), loaded["tokenizer"]


def throughput_of(model_id: str, cases: int, totals: dict, seconds: float, batch_size: int) -> dict:
    """One run's throughput record: its token totals (and any other counts) and the rates over
    every token processed (prompt and completion) and over completion tokens alone."""
    all_tokens = totals["prompt_tokens"] + totals["completion_tokens"]
    return {"model_id": model_id, "cases": cases, **totals, "seconds": round(seconds, 2),
            "all_tokens_per_second": all_tokens / seconds,
            "completion_tokens_per_second": totals["completion_tokens"] / seconds, "batch_size": batch_size}


def combine_throughput(runs: list[dict]) -> dict | None:
    """One model's throughput over the budget groups that generated this session."""
    if not runs:
        return None
    if len(runs) == 1:
        return runs[0]
    total = {k: sum(r[k] for r in runs) for k in ("cases", "prompt_tokens", "completion_tokens", "seconds")}
    return {"model_id": " ; ".join(r["model_id"] for r in runs), **total, "seconds": round(total["seconds"], 2),
            "all_tokens_per_second": (total["prompt_tokens"] + total["completion_tokens"]) / total["seconds"],
            "completion_tokens_per_second": total["completion_tokens"] / total["seconds"],
            "batch_size": runs[0]["batch_size"]}


def evaluate(args: argparse.Namespace) -> dict:
    """Run the evaluation the arguments describe; write and return metrics."""
    if args.adapter is None and not args.base_only:
        raise EvalSetupError("pass --adapter adapters/<run>, or --base-only [--model REF] to evaluate a base model")
    if args.bfcl_max_tokens is None:
        args.bfcl_max_tokens = max(args.max_tokens, BFCL_MAX_TOKENS)
    for name in ("limit", "bfcl_limit", "batch_size", "max_tokens", "bfcl_max_tokens"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise EvalSetupError(f"--{name.replace('_', '-')} is {value}; it must be at least 1")
    if args.no_base and args.base_only:  # without --adapter, --base-only is the only way past the check above
        raise EvalSetupError("--no-base leaves out the only model of a base-only evaluation: pass --adapter "
                             "adapters/<run>, or drop --no-base")
    if args.ground_strings and not args.constrained:
        raise EvalSetupError("--ground-strings grounds the constrained column: add --constrained")
    if args.distinct_calls and not args.constrained:
        raise EvalSetupError("--distinct-calls starts from the constrained column's replies: add --constrained")
    if args.call_calibration and (not args.constrained or args.adapter is None or args.distinct_calls):
        raise EvalSetupError("--call-calibration calibrates the constrained column of an adapter: add --constrained "
                             "and --adapter (and leave out --distinct-calls, which starts from uncalibrated replies)")
    for flag, on in (("--more-arguments", args.more_arguments), ("--stated-arguments", args.stated_arguments)):
        if on and (not args.constrained or args.distinct_calls):
            raise EvalSetupError(f"{flag} changes the constrained column's decoding: add --constrained (and leave "
                                 "out --distinct-calls, which starts from replies decoded without it)")
    if args.more_arguments < 0:
        raise EvalSetupError(f"--more-arguments is {args.more_arguments:g}; give 0 or more (0 changes nothing)")
    if args.contrast < 0:
        raise EvalSetupError(f"--contrast is {args.contrast:g}; give 0 or more (0 changes nothing)")
    if args.contrast and (not args.constrained or args.distinct_calls or args.more_arguments or args.call_calibration):
        raise EvalSetupError("--contrast decodes the constrained column by guided decoding: add --constrained, and "
                             "leave out --distinct-calls, --more-arguments and --call-calibration (mlx-lm's batched "
                             "decoding applies them, guided decoding does not)")
    if args.tool_choice is not None and not args.constrained:
        raise EvalSetupError("--tool-choice sets the constrained column's grammar: add --constrained")
    args.tool_choice = args.tool_choice or DEFAULT_TOOL_CHOICE
    adapter_config = read_adapter_config(args.adapter) if args.adapter is not None else {}
    try:
        args.calibration = CallCalibration.load(args.adapter) if args.call_calibration else None
    except CalibrationError as e:
        raise EvalSetupError(str(e)) from e
    ref = args.model or adapter_config.get("base_model") or adapter_config.get("model") or EMBEDDED_MODEL
    out = args.out or (args.adapter / "eval" if args.adapter is not None else None)
    if out is None:
        raise EvalSetupError("--base-only without --adapter needs --out DIR for the report")
    # The adapter's own training style first: --data may name another folder, or none on a fresh clone.
    style = args.prompt_style or adapter_prompt_style(adapter_config) or data_prompt_style(args.data)
    sources = reuse_sources(args.reuse)

    # Every case first, so a bad file or category fails before any weights load.
    cases: list[EvalCase] = [] if args.no_test else load_test_cases(args.data, limit=args.limit)
    categories = bfcl_categories(args.bfcl) if args.bfcl is not None else []
    for category in categories:
        cases += bfcl_eval_cases(bfcl.load_category(category, args.bfcl_dir, args.bfcl_limit, args.bfcl_seed, style))
    if not cases:
        raise EvalSetupError("nothing to evaluate: --no-test without --bfcl")

    # Each model's replies are cached per token budget (model_id_for): the test split and BFCL
    # may have different budgets, so a model is one id per budget.
    budgets = sorted({token_budget(c, args) for c in cases})
    decoding = ", ".join(f"max {b} new tokens ({'BFCL' if b == args.bfcl_max_tokens else 'test'})" for b in budgets) \
        if len(budgets) > 1 else f"max {budgets[0]} new tokens"
    models = [] if args.no_base else [("base", ref, None, ref)]
    if not args.base_only:
        weights = args.adapter / "adapters.safetensors"
        if not weights.is_file():
            raise EvalSetupError(f"{weights} does not exist: training has not saved adapter weights there yet")
        models.append(("tuned", ref, args.adapter, f"{ref}+{args.adapter}@{file_digest(weights)}"))
    if args.constrained:
        # The constrained column: the last model (tuned, or base with --base-only) under the grammar.
        # The version in model_id_for names the grammar rules: v4 = wrap-up closes an open string before braces.
        _, last_ref, last_adapter, last_prefix = models[-1]
        models.append(("constrained", last_ref, last_adapter, last_prefix))
        if args.distinct_calls:
            models.append(("distinct", last_ref, last_adapter, last_prefix))

    settings = {
        "base_model": ref, "adapter": str(args.adapter) if args.adapter is not None else None,
        "data": None if args.no_test else str(args.data), "limit": args.limit, "bfcl_categories": categories,
        "bfcl_dir": str(args.bfcl_dir or bfcl.default_data_dir()), "bfcl_limit": args.bfcl_limit,
        "bfcl_seed": args.bfcl_seed, "batch_size": args.batch_size, "max_tokens": args.max_tokens,
        "bfcl_max_tokens": args.bfcl_max_tokens,
        "constrained": args.constrained, "tool_choice": args.tool_choice, "ground_strings": args.ground_strings,
        "call_calibration": None if args.calibration is None else args.calibration.key()[1:],
        "more_arguments": args.more_arguments, "stated_arguments": args.stated_arguments, "contrast": args.contrast,
        "distinct_calls": args.distinct_calls, "prompt_style": style,
        "backend": format_backend(),
    }
    ui.print_banner("smolcall evaluate", {
        "backend": settings["backend"], "base": ref, "adapter": settings["adapter"] or "(none: base only)",
        "cases": f"{len(cases)} ({', '.join(sorted({c.dataset for c in cases}))})",
        "decoding": f"greedy, {decoding}, batch {args.batch_size}" + (", plus a constrained run" if args.constrained else "")
        + (" (free strings grounded in the request)" if args.ground_strings else "")
        + (f" (leaning {args.more_arguments:g} toward another argument)" if args.more_arguments else "")
        + (" (writing the optional arguments the request names)" if args.stated_arguments else "")
        + (f" (contrast {args.contrast:g} against the prompt without the request, guided, batch 1)"
           if args.contrast else "")
        + (", plus its replies without repeated calls" if args.distinct_calls else ""),
        "out": str(out)})

    out.mkdir(parents=True, exist_ok=True)
    store = ResultStore(out / "per_case.jsonl")
    previous = json.loads((out / "metrics.json").read_text()) if (out / "metrics.json").is_file() else {}
    metrics = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "settings": settings,
               "models": {}, "throughput": {}}
    loaded_models: dict = {}  # (ref, adapter) -> the loaded model, shared by the roles that use it
    for role, model_ref, adapter, prefix in models:
        constrained = role in ("constrained", "distinct")
        loaded = loaded_models.setdefault((model_ref, adapter), {})
        runs, records, ids = [], [], []
        for budget in budgets:
            group = [c for c in cases if token_budget(c, args) == budget]
            model_id = column_model_id(prefix, budget, constrained, args, distinct=role == "distinct")
            ids.append(model_id)
            if role == "distinct":
                runs.append(run_distinct(model_ref, adapter, prefix, group, store, args, budget, loaded, sources))
            else:
                runs.append(run_model(role, model_ref, adapter, prefix, group, store, args, budget, constrained,
                                      loaded, sources))
            records += store.regraded(model_id, group)
        throughput = combine_throughput([r for r in runs if r is not None])
        # A resumed run with nothing left keeps the throughput the generating session measured.
        old = previous.get("throughput", {}).get(role)
        if throughput is None and old and old.get("model_id") in (*ids, " ; ".join(ids)):
            throughput = old
        if throughput is not None:
            metrics["throughput"][role] = throughput
        metrics["models"][role] = summarize_model(records) | {"model_id": " ; ".join(ids)}

    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (out / "report.md").write_text(render_report(metrics) + "\n")
    plot_chart(metrics, out / "chart.png")
    ui.print_eval_summary(metrics)
    ui.console.print(f"report: {out / 'report.md'}")
    return metrics


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        evaluate(args)
    except (EvalSetupError, EvalDataError, FileNotFoundError, ModelNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
