"""Table-driven tests of the `<functioncall>` parser and formatter."""

import pytest
from hypothesis import given, strategies as st

from smolcall.calls import FunctionCall, format_call, format_calls, parse_reply

CASES = [
    # (reply, expected calls, expected error count, expected text)
    ('<functioncall> {"name": "f", "arguments": {"x": 1}}', [("f", {"x": 1})], 0, ""),
    ("""<functioncall> {"name": "get_weather", "arguments": '{"city": "Paris"}'} <|endoftext|>""",
     [("get_weather", {"city": "Paris"})], 0, ""),
    # A single-quoted Glaive arguments string whose value contains an apostrophe and "'}".
    ("""<functioncall> {"name": "say", "arguments": '{"text": "it's '} fine"}'}""",
     [("say", {"text": "it's '} fine"})], 0, ""),
    ('<functioncall> {"name": "f", "arguments": "{\\"x\\": 2}"}', [("f", {"x": 2})], 0, ""),
    ('<functioncall> {"name": "a", "arguments": {}}\n<functioncall> {"name": "b", "arguments": {"y": [1, 2]}}',
     [("a", {}), ("b", {"y": [1, 2]})], 0, ""),
    ("The capital of France is Paris.", [], 0, "The capital of France is Paris."),
    ("<functioncall> not json at all", [], 1, ""),
    ('<functioncall> {"arguments": {}}', [], 1, ""),
    ('<functioncall> {"name": "f", "arguments": [1]}', [], 1, ""),
    ('<functioncall> {"name": "f", "arguments": {"x": 1}', [], 1, ""),  # truncated
    ('Sure! <functioncall> {"name": "f", "arguments": {}} done', [("f", {})], 0, "Sure!  done"),
    ('<functioncall> [1, 2]', [], 1, ""),
    ("", [], 0, ""),
    # A key written twice (several calls packed into one) is an error, not the last value kept;
    # the calls around it still parse.
    ('<functioncall> {"name": "loan", "arguments": {"term": 15, "term": 20}}\n<functioncall> {"name": "g", "arguments": {}}',
     [("g", {})], 1, ""),
    ("""<functioncall> {"name": "loan", "arguments": '{"term": 15, "term": 20}'}""", [], 1, ""),
    ('<functioncall> {"name": "f", "arguments": {"q": {"a": 1, "a": 2}}}', [], 1, ""),
]


@pytest.mark.parametrize("reply,calls,n_errors,text", CASES)
def test_parse_reply(reply, calls, n_errors, text):
    parsed = parse_reply(reply)
    assert [(c.name, c.arguments) for c in parsed.calls] == calls
    assert len(parsed.errors) == n_errors
    assert parsed.text == text
    assert parsed.has_marker == ("<functioncall>" in reply)


def test_duplicate_key_error_names_the_key_both_values_and_the_fix():
    [error] = parse_reply('<functioncall> {"name": "loan", "arguments": {"term": 15, "term": 20}}').errors
    assert "'term' appears twice" in error and "(15 and 20)" in error
    assert "one <functioncall> per set of values" in error


def test_parse_reply_rejects_non_text():
    assert parse_reply(None).errors


def test_format_round_trip():
    calls = [FunctionCall("f", {"x": 1, "s": "é"}), FunctionCall("g", {})]
    assert format_call(calls[0]) == '<functioncall> {"name": "f", "arguments": {"x": 1, "s": "é"}}'
    assert parse_reply(format_calls(calls)).calls == calls


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.text())
def test_parser_never_raises(text):
    parse_reply(text)
    parse_reply("<functioncall>" + text)


@given(st.text(min_size=1), st.dictionaries(st.text(), json_values, max_size=4))
def test_round_trip_any_valid_call(name, arguments):
    call = FunctionCall(name, arguments)
    assert parse_reply(format_call(call)).calls == [call]
