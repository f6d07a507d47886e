"""Evaluation: test rows -> cases, per-case results, the report, and train/evaluate.py end to end
(tiny random model for resumability; the embedded SmolLM2 in the slow test)."""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx.core)

import importlib.util
import json
import re
from pathlib import Path

import pytest

from smolcall.calls import FunctionCall, format_calls, parse_reply
from smolcall.bfcl import load_category
from smolcall.evaluation import (EvalCase, EvalDataError, ResultStore, bfcl_eval_cases, grade_record, load_test_cases,
                                 plot_chart, render_report, row_cases, summarize_model)
from smolcall.prompt import system_prompt
from test_bfcl import reference_calls

ROOT = Path(__file__).resolve().parents[1]
WEATHER = {"name": "get_weather", "description": "Weather now", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
MASKED = {"name": "fn_q7", "description": "Weather now", "parameters": {
    "type": "object", "properties": {"p_x": {"type": "string"}}, "required": ["p_x"]}}


def row(kind, turns, tools=(WEATHER,), group="easy", **meta):
    messages = [{"role": "system", "content": system_prompt(list(tools), "compact")}]
    for role, content in turns:
        if role == "calls":
            role, content = "assistant", format_calls(content)
        messages.append({"role": role, "content": content})
    return {"messages": messages, "meta": {"kind": kind, "split_group": group, **meta}}


PARIS = FunctionCall("get_weather", {"city": "Paris"})
ROME = FunctionCall("get_weather", {"city": "Rome"})
ROWS = [
    row("single", [("user", "Weather in Paris?"), ("calls", [PARIS])], called=["get_weather"]),
    row("parallel", [("user", "Paris and Rome?"), ("calls", [PARIS, ROME])], called=["get_weather"] * 2),
    row("no_call", [("user", "Tell me a joke"), ("assistant", "I can only check the weather.")], group="hard"),
    row("multi_turn", [("user", "Paris?"), ("calls", [PARIS]), ("tool", '{"temp": 21}'), ("assistant", "It is 21 C."),
                       ("user", "And Rome?"), ("calls", [ROME])], called=["get_weather", "get_weather"]),
    row("single", [("user", "Paris?"), ("calls", [FunctionCall("fn_q7", {"p_x": "Paris"})])], tools=(MASKED,),
        called=["get_weather"], masked="both"),
]


def write_data(folder: Path, rows=ROWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


def test_row_cases_grade_every_assistant_turn():
    cases = row_cases(ROWS[3], "gen/test", 3)
    assert [len(c.messages) for c in cases] == [2, 4, 6]
    assert [c.expected for c in cases] == [[PARIS], [], [ROME]]
    assert [c.meta["functions"] for c in cases] == [["get_weather"], ["(no call)"], ["get_weather"]]
    assert [c.meta["turn"] for c in cases] == [0, 1, 2]
    assert len({c.case_id for c in cases}) == 3 and cases[0].case_id.startswith("3:0:")


def test_per_turn_prefix_rows_give_one_case():
    prefix = row("multi_turn", [("user", "Paris?"), ("calls", [PARIS]), ("tool", "{}"), ("assistant", "Done.")],
                 turn=1, called=["get_weather"])
    (case,) = row_cases(prefix, "gen/test", 0)
    assert case.expected == [] and case.meta["turn"] == 1 and len(case.messages) == 4


def test_masked_names_group_under_the_catalogue_name():
    (case,) = row_cases(ROWS[4], "gen/test", 4)
    assert case.expected == [FunctionCall("fn_q7", {"p_x": "Paris"})] and case.meta["functions"] == ["get_weather"]


@pytest.mark.parametrize("bad,match", [
    ({"messages": [{"role": "user", "content": "hi"}]}, "system"),
    ({"messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "hi"}]}, "no assistant"),
    ({"messages": [{"role": "system", "content": "... -\n{oops"}, {"role": "assistant", "content": "x"}]}, "tool specs"),
])
def test_bad_rows(bad, match):
    with pytest.raises(EvalDataError, match=match):
        row_cases(bad, "gen/test", 7)


def test_load_test_cases(tmp_path):
    data = write_data(tmp_path / "gen")
    assert len(load_test_cases(data)) == 1 + 1 + 1 + 3 + 1
    assert len(load_test_cases(data, limit=2)) == 2
    with pytest.raises(FileNotFoundError, match="--data"):
        load_test_cases(tmp_path / "nothing")


def test_result_store_survives_a_partial_line(tmp_path):
    store = ResultStore(tmp_path / "per_case.jsonl")
    (case,) = row_cases(ROWS[0], "gen/test", 0)
    store.append({"model_id": "m", "dataset": case.dataset, "case_id": case.case_id, "x": 1})
    with (tmp_path / "per_case.jsonl").open("a") as f:
        f.write('{"model_id": "m", "dataset": "gen/te')  # killed mid-write
    again = ResultStore(tmp_path / "per_case.jsonl")
    assert again.done("m", case) and not again.done("other", case)
    assert again.select("m", [case]) == [{"model_id": "m", "dataset": case.dataset, "case_id": case.case_id, "x": 1}]


def load_script():
    spec = importlib.util.spec_from_file_location("evaluate_script", ROOT / "train" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_random_adapter(ref: str, out: Path, num_layers: int = 2, rank: int = 4, seed: int = 0) -> Path:
    """A LoRA adapter folder with random weights, as training would write it (no training)."""
    import mlx.core as mx
    from mlx.utils import tree_flatten
    from mlx_lm.tuner.utils import linear_to_lora_layers

    from smolcall.models import load_model

    model, _, path = load_model(ref)
    model.freeze()
    lora = {"rank": rank, "scale": 2.0, "dropout": 0.0}
    linear_to_lora_layers(model, num_layers, lora)
    mx.random.seed(seed)
    # LoRA's B starts at zero, which would make the tuned model equal the base: randomize it.
    weights = {k: (0.05 * mx.random.normal(v.shape) if k.endswith("lora_b") else v)
               for k, v in tree_flatten(model.trainable_parameters())}
    out.mkdir(parents=True, exist_ok=True)
    mx.save_safetensors(str(out / "adapters.safetensors"), weights)
    (out / "adapter_config.json").write_text(json.dumps({
        "fine_tune_type": "lora", "num_layers": num_layers, "lora_parameters": lora, "model": str(path),
        "base_model": ref}))
    return out


def count_lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_evaluate_resumes_without_regenerating(tmp_path, tiny_model_dir, monkeypatch):
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "adapters" / "tiny")
    data = write_data(tmp_path / "gen")
    args = ["--adapter", str(adapter), "--data", str(data), "--bfcl", "simple_python", "irrelevance",
            "--bfcl-limit", "1", "--max-tokens", "6", "--bfcl-max-tokens", "8", "--batch-size", "4"]
    assert script.main(args) == 0
    out = adapter / "eval"
    n_cases = 7 + 2
    assert count_lines(out / "per_case.jsonl") == 2 * n_cases
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["models"]) == {"base", "tuned"}
    assert metrics["models"]["tuned"]["test"]["overall"]["n"] == 7
    assert set(metrics["models"]["base"]["bfcl"]) == {"simple_python", "irrelevance"}
    assert metrics["throughput"]["base"]["cases"] == n_cases
    for name in ("report.md", "chart.png"):
        assert (out / name).stat().st_size > 0

    # Second run: everything is done, so no model loads and nothing generates.
    def fail(*a, **k):
        raise AssertionError("generation ran for cases that were done")

    monkeypatch.setattr(script, "load_model", fail)
    monkeypatch.setattr(script, "generate_replies", fail)
    assert script.main(args) == 0
    assert count_lines(out / "per_case.jsonl") == 2 * n_cases
    again = json.loads((out / "metrics.json").read_text())
    assert again["models"] == metrics["models"] and again["throughput"] == metrics["throughput"]

    # Lose the last 3 results (as if killed): only those 3 are generated again.
    monkeypatch.undo()
    lines = (out / "per_case.jsonl").read_text().splitlines(keepends=True)
    (out / "per_case.jsonl").write_text("".join(lines[:-3]))
    generated = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies",
                        lambda model, tok, conversations, **kw: generated.extend(conversations) or real(model, tok, conversations, **kw))
    assert script.main(args) == 0
    assert len(generated) == 3 and count_lines(out / "per_case.jsonl") == 2 * n_cases


def test_bfcl_replies_have_their_own_token_budget(tmp_path, tiny_model_dir, monkeypatch):
    """BFCL's multi-call answers get more room than the test split; each budget is its own cache
    key, so raising BFCL's regenerates only the BFCL cases."""
    script = load_script()
    data = write_data(tmp_path / "gen", ROWS[:2])
    out = tmp_path / "out"
    args = ["--base-only", "--model", str(tiny_model_dir), "--data", str(data), "--bfcl", "simple_python",
            "--bfcl-limit", "2", "--max-tokens", "3", "--out", str(out)]
    budgets = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies", lambda model, tok, conversations, **kw:
                        budgets.append((len(conversations), kw["max_tokens"])) or real(model, tok, conversations, **kw))
    assert script.main([*args, "--bfcl-max-tokens", "7"]) == 0
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    n_test = sum(not r["dataset"].startswith("bfcl/") for r in records)
    assert n_test > 0 and sorted(budgets) == sorted([(n_test, 3), (2, 7)])
    for r in records:
        limit = 7 if r["dataset"].startswith("bfcl/") else 3
        assert r["model_id"].endswith(f"|greedy,max_tokens={limit}") and r["completion_tokens"] <= limit
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["settings"]["bfcl_max_tokens"] == 7 and metrics["models"]["base"]["cases"] == len(records)
    assert "(7 for BFCL)" in (out / "report.md").read_text()

    budgets.clear()
    assert script.main([*args, "--bfcl-max-tokens", "9"]) == 0
    assert budgets == [(2, 9)]  # the test split's replies were reused


def test_a_new_prompt_style_never_reuses_bfcl_replies(tmp_path, tiny_model_dir, monkeypatch):
    """A BFCL case's cache key holds a fingerprint of its prompt: replies written for the compact
    spec lines are not taken for the indented Glaive ones."""
    script = load_script()
    out = tmp_path / "out"
    args = ["--base-only", "--model", str(tiny_model_dir), "--no-test", "--bfcl", "simple_python",
            "--bfcl-limit", "2", "--bfcl-max-tokens", "4", "--out", str(out)]
    prompts = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies", lambda model, tok, conversations, **kw:
                        prompts.extend(conversations) or real(model, tok, conversations, **kw))
    assert script.main([*args, "--prompt-style", "compact"]) == 0
    assert script.main([*args, "--prompt-style", "compact"]) == 0
    assert len(prompts) == 2  # the second run was all cached
    assert script.main([*args, "--prompt-style", "glaive"]) == 0
    assert len(prompts) == 4 and prompts[2][0]["content"] != prompts[0][0]["content"]
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    ids = [r["case_id"] for r in records]
    assert len(set(ids)) == 4 and len({i.split(":")[0] for i in ids}) == 2
    assert all(re.fullmatch(r"simple_python_\d+:[0-9a-f]{10}", i) for i in ids)


@pytest.mark.parametrize(("recorded", "trained_on", "expected"), [
    ("compact", None, "compact"),   # training wrote the style into adapter_config.json
    (None, "compact", "compact"),   # an older adapter: its training data's report.json says it
    (None, None, "glaive"),         # neither here, --data has no report: Glaive's own format
])
def test_bfcl_prompts_follow_the_adapters_training_style(tmp_path, tiny_model_dir, monkeypatch,
                                                          recorded, trained_on, expected):
    """On a fresh clone --data's folder is absent: BFCL prompts still take the adapter's style."""
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "a")
    config = json.loads((adapter / "adapter_config.json").read_text())
    if recorded is not None:
        config["prompt_style"] = recorded
    if trained_on is not None:
        data = tmp_path / "trained-on"
        data.mkdir()
        (data / "report.json").write_text(json.dumps({"prompt_style": trained_on}))
        config["smolcall_config"] = {"data": str(data)}
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    prompts = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies", lambda model, tok, conversations, **kw:
                        prompts.extend(conversations) or real(model, tok, conversations, **kw))
    assert script.main(["--adapter", str(adapter), "--data", str(tmp_path / "absent"), "--no-test",
                        "--bfcl", "simple_python", "--bfcl-limit", "1", "--bfcl-max-tokens", "2"]) == 0
    tools = load_category("simple_python", limit=1)[0].tools
    assert prompts and all(p[0]["content"] == system_prompt(tools, expected) for p in prompts)
    assert json.loads((adapter / "eval" / "metrics.json").read_text())["settings"]["prompt_style"] == expected


def test_a_new_budget_reuses_only_replies_that_stopped_within_it(tmp_path):
    script = load_script()
    cases = [EvalCase(dataset="bfcl/simple_python", case_id=f"c{i}", messages=[]) for i in range(5)]
    store = ResultStore(tmp_path / "per_case.jsonl")
    def record(case, model_id, finish, tokens=3):
        store.append({"model_id": model_id, "dataset": case.dataset, "case_id": case.case_id, "reply": "x",
                      "finish_reason": finish, "completion_tokens": tokens})
    record(cases[0], "m|greedy,max_tokens=112", "stop")      # reused
    record(cases[1], "m|greedy,max_tokens=112", "length")    # cut off: must regenerate
    record(cases[2], "m|greedy,max_tokens=112,constrained-v4", "stop")  # another decoder
    record(cases[3], "m|greedy,max_tokens=512", "stop", tokens=400)  # would be cut at 384
    record(cases[3], "other|greedy,max_tokens=112", "stop")  # another model
    record(cases[4], "m|greedy,max_tokens=512", "stop", tokens=200)  # stopped within 384: reused
    assert script.reuse_stopped_replies(store, "m", 384, cases) == 2
    new_id = script.model_id_for("m", 384, constrained=False)
    assert [store.done(new_id, c) for c in cases] == [True, False, False, False, True]
    assert store.select(new_id, cases[:1])[0]["reused_from"] == "m|greedy,max_tokens=112"
    assert ResultStore(tmp_path / "per_case.jsonl").done(new_id, cases[0])  # written to the file
    assert script.reuse_stopped_replies(store, "m", 384, cases) == 0


def test_retrained_adapter_is_a_new_model(tmp_path, tiny_model_dir):
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "a")
    data = write_data(tmp_path / "gen", ROWS[:1])
    args = ["--adapter", str(adapter), "--data", str(data), "--max-tokens", "4"]
    assert script.main(args) == 0
    write_random_adapter(str(tiny_model_dir), adapter, seed=1)
    assert script.main(args) == 0
    records = [json.loads(x) for x in (adapter / "eval" / "per_case.jsonl").read_text().splitlines()]
    assert [r["model"] for r in records] == ["base", "tuned", "tuned"]  # base reused, tuned redone


def test_reuse_copies_replies_of_the_same_model_and_case(tmp_path, tiny_model_dir, monkeypatch):
    """--reuse takes another evaluation's replies where model id and case match: here the base
    column of another adapter's run on the same rows in another data folder. The other adapter's
    replies and the new row are generated."""
    script = load_script()
    first = write_random_adapter(str(tiny_model_dir), tmp_path / "a", seed=0)
    second = write_random_adapter(str(tiny_model_dir), tmp_path / "b", seed=1)
    old, new = write_data(tmp_path / "gen", ROWS[:2]), write_data(tmp_path / "gen-copy", ROWS[:3])
    assert script.main(["--adapter", str(first), "--data", str(old), "--max-tokens", "4"]) == 0
    generated = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies", lambda model, tok, conversations, **kw:
                        generated.append(len(conversations)) or real(model, tok, conversations, **kw))
    assert script.main(["--adapter", str(second), "--data", str(new), "--max-tokens", "4",
                        "--reuse", str(first / "eval")]) == 0
    assert generated == [1, 3]  # base: only the third row's case; tuned: all three (other weights)
    earlier = [json.loads(x) for x in (first / "eval" / "per_case.jsonl").read_text().splitlines()]
    records = [json.loads(x) for x in (second / "eval" / "per_case.jsonl").read_text().splitlines()]
    copied = [r for r in records if "reused_from" in r]
    assert [r["model"] for r in copied] == ["base", "base"]
    assert all(r["dataset"] == "gen-copy/test" and r["reused_from"] == str(first / "eval" / "per_case.jsonl")
               for r in copied)
    assert [r["reply"] for r in copied] == [r["reply"] for r in earlier if r["model"] == "base"]
    metrics = json.loads((second / "eval" / "metrics.json").read_text())
    assert metrics["models"]["base"]["test"]["overall"]["n"] == 3


def test_no_base_leaves_the_base_column_for_a_later_run(tmp_path, tiny_model_dir, monkeypatch):
    """--no-base generates no base replies; the same command without it then generates only the
    base column, the tuned replies coming from the folder's own per_case.jsonl."""
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "a")
    data = write_data(tmp_path / "gen", ROWS[:2])
    args = ["--adapter", str(adapter), "--data", str(data), "--max-tokens", "4"]
    generated = []
    real = script.generate_replies
    monkeypatch.setattr(script, "generate_replies", lambda model, tok, conversations, **kw:
                        generated.append(len(conversations)) or real(model, tok, conversations, **kw))
    assert script.main(args + ["--no-base"]) == 0
    records = [json.loads(x) for x in (adapter / "eval" / "per_case.jsonl").read_text().splitlines()]
    assert [r["model"] for r in records] == ["tuned", "tuned"] and generated == [2]
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert set(metrics["models"]) == {"tuned"} and set(metrics["throughput"]) == {"tuned"}
    assert "tuned" in (adapter / "eval" / "report.md").read_text()

    assert script.main(args) == 0
    assert generated == [2, 2]  # base only: the tuned replies are done
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert set(metrics["models"]) == {"base", "tuned"} and metrics["models"]["base"]["test"]["overall"]["n"] == 2


def test_reuse_names_a_folder_without_results(tmp_path, capsys):
    args = ["--base-only", "--out", str(tmp_path / "o"), "--data", str(tmp_path / "none"), "--reuse", str(tmp_path)]
    assert load_script().main(args) == 2
    assert f"--reuse {tmp_path}: no per_case.jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("args,match", [
    ([], "--adapter"),
    (["--base-only"], "--out"),
    (["--adapter", "nowhere"], "adapter_config.json"),
    (["--base-only", "--out", "x", "--no-test"], "nothing to evaluate"),
    (["--base-only", "--out", "x", "--no-test", "--bfcl", "simple_javascript"], "unknown BFCL category"),
    (["--base-only", "--out", "x", "--limit", "0"], "--limit"),
    (["--base-only", "--out", "x", "--bfcl-max-tokens", "0"], "--bfcl-max-tokens"),
    (["--base-only", "--out", "x", "--ground-strings"], "add --constrained"),
    (["--base-only", "--out", "x", "--distinct-calls"], "add --constrained"),
    (["--base-only", "--out", "x", "--no-base"], "drop --no-base"),
])
def test_setup_errors(args, match, capsys):
    assert load_script().main(args) == 2
    assert match in capsys.readouterr().err


def test_report_and_chart_from_records(tmp_path):
    record = {"dataset": "gen/test", "split_group": "easy", "kind": "single", "functions": ["f"], "prompt_tokens": 10,
              "completion_tokens": 5, "finish_reason": "stop", "expects_call": True, "valid_syntax": True,
              "schema_valid": True, "correct_function": True, "exact_arguments": False, "no_call_correct": None,
              "fully_correct": False}
    bfcl = {"dataset": "bfcl/simple_python", "prompt_tokens": 10, "completion_tokens": 5, "finish_reason": "length",
            "bfcl_valid": True, "valid_syntax": True, "made_call": True}
    model = summarize_model([record, bfcl])
    assert model["bfcl"]["simple_python"]["accuracy"] == 1.0 and model["finished_by_length"] == 1
    metrics = {"settings": {"base_model": "b", "adapter": "a", "max_tokens": 8, "batch_size": 2, "constrained": False,
                            "prompt_style": "compact", "data": "gen", "bfcl_limit": 1, "bfcl_seed": 0},
               "models": {"base": model, "tuned": model}, "throughput": {}}
    report = render_report(metrics)
    assert "| exact_arguments | 1 | 0.0 | 0.0 |" in report and "| simple_python | 1 | 100.0 | 100.0 |" in report
    plot_chart(metrics, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"


def test_bfcl_call_count_says_which_way_a_parallel_miss_went():
    (case,) = [c for c in bfcl_eval_cases(load_category("parallel", limit=30, seed=0))
               if len(c.bfcl.ground_truth) == 3][:1]
    calls = reference_calls(case.bfcl.ground_truth)
    replies = {"right": format_calls(calls), "few": format_calls(calls[:2]), "many": format_calls(calls + calls[:1]),
               "words": "I cannot help with that."}
    graded = {k: grade_record(case, reply) for k, reply in replies.items()}
    assert graded["right"]["bfcl_valid"] and not graded["few"]["bfcl_valid"] and not graded["many"]["bfcl_valid"]
    assert [graded[k]["calls_made"] for k in replies] == [3, 2, 4, 0]
    assert {g["calls_expected"] for g in graded.values()} == {3}
    records = [g | {"dataset": case.dataset, "prompt_tokens": 1, "completion_tokens": 1, "finish_reason": "stop"}
               for g in graded.values()]
    summary = summarize_model(records)["bfcl"]["parallel"]
    assert (summary["too_few_calls"], summary["right_call_count"], summary["too_many_calls"]) == (0.5, 0.25, 0.25)
    metrics = {"settings": {"base_model": "b", "adapter": None, "max_tokens": 8, "batch_size": 2, "constrained": False,
                            "prompt_style": "compact"},
               "models": {"base": summarize_model(records)}, "throughput": {}}
    assert "| parallel | 4 | 50.0 / 25.0 / 25.0 |" in render_report(metrics)
    # Irrelevance answers hold no call: no count there, and no count table from it alone.
    (irrelevant,) = bfcl_eval_cases(load_category("irrelevance", limit=1, seed=0))
    record = grade_record(irrelevant, "No tool fits.") | {"dataset": irrelevant.dataset, "prompt_tokens": 1,
                                                          "completion_tokens": 1, "finish_reason": "stop"}
    assert "right_call_count" not in summarize_model([record])["bfcl"]["irrelevance"]
    metrics["models"]["base"] = summarize_model([record])
    assert "Call count" not in render_report(metrics)


@pytest.mark.slow
def test_evaluate_embedded_model_end_to_end(tmp_path):
    """The real SmolLM2 (base and a random adapter) on 4 test rows and 2 BFCL cases."""
    from smolcall.models import EMBEDDED_MODEL

    adapter = write_random_adapter(EMBEDDED_MODEL, tmp_path / "adapters" / "random")
    data = write_data(tmp_path / "gen", ROWS[:3] + ROWS[4:])
    assert load_script().main(["--adapter", str(adapter), "--data", str(data), "--bfcl", "simple_python",
                               "irrelevance", "--bfcl-limit", "1", "--max-tokens", "24", "--bfcl-max-tokens", "24",
                               "--batch-size", "8"]) == 0
    out = adapter / "eval"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["settings"]["base_model"] == EMBEDDED_MODEL
    for role in ("base", "tuned"):
        assert metrics["models"][role]["test"]["overall"]["n"] == 4
        assert metrics["models"][role]["cases"] == 6
        assert metrics["throughput"][role]["all_tokens_per_second"] > 0
    report = (out / "report.md").read_text()
    assert "## BFCL v4" in report and "## Test split" in report
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert count_lines(out / "per_case.jsonl") == 12


def test_constrained_decoding_is_its_own_model(tmp_path, tiny_model_dir):
    script = load_script()
    data = write_data(tmp_path / "gen", ROWS[:1])
    out = tmp_path / "out"
    base = ["--base-only", "--model", str(tiny_model_dir), "--data", str(data), "--max-tokens", "80", "--out", str(out)]
    assert script.main(base) == 0 and script.main([*base, "--constrained"]) == 0
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    assert [",constrained" in r["model_id"] for r in records] == [False, True]
    # Under the grammar even a random model writes only text or well-formed calls to offered tools.
    constrained = records[1]
    assert constrained["finish_reason"] == "length" or constrained["valid_syntax"] or "<functioncall>" not in constrained["reply"]
    assert constrained["finish_reason"] == "length" or constrained["calls_schema_valid"] in (None, True)
    # Grounded strings are another decoder again: a third model id, its report says so.
    assert script.main([*base, "--constrained", "--ground-strings"]) == 0
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    assert [r["model_id"].endswith(",constrained-v4,tool-choice-auto,grounded-v1") for r in records] == [False, False, True]
    assert "grounded in the request" in (out / "report.md").read_text()
    # Distinct calls: a fourth column from the constrained replies, a repeat-free one copied as it is.
    assert script.main([*base, "--constrained", "--distinct-calls"]) == 0
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    distinct = [r for r in records if r["model"] == "distinct"]
    assert len(distinct) == 1 and distinct[0]["model_id"] == records[1]["model_id"] + ",distinct-v1"
    assert distinct[0]["distinct_from"] == records[1]["model_id"]
    calls = parse_reply(records[1]["reply"]).calls
    if len({json.dumps(c.to_dict(), sort_keys=True) for c in calls}) == len(calls):
        assert distinct[0]["reply"] == records[1]["reply"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["settings"]["distinct_calls"] and "distinct" in metrics["models"]
    assert "distinct calls: repeated calls replaced" in (out / "report.md").read_text()


@pytest.mark.parametrize("category, tool_choice, required", [
    ("simple_python", "category", True),   # BFCL's call categories need a call by construction ...
    ("parallel_multiple", "category", True),
    ("irrelevance", "category", False),    # ... irrelevance leaves it to the model
    ("simple_python", "auto", False),      # auto: the model is never told the category
    ("irrelevance", "auto", False),
])
def test_call_required_by_tool_choice(category, tool_choice, required):
    script = load_script()
    case = bfcl_eval_cases(load_category(category, limit=1))[0]
    assert script.call_required(case, tool_choice) is required
    with pytest.raises(script.EvalSetupError, match="tool choice 'always'; use one of category, auto"):
        script.call_required(case, "always")


def test_tool_choice_auto_is_its_own_constrained_model(tmp_path, tiny_model_dir, capsys):
    script = load_script()
    out = tmp_path / "out"
    base = ["--base-only", "--model", str(tiny_model_dir), "--no-test", "--bfcl", "simple_python", "irrelevance",
            "--bfcl-limit", "1", "--max-tokens", "48", "--out", str(out), "--constrained"]
    # "auto" is the default; "category" is what every constrained report before 2026-12-07 used.
    assert script.main([*base, "--tool-choice", "category"]) == 0 and script.main(base) == 0
    records = [json.loads(x) for x in (out / "per_case.jsonl").read_text().splitlines()]
    required = {r["kind"]: r for r in records if r["model_id"].endswith(",constrained-v4")}
    auto = {r["kind"]: r for r in records if r["model_id"].endswith(",constrained-v4,tool-choice-auto")}
    assert set(required) == set(auto) == {"simple_python", "irrelevance"}
    # Told that simple_python needs a call, even a random model writes one; irrelevance is decoded
    # under the same "auto" grammar either way, so its reply is the same.
    assert required["simple_python"]["reply"].startswith("<functioncall>")
    assert required["irrelevance"]["reply"] == auto["irrelevance"]["reply"]
    assert "tool_choice \"auto\" on every case" in (out / "report.md").read_text()
    assert json.loads((out / "metrics.json").read_text())["settings"]["tool_choice"] == "auto"
    assert script.main(["--base-only", "--model", str(tiny_model_dir), "--no-test", "--bfcl", "irrelevance",
                        "--out", str(out), "--tool-choice", "auto"]) == 2
    assert "--tool-choice sets the constrained column's grammar: add --constrained" in capsys.readouterr().err


def test_evaluate_more_and_stated_arguments_key_and_report_the_decoding(tmp_path, tiny_model_dir, capsys):
    """--more-arguments: refused without --constrained and below 0 (one line naming the fix); with
    it, the constrained column's replies are keyed by the lean (a cache decoded without it is never
    taken for them), the settings and the report say what was done, and the tuned column is not
    touched."""
    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "adapters" / "tiny")
    data = write_data(tmp_path / "gen")
    args = ["--adapter", str(adapter), "--data", str(data), "--no-base", "--no-test", "--bfcl", "simple_python",
            "--bfcl-limit", "2", "--bfcl-max-tokens", "8", "--more-arguments", "2.5"]
    assert script.main(args) == 2
    assert "add --constrained" in capsys.readouterr().err
    assert script.main(args[:-1] + ["-1", "--constrained"]) == 2
    assert "give 0 or more" in capsys.readouterr().err
    assert script.main(args + ["--constrained"]) == 0
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert metrics["settings"]["more_arguments"] == 2.5
    assert metrics["models"]["constrained"]["model_id"].endswith(",more-args(b=2.5)")
    assert "more-args" not in metrics["models"]["tuned"]["model_id"]
    assert "`--more-arguments`" in (adapter / "eval" / "report.md").read_text()
    # --stated-arguments: the same rules, its own key.
    stated = args[:-2] + ["--stated-arguments"]
    assert script.main(stated) == 2
    assert "add --constrained" in capsys.readouterr().err
    assert script.main(stated + ["--constrained"]) == 0
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert metrics["settings"]["stated_arguments"] is True
    assert metrics["models"]["constrained"]["model_id"].endswith(",stated-args-v1")
    assert "`--stated-arguments`" in (adapter / "eval" / "report.md").read_text()


def test_evaluate_contrast_decodes_the_constrained_column_as_guided_decoding_does(tmp_path, tiny_model_dir, capsys):
    """--contrast: refused without --constrained, below 0, and beside the options only mlx-lm's
    batched decoding applies; with it, the constrained column is keyed by alpha, its replies are
    the guided decoder's with the same contrast, and the report says what was done."""
    from smolcall.chat_model import load_chat_model
    from smolcall.constrain import constraint_factory
    from smolcall.guided import GuidedDecoder

    script = load_script()
    adapter = write_random_adapter(str(tiny_model_dir), tmp_path / "adapters" / "tiny")
    data = write_data(tmp_path / "gen")
    args = ["--adapter", str(adapter), "--data", str(data), "--no-base", "--no-test", "--bfcl", "simple_python",
            "--bfcl-limit", "2", "--bfcl-max-tokens", "24", "--tool-choice", "category", "--contrast", "0.5"]
    assert script.main(args) == 2
    assert "add --constrained" in capsys.readouterr().err
    assert script.main(args[:-1] + ["-1", "--constrained"]) == 2
    assert "--contrast is -1; give 0 or more" in capsys.readouterr().err
    for other in (["--distinct-calls"], ["--more-arguments", "1"]):
        assert script.main(args + ["--constrained"] + other) == 2
        assert "leave out --distinct-calls, --more-arguments and --call-calibration" in capsys.readouterr().err
    assert script.main(args + ["--constrained"]) == 0
    metrics = json.loads((adapter / "eval" / "metrics.json").read_text())
    assert metrics["settings"]["contrast"] == 0.5
    model_id = metrics["models"]["constrained"]["model_id"]
    assert model_id.endswith(",contrast(a=0.5)-v1") and "contrast(" not in metrics["models"]["tuned"]["model_id"]
    assert metrics["throughput"]["constrained"]["batch_size"] == 1
    assert "`--contrast`" in (adapter / "eval" / "report.md").read_text()
    records = [json.loads(line) for line in (adapter / "eval" / "per_case.jsonl").read_text().splitlines()]
    replies = {r["case_id"].split(":")[0]: r["reply"] for r in records if r["model_id"] == model_id}
    assert len(replies) == 2
    chat = load_chat_model(adapter)
    decoder = GuidedDecoder(chat, contrast=0.5)
    make = constraint_factory(chat.tokenizer, allow_text=False, max_tokens=24)
    for case in load_category("simple_python", limit=2, style=metrics["settings"]["prompt_style"]):
        assert decoder.generate(case.messages, make(case.messages, [])[0], 24).text == replies[case.id]
