"""Fast grammar-guided greedy decoding for routing: fewer, cheaper forward passes per call.

On a CPU, one decode step of SmolLM2-135M in float32 costs about as much as running several
tokens at once (103 ms for 1 token, ~135 ms for 4: per-op overhead and reading the weights, not
arithmetic). So a call is written in as few forward passes as possible, each feeding every
token already known:

- the KV cache of the last prompt is reused (the system prompt with the tools is shared by
  every request), so a request runs only its own tokens;
- tokens the grammar forces (`<functioncall> {"name": "`, the rest of a function name once it
  is unambiguous, `", "arguments": {"city": "`) are appended without asking the model;
- draft tokens are proposed and verified in the same pass, the greedy rule deciding: a draft
  token is kept only if it is the model's own masked argmax there, so the reply is the one plain
  greedy decoding would write. Drafts: the value being written looked up in the user's message
  (values are usually copied: "17 * 23 + 4", "New York"); else inside the function name, the
  rest of the tool name the request's words point to; else inside a value, the call's closing
  `"}}`; each followed by what the grammar then forces, in the model's own token split;
- the vocabulary projection runs only over the tokens the grammar allows (all of them inside a
  free string, in one matmul for every verified position; a handful when choosing between
  function names; none when one is forced);
- decoding stops as soon as the grammar is complete (the call's JSON closed): no stop token run.

    >>> decoder = GuidedDecoder(chat)                                                 # doctest: +SKIP
    >>> result = decoder.generate(conversation, make_constraint(tok, tools, allow_text=False,
    ...                                                         max_calls=1), max_tokens=160)
    >>> result.text, result.passes
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}', 3)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from smolcall.constrain import conversation_tools
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


def open_string(written: str) -> str | None:
    """The text of the JSON string the reply is inside, or None outside every string.

    Scans the last call (after the last `<functioncall>`, else the whole text), minding escapes.
        open_string('<functioncall> {"name": "get') -> 'get';  open_string('{"a": 1') -> None
    """
    marker = written.rfind("<functioncall>")
    text = written[marker + len("<functioncall>") :] if marker >= 0 else written
    inside, escaped, start = False, False, 0
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\" and inside:
            escaped = True
        elif ch == '"':
            inside, start = not inside, i + 1
    return text[start:] if inside else None


def continuation_tokens(tokenizer, context: str, text: str) -> list[int]:
    """Tokens of `text` as the tokenizer splits it after `context` (the model's own split).

    BPE splits a word differently alone and in context ("_current_time" alone vs after "get"),
    and a draft only helps if it is the very token sequence the model would write.
    """
    ids = tokenizer.encode(context + text, add_special_tokens=False)
    for k in range(len(ids), -1, -1):
        if tokenizer.decode(ids[:k]) == context:
            return ids[k:]
    return tokenizer.encode(text, add_special_tokens=False)


def draft_from(source: str, written: str, tokenizer, limit: int = DRAFT_TOKENS) -> list[int]:
    """Tokens that would continue the string (or number) being written if it copies `source`.

    Inside a JSON string (or a number), finds the longest tail of its text (at least MIN_MATCH
    characters, at most 32; a single digit too, since SmolLM2 writes numbers one digit per
    token) that occurs in `source` (the user's message), and tokenizes what follows its last
    occurrence.
        draft_from("What is 17 * 23 + 4?", '{"expression": "17', tok) -> tokens of " * 23 + 4?"
    """
    content = open_string(written)
    if content is None:  # outside strings only a number being written can be copied
        number = re.search(r"-?[0-9][0-9.eE+-]*$", written)
        content = number.group(0) if number else ""
    if not content:
        return []
    best = -1
    shortest = 1 if content[-1:].isdigit() else MIN_MATCH
    for size in range(min(32, len(content)), shortest - 1, -1):
        at = source.rfind(content[-size:])
        if at >= 0:
            best = at + size
            break
    if best < 0 or best >= len(source):
        return []
    return continuation_tokens(tokenizer, content[-8:], source[best : best + 64])[:limit]


def structure_draft(written: str, names: list[str], source: str, tokenizer) -> list[int]:
    """A guess at what comes next when nothing can be copied from the request.

    - Inside the function name with several tools still possible: the rest of the name whose
      words the request mentions most ("time in Tokyo" -> get_current_time over get_weather),
      if exactly one name leads (a blind guess costs ~10 ms per drafted token when wrong).
    - Inside an argument string: close it and the call (`"}}`), the usual end of a one-argument
      call; a wrong guess costs one token of a pass, the greedy check rejects it.
        structure_draft('<functioncall> {"name": "get', ["get_weather", "get_current_time"],
                        "What time is it?", tok) -> tokens of "_current_time"
    """
    content = open_string(written)
    if content is None:
        return []
    head = '{"name": "'
    if written.endswith(head + content) and '"arguments"' not in written[written.rfind(head):]:
        candidates = [n for n in names if n.startswith(content) and n != content]
        if not candidates:
            return []
        asked = set(re.findall(r"[a-z0-9]+", source.lower()))

        def overlap(name: str) -> int:
            return len(set(re.findall(r"[a-z0-9]+", name.lower())) & asked)

        scores = sorted(((overlap(n), n) for n in candidates), key=lambda x: -x[0])
        if scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return []  # no clear pointer in the request: a blind guess costs more than it saves
        best = scores[0][1]
        return continuation_tokens(tokenizer, ' "' + content, best[len(content):])
    if '"arguments": {' in written and content:
        return continuation_tokens(tokenizer, content[-8:], '"}}')
    return []


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

    def _choose(self, hidden, allowed: np.ndarray, full_logits=None) -> int:
        """The masked argmax at one position (hidden: [d]).

        `full_logits()` returns this position's logits over the whole vocabulary when the grammar
        allows too many tokens to gather (the caller projects all verified positions at once).
        """
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
        logits = (full_logits() if full_logits is not None else self.project(hidden[None])[0]).astype(mx.float32)
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
        names = [t["name"] for t in conversation_tools(conversation) if isinstance(t.get("name"), str)]
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
                # 2. Drafts: text copied from the user's message, else a guess at the structure
                # (the rest of the likeliest tool name, or closing the call), cut where the grammar
                # refuses them and followed by whatever the grammar then forces.
                drafts: list[int] = []
                if self.draft and emitted:
                    drafts = self._drafts(constraint, source, tokenizer.decode(emitted), names,
                                          max(0, max_tokens - len(emitted) - 1))
                    drafted += len(drafts)
                # 3. One forward pass over everything known, then greedy choices along the drafts.
                hidden = chat.model.model(mx.array([pending + drafts]), cache=chat.cache)[0]
                passes += 1
                fed += pending + drafts
                base = len(pending) - 1
                kept = 0
                choice = None
                projected: list = []

                def full_logits(i: int):
                    # One projection for every position this pass may verify: the 49k x 576
                    # weight is read once, not once per draft token.
                    if not projected:
                        projected.append(self.project(hidden[base:]))
                    return projected[0][i]

                for i in range(len(drafts) + 1):
                    choice = self._choose(hidden[base + i], constraint.allowed_tokens(), lambda i=i: full_logits(i))
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

    def _drafts(self, constraint, source: str, written: str, names: list[str], limit: int) -> list[int]:
        """Draft tokens for the next pass (see generate); the matcher is left as it was.

        A guess (copied text, a name, a closing) is followed by what the grammar then forces:
        its forced tokens, then its forced text (bytes llguidance knows must come but whose
        tokenization it leaves open, such as `": "` after a key) in the model's own split.
        """
        tokenizer, matcher = self.chat.tokenizer, constraint.matcher
        in_name = open_string(written) is not None and '"arguments"' not in written[written.rfind("<functioncall>"):]
        proposal = (structure_draft(written, names, source, tokenizer) if in_name else
                    draft_from(source, written, tokenizer) or structure_draft(written, names, source, tokenizer))
        drafts: list[int] = []
        consumed = 0
        for _ in range(4):
            if not proposal:
                forced_text = matcher.compute_ff_bytes().decode("utf-8", errors="ignore")
                context = (written + tokenizer.decode(drafts))[-8:]
                proposal = continuation_tokens(tokenizer, context, forced_text) if forced_text else []
            proposal = proposal[: limit - len(drafts)]
            if not proposal:
                break
            ok = matcher.try_consume_tokens(proposal)
            drafts += proposal[:ok]
            consumed += ok
            if ok < len(proposal):
                break
            forced = matcher.compute_ff_tokens()[: limit - len(drafts)]
            extra = matcher.try_consume_tokens(forced) if forced else 0
            drafts += forced[:extra]
            consumed += extra
            proposal = []
        matcher.rollback(consumed)
        return drafts

    def _complete(self, constraint) -> bool:
        """The grammar is done: nothing but a stop token may follow."""
        matcher = constraint.matcher
        if matcher.is_stopped():
            return True
        if not matcher.is_accepting():
            return False
        allowed = np.flatnonzero(constraint.allowed_tokens())
        return all(int(t) in self.stops for t in allowed)
