"""Batched greedy generation for chat prompts, with bounded output.

    >>> replies = generate_replies(model, tokenizer, [[{"role": "user", "content": "Hi"}]], max_tokens=32)  # doctest: +SKIP
    >>> replies[0]                                                                # doctest: +SKIP
    Reply(text='Hello! How can I help you today?', prompt_tokens=23, completion_tokens=9,
          seconds=0.61, finish_reason='stop')

On a CPU a decode step of a small model costs about the same for 1 sequence as for 16: it is
bound by reading the weights, not by arithmetic. So the conversations go through mlx-lm's
`BatchGenerator` (continuous batching: a finished sequence's slot is refilled from the queue),
sorted by prompt length so that sequences prefilled together need little padding.

Per-conversation logits processors (for grammar-constrained decoding) plug in through
`logits_processors_factory(conversation, prompt_tokens) -> [processor, ...]`. mlx-lm calls each
processor as `processor(tokens, logits) -> logits`, where `tokens` is a 1-D `mx.array` of the
prompt followed by the tokens generated so far (so the generated part is
`tokens[len(prompt_tokens):]`) and `logits` has shape (1, vocab).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Chat-end tokens across the templates smolcall meets (ChatML, SmolLM2, Qwen).
STOP_TOKENS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>")
DEFAULT_MAX_TOKENS = 256
DEFAULT_BATCH_SIZE = 16
# How many prompts are prefilled together; a few at a time keeps first replies coming early.
PREFILL_BATCH_SIZE = 8

LogitsProcessor = Callable[[Any, Any], Any]
LogitsProcessorsFactory = Callable[[list[dict], list[int]], Sequence[LogitsProcessor]]


@dataclass(frozen=True)
class Reply:
    """One generated reply. `completion_tokens` counts every token decoded, the stop token too
    (it is not in `text`). `seconds` runs from the start of its prefill to its last token, so it
    includes time shared with the other sequences of its batch."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str  # "stop" (end of turn) or "length" (hit max_tokens)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def stop_token_ids(tokenizer) -> list[int]:
    """The ids that end a reply: the tokenizer's EOS ids plus any chat-end token it knows.

        SmolLM2 -> [0, 2]   (<|endoftext|>, <|im_end|>)
    """
    ids = set(getattr(tokenizer, "eos_token_ids", None) or [])
    if getattr(tokenizer, "eos_token_id", None) is not None:
        ids.add(tokenizer.eos_token_id)
    vocab = tokenizer.get_vocab()
    ids.update(vocab[t] for t in STOP_TOKENS if t in vocab)
    return sorted(ids)


def encode_conversation(tokenizer, conversation: list[dict]) -> list[int]:
    """The prompt tokens for a conversation, ending with the assistant header.

        [system, user] -> '<|im_start|>system\\n...<|im_end|>\\n<|im_start|>user\\n...<|im_end|>\\n<|im_start|>assistant\\n'
    """
    tokens = tokenizer.apply_chat_template(conversation, add_generation_prompt=True, tokenize=True)
    # transformers 5 may hand back a BatchEncoding instead of a list.
    if not isinstance(tokens, list):
        tokens = list(tokens["input_ids"])
    return tokens


def generate_replies(
    model,
    tokenizer,
    conversations: list[list[dict]],
    max_tokens: int = DEFAULT_MAX_TOKENS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    logits_processors_factory: LogitsProcessorsFactory | None = None,
    on_reply: Callable[[int, Reply], None] | None = None,
) -> list[Reply]:
    """Greedy replies to each conversation, in input order.

    At most `batch_size` sequences decode together; each stops at a stop token (not included in
    the text) or after `max_tokens` tokens. `on_reply(index, reply)` runs as each one finishes,
    so callers can save results while the rest are still generating.

    Raises ValueError when `max_tokens` or `batch_size` is below 1.
    """
    if max_tokens < 1 or batch_size < 1:
        raise ValueError(f"max_tokens ({max_tokens}) and batch_size ({batch_size}) must be at least 1")
    if not conversations:
        return []
    from mlx_lm.generate import BatchGenerator

    prompts = [encode_conversation(tokenizer, c) for c in conversations]
    # Similar lengths side by side: prompts prefilled together are right-padded to the longest.
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    processors = None
    if logits_processors_factory is not None:
        processors = [list(logits_processors_factory(conversations[i], prompts[i])) for i in order]

    generator = BatchGenerator(
        model,
        max_tokens=max_tokens,
        stop_tokens=[[t] for t in stop_token_ids(tokenizer)],
        completion_batch_size=batch_size,
        prefill_batch_size=min(PREFILL_BATCH_SIZE, batch_size),
    )
    replies: list[Reply | None] = [None] * len(prompts)
    try:
        uids = generator.insert([prompts[i] for i in order], [max_tokens] * len(order), logits_processors=processors)
        index_of = dict(zip(uids, order))
        tokens: dict[int, list[int]] = {uid: [] for uid in uids}
        started: dict[int, float] = {}
        while True:
            step_start = time.perf_counter()
            prompt_responses, generation_responses = generator.next()
            if not prompt_responses and not generation_responses:
                break
            for response in prompt_responses:
                started.setdefault(response.uid, step_start)
            for response in generation_responses:
                # The stop token ends the reply but is not part of it.
                if response.finish_reason != "stop":
                    tokens[response.uid].append(response.token)
                if response.finish_reason is None:
                    continue
                i = index_of[response.uid]
                reply = Reply(
                    text=tokenizer.decode(tokens[response.uid]),
                    prompt_tokens=len(prompts[i]),
                    completion_tokens=len(tokens[response.uid]) + (response.finish_reason == "stop"),
                    seconds=time.perf_counter() - started.get(response.uid, step_start),
                    finish_reason=response.finish_reason,
                )
                replies[i] = reply
                if on_reply is not None:
                    on_reply(i, reply)
    finally:
        generator.close()
    missing = [i for i, r in enumerate(replies) if r is None]
    if missing:
        raise RuntimeError(f"the batch generator returned no reply for {len(missing)} of {len(prompts)} prompts "
                           f"(first: index {missing[0]})")
    return replies  # type: ignore[return-value]
