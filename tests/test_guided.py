"""Guided decoding (smolcall.guided): the same greedy reply as plain constrained decoding, in
fewer forward passes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_constrain import BOOK, CONVERT, LAMP, NOW, WEATHER

from smolcall.calls import parse_reply
from smolcall.constrain import constraint_factory, make_constraint
from smolcall.generation import encode_conversation, stop_token_ids
from smolcall.guided import (Choice, GuidedDecoder, GuidedResult, call_spans, contrasted, cut_before, draft_from,
                             first_repeat, open_string, structure_draft, without_request)
from smolcall.prompt import system_prompt
from smolcall.scoring import schema_errors

QUERIES = [
    ([WEATHER, CONVERT, BOOK, NOW], "What's the weather like in Paris right now?"),
    ([WEATHER, CONVERT, BOOK, NOW], "How much is 250 US dollars in euros?"),
    ([CONVERT, NOW], "Convert 10 GBP to JPY please."),
    ([BOOK, WEATHER], "Book a meeting called Budget review on Tuesday at 10 with Ana and Bo."),
    ([WEATHER, NOW], "What time is it?"),
]


def _conversation(tools: list[dict], text: str) -> list[dict]:
    return [{"role": "system", "content": system_prompt(tools, "compact")}, {"role": "user", "content": text}]


@pytest.fixture(scope="module")
def tokenizer(embedded_model_dir: Path):
    from mlx_lm.utils import load_tokenizer

    return load_tokenizer(embedded_model_dir)


def test_drafts_copy_what_follows_in_the_users_message(tokenizer):
    draft = draft_from("What is 17 * 23 + 4?", '<functioncall> {"name": "calc", "arguments": {"expression": "17', tokenizer)
    assert tokenizer.decode(draft).startswith(" * 23 + 4?")
    assert draft_from("Weather in New York please", '"city": "New', tokenizer, limit=2) == \
        tokenizer.encode(" York please", add_special_tokens=False)[:2]
    assert draft_from("Hello there", '{"x": "zz', tokenizer) == []  # no match of 2+ characters
    assert tokenizer.decode(draft_from("Add 250 and 3", '{"a": 2', tokenizer)).startswith("50 and")  # digits: 1 is enough
    assert draft_from("Paris", '"Paris', tokenizer) == []  # nothing left to copy


def test_structure_drafts_guess_the_name_and_the_closing(tokenizer):
    names = ["get_weather", "convert_currency", "get_current_time"]
    assert open_string('<functioncall> {"name": "get') == "get" and open_string('{"a": 1') is None
    assert open_string('{"a": "x\\"y') == 'x\\"y'  # an escaped quote does not close the string
    # The rest of the name the request's words point to, split as the model writes it.
    name = structure_draft('<functioncall> {"name": "get', names, "What time is it in Tokyo?", tokenizer)
    assert tokenizer.decode(name) == "_current_time"
    assert [tokenizer.decode([t]) for t in name] == ["_", "current", "_", "time"]
    assert structure_draft('<functioncall> {"name": "get', names, "Is it raining?", tokenizer) == []  # no pointer
    # Inside an argument value with nothing to copy: close the value and the call.
    closing = structure_draft('<functioncall> {"name": "x", "arguments": {"zone": "UTC', names, "", tokenizer)
    assert [tokenizer.decode([t]) for t in closing] == ['"', "}}"]
    assert structure_draft('<functioncall> {"name": "x", "arguments": {"zone": "UTC"', names, "", tokenizer) == []


def _compare(chat, tools, query, max_tokens=96, allow_text=False, max_calls=1, engine="auto"):
    """(guided result, plain constrained greedy text) for one query on one ChatModel."""
    conversation = _conversation(tools, query)
    chat.cache, chat.cached = None, []
    plain = chat.generate(conversation, max_tokens,
                          constraint_factory(chat.tokenizer, allow_text=allow_text, max_calls=max_calls))
    chat.cache, chat.cached = None, []
    guided = GuidedDecoder(chat, engine=engine).generate(
        conversation, make_constraint(chat.tokenizer, tools, allow_text=allow_text, max_calls=max_calls), max_tokens)
    return guided, plain


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_guided_writes_the_plain_greedy_reply_on_a_random_model(tiny_model_dir: Path, engine: str):
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    for tools, query in QUERIES[:3]:
        guided, plain = _compare(chat, tools, query, max_tokens=48, engine=engine)
        # Plain decoding also runs (and returns) the stop token after a complete call; guided stops first.
        assert plain.text.startswith(guided.text) and guided.text, (guided.text, plain.text)
        assert guided.passes < len(guided.tokens)
        assert guided.forced > 0


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_guided_stated_arguments_write_the_plain_stated_reply(tiny_model_dir: Path, engine: str):
    """Stated arguments in guided decoding: where the model's pick would close a call with a named
    optional argument left, `, "key":` goes in instead, and the reply is the one mlx-lm's
    decoding writes with the same constraint, token for token; the random model's replies without
    it leave a named argument out (so the check can fail)."""
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    texts = {"a flickering hall lamp": {"flicker"}, "a warm kitchen light": {"colour"},
             "flicker it, warm": {"flicker", "colour"}, "hall lamp": set()}
    missed = 0
    for text, named in texts.items():
        conversation = _conversation([LAMP], text)
        chat.cache, chat.cached = None, []
        plain = chat.generate(conversation, 200, constraint_factory(chat.tokenizer, allow_text=False, max_calls=1,
                                                                   stated_arguments=True))
        decoder = GuidedDecoder(chat, engine=engine)
        before = decoder.generate(conversation, constraint_factory(chat.tokenizer, allow_text=False, max_calls=1)(
            conversation, [])[0], 200)
        constraint = constraint_factory(chat.tokenizer, allow_text=False, max_calls=1, stated_arguments=True)(
            conversation, [])[0]
        guided = decoder.generate(conversation, constraint, 200, weigh=True)
        assert plain.text.startswith(guided.text) and guided.text, (guided.text, plain.text)
        assert guided.finish_reason == "stop" and len(guided.choices) == len(guided.tokens)
        (call,) = parse_reply(guided.text).calls
        assert named <= set(call.arguments), (text, guided.text)
        assert set(constraint.went_on) <= named
        (was,) = parse_reply(before.text).calls
        missed += bool(named - set(was.arguments))
        if not named:
            assert guided.text == before.text
    assert missed


def test_contrast_favours_what_the_request_adds():
    """Three allowed tokens: the model's favourite with the request (0) is as likely without it;
    token 1, a little less likely with the request, is far less likely without it: contrast picks 1.
    Token 2 gains most from the request but is below the plausibility cut, so it never wins."""
    with_request = np.log(np.array([0.50, 0.46, 0.04]))
    without = np.log(np.array([0.50, 0.05, 0.45]))
    plain = contrasted(with_request, without, 0.0)
    assert int(np.argmax(plain)) == 0 and np.allclose(np.exp(plain[:2]), [0.50 / 0.96, 0.46 / 0.96])
    score = contrasted(with_request, without, 0.5)
    assert int(np.argmax(score)) == 1
    assert np.isclose(np.exp(score).sum(), 1.0)
    assert score[2] == -np.inf  # 0.04 < 0.1 x 0.5: left out, though the request raised it least


def test_without_request_empties_the_last_user_message_only():
    conversation = [{"role": "system", "content": "tools"}, {"role": "user", "content": "first"},
                    {"role": "assistant", "content": "ok"}, {"role": "user", "content": "Weather in Rome?"}]
    assert without_request(conversation) == conversation[:3] + [{"role": "user", "content": ""}]
    assert conversation[3]["content"] == "Weather in Rome?"  # the caller's list is left as it was
    with pytest.raises(ValueError, match="needs a user message"):
        without_request(conversation[:1])


def _contrast_reference(chat, conversation: list[dict], constraint, alpha: float, max_tokens: int) -> str:
    """Contrast decoding the slow way: mlx-lm's model on two KV caches, one token a pass, each
    allowed choice by `contrasted`."""
    import mlx.core as mx
    from mlx_lm.models.cache import make_prompt_cache

    model, tokenizer = chat.model, chat.tokenizer
    stops = set(stop_token_ids(tokenizer))
    prompts = [encode_conversation(tokenizer, conversation), encode_conversation(tokenizer, without_request(conversation))]
    caches = [make_prompt_cache(model), make_prompt_cache(model)]

    def run(tokens, cache):
        return np.array(model(mx.array([tokens]), cache=cache)[0, -1].astype(mx.float32))

    logits = [run(p, c) for p, c in zip(prompts, caches)]
    done = GuidedDecoder(chat, engine="mlx")._complete
    out: list[int] = []
    while len(out) < max_tokens and not done(constraint):
        ids = np.flatnonzero(constraint.allowed_tokens())
        ids = ids[ids < len(logits[0])]
        pick = 0 if len(ids) == 1 else int(np.argmax(contrasted(logits[0][ids].astype(np.float64),
                                                                 logits[1][ids].astype(np.float64), alpha)))
        token = int(ids[pick])
        if token in stops:
            break
        assert constraint.matcher.consume_token(token)
        out.append(token)
        logits = [run([token], c) for c in caches]
    return tokenizer.decode(out)


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_guided_contrast_writes_the_reference_contrast_reply(tiny_model_dir: Path, engine: str):
    """Guided decoding with contrast (drafts, a second cache, gathered logits) writes what the slow
    two-cache reference writes, token for token; and it weighs the tokens otherwise than plain
    decoding does, so the comparison is not plain greedy decoding twice (the random model's
    replies are too peaked for the contrast to change a token)."""
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    decoder = GuidedDecoder(chat, engine=engine, contrast=1.0)
    plain_decoder = GuidedDecoder(chat, engine=engine)
    changed = 0
    for tools, query in QUERIES[:4]:
        conversation = _conversation(tools, query)
        make = constraint_factory(chat.tokenizer, allow_text=False, max_calls=1)
        reference = _contrast_reference(chat, conversation, make(conversation, [])[0], 1.0, 48)
        guided = decoder.generate(conversation, make(conversation, [])[0], 48, weigh=True)
        assert guided.text == reference, (query, guided.text, reference)
        assert len(guided.choices) == len(guided.tokens)
        plain = plain_decoder.generate(conversation, make(conversation, [])[0], 48, weigh=True)
        changed += [c.logprob for c in guided.choices] != [c.logprob for c in plain.choices]
    assert changed
    with pytest.raises(ValueError, match="contrast is -1"):
        GuidedDecoder(chat, contrast=-1)


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_guided_reuses_the_cache_and_keeps_it_consistent(tiny_model_dir: Path, engine: str):
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    decoder = GuidedDecoder(chat, engine=engine)
    tools = QUERIES[0][0]
    first = decoder.generate(_conversation(tools, "Weather in Rome?"), make_constraint(chat.tokenizer, tools, allow_text=False, max_calls=1), 48)
    second = decoder.generate(_conversation(tools, "Weather in Oslo?"), make_constraint(chat.tokenizer, tools, allow_text=False, max_calls=1), 48)
    assert first.cached_tokens == 0 and second.cached_tokens > 0.8 * second.prompt_tokens
    offset = decoder.passes.llama.offset if engine == "numpy" else chat.cache[0].offset
    assert offset == len(decoder.passes.cached) > second.prompt_tokens
    # The second reply equals a cold run of the same request: the reused cache held the right state.
    decoder.passes.reset()
    cold = decoder.generate(_conversation(tools, "Weather in Oslo?"), make_constraint(chat.tokenizer, tools, allow_text=False, max_calls=1), 48)
    assert cold.text == second.text


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_guided_matches_plain_greedy_on_the_tuned_model(engine: str):
    from smolcall.chat_model import default_adapter, load_chat_model

    adapter = default_adapter()
    if adapter is None:
        pytest.skip("adapters/default is not trained")
    chat = load_chat_model(adapter)
    passes = tokens = 0
    for tools, query in QUERIES:
        guided, plain = _compare(chat, tools, query, engine=engine)
        assert plain.text.startswith(guided.text), (guided.text, plain.text)
        if guided.finish_reason == "stop":  # a call the model never closes runs to max_tokens
            parsed = parse_reply(guided.text)
            assert parsed.ok and len(parsed.calls) == 1 and not schema_errors(parsed.calls, tools)
        passes += guided.passes
        tokens += len(guided.tokens)
    assert passes * 2 < tokens  # at least two tokens per forward pass on average


@pytest.mark.slow
def test_guided_stated_arguments_match_mlx_lm_on_the_tuned_model():
    """BFCL cases where the committed default closed its call before a named optional argument
    (`root_type` "all", `method` "simpson"): guided decoding with stated arguments
    writes the reply mlx-lm's decoding writes with them, and goes on at least once."""
    from smolcall.bfcl import load_category
    from smolcall.chat_model import default_adapter, load_chat_model, trained_prompt_style

    adapter = default_adapter()
    if adapter is None:
        pytest.skip("adapters/default is not trained")
    chat = load_chat_model(adapter)
    wanted = {"simple_python_5", "simple_python_15"}
    cases = [c for c in load_category("simple_python", style=trained_prompt_style(adapter)) if c.id in wanted]
    went_on = []
    for case in cases:
        factory = constraint_factory(chat.tokenizer, allow_text=False, max_tokens=160, stated_arguments=True)
        chat.cache, chat.cached = None, []
        plain = chat.generate(case.messages, 160, factory)
        constraint = factory(case.messages, [])[0]
        guided = GuidedDecoder(chat).generate(case.messages, constraint, 160)
        assert plain.text.startswith(guided.text) and guided.finish_reason == "stop", (guided.text, plain.text)
        went_on += constraint.went_on
    assert len(cases) == 2 and went_on


PARIS = '<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}'
ROME = '<functioncall> {"name": "get_weather", "arguments": {"city": "Rome", "unit": "celsius"}}'


def test_call_spans_find_each_call_and_the_first_repeat(tokenizer):
    # The third call repeats the first with its keys in another order: the same call.
    reordered = '<functioncall> {"arguments": {"city": "Paris"}, "name": "get_weather"}'
    tokens = tokenizer.encode(f"{PARIS}\n{ROME}\n{reordered}", add_special_tokens=False)
    spans = call_spans(tokenizer, tokens)
    assert [tokenizer.decode(tokens[a:b]).strip() for a, b, _ in spans] == [PARIS, ROME, reordered]
    assert spans[0][2] == spans[2][2] != spans[1][2]
    assert first_repeat(spans) == 2 and first_repeat(spans[:2]) is None
    assert first_repeat([(0, 1, None), (1, 2, None)]) is None  # calls that do not parse never repeat
    result = GuidedResult(tokenizer.decode(tokens), tokens, 10, 0, 1, 0, 0, 0, 0.0, "stop",
                          [Choice(0.0)] * len(tokens))
    cut = cut_before(tokenizer, result, spans[2][0])
    assert cut.text == f"{PARIS}\n{ROME}" and tokenizer.decode(cut.tokens) == cut.text
    assert len(cut.choices) == len(cut.tokens)


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_score_weighs_a_reply_as_greedy_decoding_did(tiny_model_dir: Path, engine: str):
    from smolcall.chat_model import load_chat_model

    chat = load_chat_model(base=str(tiny_model_dir))
    decoder = GuidedDecoder(chat, engine=engine)
    tools, query = QUERIES[0]
    conversation = _conversation(tools, query)
    made = decoder.generate(conversation, make_constraint(chat.tokenizer, tools, allow_text=False), 60, weigh=True)
    scored = decoder.score(conversation, make_constraint(chat.tokenizer, tools, allow_text=False), made.tokens)
    assert scored.text == made.text and len(scored.choices) == len(made.choices) == len(made.tokens)
    weighed = [(a, b) for a, b in zip(made.choices, scored.choices) if a.runner_up is not None]
    assert weighed  # the model chose somewhere
    for greedy, again in weighed:
        assert greedy.runner_up == again.runner_up
        assert greedy.logprob == pytest.approx(again.logprob, abs=1e-3)
        assert greedy.logprob >= greedy.runner_up_logprob  # greedy: the choice was the likeliest
    assert all(c.logprob == 0.0 and c.runner_up is None for a, c in zip(made.choices, scored.choices)
               if a.runner_up is None)  # forced tokens: nothing else was allowed
    # A token the grammar refuses is an error that says so, not a silent score.
    bad = chat.tokenizer.encode('<functioncall> {"name": "nope"', add_special_tokens=False)
    with pytest.raises(RuntimeError, match="not allowed|refused"):
        decoder.score(conversation, make_constraint(chat.tokenizer, tools, allow_text=False), bad)


MODE = {"name": "set_mode", "description": "Set the fan mode",
        "parameters": {"type": "object", "properties": {"mode": {"type": "string", "enum": ["eco", "fast", "quiet"]}},
                       "required": ["mode"]}}


@pytest.mark.parametrize("engine", ["mlx", "numpy"])
def test_generate_distinct_replaces_a_repeated_call(tiny_model_dir: Path, engine: str):
    from smolcall.chat_model import load_chat_model
    from smolcall.constrain import grammar_accepts

    chat = load_chat_model(base=str(tiny_model_dir))
    decoder = GuidedDecoder(chat, engine=engine)
    tools = [MODE, WEATHER]
    conversation = _conversation(tools, "Set the fan to eco, then to quiet.")
    eco = '<functioncall> {"name": "set_mode", "arguments": {"mode": "eco"}}'
    repeated = chat.tokenizer.encode(f"{eco}\n{eco}", add_special_tokens=False)

    def constraint():
        return make_constraint(chat.tokenizer, tools, allow_text=False)

    # The repeat's mode (or its function) is where the model can choose: a try there gives a new call.
    # (The budget counts the whole reply: here a byte per token, 131 for the two calls.)
    result = decoder.generate_distinct(conversation, constraint(), 400, first=repeated)
    spans = call_spans(chat.tokenizer, result.tokens)
    assert result.branches >= 1 and result.dropped == 0 and result.text.startswith(eco + "\n"), result.text
    assert len(spans) >= 2 and first_repeat(spans) is None, result.text
    assert result.finish_reason == "length" or grammar_accepts(chat.tokenizer, tools, result.text, allow_text=False)
    # With no try allowed the repeat is cut, and what is left is a whole reply.
    cut = decoder.generate_distinct(conversation, constraint(), 120, first=repeated, branches=0)
    assert (cut.text, cut.dropped, cut.branches) == (eco, 1, 0)
    # A reply without a repeat is left as it was.
    other = chat.tokenizer.encode(f"{eco}\n{PARIS}", add_special_tokens=False)
    kept = decoder.generate_distinct(conversation, constraint(), 120, first=other)
    assert (kept.text, kept.branches, kept.dropped) == (f"{eco}\n{PARIS}", 0, 0)
