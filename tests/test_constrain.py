"""Grammar-constrained decoding: schema sanitizing, the grammar, the matcher walk and the processor.

Fast tests use the embedded SmolLM2 tokenizer (no weights) and a tiny random model; tests marked
`slow` generate with the real embedded model.
"""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

from pathlib import Path

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from smolcall.calls import FunctionCall, format_call, format_calls, parse_reply
from smolcall.constrain import (
    GROUND_MAX_SPANS, GROUND_SPAN_WORDS, ConstraintError, GrammarConstraint, build_grammar, constraint_factory,
    grammar_accepts, ground_schema, grounding_spans, ll_tokenizer, make_constraint, new_matcher, sanitize_schema,
    unpack_bitmask,
)
from smolcall.prompt import system_prompt

WEATHER = {
    "name": "get_weather",
    "description": "Current weather in a city",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name, e.g. Paris"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city"],
    },
}
CONVERT = {
    "name": "convert_currency",
    "description": "Convert an amount between currencies",
    "parameters": {
        "type": "object",
        "properties": {
            "amount": {"type": "number"},
            "from_currency": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]},
            "to_currency": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]},
        },
        "required": ["amount", "from_currency", "to_currency"],
    },
}
BOOK = {
    "name": "book_meeting",
    "description": "Book a meeting with attendees",
    "parameters": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "attendees": {"type": "array", "items": {"type": "string"}},
            "slot": {
                "type": "object",
                "properties": {"day": {"type": "string", "enum": ["mon", "tue", "wed"]},
                               "hour": {"type": "integer", "minimum": 8, "maximum": 18}},
                "required": ["day", "hour"],
            },
        },
        "required": ["title", "slot"],
    },
}
NOW = {"name": "get_time", "description": "The current time"}  # no parameters at all
TOOLS = [WEATHER, CONVERT, BOOK, NOW]


@pytest.fixture(scope="module")
def tokenizer(embedded_model_dir: Path):
    """The embedded SmolLM2 tokenizer (mlx-lm's wrapper), without loading weights."""
    from mlx_lm.utils import load_tokenizer

    return load_tokenizer(embedded_model_dir)


# --- schemas ---------------------------------------------------------------------------------

SANITIZE_CASES = [
    # (schema, strict, expected)
    ({"type": "dict", "properties": {"x": {"type": "float"}}, "required": ["x"]}, True,
     {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"], "additionalProperties": False}),
    # Arrays get a bound unless the schema gives one (a repeating model must not run to max_tokens).
    ({"type": "tuple", "items": {"type": "int"}}, True, {"type": "array", "items": {"type": "integer"}, "maxItems": 12}),
    ({"type": "array", "maxItems": 40}, True, {"type": "array", "maxItems": 40}),
    ({"type": "array", "minItems": 20}, True, {"type": "array", "minItems": 20, "maxItems": 20}),
    ({"items": {"type": "string"}}, True, {"items": {"type": "string"}, "maxItems": 12}),
    ({"type": ["float", "null"]}, True, {"type": ["number", "null"]}),
    ({"type": "any", "description": "anything"}, True, {"description": "anything"}),
    ({"type": "String"}, True, {"type": "string"}),
    # A property called "type" is a name, not a keyword.
    ({"type": "object", "properties": {"type": {"type": "str"}}}, False,
     {"type": "object", "properties": {"type": {"type": "string"}}}),
    ({"type": "string", "enum": []}, True, {"type": "string"}),
    ({"type": "string", "required": True}, True, {"type": "string"}),
    # Required but not described: added as "any value" so the strict object stays satisfiable.
    ({"type": "object", "properties": {"a": {}}, "required": ["a", "b"]}, True,
     {"type": "object", "properties": {"a": {}, "b": {}}, "required": ["a", "b"], "additionalProperties": False}),
    ({"type": "object", "properties": {"a": {}}, "additionalProperties": True}, True,
     {"type": "object", "properties": {"a": {}}, "additionalProperties": True}),
    ({"anyOf": [{"type": "dict"}, {"type": "float"}]}, True, {"anyOf": [{"type": "object"}, {"type": "number"}]}),
]


@pytest.mark.parametrize("schema,strict,expected", SANITIZE_CASES)
def test_sanitize_schema(schema, strict, expected):
    assert sanitize_schema(schema, strict=strict) == expected


def test_sanitize_schema_leaves_its_input_alone():
    schema = {"type": "dict", "properties": {"x": {"type": "float"}}}
    sanitize_schema(schema)
    assert schema == {"type": "dict", "properties": {"x": {"type": "float"}}}


GRAMMAR_TOOLS = {
    "enum": {"name": "f", "parameters": {"type": "object", "properties": {"u": {"enum": ["a", "b"]}}}},
    "nested": BOOK,
    "array": {"name": "f", "parameters": {"type": "object", "properties": {
        "xs": {"type": "array", "items": {"type": "object", "properties": {"k": {"type": "integer"}}}}}}},
    "optional": WEATHER,
    "no_params": NOW,
    "empty_params": {"name": "f", "parameters": {}},
    "bfcl_types": {"name": "f", "parameters": {"type": "dict", "properties": {
        "x": {"type": "float"}, "xs": {"type": "tuple", "items": {"type": "string"}}}, "required": ["x"]}},
    "unknown_format": {"name": "f", "parameters": {"type": "object", "properties": {
        "s": {"type": "string", "format": "int64"}, "u": {"type": "array", "uniqueItems": True}}}},
    "unicode_and_lark_comment_chars": {"name": "météo", "description": "// not a comment # nor this }", "parameters": {
        "type": "object", "properties": {"q": {"type": "string", "description": "a } b { // c"}}}},
}


@pytest.mark.parametrize("kind", GRAMMAR_TOOLS)
def test_grammar_builds(tokenizer, kind):
    grammar = build_grammar([GRAMMAR_TOOLS[kind]])
    assert grammar.relaxed == ()
    assert not new_matcher(tokenizer, grammar).is_error()


def test_grammar_relaxes_what_llguidance_refuses(tokenizer):
    lookaround = {"name": "f", "parameters": {"type": "object", "properties": {
        "s": {"type": "string", "pattern": "^(?=a).*$"}, "n": {"type": "integer"}}}}
    bad_ref = {"name": "g", "parameters": {"type": "object", "properties": {"s": {"$ref": "#/nowhere"}}}}
    grammar = build_grammar([lookaround, bad_ref])
    assert [note.split(":")[0] for note in grammar.relaxed] == ["f", "g"]
    assert "regex patterns" in grammar.relaxed[0] and "any object" in grammar.relaxed[1]
    # Still checked: the name, and (for f) the other properties.
    assert grammar_accepts(tokenizer, [lookaround, bad_ref], format_call(FunctionCall("f", {"s": "zz", "n": 1})))
    assert not grammar_accepts(tokenizer, [lookaround, bad_ref], format_call(FunctionCall("f", {"n": "one"})))
    assert grammar_accepts(tokenizer, [lookaround, bad_ref], format_call(FunctionCall("g", {"anything": [1]})))


def test_grammar_refuses_impossible_requests():
    with pytest.raises(ConstraintError, match="allow_text=True"):
        build_grammar([], allow_text=False)
    with pytest.raises(ConstraintError, match="max_calls"):
        build_grammar([WEATHER], max_calls=0)
    with pytest.raises(ConstraintError, match="name"):
        build_grammar([{"parameters": {}}])


# --- walking the matcher with real token sequences -------------------------------------------

ACCEPT_CASES = [
    # (reply, allow_text, accepted)
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}', True, True),
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}', False, True),
    ('<functioncall> {"name": "get_time", "arguments": {}}', False, True),
    ('<functioncall> {"name": "book_meeting", "arguments": {"title": "Sync", "attendees": ["Ana", "Bo"], '
     '"slot": {"day": "tue", "hour": 9}}}', False, True),
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}\n'
     '<functioncall> {"name": "convert_currency", "arguments": {"amount": 10.5, "from_currency": "USD", '
     '"to_currency": "EUR"}}', False, True),
    ("The capital of France is Paris.", True, True),
    ("Two lines\nof plain text.", True, True),
    ('Let me check.\n<functioncall> {"name": "get_weather", "arguments": {"city": "Oslo"}}', True, True),
    # Rejected: unknown name, missing required argument, value outside the enum, invented argument,
    # wrong type, out of range, key order other than the schema's, loose spacing.
    ('<functioncall> {"name": "get_news", "arguments": {}}', True, False),
    ('<functioncall> {"name": "get_weather", "arguments": {"unit": "celsius"}}', True, False),
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris", "unit": "kelvin"}}', True, False),
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris", "country": "FR"}}', True, False),
    ('<functioncall> {"name": "convert_currency", "arguments": {"amount": "ten", "from_currency": "USD", '
     '"to_currency": "EUR"}}', True, False),
    ('<functioncall> {"name": "book_meeting", "arguments": {"title": "Sync", "slot": {"day": "tue", "hour": 23}}}',
     True, False),
    ('<functioncall> {"name": "get_weather", "arguments": {"unit": "celsius", "city": "Paris"}}', True, False),
    ('<functioncall> {"name":"get_weather","arguments":{"city":"Paris"}}', True, False),
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}', True, False),  # truncated
    # Text: not without allow_text, never holding a marker that does not start a valid call.
    ("The capital of France is Paris.", False, False),
    ('Sure <functioncall> {"name": "get_weather", "arguments": {"city": "Oslo"}}', True, False),
    ('Let me check.\n<functioncall> {"name": "get_news", "arguments": {}}', True, False),
    ("", True, False),
]


@pytest.mark.parametrize("reply,allow_text,accepted", ACCEPT_CASES)
def test_grammar_accepts(tokenizer, reply, allow_text, accepted):
    assert grammar_accepts(tokenizer, TOOLS, reply, allow_text=allow_text) is accepted


def test_parallel_calls_are_bounded(tokenizer):
    call = format_call(FunctionCall("get_time", {}))
    assert grammar_accepts(tokenizer, TOOLS, "\n".join([call] * 4), max_calls=4)
    assert not grammar_accepts(tokenizer, TOOLS, "\n".join([call] * 5), max_calls=4)
    assert not grammar_accepts(tokenizer, TOOLS, "\n".join([call] * 2), max_calls=1)


def test_llguidance_tokenizes_like_the_model(tokenizer):
    text = 'Hi!\n<functioncall> {"name": "get_weather", "arguments": {"city": "Zürich"}}'
    assert ll_tokenizer(tokenizer).tokenize_str(text) == tokenizer.encode(text, add_special_tokens=False)
    assert ll_tokenizer(tokenizer) is ll_tokenizer(tokenizer)  # cached: building it walks the vocabulary
    assert ll_tokenizer(tokenizer).eos_tokens == [0, 2]  # <|endoftext|>, <|im_end|>: the chat's stop tokens


# llguidance's JSON strings refuse DEL and unassigned code points when written raw.
CITY_CHARS = st.characters(exclude_categories=("Cs", "Cn"), exclude_characters="\x7f")


@settings(max_examples=60, deadline=None)
@given(city=st.text(CITY_CHARS, min_size=1, max_size=20), unit=st.none() | st.sampled_from(["celsius", "fahrenheit"]),
       amount=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**6, 10**6))
def test_every_valid_call_is_accepted(tokenizer, city, unit, amount):
    arguments = {"city": city} if unit is None else {"city": city, "unit": unit}
    calls = [FunctionCall("get_weather", arguments),
             FunctionCall("convert_currency", {"amount": amount, "from_currency": "GBP", "to_currency": "JPY"})]
    assert grammar_accepts(tokenizer, TOOLS, format_calls(calls), allow_text=False)


# --- the logits processor --------------------------------------------------------------------


def test_unpack_bitmask_pads_with_false():
    import numpy as np

    assert unpack_bitmask(np.array([[0b101]], dtype=np.int32), 4).tolist() == [True, False, True, False]
    assert unpack_bitmask(np.array([[-1]], dtype=np.int32), 34).tolist() == [True] * 32 + [False, False]


def test_constraint_masks_logits(tokenizer):
    import mlx.core as mx

    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    constraint = make_constraint(tokenizer, [WEATHER], allow_text=False)
    # The model has more embedding rows than the tokenizer has tokens: those stay masked.
    vocab = ll_tokenizer(tokenizer).vocab_size
    logits = constraint(mx.array(prompt), mx.zeros((1, vocab + 64)))
    allowed = (logits[0] > float("-inf")).tolist()
    assert constraint.prompt_length == len(prompt)  # taken from the first call
    assert not any(allowed[vocab:])
    first = tokenizer.encode("<functioncall>", add_special_tokens=False)[0]
    assert allowed[first] and not allowed[tokenizer.encode("Hello", add_special_tokens=False)[0]]
    assert not any(allowed[i] for i in (0, 2))  # cannot stop before calling

    # After the marker, with one tool, the name is forced.
    tokens = tokenizer.encode("<functioncall>", add_special_tokens=False)
    constraint(mx.array(prompt + tokens), mx.zeros((1, vocab)))
    assert tokenizer.decode(constraint.forced_tokens()).startswith(' {"name": "get_weather", "arguments": {"city":')

    # A complete call with max_calls=1: only the stop tokens remain.
    one = make_constraint(tokenizer, [WEATHER], allow_text=False, max_calls=1, prompt_length=len(prompt))
    call = tokenizer.encode(format_call(FunctionCall("get_weather", {"city": "Rome"})), add_special_tokens=False)
    logits = one(mx.array(prompt + call), mx.zeros((1, vocab)))
    assert [i for i, ok in enumerate((logits[0] > float("-inf")).tolist()) if ok] == [0, 2]
    assert one.done
    one(mx.array(prompt + call + [2]), mx.zeros((1, vocab)))  # mlx-lm still calls it with the stop token
    assert one.done and not one.matcher.is_error()


def test_arrays_are_bounded(tokenizer):
    tool = {"name": "mean", "parameters": {"type": "object", "properties": {"xs": {"type": "array", "items": {"type": "number"}}}}}
    assert grammar_accepts(tokenizer, [tool], format_call(FunctionCall("mean", {"xs": [1.0] * 12})), allow_text=False)
    assert not grammar_accepts(tokenizer, [tool], format_call(FunctionCall("mean", {"xs": [1.0] * 13})), allow_text=False)


def _allowed(constraint, tokens, vocab: int) -> list[int]:
    import mlx.core as mx

    logits = constraint(mx.array(tokens), mx.zeros((1, vocab)))
    return [i for i, ok in enumerate((logits[0] > float("-inf")).tolist()) if ok]


def test_constraint_never_starts_a_call_it_cannot_finish(tokenizer):
    vocab = ll_tokenizer(tokenizer).vocab_size
    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    call = tokenizer.encode(format_call(FunctionCall("get_weather", {"city": "Rome"})), add_special_tokens=False)
    # Room for a second call of the same length: the grammar may go on (newline, next call).
    roomy = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=len(prompt), max_tokens=3 * len(call))
    assert len(_allowed(roomy, prompt + call, vocab)) > 2
    assert roomy.longest_part == len(call)
    # Too little room: only the stop tokens remain, so max_tokens cannot cut a call in half.
    tight = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=len(prompt), max_tokens=len(call) + 5)
    assert _allowed(tight, prompt + call, vocab) == [0, 2]
    # Before the first call is complete the budget changes nothing (the call must be written).
    early = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=len(prompt), max_tokens=len(call) + 5)
    assert 0 not in _allowed(early, prompt + call[:4], vocab)


def test_a_long_call_is_wrapped_up_before_the_budget_ends(tokenizer):
    """In the last WRAP_UP_TOKENS, closing tokens win wherever the grammar allows one."""
    from smolcall.constrain import WRAP_UP_TOKENS

    tool = {"name": "mean", "parameters": {"type": "object", "properties": {"xs": {"type": "array", "items": {"type": "number"}}}}}
    vocab = ll_tokenizer(tokenizer).vocab_size
    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    opened = tokenizer.encode('<functioncall> {"name": "mean", "arguments": {"xs": [1.0, 2.0', add_special_tokens=False)
    roomy = make_constraint(tokenizer, [tool], allow_text=False, prompt_length=len(prompt), max_tokens=200)
    assert len(_allowed(roomy, prompt + opened, vocab)) > 10  # more digits, ", ", "]"...
    tight = make_constraint(tokenizer, [tool], allow_text=False, prompt_length=len(prompt),
                            max_tokens=len(opened) + WRAP_UP_TOKENS)
    closing = [tokenizer.decode([t]) for t in _allowed(tight, prompt + opened, vocab)]
    assert closing and all(set(t) <= set('"]}') for t in closing), closing
    assert "]" in closing or "]}" in closing or "]}}" in closing


def test_wrap_up_inside_a_string_closes_the_string_first(tokenizer):
    """Inside a string `}` is only a character: wrapping up must write the closing quote (seen in
    BFCL multiple_79: `"location": "M}}}}}}...` until max_tokens)."""
    from smolcall.constrain import WRAP_UP_TOKENS

    vocab = ll_tokenizer(tokenizer).vocab_size
    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    opened = tokenizer.encode('<functioncall> {"name": "get_weather", "arguments": {"city": "Museum of M',
                              add_special_tokens=False)
    tight = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=len(prompt),
                            max_tokens=len(opened) + WRAP_UP_TOKENS)
    closing = [tokenizer.decode([t]) for t in _allowed(tight, prompt + opened, vocab)]
    assert closing and all(t.startswith('"') and set(t) <= set('"]}') for t in closing), closing
    # Then, outside the string, the object closes rather than opening another key.
    after = prompt + opened + tokenizer.encode('"', add_special_tokens=False)
    closing = [tokenizer.decode([t]) for t in _allowed(tight, after, vocab)]
    assert closing and all(t.startswith("}") for t in closing), closing


def test_constraint_rejects_a_token_outside_the_grammar(tokenizer):
    import mlx.core as mx

    constraint = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=3)
    constraint(mx.array([5, 6, 7]), mx.zeros((1, 49152)))
    with pytest.raises(ConstraintError, match="breaks the grammar"):
        constraint(mx.array([5, 6, 7] + tokenizer.encode("Hello", add_special_tokens=False)), mx.zeros((1, 49152)))
    other = make_constraint(tokenizer, [WEATHER], prompt_length=10)
    with pytest.raises(ConstraintError, match="its own GrammarConstraint"):
        other(mx.array([1, 2, 3]), mx.zeros((1, 49152)))


def test_constraint_factory_reads_the_system_prompt(tokenizer):
    with_tools = [{"role": "system", "content": system_prompt([WEATHER, NOW])}, {"role": "user", "content": "Hi"}]
    without = [{"role": "system", "content": system_prompt([])}, {"role": "user", "content": "Hi"}]
    processors = constraint_factory(tokenizer)(with_tools, [1, 2, 3])
    assert len(processors) == 1 and isinstance(processors[0], GrammarConstraint)
    assert processors[0].prompt_length == 3
    # Without tools a reply may be any text but never a call (the model cannot invent a tool).
    import mlx.core as mx

    for conversation in (without, [{"role": "user", "content": "Hi"}]):
        (text_only,) = constraint_factory(tokenizer)(conversation, [1, 2, 3])
        marker = tokenizer.encode("<functioncall>", add_special_tokens=False)
        logits = text_only(mx.array([1, 2, 3, *marker[:-1]]), mx.zeros((1, 49152)))
        assert float(logits[0, marker[-1]]) == float("-inf")
    with pytest.raises(ConstraintError, match="allow_text=True"):
        constraint_factory(tokenizer, allow_text=False)(without, [1, 2, 3])
    broken = [{"role": "system", "content": "Use them if required -\n{not json"}]
    with pytest.raises(ConstraintError, match="system_prompt"):
        constraint_factory(tokenizer)(broken, [1])


def test_constraint_factory_warns_about_loosened_tools(tokenizer, caplog):
    lookaround = {"name": "f", "parameters": {"type": "object", "properties": {
        "s": {"type": "string", "pattern": "^(?=a).*$"}}}}
    conversation = [{"role": "system", "content": system_prompt([lookaround])}]
    factory = constraint_factory(tokenizer)
    with caplog.at_level("WARNING", logger="smolcall.constrain"):
        first, second = factory(conversation, [1]), factory(conversation, [1])
    assert first[0].matcher is not second[0].matcher  # one parser state per sequence
    # The grammar is built (and the warning given) once per tool set.
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("constraint loosened for f: dropped its regex patterns")


# --- grounded strings ------------------------------------------------------------------------

def test_grounding_spans_are_runs_of_the_users_and_tools_words():
    conversation = [
        {"role": "system", "content": "You may call get_weather"},
        {"role": "user", "content": "Sales tax on $30.45 in Chicago, Illinois?"},
        {"role": "assistant", "content": "Which store?"},
        {"role": "tool", "content": '{"store": "Lakeview"}'},
        {"role": "user", "content": "Books like Tomasz Nowak\u2019s. Shipped to Washington D.C., by Acme Inc."},
    ]
    spans = grounding_spans(conversation)
    for expected in ("Chicago", "Illinois", "Chicago, Illinois", "$30.45", "Sales tax on $30.45 in Chicago, Illinois",
                     "store", "Lakeview", "Tomasz Nowak\u2019s", "Tomasz Nowak", "like Tomasz Nowak",
                     "Washington D.C.", "Washington D.C", "Acme Inc.", "Acme Inc"):
        assert expected in spans
    assert "Illinois?" not in spans and "Chicago," not in spans  # edge punctuation trimmed
    assert not {"Which", "store?", "You", "get_weather"} & set(spans)  # only user and tool words
    assert len(spans) == len(set(spans))
    words = " ".join(f"w{i}" for i in range(3 * GROUND_SPAN_WORDS))
    longest = max(grounding_spans([{"role": "user", "content": words}]), key=lambda s: len(s.split()))
    assert len(longest.split()) == GROUND_SPAN_WORDS
    flood = [{"role": "user", "content": " ".join(f"w{i}" for i in range(2000))}]
    capped = grounding_spans(flood)
    assert len(capped) == GROUND_MAX_SPANS and "w1999" in capped  # the cap drops the longest runs first
    assert grounding_spans([{"role": "user", "content": " ?! "}, {"role": "user", "content": None}]) == []


def test_ground_schema_grounds_only_free_strings():
    schema = sanitize_schema(BOOK["parameters"]) | {"properties": {
        **sanitize_schema(BOOK["parameters"])["properties"],
        "when": {"type": "string", "format": "date"}, "code": {"type": "string", "pattern": "^[A-Z]+$"},
        "day": {"type": "string", "description": "Date as YYYY-MM-DD"},
        "at": {"type": "string", "description": "Start time in 24-hour format"},
        "note": {"type": "string", "description": "Text, at most 200 characters"},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}
    grounded = ground_schema(schema, ["Ana", "Bo"])
    props = grounded["properties"]
    assert props["title"]["enum"] == ["Ana", "Bo"] and props["attendees"]["items"]["enum"] == ["Ana", "Bo"]
    assert props["either"]["anyOf"][0]["enum"] == ["Ana", "Bo"] and "enum" not in props["either"]["anyOf"][1]
    assert props["slot"]["properties"]["day"]["enum"] == ["mon", "tue", "wed"]  # its own enum stays
    assert not {"enum"} & (props["when"].keys() | props["code"].keys() | props["day"].keys() | props["at"].keys())
    assert props["note"]["enum"][:2] == ["Ana", "Bo"] and "at most 200 characters" in props["note"]["enum"]
    assert grounded["additionalProperties"] is False
    assert ground_schema(schema, []) is schema
    assert "enum" not in schema["properties"]["title"]  # the input is left alone


def test_grounded_grammar_accepts_only_spans(tokenizer):
    conversation = [{"role": "system", "content": system_prompt([WEATHER])},
                    {"role": "user", "content": "Weather in New York, NY please, in fahrenheit."}]
    grammar = build_grammar([WEATHER], allow_text=False, spans=grounding_spans(conversation))
    lltok = ll_tokenizer(tokenizer)

    def accepts(city: str) -> bool:
        matcher = new_matcher(tokenizer, grammar)
        text = f'<functioncall> {{"name": "get_weather", "arguments": {{"city": "{city}", "unit": "fahrenheit"}}}}'
        tokens = lltok.tokenize_str(text)
        return matcher.try_consume_tokens(tokens) == len(tokens) and matcher.is_accepting()

    assert accepts("New York") and accepts("New York, NY") and accepts("NY")
    assert accepts("Paris")  # from the parameter's own description: "City name, e.g. Paris"
    assert not accepts("Rome") and not accepts("NYC") and not accepts("New York, NY please,")
    rome = '<functioncall> {"name": "get_weather", "arguments": {"city": "Rome"}}'
    assert grammar_accepts(tokenizer, [WEATHER], rome)  # without grounding, any city


def test_tiny_random_model_grounded_can_only_copy(tiny_model_dir: Path):
    """A random model, grounded, writes free strings only from the request's words."""
    from smolcall.generation import generate_replies
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    texts = ("Weather in Oslo", "weather for Rio de Janeiro today", "Lima?")
    conversations = [_conversation([WEATHER], text) for text in texts]
    factory = constraint_factory(tokenizer, allow_text=False, max_calls=1, ground_strings=True)
    replies = generate_replies(model, tokenizer, conversations, max_tokens=200, batch_size=3,
                               logits_processors_factory=factory)
    for conversation, reply in zip(conversations, replies, strict=True):
        assert reply.finish_reason == "stop", reply
        assert_valid_reply(reply.text, [WEATHER], must_call=True)
        (call,) = parse_reply(reply.text).calls
        assert call.arguments["city"] in grounding_spans(conversation), reply.text


# --- generation ------------------------------------------------------------------------------

SWITCH = {"name": "set_light", "description": "Switch a light", "parameters": {"type": "object", "properties": {
    "room": {"type": "string", "enum": ["kitchen", "hall"]}, "on": {"type": "boolean"}}, "required": ["room", "on"]}}
FAN = {"name": "set_fan", "description": "Set the fan speed", "parameters": {"type": "object", "properties": {
    "speed": {"type": "string", "enum": ["low", "high"]}}, "required": ["speed"]}}


def assert_valid_reply(text: str, tools: list[dict], must_call: bool) -> None:
    """Every call in `text` parses, names an offered tool and validates against its schema."""
    parsed = parse_reply(text)
    assert parsed.ok, (text, parsed.errors)
    assert parsed.calls or not must_call, text
    if not parsed.calls:
        assert "<functioncall>" not in text
    by_name = {t["name"]: t for t in tools}
    for call in parsed.calls:
        assert call.name in by_name, text
        jsonschema.validate(call.arguments, by_name[call.name].get("parameters") or {"type": "object"})


def test_tiny_random_model_can_only_call(tiny_model_dir: Path):
    """A random model writes noise; constrained, it can only write valid calls (enums keep them short)."""
    from smolcall.generation import generate_replies
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    conversations = [[{"role": "system", "content": system_prompt([SWITCH, FAN])},
                      {"role": "user", "content": text}] for text in ("light on", "fan", "hall light off")]
    replies = generate_replies(model, tokenizer, conversations, max_tokens=400, batch_size=2,
                               logits_processors_factory=constraint_factory(tokenizer, allow_text=False))
    for reply in replies:
        assert reply.finish_reason == "stop", reply
        assert_valid_reply(reply.text, [SWITCH, FAN], must_call=True)


SLOW_PROMPTS = [
    ([WEATHER], "What's the weather like in Paris right now?"),
    ([WEATHER, CONVERT], "How much is 250 US dollars in euros?"),
    ([CONVERT], "Convert 10 GBP to JPY please."),
    ([BOOK], "Book a meeting called Budget review on Tuesday at 10 with Ana and Bo."),
    ([WEATHER, NOW], "What time is it?"),
    ([SWITCH, FAN], "Turn on the kitchen light."),
    ([WEATHER, BOOK, CONVERT], "Is it going to be cold in Oslo? Use fahrenheit."),
    ([FAN], "Tell me a joke about penguins."),
]


def _conversation(tools: list[dict], text: str) -> list[dict]:
    return [{"role": "system", "content": system_prompt(tools)}, {"role": "user", "content": text}]


@pytest.fixture(scope="module")
def embedded(embedded_model_dir: Path):
    from smolcall.models import EMBEDDED_MODEL, load_model

    model, tokenizer, _ = load_model(EMBEDDED_MODEL)
    return model, tokenizer


@pytest.mark.slow
@pytest.mark.parametrize("allow_text", [True, False])
def test_embedded_model_constrained_replies_validate(embedded, allow_text):
    from smolcall.generation import generate_replies

    model, tokenizer = embedded
    # The base model, made to call, repeats its call until max_calls: 2 keeps replies inside max_tokens.
    factory = constraint_factory(tokenizer, allow_text, max_calls=2)
    replies = generate_replies(model, tokenizer, [_conversation(t, q) for t, q in SLOW_PROMPTS], max_tokens=160,
                               batch_size=8, logits_processors_factory=factory)
    for (tools, _), reply in zip(SLOW_PROMPTS, replies, strict=True):
        # The base model answers in text when it may (a long answer is cut, and that is fine);
        # a reply that calls must finish its calls.
        if "<functioncall>" in reply.text or not allow_text:
            assert reply.finish_reason == "stop", reply
        assert_valid_reply(reply.text, tools, must_call=not allow_text)


def sample_reply(model, tokenizer, conversation: list[dict], temperature: float, seed: int, max_tokens: int,
                 allow_text: bool) -> tuple[str, bool]:
    """One sampled, constrained reply (mlx-lm's generate_step) and whether it stopped by itself."""
    import mlx.core as mx
    from mlx_lm.generate import generate_step
    from mlx_lm.sample_utils import make_sampler

    from smolcall.generation import encode_conversation, stop_token_ids

    prompt = encode_conversation(tokenizer, conversation)
    processors = constraint_factory(tokenizer, allow_text, max_calls=1)(conversation, prompt)
    mx.random.seed(seed)
    stops = set(stop_token_ids(tokenizer))
    tokens: list[int] = []
    for token, _ in generate_step(mx.array(prompt), model, max_tokens=max_tokens,
                                  sampler=make_sampler(temp=temperature), logits_processors=processors):
        if token in stops:
            return tokenizer.decode(tokens), True
        tokens.append(token)
    return tokenizer.decode(tokens), False


@pytest.mark.slow
@pytest.mark.parametrize("temperature", [0.7, 1.5])
def test_embedded_model_sampled_replies_validate(embedded, temperature):
    model, tokenizer = embedded
    for seed, (tools, question) in enumerate(SLOW_PROMPTS[:4]):
        text, stopped = sample_reply(model, tokenizer, _conversation(tools, question), temperature, seed,
                                     max_tokens=128, allow_text=False)
        assert stopped, f"no stop within 128 tokens: {text!r}"
        assert_valid_reply(text, tools, must_call=True)


def _lean(tokenizer, reply_so_far: str, favourite: str, runner_up: str, gap: float, more_arguments: float):
    """The token the constrained greedy step picks after `reply_so_far` (WEATHER offered), when
    `favourite` leads `runner_up` by `gap` logits and every other token trails far behind."""
    import mlx.core as mx

    vocab = ll_tokenizer(tokenizer).vocab_size
    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    constraint = make_constraint(tokenizer, [WEATHER], allow_text=False, prompt_length=len(prompt),
                                 more_arguments=more_arguments)
    row = np.full(vocab, -50.0, dtype=np.float32)
    row[tokenizer.encode(favourite, add_special_tokens=False)[0]] = gap
    row[tokenizer.encode(runner_up, add_special_tokens=False)[0]] = 0.0
    logits = constraint(mx.array(prompt + tokenizer.encode(reply_so_far, add_special_tokens=False)),
                        mx.array(row[None]))
    return tokenizer.decode([int(mx.argmax(logits[0]).item())]), constraint.leaned


CITY_GIVEN = '<functioncall> {"name": "get_weather", "arguments": {"city": "Rome"'


@pytest.mark.parametrize("gap, lean, picked", [(5.0, 0.0, "}}"), (5.0, 4.0, "}}"), (5.0, 6.0, ","),
                                               (40.0, 1000.0, ",")])
def test_more_arguments_goes_on_where_closing_wins_by_less_than_b(tokenizer, gap, lean, picked):
    """After the required `city`, `unit` may follow: `,` gets +b where `}}` would win, so it is
    written exactly when `}}` leads by less than b."""
    assert _lean(tokenizer, CITY_GIVEN, "}}", ",", gap, lean)[0] == picked


def test_more_arguments_leaves_every_other_step_alone(tokenizer):
    # Going on already wins: nothing to add (and nothing counted).
    assert _lean(tokenizer, CITY_GIVEN, ",", "}}", 1.0, 6.0) == (",", 0)
    # Nothing left to go on to: `unit` is written, only closing is allowed.
    picked, leaned = _lean(tokenizer, CITY_GIVEN + ', "unit": "celsius"', ",", "}}", 5.0, 1000.0)
    assert (picked, leaned) == ("}}", 0)
    # Inside a free string `,` is only a character: closing the string and the object (`"}`)
    # loses to closing the string and going on (`",`), never to a comma in the city's name.
    assert _lean(tokenizer, CITY_GIVEN[:-len('me"')], '"}', ",", 5.0, 1000.0) == ('",', 1)


def test_more_arguments_needs_the_token_kinds():
    with pytest.raises(ConstraintError, match="make_constraint or constraint_factory"):
        GrammarConstraint(None, 10, [0], more_arguments=1.0)


LAMP = {"name": "set_lamp", "description": "Switch a lamp", "parameters": {"type": "object", "properties": {
    "room": {"type": "string", "enum": ["kitchen", "hall"]}, "flicker": {"type": "boolean"},
    "colour": {"type": "string", "enum": ["warm", "cold"]}}, "required": ["room"]}}


def test_tiny_random_model_leaning_hard_writes_every_argument(tiny_model_dir: Path):
    """With a huge lean a call closes only when no argument is left: every call of every reply
    ends with its tool's last property (and still validates); with b = 0 the replies are those of
    the plain grammar, token for token. (No free strings: the tiny model's 259-token vocabulary
    is below FREE_TEXT_TOKENS, so it cannot tell the inside of a string.)"""
    from smolcall.generation import generate_replies
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    tools = [LAMP, FAN]
    conversations = [_conversation(tools, text) for text in ("hall lamp", "fan", "flicker the kitchen lamp", "warm")]

    def replies(**options):
        return [r.text for r in generate_replies(
            model, tokenizer, conversations, max_tokens=300, batch_size=4,
            logits_processors_factory=constraint_factory(tokenizer, allow_text=False, max_tokens=300, **options))]

    plain, zero, hard = replies(), replies(more_arguments=0.0), replies(more_arguments=1000.0)
    assert zero == plain
    by_name = {t["name"]: t for t in tools}
    lamp_calls = 0
    for text in hard:
        assert_valid_reply(text, tools, must_call=True)
        for call in parse_reply(text).calls:
            # The grammar keeps the schema's order and may skip an optional key, so "nothing left"
            # means the last key written is the tool's last property.
            assert list(call.arguments)[-1] == list(by_name[call.name]["parameters"]["properties"])[-1], text
            lamp_calls += call.name == "set_lamp"
    assert lamp_calls  # the lean had optional arguments to write


@pytest.mark.parametrize("request_text, key, schema, named", [
    ("Find the distance between New York and Boston, accounting for terrain.", "consider_terrain",
     {"type": "boolean"}, True),
    ("Find out the possible punishments for theft in California in detail.", "detail_level",
     {"type": "string", "enum": ["basic", "detailed"]}, True),
    ("A recipe with less than 500 calories", "maxCalories", {"type": "integer"}, True),
    ("Identify a small green bird in forest.", "size", {"type": "string", "enum": ["small", "large"]}, True),
    ("Identify a smaller bird.", "size", {"type": "string", "enum": ["small", "large"]}, False),  # whole values
    ("What is the weather in Paris?", "unit", {"type": "string"}, False),
    ("Include the owners in the record", "include_owner", {"type": "boolean"}, True),  # "owner", not "include"
    ("Include everything you have", "include_owner", {"type": "boolean"}, False),  # "include" alone names nothing
    ("Stock price for the next 3 days", "day", {"type": "integer"}, False),  # under STATED_WORD letters
])
def test_named_by(request_text, key, schema, named):
    from smolcall.constrain import named_by

    assert named_by(request_text, key, schema) is named


def _stated(tokenizer, text: str, tools=(WEATHER, BOOK)):
    from smolcall.constrain import StatedArguments

    return StatedArguments.for_conversation(_conversation(list(tools), text), list(tools), ll_tokenizer(tokenizer))


def test_stated_arguments_go_on_to_the_next_named_key(tokenizer):
    stated = _stated(tokenizer, "Weather in Rome in celsius please, unit matters")
    assert stated.named["get_weather"] == [("city", False), ("unit", True)]  # city is required: never forced
    key, tokens = stated.going_on(CITY_GIVEN, in_string=False)
    assert key == "unit" and tokenizer.decode(tokens) == ', "unit":'
    # Inside the free string of the city: the string closes first.
    key, tokens = stated.going_on(CITY_GIVEN[:-len('me"')], in_string=True)
    assert tokenizer.decode(tokens) == '", "unit":'
    # Written already, or nothing named: nothing to go on to.
    assert stated.going_on(CITY_GIVEN + ', "unit": "celsius"', in_string=False) is None
    assert _stated(tokenizer, "Weather in Rome").going_on(CITY_GIVEN, in_string=False) is None
    # Inside a nested object (BOOK's slot) the point is not the arguments' own: nothing.
    nested = '<functioncall> {"name": "book_meeting", "arguments": {"title": "Budget", "slot": {"day": "mon"'
    assert _stated(tokenizer, "Book it monday, any hour").going_on(nested, in_string=False) is None
    # Only keys after the last one written: the grammar keeps the schema's order.
    order = {"name": "f", "parameters": {"type": "object", "properties": {
        "a": {"type": "boolean"}, "b": {"type": "integer"}, "c": {"type": "boolean"}}, "required": ["b"]}}
    stated = _stated(tokenizer, "alpha and charlie", tools=[{**order, "parameters": {**order["parameters"], "properties": {
        "alpha": {"type": "boolean"}, "b": {"type": "integer"}, "charlie": {"type": "boolean"}}}}])
    assert stated.going_on('<functioncall> {"name": "f", "arguments": {"b": 2', in_string=False)[0] == "charlie"


def test_stated_arguments_force_the_key_where_the_call_would_close(tokenizer):
    """In the grammar: where `}}` would win, only the tokens of `, "unit":` are allowed, one by
    one; then the value is the model's (any unit the enum allows)."""
    import mlx.core as mx

    vocab = ll_tokenizer(tokenizer).vocab_size
    conversation = _conversation([WEATHER], "Weather in Rome in celsius, unit matters")
    prompt = tokenizer.encode("<|im_start|>assistant\n", add_special_tokens=False)
    constraint = constraint_factory(tokenizer, allow_text=False, stated_arguments=True)(conversation, prompt)[0]
    favour_close = np.full(vocab, -50.0, dtype=np.float32)
    favour_close[tokenizer.encode("}}", add_special_tokens=False)[0]] = 10.0
    reply = prompt + tokenizer.encode(CITY_GIVEN, add_special_tokens=False)
    written = []
    for _ in range(4):  # `,` ` "` `unit` `":`
        logits = constraint(mx.array(reply + written), mx.array(favour_close[None]))
        allowed = [i for i, ok in enumerate((logits[0] > float("-inf")).tolist()) if ok]
        assert len(allowed) == 1
        written += allowed
    assert tokenizer.decode(written) == ', "unit":' and constraint.went_on == ["unit"]
    values = [tokenizer.decode([t]) for t in _allowed(constraint, reply + written, vocab)]
    assert ' "' in values  # the value's opening quote: from here on the model chooses


def test_tiny_random_model_writes_the_arguments_the_request_names(tiny_model_dir: Path):
    """A random model closes calls anywhere; with stated arguments every call holds the optional
    arguments its request names, and a request that names none gets the plain grammar's reply."""
    from smolcall.generation import generate_replies
    from smolcall.models import load_model

    model, tokenizer, _ = load_model(str(tiny_model_dir))
    texts = {"a flickering hall lamp": {"flicker"}, "a warm kitchen light": {"colour"},
             "flicker it, warm": {"flicker", "colour"}, "hall lamp": set()}
    conversations = [_conversation([LAMP], text) for text in texts]

    def replies(**options):
        return [r.text for r in generate_replies(
            model, tokenizer, conversations, max_tokens=300, batch_size=4,
            logits_processors_factory=constraint_factory(tokenizer, allow_text=False, max_tokens=300, **options))]

    plain, stated = replies(), replies(stated_arguments=True)
    missed = [named - set(call.arguments) for named, before in zip(texts.values(), plain)
              for call in parse_reply(before).calls]
    assert any(missed)  # without it the random model leaves out a named argument
    for (text, named), before, after in zip(texts.items(), plain, stated):
        assert_valid_reply(after, [LAMP], must_call=True)
        if not named:
            assert after == before
        for call in parse_reply(after).calls:
            assert named <= set(call.arguments), (text, after)
