"""Fast grammar-guided greedy decoding for routing: fewer, cheaper forward passes per call.

On a CPU, one decode step of SmolLM2-135M in float32 costs about as much as running several
tokens at once: the step is bound by reading the weights, not by arithmetic. So a call is
written in as few forward passes as possible, each feeding every token already known:

- the KV cache of the last prompt is reused (the system prompt with the tools is shared by
  every request), so a request runs only its own tokens;
- tokens the grammar forces (`<functioncall> {"name": "`, the rest of a function name once it
  is unambiguous, `", "arguments": {"city": "`) are appended without asking the model;
- draft tokens are proposed by looking up the text written so far in the user's message (an
  argument value is usually copied from it: "17 * 23 + 4", "New York") and verified in the same
  pass, the greedy rule deciding: a draft token is kept only if it is the model's own masked
  argmax there, so the reply is the one plain greedy decoding would write;
- the vocabulary projection runs only over the tokens the grammar allows (all of them inside a
  free string, a handful when choosing between function names, none when one is forced);
- decoding stops as soon as the grammar is complete (the call's JSON closed): no stop token run.

    >>> decoder = GuidedDecoder(chat)                                                 # doctest: +SKIP
    >>> result = decoder.generate(conversation, make_constraint(tok, tools, allow_text=False,
    ...                                                         max_calls=1), max_tokens=160)
    >>> result.text, result.passes
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}', 3)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from smolcall.generation import encode_conversation, stop_token_ids

# Drafts: at most this many tokens per pass, from a match of at least MIN_MATCH characters.
DRAFT_TOKENS = 8
MIN_MATCH = 2
# Up to this many allowed tokens, the projection gathers their rows instead of running all 49k.
GATHER_LIMIT = 4096


@dataclass
class GuidedResult:
    """One guided reply: text, token counts, and how the work was done."""

    text: str
    tokens: list[int]
    prompt_tokens: int
    cached_tokens: int
    passes: int  # forward passes of the model
    forced: int  # tokens the grammar forced (never chosen by the model)
    drafted: int  # draft tokens proposed
    accepted: int  # draft tokens the model confirmed
    seconds: float
    finish_reason: str  # "stop": the grammar completed or a stop token; "length": max_tokens


def _projection(model) -> tuple[Any, Any | None]:
    """(full projection callable, float weight matrix to gather rows from, or None if quantized)."""
    import mlx.nn as nn

    if hasattr(model, "lm_head"):
        head = model.lm_head
        weight = head.weight if type(head) is nn.Linear and "bias" not in head else None
        return head, weight
    embed = model.model.embed_tokens
    return embed.as_linear, embed.weight if type(embed) is nn.Embedding else None


def draft_from(source: str, written: str, tokenizer, limit: int = DRAFT_TOKENS) -> list[int]:
    """Tokens that would continue `written` if it goes on copying `source` (the user's message).

    Finds the longest tail of `written` (at least MIN_MATCH characters, at most 32; a single
    digit too, since SmolLM2 writes numbers one digit per token) that occurs in `source`, and
    tokenizes what follows its last occurrence.
        draft_from("What is 17 * 23 + 4?", '{"expression": "17', tok) -> tokens of " * 23 + 4?"
    """
    best = -1
    shortest = 1 if written[-1:].isdigit() else MIN_MATCH
    for size in range(min(32, len(written)), shortest - 1, -1):
        at = source.rfind(written[-size:])
        if at >= 0:
            best = at + size
            break
    if best < 0 or best >= len(source):
        return []
    return tokenizer.encode(source[best : best + 64], add_special_tokens=False)[:limit]


class GuidedDecoder:
    """Greedy, grammar-guided decoding over a ChatModel's KV cache (see the module docstring).

    Call `generate` with the ChatModel's lock held (the agent's generators do).
    """

    def __init__(self, chat, draft: bool = True, gather: bool = True):
        self.chat = chat
        self.draft = draft
        self.project, self.weight = _projection(chat.model)
        if not gather:
            self.weight = None
        self.stops = set(stop_token_ids(chat.tokenizer))

    def _choose(self, hidden, allowed: np.ndarray) -> int:
        """The masked argmax at one position (hidden: [d])."""
        import mlx.core as mx

        ids = np.flatnonzero(allowed)
        if len(ids) == 0:
            raise RuntimeError("the grammar allows no token here")
        if len(ids) == 1:
            return int(ids[0])
        if self.weight is not None and len(ids) <= GATHER_LIMIT:
            rows = mx.array(ids.astype(np.int32))
            logits = (self.weight[rows] @ hidden).astype(mx.float32)
            return int(ids[int(mx.argmax(logits).item())])
        logits = self.project(hidden[None])[0].astype(mx.float32)
        vocab = logits.shape[-1]
        mask = mx.array(allowed[:vocab] if len(allowed) >= vocab else np.pad(allowed, (0, vocab - len(allowed))))
        return int(mx.argmax(mx.where(mask, logits, float("-inf"))).item())

    def generate(self, conversation: list[dict], constraint, max_tokens: int = 160,
                 source: str | None = None) -> GuidedResult:
        """Greedy reply to `conversation` inside `constraint`'s grammar (a fresh GrammarConstraint).

        `source` is the text drafts are copied from (default: the last user message).
        """
        import mlx.core as mx
        from mlx_lm.models.cache import trim_prompt_cache

        chat, tokenizer, matcher = self.chat, self.chat.tokenizer, constraint.matcher
        start = time.perf_counter()
        if source is None:
            source = next((m.get("content") or "" for m in reversed(conversation) if m.get("role") == "user"), "")
        prompt = encode_conversation(tokenizer, conversation)
        reused = chat.reuse_prefix(prompt)
        fed = list(prompt[:reused])  # what the cache holds
        pending = list(prompt[reused:])  # known tokens not yet run
        emitted: list[int] = []
        passes = forced = drafted = accepted = 0
        finish = "length"
        try:
            while len(emitted) < max_tokens:
                # 1. Whatever the grammar forces goes in without the model.
                for token in matcher.compute_ff_tokens()[: max_tokens - len(emitted)]:
                    if not matcher.consume_token(token):
                        raise RuntimeError(f"forced token {token} refused: {matcher.get_error()}")
                    emitted.append(token)
                    pending.append(token)
                    forced += 1
                if self._complete(constraint) or len(emitted) >= max_tokens:
                    finish = "stop" if self._complete(constraint) else "length"
                    break
                # 2. Drafts copied from the user's message, cut where the grammar refuses them.
                drafts: list[int] = []
                if self.draft and emitted:
                    proposal = draft_from(source, tokenizer.decode(emitted), tokenizer)
                    proposal = proposal[: max(0, max_tokens - len(emitted) - 1)]
                    if proposal:
                        ok = matcher.try_consume_tokens(proposal)
                        matcher.rollback(ok)
                        drafts = proposal[:ok]
                        drafted += len(drafts)
                # 3. One forward pass over everything known, then greedy choices along the drafts.
                hidden = chat.model.model(mx.array([pending + drafts]), cache=chat.cache)[0]
                passes += 1
                fed += pending + drafts
                base = len(pending) - 1
                kept = 0
                choice = None
                for i in range(len(drafts) + 1):
                    choice = self._choose(hidden[base + i], constraint.allowed_tokens())
                    if i < len(drafts) and choice == drafts[i]:
                        matcher.consume_token(choice)
                        emitted.append(choice)
                        kept += 1
                        choice = None
                        if self._complete(constraint):
                            break
                    else:
                        break
                accepted += kept
                rejected = len(drafts) - kept
                if rejected:
                    trim_prompt_cache(chat.cache, rejected)
                    del fed[len(fed) - rejected :]
                if choice is None:  # the grammar completed on a kept draft
                    finish = "stop"
                    break
                if choice in self.stops:
                    finish = "stop"
                    break
                if not matcher.consume_token(choice):
                    raise RuntimeError(f"chosen token {choice} refused: {matcher.get_error()}")
                emitted.append(choice)
                pending = [choice]
                if self._complete(constraint):
                    finish = "stop"
                    break
            mx.eval([c.state for c in chat.cache])
        except BaseException:
            chat.cache, chat.cached = None, []
            raise
        chat.cached = fed[: chat.cache[0].offset]
        return GuidedResult(tokenizer.decode(emitted), emitted, len(prompt), reused, passes, forced, drafted,
                            accepted, time.perf_counter() - start, finish)

    def _complete(self, constraint) -> bool:
        """The grammar is done: nothing but a stop token may follow."""
        matcher = constraint.matcher
        if matcher.is_stopped():
            return True
        if not matcher.is_accepting():
            return False
        allowed = np.flatnonzero(constraint.allowed_tokens())
        return all(int(t) in self.stops for t in allowed)
