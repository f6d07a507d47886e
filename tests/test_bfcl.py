"""BFCL loading and conversion on real package cases, and agreement of our grading pipeline
(`<functioncall>` text -> parse -> decode -> checker) with the official checker called directly."""

import copy
import doctest
import json

import jsonschema
import pytest

import smolcall.bfcl
from smolcall.bfcl import (ALL_CATEGORIES, CATEGORIES, CHECKER_MODEL_NAME, check_reply, decode_reply, load_category,
                           official_ast_checker, to_json_schema)
from smolcall.calls import FunctionCall, format_calls
from smolcall.evaluation import ResultStore
from smolcall.prompt import parse_tools


def pick(options: list):
    """The first allowed value in a possible-answer option list ("" marks "may be omitted")."""
    for option in options:
        if option != "":
            return unwrap(option)
    return ""


def unwrap(value):
    # A dict-typed parameter's possible answer nests option lists per key, as does a list of dicts.
    if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
        return {k: pick(v) for k, v in value.items() if pick(v) != ""}
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [unwrap(v) for v in value]
    return value


def reference_calls(ground_truth: list[dict]) -> list[FunctionCall]:
    """A correct answer built from BFCL's possible answers (for checker agreement only)."""
    calls = []
    for item in ground_truth:
        ((name, params),) = item.items()
        calls.append(FunctionCall(name, {k: pick(v) for k, v in params.items() if pick(v) != ""}))
    return calls


def direct_verdict(case, calls: list[FunctionCall]) -> bool:
    """The official checker on the decoded form built straight from the calls: no text, no parser."""
    from bfcl_eval.constants.enums import Language

    decoded = [{c.name: c.arguments} for c in calls]
    return official_ast_checker()(case.functions, decoded, case.ground_truth, Language.PYTHON, case.category,
                                  CHECKER_MODEL_NAME)["valid"]


def wrong_value(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1234
    if isinstance(value, str):
        return value + " zzz"
    if isinstance(value, list):
        return [*value, value[0] if value else 1]
    return None


def perturb(case, calls: list[FunctionCall], how: str) -> list[FunctionCall] | None:
    """A wrong variant of a correct answer, or None when this case offers no such change."""
    calls = copy.deepcopy(calls)
    first = calls[0]
    if how == "wrong_function":
        return [FunctionCall(first.name + "_v2", first.arguments), *calls[1:]]
    if how == "extra_call":
        return [*calls, first]
    if how == "wrong_value":
        ((_, params),) = case.ground_truth[0].items()
        for key, value in first.arguments.items():
            new = wrong_value(value)
            if new is not None and new not in params[key]:
                return [FunctionCall(first.name, first.arguments | {key: new}), *calls[1:]]
        return None
    if how == "missing_required":
        spec = next(f for f in case.functions if f["name"] == first.name)
        required = [k for k in spec["parameters"].get("required", []) if k in first.arguments]
        if not required:
            return None
        return [FunctionCall(first.name, {k: v for k, v in first.arguments.items() if k != required[0]}), *calls[1:]]
    raise ValueError(how)


# 7 + 7 + 6 = 20 cases, the same sample every run.
AGREEMENT_CASES = [
    case for category, n in (("simple_python", 7), ("multiple", 7), ("parallel", 6))
    for case in load_category(category, limit=n, seed=0)
]
PERTURBATIONS = ("wrong_function", "wrong_value", "missing_required", "extra_call")


@pytest.mark.parametrize("case", AGREEMENT_CASES, ids=[c.id for c in AGREEMENT_CASES])
def test_pipeline_agrees_with_official_checker(case):
    correct = reference_calls(case.ground_truth)
    variants = [("correct", correct, True)]
    variants += [(how, wrong, False) for how in PERTURBATIONS if (wrong := perturb(case, correct, how)) is not None]
    assert len(variants) >= 4, f"{case.id}: too few perturbations apply"
    for how, calls, truth in variants:
        ours = check_reply(case, format_calls(calls))
        assert ours.valid == direct_verdict(case, calls) == truth, (case.id, how, ours.errors)


@pytest.mark.parametrize("reply,valid", [
    ('<functioncall> {"name": "determine_body_mass_index", "arguments": {"weight": 70, "height": 1.8}}', False),
    ("I can only compute body mass index, not triangle areas.", True),
    ("", True),
    # BFCL's runner counts output it cannot decode as "no call" in irrelevance categories.
    ('<functioncall> {"name": "determine_body_mass_index", "arguments": {"weight": 70', True),
])
def test_irrelevance(reply, valid):
    (case,) = [c for c in load_category("irrelevance") if c.id == "irrelevance_0"]
    assert case.ground_truth is None
    assert check_reply(case, reply).valid == valid


@pytest.mark.parametrize("reply,error_type", [
    ("The factorial of 5 is 120.", "simple_function_checker:wrong_count"),
    ("<functioncall> {nope", "ast_decoder:decoder_failed"),
    ('<functioncall> {"name": "math.factorial", "arguments": {"number": "5"}}', "type_error:simple"),
    ('<functioncall> {"name": "math.factorial", "arguments": {"number": {"a": 1}}}', "type_error:simple"),
])
def test_malformed_replies_are_wrong_not_crashes(reply, error_type):
    (case,) = [c for c in load_category("simple_python") if c.id == "simple_python_1"]
    verdict = check_reply(case, reply)
    assert not verdict.valid and verdict.error_type == error_type


def test_case_conversion():
    (case,) = [c for c in load_category("simple_python") if c.id == "simple_python_1"]
    assert case.messages[0]["role"] == "system" and case.messages[1:] == [
        {"role": "user", "content": "Calculate the factorial of 5 using math functions."}]
    assert parse_tools(case.messages[0]["content"]) == case.tools
    assert case.tools[0]["parameters"]["type"] == "object"
    assert case.functions[0]["parameters"]["type"] == "dict"  # the checker keeps the original
    assert case.ground_truth == [{"math.factorial": {"number": [5]}}]


def test_live_system_message_follows_ours():
    (case,) = [c for c in load_category("live_simple") if c.id == "live_simple_58-27-0"]
    assert [m["role"] for m in case.messages] == ["system", "system", "user"]
    assert parse_tools(case.messages[0]["content"]) == case.tools


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_every_converted_tool_is_valid_json_schema(category):
    meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    # Live categories repeat the same functions across many cases: check each distinct one once.
    unique = {json.dumps(t["parameters"], sort_keys=True) for case in load_category(category) for t in case.tools}
    for parameters in unique:
        meta.validate(json.loads(parameters))
        assert '"type": "dict"' not in parameters and '"type": "float"' not in parameters


def test_sample_is_deterministic_and_seeded():
    ids = [c.id for c in load_category("multiple", limit=5)]
    assert ids == [c.id for c in load_category("multiple", limit=5)]
    assert len(ids) == 5 and ids != [c.id for c in load_category("multiple", limit=5, seed=1)]
    assert len(load_category("multiple")) == 200
    assert [c.id for c in load_category("multiple", limit=10)][:5] == ids  # a bigger sample extends a smaller one


def test_bfcl_dir_layout(tmp_path):
    (tmp_path / "possible_answer").mkdir()
    case = {"id": "simple_python_0", "question": [[{"role": "user", "content": "hi"}]],
            "function": [{"name": "f", "parameters": {"type": "dict", "properties": {"x": {"type": "any"}}, "required": []}}]}
    (tmp_path / "BFCL_v4_simple_python.json").write_text(json.dumps(case) + "\n")
    (tmp_path / "possible_answer" / "BFCL_v4_simple_python.json").write_text(
        json.dumps({"id": "simple_python_0", "ground_truth": [{"f": {"x": ["a"]}}]}) + "\n")
    (loaded,) = load_category("simple_python", data_dir=tmp_path)
    assert loaded.tools[0]["parameters"]["properties"]["x"]["type"] == "string"
    assert check_reply(loaded, '<functioncall> {"name": "f", "arguments": {"x": "a"}}').valid
    with pytest.raises(FileNotFoundError, match="--bfcl-dir"):
        load_category("multiple", data_dir=tmp_path)


def test_default_categories_are_shipped():
    for category in CATEGORIES:
        assert load_category(category, limit=1)


def test_decode_and_doctests():
    assert decode_reply('<functioncall> {"name": "a", "arguments": {}}\n<functioncall> {"name": "b", "arguments": {"x": 1}}') == [
        {"a": {}}, {"b": {"x": 1}}]
    assert doctest.testmod(smolcall.bfcl).failed == 0
    assert to_json_schema([{"name": "g"}]) == [{"name": "g", "parameters": {"type": "object", "properties": {}}}]


def _bench_module(name: str):
    """A script of bench/ (not a package) loaded as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_value_errors_grades_each_call_of_a_right_count_reply(tmp_path):
    """bench/value_errors.py: a failing parallel reply with the right call count is split into
    its calls; the right one is ok, the wrong one gets the checker's error and its wrong number
    is found in the request (a reading error, not an invention)."""
    ve = _bench_module("value_errors")
    assert ve.request_numbers("a rate of 4% on $1,200.50 for 3 years") == {4.0, 0.04, 1200.5, 3.0}

    def differing(c):  # the numeric arguments in which a two-call answer's calls differ
        (one,), (two,) = (g.values() for g in c.ground_truth)
        return [k for k in one if k in two and one[k] != two[k] and isinstance(one[k][0], int)
                and not isinstance(one[k][0], bool)]

    # Two calls that differ in two numbers: the first call with one of the second's numbers
    # matches neither answer call.
    case = next(c for c in load_category("parallel") if len(c.ground_truth) == 2 and len(differing(c)) >= 2)
    right = [{c.name: c.arguments} for c in reference_calls(case.ground_truth)]
    (name, first), = right[0].items()
    (_, second), = right[1].items()
    key = differing(case)[0]
    swapped = {name: {**first, key: second[key]}}
    assert ve.grade_call(case, right[0]) == ("ok", [])
    error, wrong = ve.grade_call(case, swapped)
    assert error.startswith("value_error") and [w[0] for w in wrong] == [key]

    # Three replies to the case (under three prompt fingerprints) and no stored verdict: the script grades them.
    records = [{"model_id": "m|constrained", "dataset": "bfcl/parallel", "case_id": f"{case.id}:{i}",
                "reply": format_calls([FunctionCall(n, a) for c in calls for n, a in c.items()])}
               for i, calls in enumerate(([swapped, right[1]], right, [right[0]]))]
    (tmp_path / "per_case.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "metrics.json").write_text(json.dumps({"models": {"constrained": {"model_id": "m|constrained"}}}))
    stats = ve.analyse(tmp_path)["constrained"]["parallel"]
    assert (stats["replies"], stats["right"], stats["wrong_count"], stats["right_count_wrong"]) == (3, 1, 1, 1)
    assert stats["call_errors"]["ok"] == 1 and sum(stats["call_errors"].values()) == 2
    assert stats["wrong_numbers"] == {"in request": 1}
    assert "| parallel | 3 | 1 | 1 | 1 |" in ve.to_markdown({str(tmp_path): ve.analyse(tmp_path)})


@pytest.mark.parametrize("kind, tuned_reply, told_valid, not_told", [
    ("simple_python", '<functioncall> {"name": "f", "arguments": {}}', True, True),   # it calls either way
    ("simple_python", "I'm sorry, none of my functions can do that.", True, False),    # not told, it declines
    ("parallel", '<functioncall> {"name": "f", "arguments": {', True, True),          # a broken tuned call still
    ("parallel", '<functioncall> {"name": "f", "arguments": {}}', False, False),     # opens one; told was wrong
    ("irrelevance", "I can't help with that.", True, True),                            # decoded under "auto" anyway
    ("irrelevance", '<functioncall> {"name": "f", "arguments": {}}', False, False),
])
def test_not_told_verdict_rules(kind, tuned_reply, told_valid, not_told):
    nt = _bench_module("not_told")
    tuned = {"c": {"kind": kind, "reply": tuned_reply}}
    told = {"c": {"kind": kind, "bfcl_valid": told_valid}}
    assert nt.not_told_verdicts(tuned, told) == {"c": not_told}


def test_not_told_derivation_matches_the_decoded_column(tmp_path):
    """bench/not_told.py on the committed default: the not-told verdicts derived from the told
    evaluation (adapters/default/eval-bfcl100) equal, case by case, those of the column decoded
    with --tool-choice auto (adapters/default/eval-bfcl100-auto)."""
    from pathlib import Path

    nt = _bench_module("not_told")
    folder = Path(__file__).resolve().parents[1] / "adapters" / "default" / "eval-bfcl100"
    result = nt.analyse(folder)
    assert result["checked"] == {"cases": 500, "agree": 500}
    assert {k: v["accuracy"] for k, v in result["not_told"].items()} == {
        "simple_python": 49.0, "multiple": 55.0, "parallel": 26.0, "parallel_multiple": 12.0, "irrelevance": 79.0}
    assert result["told"]["simple_python"]["accuracy"] == 60.0
    # The auto column itself has nothing to derive; a folder without replies names the fix.
    assert nt.main([str(folder.with_name("eval-bfcl100-auto")), "--out", str(tmp_path / "r.json")]) == 2
    assert nt.main([str(tmp_path), "--out", str(tmp_path / "r.json")]) == 2
    assert nt.main([str(folder), "--out", str(tmp_path / "r.json")]) == 0
    assert "500 of 500 verdicts agree" in (tmp_path / "r.md").read_text()


@pytest.mark.parametrize("answer, shape", [
    # one argument varies
    ([{"f": {"city": ["Paris"], "unit": ["C"]}}, {"f": {"city": ["Rome"], "unit": ["C"]}}], "list"),
    # two vary together, in pairs
    ([{"f": {"artist": ["A"], "minutes": [20]}}, {"f": {"artist": ["B"], "minutes": [15]}}], "paired"),
    # two lists, every combination
    ([{"f": {"team": [t], "year": [y]}} for t in ("L", "B") for y in (2018, 2020)], "cross"),
    ([{"f": {"team": [t], "year": [y], "x": [1]}} for y in (1, 2, 3) for t in ("L", "B")], "cross"),
    # four calls over two lists but not every combination: paired
    ([{"f": {"team": [t], "year": [y]}} for t, y in (("L", 1), ("B", 2), ("L", 2), ("C", 1))], "paired"),
    # two functions
    ([{"f": {"a": [1]}}, {"g": {"a": [1]}}], "functions"),
])
def test_call_shape_of_an_answer(answer, shape):
    assert _bench_module("call_shapes").answer_shape(answer) == shape


def test_call_shapes_count_the_committed_default(tmp_path):
    """bench/call_shapes.py on the committed default: every parallel case has one shape, the
    right ones add up to the column's BFCL score, and the cross-product cases (8 of the 100
    sampled parallel cases) are all missed with too few calls."""
    import json
    from pathlib import Path

    cs = _bench_module("call_shapes")
    folder = Path(__file__).resolve().parents[1] / "adapters" / "default" / "eval-bfcl100"
    result = cs.analyse(folder)
    metrics = json.loads((folder / "metrics.json").read_text())["models"]
    for column in ("tuned", "constrained"):
        for category in cs.CATEGORIES:
            shapes = result[column][category].values()
            assert sum(s["cases"] for s in shapes) == 100
            assert sum(s.get("right", 0) for s in shapes) == round(100 * metrics[column]["bfcl"][category]["accuracy"])
            assert all(s["cases"] == sum(s.get(k, 0) for k in ("right", "too_few", "too_many", "right_count_wrong"))
                       for s in shapes)
        assert result[column]["parallel"]["cross"] == {"cases": 8, "too_few": 8}
    assert cs.main([str(tmp_path), "--out", str(tmp_path / "r.json")]) == 2
    assert cs.main([str(folder), "--out", str(tmp_path / "r.json")]) == 0
    assert "| 0 / 8 (8, 0) |" in (tmp_path / "r.md").read_text()


@pytest.mark.parametrize("only_ref, only_other, p", [
    (0, 0, 1.0),                         # no discordant case: nothing to tell apart
    (5, 0, 2 / 2 ** 5),                  # five of five one way: the two tails of a fair coin
    (3, 5, 2 * (1 + 8 + 28 + 56) / 2 ** 8),
    (40, 40, 1.0),                       # doubled tail above 1 is cut to 1
])
def test_mcnemar_exact_p(only_ref, only_other, p):
    pr = _bench_module("paired")
    assert pr.mcnemar_p(only_ref, only_other) == pytest.approx(p)
    assert pr.mcnemar_p(only_other, only_ref) == pytest.approx(p)


def test_wilson_interval():
    pr = _bench_module("paired")
    assert pr.wilson(50, 100) == (40.4, 59.6)
    low, high = pr.wilson(0, 20)
    assert low == 0.0 and 10 < high < 20      # never below 0, unlike the normal interval
    assert pr.wilson(20, 20)[1] == 100.0


def test_stated_slots_count_what_the_rule_names():
    """bench/stated_slots.py: the answer's class of an optional argument, and the committed rule's
    counts on simple_python (README, "Optional arguments the request names")."""
    ss = _bench_module("stated_slots")
    answer = {"unit": ["", "celsius"], "days": [3], "detail": [""]}
    assert [ss.slot_class(answer, k) for k in ("unit", "days", "detail", "absent")] == ["either", "needed", "out", "out"]
    simple = ss.count("simple_python")
    assert simple["cases"] == 400
    assert [(simple[c]["named"], simple[c]["slots"]) for c in ss.CLASSES] == [(60, 106), (49, 171), (3, 16)]
    with pytest.raises(SystemExit):
        ss.main(["simple"])  # not a category: argparse's one-line error, status 2


def test_paired_compares_live_categories_outside_the_mean():
    """Live categories are compared one by one; the mean is only ever of the five non-live ones."""
    pr = _bench_module("paired")
    ref = {f"live_simple_{i}": ("live_simple", i < 5) for i in range(10)}
    other = {f"live_simple_{i}": ("live_simple", i < 8) for i in range(10)}
    result = pr.compare(ref, other)
    live = result["categories"]["live_simple"]
    assert (live["reference"], live["other"], live["only_other_right"]) == (50.0, 80.0, 3) and "mean" not in result
    five = {f"{k}_0": (k, True) for k in ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")}
    result = pr.compare(ref | five, other | five | {"simple_python_0": ("simple_python", False)})
    assert result["mean"]["difference"] == -20.0  # simple_python's -100 over five; live_simple's +30 not in it
    table = pr.to_markdown({"evaluations": [{"column": "a", "categories": pr.accuracy(ref)}],
                            "reference": "a", "comparisons": [{"column": "b"} | pr.compare(ref, other)]})
    assert "| column | live_simple |" in table and "+30 (0 / 3; p 0.25)" in table


def test_paired_comparison_of_the_committed_default(tmp_path):
    """bench/paired.py on the committed default's 100-case evaluations: told vs not told differ
    only where the model declined (simple_python 11 cases, parallel 2, none the other way), a
    column against itself differs by nothing, and bad arguments name the fix."""
    import json
    from pathlib import Path

    pr = _bench_module("paired")
    root = Path(__file__).resolve().parents[1] / "adapters" / "default"
    told, auto = f"{root}/eval-bfcl100:constrained", f"{root}/eval-bfcl100-auto"
    result = pr.collect([told, auto, f"{root}/eval-bfcl100:tuned", told])
    not_told, tuned, itself = result["comparisons"]
    assert not_told["cases"] == 500
    simple, parallel = not_told["categories"]["simple_python"], not_told["categories"]["parallel"]
    assert (simple["only_reference_right"], simple["only_other_right"], simple["difference"]) == (11, 0, -11.0)
    assert (parallel["only_reference_right"], parallel["only_other_right"]) == (2, 0)
    assert not_told["mean"]["reference"] == 46.8 and not_told["mean"]["other"] == 44.2
    low, high = not_told["mean"]["ci95"]
    assert low <= not_told["mean"]["difference"] <= high < 0
    assert tuned["mean"]["other"] == 37.6 and tuned["mean"]["ci95"][1] < 0
    assert itself["mean"]["difference"] == 0 and itself["mean"]["ci95"] == (0.0, 0.0)
    assert all(c["mcnemar_p"] == 1.0 for c in itself["categories"].values())
    assert result["evaluations"][0]["categories"]["simple_python"]["ci95"] == pr.wilson(60, 100)
    out = tmp_path / "r.json"
    assert pr.main([told, auto, "--out", str(out)]) == 0
    assert "46.8 -> 44.2: -2.6" in out.with_suffix(".md").read_text()
    # one column only, an unknown column, a folder without an evaluation, no shared case
    assert pr.main([told, "--out", str(out)]) == 2
    assert pr.main([told, f"{root}/eval-bfcl100:tunde", "--out", str(out)]) == 2
    assert pr.main([told, str(tmp_path), "--out", str(out)]) == 2
    other = tmp_path / "other"
    other.mkdir()
    (other / "metrics.json").write_text((root / "eval-bfcl100" / "metrics.json").read_text())
    record = next(r for r in ResultStore(root / "eval-bfcl100" / "per_case.jsonl").records.values()
                  if r["split_group"] == "bfcl" and r["model_id"].endswith("constrained-v4"))
    (other / "per_case.jsonl").write_text(json.dumps(record | {"case_id": "simple_python_9999:0"}) + "\n")
    assert pr.main([told, f"{other}:constrained", "--out", str(out)]) == 2


def test_paired_grades_as_the_report_does():
    """bench/paired.py grades each stored reply again, as the evaluation's report does: the
    long-440-v3 full-category folder holds a reply copied from an older evaluation whose stored
    verdict predates the parser's "key written twice" error (irrelevance_70), and every column's
    accuracy must still equal its metrics.json."""
    import json
    from pathlib import Path

    pr, rio = _bench_module("paired"), _bench_module("results_io")
    folder = Path(__file__).resolve().parents[1] / "adapters" / "long-440-v3" / "eval-bfcl-full"
    metrics = json.loads((folder / "metrics.json").read_text())["models"]
    cases = pr.bfcl_cases_by_id()
    for column in ("tuned", "constrained"):
        accuracy = pr.accuracy(pr.column_verdicts(folder, column, cases))
        assert {k: v["accuracy"] for k, v in accuracy.items()} == {
            k: round(100 * v["accuracy"], 1) for k, v in metrics[column]["bfcl"].items()}
    stale = [r for r in ResultStore(folder / "per_case.jsonl").records.values()
             if r["case_id"].startswith("irrelevance_70:") and r["model_id"] == metrics["tuned"]["model_id"]]
    assert [(r["bfcl_valid"], r["bfcl_error_type"]) for r in stale] == [(False, "irrelevance_error:decoder_success")]
    assert pr.column_verdicts(folder, "tuned", cases)[stale[0]["case_id"]] == ("irrelevance", True)
    # The shared helper every bench script reads verdicts through: the whole verdict is today's.
    (graded,) = [r for r in rio.graded_bfcl_records(folder, {metrics["tuned"]["model_id"]}, cases)
                 if r["case_id"] == stale[0]["case_id"]]
    assert (graded["bfcl_valid"], graded["bfcl_error_type"], graded["made_call"]) == (True, "", False)


def test_bench_scripts_never_read_stored_verdicts(tmp_path):
    """Every bench script that reads BFCL verdicts grades the stored replies again: on a copy of
    the committed default's 40-case evaluation whose every stored verdict is turned around, each
    reads what it reads on the original (a script trusting the stored field would read the
    opposite). stop_margin.py needs the model to run, so it is left out."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    folder = root / "adapters" / "default" / "eval-bfcl40"
    stale = tmp_path / "eval-bfcl40"
    stale.mkdir()
    (stale / "metrics.json").write_text((folder / "metrics.json").read_text())
    records = [json.loads(line) for line in (folder / "per_case.jsonl").read_text().splitlines()]
    (stale / "per_case.jsonl").write_text("".join(
        json.dumps(r | {"bfcl_valid": not r["bfcl_valid"], "bfcl_error_type": "stale", "bfcl_errors": ["stale"],
                        "made_call": not r["made_call"]}) + "\n" for r in records))

    pr = _bench_module("paired")
    cases = pr.bfcl_cases_by_id()
    for column in ("tuned", "constrained"):
        assert pr.column_verdicts(stale, column, cases) == pr.column_verdicts(folder, column, cases)
    nt = _bench_module("not_told")
    original = nt.analyse(folder)
    assert nt.analyse(stale) == original | {"folder": str(stale)}
    for name in ("call_shapes", "value_errors"):
        module = _bench_module(name)
        assert module.analyse(stale) == module.analyse(folder), name
    cm = _bench_module("call_margin")  # on the committed default's margins
    assert cm.report([f"default={stale}"]) == cm.report([f"default={folder}"])


def test_call_calibration_chooses_on_valid_and_flips_decisions():
    """bench/call_calibration.py: a request that sounds call-like scores high with any tools; the
    foil margin takes that out. On hand-made margins a plain threshold cannot separate the valid
    prompts and the calibrated score can; the chosen alpha and b then flip BFCL decisions, scored
    as the docstring says (an irrelevance case that stops calling is right, a call case that
    starts calling takes the told reply, a missing told reply counts as wrong)."""
    cc = _bench_module("call_calibration")
    # valid: the margin alone overlaps (2.0 decline vs 1.5 call); minus the foils' it separates.
    valid = [{"group": "valid", "expects_call": e, "margin": m, "foils": [f, f]}
             for e, m, f in ((True, 1.5, -2.0), (True, 3.0, -1.0), (False, 2.0, 1.5), (False, -1.0, -1.5))]
    assert cc.auc([r["margin"] for r in valid if r["expects_call"]], [r["margin"] for r in valid if not r["expects_call"]]) == 0.75
    alpha, bias, acc = cc.choose(valid)
    assert acc == 1.0 and alpha > 0
    assert cc.choose(valid, alphas=(0.0,))[2] == 0.75  # no threshold alone gets all four
    assert cc.score(valid[0], 1.0, 0.5) == 1.5 + 2.0 + 0.5

    tests = [{"group": "bfcl", "case_id": f"{k}_{i}:ab", "kind": k, "expects_call": k != "irrelevance",
              "margin": m, "foils": [f, f]}
             for k, i, m, f in (("simple_python", 0, -0.5, -3.0),   # declined; calibrated: calls
                                ("simple_python", 1, -0.5, -3.0),   # the same, no told reply
                                ("simple_python", 2, 2.0, -1.0),    # called and stays
                                ("irrelevance", 0, 0.5, 1.0),       # called; calibrated: declines
                                ("irrelevance", 1, -2.0, -2.0))]    # declined and stays
    auto = {"simple_python_0": {"made_call": False, "bfcl_valid": False},
            "simple_python_1": {"made_call": False, "bfcl_valid": False},
            "simple_python_2": {"made_call": True, "bfcl_valid": True},
            "irrelevance_0": {"made_call": True, "bfcl_valid": False},
            "irrelevance_1": {"made_call": False, "bfcl_valid": True}}
    told = {"simple_python_0": {"made_call": True, "bfcl_valid": True}}
    greedy = cc.simulate(tests, auto, told, 0.0, 0.0)
    assert {k: v["accuracy"] for k, v in greedy.items()} == {"simple_python": 100 / 3, "irrelevance": 50.0}
    assert sum(v["to_call"] + v["to_decline"] for v in greedy.values()) == 0
    moved = cc.simulate(tests, auto, told, 1.0, 0.0)
    assert moved["simple_python"] | {"accuracy": 0} == {"cases": 3, "accuracy": 0, "greedy": 100 / 3,
                                                        "to_call": 2, "to_decline": 0, "missing": 1}
    assert moved["simple_python"]["accuracy"] == 200 / 3
    assert (moved["irrelevance"]["accuracy"], moved["irrelevance"]["to_decline"]) == (100.0, 1)


def test_call_calibration_report_on_the_committed_default():
    """The committed margins of the default (bench/results/call_calibration/default.jsonl) against
    its committed evaluations: the greedy decision reproduces the not-told column's scores but for
    the cases whose margin sign and reply disagree (batched against single-prompt numerics), alpha
    and b come from the valid split alone, and a told folder that is really the not-told one is refused."""
    import json
    from pathlib import Path

    cc = _bench_module("call_calibration")
    root = Path(__file__).resolve().parents[1]
    full, told = root / "adapters" / "default" / "eval-bfcl-full", root / "adapters" / "default" / "eval-simple-told"
    results = cc.report("default", full, told)
    metrics = json.loads((full / "metrics.json").read_text())["models"]["constrained"]["bfcl"]
    greedy = results["choices"]["greedy"]["bfcl"]
    disagree = results["bfcl_prompts"] - results["decisions_agreeing_with_replies"]
    assert disagree == sum(p["to_call"] + p["to_decline"] for p in greedy.values()) <= 4
    for kind, per in greedy.items():
        assert per["greedy"] == pytest.approx(100 * metrics[kind]["accuracy"], abs=0.05)
        assert abs(per["accuracy"] - per["greedy"]) <= 100 * disagree / per["cases"]
    valid = [r for r in cc.load_margins("default") if r["group"] == "valid"]
    chosen = results["choices"]["calibrated"]
    assert cc.choose(valid)[:2] == (chosen["alpha"], chosen["bias"])
    assert results["auc"]["0.0"]["bfcl"] == pytest.approx(cc.auc(
        [r["margin"] for r in cc.load_margins("default") if r["group"] == "bfcl" and r["expects_call"]],
        [r["margin"] for r in cc.load_margins("default") if r["group"] == "bfcl" and not r["expects_call"]]))
    with pytest.raises(SystemExit, match="--tool-choice category"):
        cc.report("default", full, full)


def test_a_calibrated_decode_matches_the_simulation():
    """adapters/default/eval-calibrated-verify was decoded by train/evaluate.py --call-calibration
    (alpha 0.5, b -0.5, on 100 simple_python and 100 irrelevance cases): every decision is the one
    the committed margins predict, and each category scores what the simulation says."""
    from pathlib import Path

    cc = _bench_module("call_calibration")
    folder = Path(__file__).resolve().parents[1] / "adapters" / "default"
    result = cc.verify("default", folder / "eval-bfcl-full", folder / "eval-simple-told", folder / "eval-calibrated-verify")
    assert (result["alpha"], result["bias"]) == (0.5, -0.5)
    for kind, per in result["categories"].items():
        assert per["cases"] == per["decisions_agreeing"] == 100, kind
        assert per["decoded"] == per["simulated"], kind
    with pytest.raises(SystemExit, match="not decoded with --call-calibration"):
        cc.verify("default", folder / "eval-bfcl-full", folder / "eval-simple-told", folder / "eval-simple-told")
