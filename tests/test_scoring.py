"""Table-driven tests of the reply grader: every metric, malformed output, aggregation."""

import doctest
import json

import pytest
from hypothesis import given, strategies as st

import smolcall.scoring
from smolcall.calls import FunctionCall as Call
from smolcall.scoring import breakdown, grade, normalize_value, summarize

WEATHER = {"name": "get_weather", "parameters": {
    "type": "object",
    "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "metric": {"type": "boolean"}},
    "required": ["city"]}}
ADD = {"name": "add", "parameters": {
    "type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}}
TOOLS = [WEATHER, ADD]


def fc(name, args):
    return f'<functioncall> {json.dumps({"name": name, "arguments": args})}'


PARIS = [Call("get_weather", {"city": "Paris"})]
FIELDS = ("valid_syntax", "schema_valid", "correct_function", "exact_arguments", "no_call_correct", "fully_correct")
T, F, N = True, False, None

CASES = [
    # (name, expected, reply, valid_syntax, schema_valid, correct_function, exact_arguments, no_call_correct, fully)
    ("exact", PARIS, fc("get_weather", {"city": "Paris"}), T, T, T, T, N, T),
    ("glaive single-quoted", PARIS, """<functioncall> {"name": "get_weather", "arguments": '{"city": "Paris"}'} <|endoftext|>""",
     T, T, T, T, N, T),
    ("whitespace trimmed", PARIS, fc("get_weather", {"city": "  Paris "}), T, T, T, T, N, T),
    ("case matters", PARIS, fc("get_weather", {"city": "paris"}), T, T, T, F, N, F),
    ("int equals float", [Call("add", {"a": 1, "b": 2})], fc("add", {"a": 1.0, "b": 2}), T, T, T, T, N, T),
    ("bool is not a number", [Call("add", {"a": 1, "b": 2})], fc("add", {"a": True, "b": 2}), T, F, T, F, N, F),
    ("string is not a number", [Call("add", {"a": 1, "b": 2})], fc("add", {"a": "1", "b": 2}), T, F, T, F, N, F),
    ("wrong function", PARIS, fc("add", {"a": 1, "b": 2}), T, T, F, F, N, F),
    ("unknown function", PARIS, fc("get_wether", {"city": "Paris"}), T, F, F, F, N, F),
    ("missing required", PARIS, fc("get_weather", {}), T, F, T, F, N, F),
    ("extra optional arg", PARIS, fc("get_weather", {"city": "Paris", "days": 1}), T, T, T, F, N, F),
    ("schema type error", PARIS, fc("get_weather", {"city": "Paris", "days": "two"}), T, F, T, F, N, F),
    ("plain text when a call is expected", PARIS, "It is sunny in Paris.", F, F, F, F, N, F),
    ("truncated call", PARIS, '<functioncall> {"name": "get_weather", "arguments": {"city": "Par', F, F, F, F, N, F),
    ("garbage after marker", PARIS, "<functioncall> ???", F, F, F, F, N, F),
    ("one good call and one broken", PARIS, fc("get_weather", {"city": "Paris"}) + "\n<functioncall> {oops",
     F, T, T, T, N, F),
    ("empty reply", PARIS, "", F, F, F, F, N, F),
    ("parallel any order",
     [Call("get_weather", {"city": "Paris"}), Call("get_weather", {"city": "Rome"})],
     fc("get_weather", {"city": "Rome"}) + "\n" + fc("get_weather", {"city": "Paris"}), T, T, T, T, N, T),
    ("parallel missing one",
     [Call("get_weather", {"city": "Paris"}), Call("get_weather", {"city": "Rome"})],
     fc("get_weather", {"city": "Rome"}), T, T, F, F, N, F),
    ("parallel duplicated instead of distinct",
     [Call("get_weather", {"city": "Paris"}), Call("get_weather", {"city": "Rome"})],
     fc("get_weather", {"city": "Rome"}) + "\n" + fc("get_weather", {"city": "Rome"}), T, T, T, F, N, F),
    ("extra call", PARIS, fc("get_weather", {"city": "Paris"}) + "\n" + fc("add", {"a": 1, "b": 2}), T, T, F, F, N, F),
    ("no call: text", [], "I can't book flights, I can only check the weather.", T, N, N, N, T, T),
    ("no call: clarify", [], "Which city do you mean?", T, N, N, N, T, T),
    ("no call: called anyway", [], fc("get_weather", {"city": "Paris"}), T, N, N, N, F, F),
    ("no call: broken attempt", [], "<functioncall> {", F, N, N, N, F, F),
    ("no call: empty reply", [], "   ", T, N, N, N, F, F),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_grade(case):
    _, expected, reply, *want = case
    verdict = grade(expected, reply, TOOLS)
    assert [getattr(verdict, f) for f in FIELDS] == want, verdict.errors
    assert verdict.fully_correct or verdict.errors  # a wrong answer always says why


@pytest.mark.parametrize("a,b,equal", [
    (1, 1.0, True), (True, 1, False), ("1", 1, False), (None, "null", False), ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
    ([1, 2], [2, 1], False), ("Paris\n", "Paris", True), ("Paris", "paris", False), ({"x": [1, {"y": " z"}]}, {"x": [1.0, {"y": "z"}]}, True),
])
def test_normalize_value(a, b, equal):
    assert (normalize_value(a) == normalize_value(b)) == equal


def test_tool_with_invalid_schema_is_reported_not_raised():
    tools = [{"name": "f", "parameters": {"type": "no-such-type"}}]
    verdict = grade([Call("f", {})], fc("f", {}), tools)
    assert verdict.schema_valid is False and "invalid" in verdict.errors[0]


@given(st.text())
def test_grade_never_raises(reply):
    grade(PARIS, reply, TOOLS)
    grade([], reply, TOOLS)
    grade(PARIS, "<functioncall>" + reply, TOOLS)


def test_summarize_and_breakdown():
    records = [
        {"kind": "single", "functions": ["get_weather"], **grade(PARIS, fc("get_weather", {"city": "Paris"}), TOOLS).to_dict()},
        {"kind": "single", "functions": ["get_weather"], **grade(PARIS, "nope", TOOLS).to_dict()},
        {"kind": "no_call", "functions": [], **grade([], "Sorry, I can't.", TOOLS).to_dict()},
    ]
    overall = summarize(records)
    assert overall["n"] == 3
    assert overall["fully_correct"] == pytest.approx(2 / 3)
    assert overall["exact_arguments"] == 0.5 and overall["n_exact_arguments"] == 2
    assert overall["no_call_correct"] == 1.0 and overall["n_no_call_correct"] == 1
    by_kind = breakdown(records, lambda r: [r["kind"]])
    assert by_kind["single"]["fully_correct"] == 0.5
    assert by_kind["no_call"]["no_call_correct"] == 1.0 and by_kind["no_call"]["exact_arguments"] is None
    by_function = breakdown(records, lambda r: r["functions"] or ["(no call)"])
    assert set(by_function) == {"get_weather", "(no call)"}
    assert summarize([]) == {"n": 0}


def test_doctests():
    assert doctest.testmod(smolcall.scoring).failed == 0
