"""Glaive v2 rows -> chat messages, and the converter's splits and bad-row report."""

import doctest
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smolcall.dataset_io
import smolcall.glaive
from smolcall.dataset_io import (
    BadRowError,
    DataSourceError,
    assign_split,
    convert_rows,
    iter_json_array,
    read_rows,
)
from smolcall.glaive import REASONS, GlaiveRowError, parse_row, split_turns
from smolcall.prompt import NO_FUNCTIONS, PREAMBLE

FIXTURE = Path(__file__).parent / "fixtures" / "glaive_sample.json"
ROWS = json.loads(FIXTURE.read_text())

# row -> (kind, calls, roles after the system message)
GOOD = {
    0: ("multi_turn", 1, "user assistant tool assistant"),
    1: ("multi_turn", 2, "user assistant user assistant tool assistant user assistant tool assistant"),
    2: ("no_call", 0, "user assistant"),
    3: ("no_call", 0, "user assistant"),
    4: ("single", 1, "user assistant"),
    5: ("multi_turn", 1, "user assistant tool assistant"),
    6: ("single", 1, "user assistant"),
    7: ("parallel", 2, "user assistant"),
}
# row -> reason code
BAD = {
    8: "bad_spec", 9: "bad_call", 10: "missing_prefix", 11: "unknown_prefix", 12: "truncated",
    13: "truncated", 14: "empty_row", 15: "unknown_function", 16: "bad_system", 17: "bad_order",
    18: "empty_turn", 19: "empty_row", 20: "empty_row", 21: "truncated",
}  # fmt: skip


def test_fixture_covers_every_row_and_reason():
    assert sorted(GOOD | BAD) == list(range(len(ROWS)))
    assert set(BAD.values()) == set(REASONS)


@pytest.mark.parametrize("index", sorted(GOOD))
def test_good_rows(index):
    kind, n_calls, roles = GOOD[index]
    chat = parse_row(ROWS[index])
    messages = chat.messages()
    assert (chat.kind, chat.n_calls) == (kind, n_calls)
    assert " ".join(m["role"] for m in messages[1:]) == roles
    assert messages[0]["role"] == "system"
    for m in messages:
        assert "<|endoftext|>" not in m["content"]
        assert not m["content"].startswith(("USER:", "ASSISTANT:", "SYSTEM:", "FUNCTION RESPONSE:"))


@pytest.mark.parametrize("index", sorted(BAD))
def test_bad_rows(index):
    with pytest.raises(GlaiveRowError) as e:
        parse_row(ROWS[index])
    assert e.value.reason == BAD[index]
    assert str(e.value).startswith(BAD[index] + ": ")


def test_single_quoted_arguments_become_a_json_object():
    call = parse_row(ROWS[0]).messages()[2]["content"]
    assert call == ('<functioncall> {"name": "convert_currency", "arguments": '
                    '{"amount": 500, "from_currency": "USD", "to_currency": "EUR"}}')


@pytest.mark.parametrize(
    ("index", "turn", "expected"),
    [
        (4, 2, '<functioncall> {"name": "create_todo", "arguments": {"title": "Call Mom\'s doctor"}}'),
        (5, 2, '<functioncall> {"name": "create_todo", "arguments": {"title": "Pay rent", "due": '
               '{"date": "2024-05-01", "time": "09:00"}, "tags": ["finance", "home"]}}'),
        (6, 2, 'Let me check that for you.\n<functioncall> {"name": "convert_currency", "arguments": '
               '{"amount": 20, "from_currency": "GBP", "to_currency": "JPY"}}'),
        (7, 2, '<functioncall> {"name": "get_news_headlines", "arguments": {"country": "Japan"}}\n'
               '<functioncall> {"name": "get_news_headlines", "arguments": {"country": "Brazil"}}'),
        (0, 3, '{"converted_amount": 425.5, "from_currency": "USD", "to_currency": "EUR"}'),
        (0, 4, "Sure, 500 US dollars is approximately 425.50 Euros."),
        (1, 6, "Here are the latest headlines for the United States:\n1. Markets rally\n2. Storm hits coast"),
    ],
)
def test_message_contents(index, turn, expected):
    assert parse_row(ROWS[index]).messages()[turn]["content"] == expected


def test_system_prompts():
    assert parse_row(ROWS[2]).messages()[0]["content"] == NO_FUNCTIONS
    system = parse_row(ROWS[1]).messages("compact")[0]["content"]
    assert system.startswith(PREAMBLE + "\n{")
    assert [json.loads(line)["name"] for line in system.splitlines()[1:]] == ["get_news_headlines", "convert_currency"]
    assert parse_row(ROWS[1]).functions == ["get_news_headlines", "convert_currency"]


def test_split_turns_keeps_blank_lines_inside_a_turn():
    chat = "USER: hi\n\nthere\n\n\nASSISTANT: a\n\nb <|endoftext|>\n\n\n"
    assert split_turns(chat) == [("user", "hi\n\nthere"), ("assistant", "a\n\nb <|endoftext|>")]


def test_unknown_reason_is_a_bug():
    with pytest.raises(ValueError, match="unknown reason"):
        GlaiveRowError("nope", "x")


def test_doctests():
    for module in (smolcall.glaive, smolcall.dataset_io):
        assert doctest.testmod(module).failed == 0


# --- streaming the hub's JSON array ---


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_iter_json_array_matches_json_load(chunk):
    assert list(iter_json_array(FIXTURE, chunk_chars=chunk)) == ROWS


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(JSON_VALUES, max_size=6), chunk=st.integers(1, 40), indent=st.sampled_from([None, 1]))
def test_iter_json_array_any_values(tmp_path_factory, values, chunk, indent):
    path = tmp_path_factory.mktemp("arr") / "a.json"
    path.write_text(json.dumps(values, indent=indent), encoding="utf-8")
    assert list(iter_json_array(path, chunk_chars=chunk)) == values


@pytest.mark.parametrize(
    ("text", "match"),
    [('{"a": 1}', "not a JSON array"), ('[{"a": 1}, {"a": ', "element 1 at character"), ('[1 2]', "expected ','")],
)
def test_iter_json_array_errors(tmp_path, text, match):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(DataSourceError, match=match):
        list(iter_json_array(path, chunk_chars=4))


def test_read_rows_jsonl_and_missing(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS[:3]) + "\n\n")
    assert list(read_rows(path)) == ROWS[:3]
    with pytest.raises(DataSourceError, match="does not exist; pass --input"):
        read_rows(tmp_path / "nope.json")


# --- the converter ---


def read_split(out: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{split}.jsonl").read_text().splitlines()]


def test_convert_counts_and_reports(tmp_path):
    report = convert_rows(read_rows(FIXTURE), tmp_path, valid_fraction=0.25, test_fraction=0.25)
    assert report.rows_read == len(ROWS)
    assert sum(report.written.values()) == len(GOOD)
    expected = {}
    for index, reason in BAD.items():
        expected.setdefault(reason, []).append(index)
    assert report.skipped == {r: len(rows) for r, rows in expected.items()}
    assert report.skipped_rows == expected
    assert report.kinds == {"multi_turn": 3, "no_call": 2, "parallel": 1, "single": 2}
    assert report.calls_per_row == {"0": 2, "1": 4, "2": 2}
    assert report.tokens["rows"] == len(GOOD) and report.tokens["p50"] <= report.tokens["max"]
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["rows_skipped"] == len(BAD) and saved["reasons"]["bad_call"] == REASONS["bad_call"]
    rows = [r for s in ("train", "valid", "test") for r in read_split(tmp_path, s)]
    assert sorted(r["meta"]["row"] for r in rows) == sorted(GOOD)
    for row in rows:
        assert set(row) == {"messages", "meta"}  # no "tools" key: mlx-lm would render it
        assert row["meta"]["source"] == "glaive"
        assert row["meta"]["kind"] == GOOD[row["meta"]["row"]][0]
    assert not list(tmp_path.glob(".*.tmp"))


def test_split_is_seeded_and_content_hashed():
    row = ROWS[0]
    splits = {assign_split(row, seed, 0.3, 0.3) for seed in range(40)}
    assert splits == {"train", "valid", "test"}
    assert assign_split(row, 5, 0.3, 0.3) == assign_split(dict(row), 5, 0.3, 0.3)


def test_convert_is_deterministic(tmp_path):
    for name in ("a", "b"):
        convert_rows(ROWS, tmp_path / name, seed=3, valid_fraction=0.3, test_fraction=0.3)
    for split in ("train", "valid", "test"):
        assert (tmp_path / "a" / f"{split}.jsonl").read_bytes() == (tmp_path / "b" / f"{split}.jsonl").read_bytes()


def test_strict_stops_at_first_bad_row(tmp_path):
    with pytest.raises(BadRowError, match=r"row 8: bad_spec: .*run without --strict") as e:
        convert_rows(ROWS, tmp_path, strict=True)
    assert (e.value.row, e.value.reason) == (8, "bad_spec")
    assert isinstance(e.value.__cause__, GlaiveRowError)
    assert not list(tmp_path.glob("*.jsonl")) and not list(tmp_path.glob(".*.tmp"))


def test_limit_per_turn_and_max_tokens(tmp_path):
    report = convert_rows(ROWS, tmp_path / "limit", limit=3)
    assert report.rows_read == 3 and sum(report.written.values()) == 3
    report = convert_rows(ROWS[:2], tmp_path / "turns", per_turn=True, valid_fraction=0, test_fraction=0)
    rows = read_split(tmp_path / "turns", "train")
    assert [r["meta"]["turn"] for r in rows] == [0, 1, 0, 1, 2, 3, 4]
    assert all(r["messages"][-1]["role"] == "assistant" for r in rows)
    assert [r["meta"]["kind"] for r in rows][:3] == ["single", "multi_turn", "no_call"]
    report = convert_rows(ROWS[:8], tmp_path / "short", max_tokens=60)
    assert report.skipped["too_long"] >= 1 and report.tokens["max"] <= 60


def test_row_meta_and_split_override(tmp_path):
    rows = [dict(ROWS[2], meta={"split": "test", "template": "t1", "kind": "no_call"})]
    convert_rows(rows, tmp_path, split_of=lambda r: r["meta"]["split"], source="generated")
    [row] = read_split(tmp_path, "test")
    assert row["meta"] == {"source": "generated", "kind": "no_call", "functions": [], "row": 0, "template": "t1"}
    with pytest.raises(ValueError, match="split 'dev' is not one of train, valid, test"):
        convert_rows(rows, tmp_path, split_of=lambda r: "dev")
