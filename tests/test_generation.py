"""Batched generation on the tiny random model: order, bounds, stop tokens, the logits hook."""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before mlx.core)

import mlx.core as mx
import pytest

from smolcall.generation import encode_conversation, generate_replies, stop_token_ids
from smolcall.models import load_model

CONVERSATIONS = [
    [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi " * n}]
    for n in (9, 1, 30, 4, 17)
]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    model, tokenizer, _ = load_model(str(tiny_model_dir))
    return model, tokenizer


def test_stop_tokens(tiny):
    _, tokenizer = tiny
    vocab = tokenizer.get_vocab()
    assert {vocab["<|im_end|>"], vocab["<|endoftext|>"]} <= set(stop_token_ids(tokenizer))


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_replies_in_input_order_and_bounded(tiny, batch_size):
    model, tokenizer = tiny
    seen = {}
    replies = generate_replies(model, tokenizer, CONVERSATIONS, max_tokens=7, batch_size=batch_size,
                               on_reply=lambda i, r: seen.setdefault(i, r))
    assert len(replies) == len(CONVERSATIONS) and seen == dict(enumerate(replies))
    for conversation, reply in zip(CONVERSATIONS, replies):
        assert reply.prompt_tokens == len(encode_conversation(tokenizer, conversation))
        assert 1 <= reply.completion_tokens <= 7
        assert reply.finish_reason in ("stop", "length") and reply.seconds >= 0
        if reply.finish_reason == "length":
            assert reply.completion_tokens == 7


def test_batching_matches_one_at_a_time(tiny):
    model, tokenizer = tiny
    one = generate_replies(model, tokenizer, CONVERSATIONS, max_tokens=8, batch_size=1)
    many = generate_replies(model, tokenizer, CONVERSATIONS, max_tokens=8, batch_size=8)
    assert [r.text for r in one] == [r.text for r in many]


def test_logits_processor_hook(tiny):
    """A per-conversation processor sees the prompt then the generated tokens, and steers output."""
    model, tokenizer = tiny
    vocab = tokenizer.get_vocab()
    forced = [vocab["a"], vocab["b"], vocab["c"], vocab["<|im_end|>"]]
    calls = []

    def factory(conversation, prompt_tokens):
        def force_abc(tokens, logits):
            generated = tokens.tolist()[len(prompt_tokens):]
            assert tokens.tolist()[:len(prompt_tokens)] == prompt_tokens
            allowed = mx.arange(logits.shape[-1]) == forced[min(len(generated), len(forced) - 1)]
            return mx.where(allowed, logits, -mx.inf)

        calls.append(conversation)
        return [force_abc]

    replies = generate_replies(model, tokenizer, CONVERSATIONS[:3], max_tokens=10, batch_size=2,
                               logits_processors_factory=factory)
    assert sorted(map(str, calls)) == sorted(map(str, CONVERSATIONS[:3]))  # once each, in any order
    assert [(r.text, r.finish_reason, r.completion_tokens) for r in replies] == [("abc", "stop", 4)] * 3


def test_bad_arguments(tiny):
    model, tokenizer = tiny
    assert generate_replies(model, tokenizer, [], max_tokens=4) == []
    with pytest.raises(ValueError, match="max_tokens"):
        generate_replies(model, tokenizer, CONVERSATIONS, max_tokens=0)
