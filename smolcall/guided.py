"""Fast grammar-guided greedy decoding for routing: fewer, cheaper forward passes per call.

On a CPU, a forward pass of SmolLM2-135M in float32 is bound by reading its weights, not by
arithmetic: a pass of several tokens costs well under that many one-token passes (numpy passes:
52 ms for 1 token, 84 ms for 4, 95 ms for 8; MLX's: 127, 148, 166). So a call is written in as
few forward passes as possible, each feeding every token already known:

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
- decoding stops as soon as the grammar is complete (the call's JSON closed): no stop token run;
- on a CPU, the passes run in numpy over the model's own weights (smolcall.numpy_llama), whose
  one-token passes stream the weights once through sgemv where MLX's sgemm copies them.

Asked to (`weigh=True`), it keeps how the model weighed each emitted token (a Choice: its
log-probability among the allowed tokens, and the runner-up), which `generate_distinct` uses to
replace a call that repeats an earlier one of its reply with the likeliest new call; `score`
weighs a reply another decoder wrote (batched decoding in train/evaluate.py) the same way.

    >>> decoder = GuidedDecoder(chat)                                                 # doctest: +SKIP
    >>> result = decoder.generate(conversation, make_constraint(tok, tools, allow_text=False,
    ...                                                         max_calls=1), max_tokens=160)
    >>> result.text, result.passes
    ('<functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}', 3)
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

import numpy as np

from smolcall.calls import MARKER
from smolcall.constrain import conversation_tools
from smolcall.generation import encode_conversation, stop_token_ids

# Drafts: at most this many tokens per pass, from a match of at least MIN_MATCH characters.
DRAFT_TOKENS = 8
MIN_MATCH = 2
# Up to this many allowed tokens, the projection gathers their rows instead of running all 49k.
GATHER_LIMIT = 4096
# generate_distinct: positions tried, per repeated call, before the repeat is cut.
MAX_BRANCHES = 4
# Contrast (context-aware decoding): only tokens at least this probable among the allowed ones,
# as the model weighs them with the request, may win (the plausibility cut of contrastive decoding).
CONTRAST_PLAUSIBLE = 0.1


@dataclass(frozen=True)
class Choice:
    """One emitted token as the model weighed it: its log-probability among the tokens the
    grammar allowed (0.0 when it was the only one), and the likeliest other allowed token with
    its log-probability (None when there was none, or the token was given)."""

    logprob: float
    runner_up: int | None = None
    runner_up_logprob: float = float("-inf")


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
    # Per emitted token, when weighed (generate(weigh=True), score, generate_distinct): its
    # log-probability among the tokens the grammar allowed there, and the model's runner-up.
    choices: list[Choice] = field(default_factory=list)
    branches: int = 0  # replies generate_distinct tried to replace a repeated call
    dropped: int = 0  # repeated calls generate_distinct cut, no try having given a new call


class MLXPasses:
    """Forward passes of the MLX model over the ChatModel's own KV cache (shared with its
    plain `generate`)."""

    def __init__(self, chat, gather: bool = True):
        import mlx.nn as nn

        self.chat = chat
        model = chat.model
        if hasattr(model, "lm_head"):
            head = model.lm_head
            self.project = head
            weight = head.weight if type(head) is nn.Linear and "bias" not in head else None
        else:
            embed = model.model.embed_tokens
            self.project = embed.as_linear
            weight = embed.weight if type(embed) is nn.Embedding else None
        self.weight = weight if gather else None  # rows to gather; None if quantized

    @property
    def cached(self) -> list[int]:
        return self.chat.cached

    def start(self, prompt: list[int]) -> int:
        return self.chat.reuse_prefix(prompt)

    def forward(self, tokens: list[int]):
        import mlx.core as mx

        return self.chat.model.model(mx.array([tokens]), cache=self.chat.cache)[0]

    def trim(self, count: int) -> None:
        from mlx_lm.models.cache import trim_prompt_cache

        trim_prompt_cache(self.chat.cache, count)

    def finish(self, fed: list[int]) -> None:
        import mlx.core as mx

        mx.eval([c.state for c in self.chat.cache])
        self.chat.cached = fed[: self.chat.cache[0].offset]

    def reset(self) -> None:
        self.chat.cache, self.chat.cached = None, []

    def gathered(self, hidden, ids: np.ndarray) -> np.ndarray | None:
        """Logits of the tokens `ids` at one position, from their rows of the projection."""
        import mlx.core as mx

        if self.weight is None:
            return None
        rows = mx.array(ids.astype(np.int32))
        return np.array((self.weight[rows] @ hidden).astype(mx.float32))

    def projected(self, hidden) -> np.ndarray:
        """Logits over the whole vocabulary at every position of `hidden` ([T, d])."""
        import mlx.core as mx

        return np.array(self.project(hidden).astype(mx.float32))


class NumpyPasses:
    """Forward passes of smolcall.numpy_llama over its own KV cache: on a CPU, passes of a few
    tokens (up to its GEMV_ROWS) read the weights through sgemv instead of MLX's sgemm."""

    def __init__(self, chat):
        from smolcall.numpy_llama import NumpyLlama

        self.chat = chat
        self.llama = NumpyLlama(chat.model)
        self.cached: list[int] = []

    def start(self, prompt: list[int]) -> int:
        """Serve the longest cached prefix of `prompt` (one token left to run): from this cache,
        or from the ChatModel's MLX cache when that holds more of it (the agent's plain attempt
        ran the prompt just before its constrained one), copied over."""
        from smolcall.chat_model import shared_prefix

        common = shared_prefix(self.cached, prompt)
        theirs = shared_prefix(self.chat.cached, prompt) if self.chat.cache else 0
        if theirs > common and self.llama.load_cache(self.chat.cache, theirs):
            self.cached = list(prompt[:theirs])
            return theirs
        self.llama.trim(self.llama.offset - common)
        self.cached = self.cached[:common]
        return common

    def forward(self, tokens: list[int]) -> np.ndarray:
        return self.llama.forward(tokens)

    def trim(self, count: int) -> None:
        self.llama.trim(count)

    def finish(self, fed: list[int]) -> None:
        self.cached = fed[: self.llama.offset]

    def reset(self) -> None:
        self.llama.offset, self.cached = 0, []

    def gathered(self, hidden: np.ndarray, ids: np.ndarray) -> np.ndarray:
        return self.llama.head[ids] @ hidden

    def projected(self, hidden: np.ndarray) -> np.ndarray:
        from smolcall.numpy_llama import matmul

        return matmul(hidden, self.llama.head)


def pass_engine(chat, engine: str = "auto", gather: bool = True):
    """The forward passes guided decoding runs on.

    "auto": numpy (NumpyPasses) on the CPU backend for a model it supports, unless
    SMOLCALL_NO_NUMPY_DECODE is set; else MLX. "numpy" insists (UnsupportedModel otherwise).
    """
    import os

    from smolcall.backend import on_cpu
    from smolcall.numpy_llama import unsupported

    if engine == "numpy" or (engine == "auto" and on_cpu() and gather and not os.environ.get("SMOLCALL_NO_NUMPY_DECODE")
                             and unsupported(chat.model) is None):
        return NumpyPasses(chat)
    if engine not in ("auto", "mlx"):
        raise ValueError(f"unknown engine {engine!r}: use auto, mlx or numpy")
    return MLXPasses(chat, gather)


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


def without_request(conversation: list[dict]) -> list[dict]:
    """The conversation with its last user message emptied: what the model sees without the
    request (the system prompt, the tools, earlier turns). Contrast decoding weighs each token
    against it."""
    out = [dict(m) for m in conversation]
    for message in reversed(out):
        if message.get("role") == "user":
            message["content"] = ""
            return out
    raise ValueError("contrast decoding needs a user message to contrast against; the conversation has none")


def contrasted(logits: np.ndarray, without: np.ndarray, alpha: float) -> np.ndarray:
    """Context-aware decoding (Shi et al., 2023, "Trusting Your Evidence"): each allowed token's
    log-probability with the request, (1 + alpha) times, less alpha times its log-probability
    without it, so what the request itself says outweighs what the model would write anyway (a
    value copied from the call before, a default it always picks). Tokens below
    CONTRAST_PLAUSIBLE times the best one's probability with the request are left out. Both
    arrays hold the same allowed tokens' logits; the result is normalized log-probabilities."""
    with_request = logits - np.logaddexp.reduce(logits)
    alone = without - np.logaddexp.reduce(without)
    score = (1.0 + alpha) * with_request - alpha * alone
    score[with_request < with_request.max() + np.log(CONTRAST_PLAUSIBLE)] = -np.inf
    return score - np.logaddexp.reduce(score)


class GuidedDecoder:
    """Greedy, grammar-guided decoding over a KV cache (see the module docstring).

    `engine`: "auto" (numpy passes on a CPU where the model allows, else MLX), "mlx" or
    "numpy" (see pass_engine). Call `generate` with the ChatModel's lock held (the agent's
    generators do).

    `contrast` alpha > 0: every free choice is made by `contrasted` logits, the model's with the
    request against its own without it (`without_request`), run on a second KV cache over the
    same weights: each pass feeds both, so a reply costs about twice the passes' work. 0 (default)
    is plain greedy decoding. `score` always weighs plainly.
    """

    def __init__(self, chat, draft: bool = True, gather: bool = True, engine: str = "auto", contrast: float = 0.0):
        if contrast < 0:
            raise ValueError(f"contrast is {contrast}; use 0 (plain greedy) or more")
        self.chat = chat
        self.draft = draft
        self.passes = pass_engine(chat, engine, gather)
        self.stops = set(stop_token_ids(chat.tokenizer))
        self.contrast = contrast
        self.shadow = None
        if contrast:  # its own cache, the same weights: the conversation without the request
            from smolcall.chat_model import ChatModel

            self.shadow = pass_engine(ChatModel(chat.model, chat.tokenizer, chat.model_id), engine, gather)

    def _choose(self, hidden, allowed: np.ndarray, full_logits, given: int | None = None,
                weigh: bool = False, against=None) -> int:
        """The masked argmax at one position (hidden: [d]), or the `given` token. With `weigh`
        (always with `given`), `self.choice` is left holding the token's Choice: its
        log-probability among the allowed tokens (0.0 when it was the only one) and the
        likeliest other allowed token with its log-probability.

        `full_logits()` returns this position's logits over the whole vocabulary when the grammar
        allows too many tokens to gather (the caller projects all verified positions at once).
        `against`: (hidden, full_logits) of the same position without the request (contrast
        decoding); the choice and its Choice are then made on `contrasted` scores.
        """
        ids = np.flatnonzero(allowed)
        self.choice = Choice(0.0)
        if len(ids) == 0:
            raise RuntimeError("the grammar allows no token here")
        if len(ids) == 1:
            return int(ids[0])
        logits = self.passes.gathered(hidden, ids) if len(ids) <= GATHER_LIMIT else None
        if logits is None:
            full = full_logits()
            ids = ids[ids < len(full)]
            logits = full[ids]
        if against is not None:
            shadow_hidden, shadow_full = against
            without = self.shadow.gathered(shadow_hidden, ids) if len(ids) <= GATHER_LIMIT else None
            if without is None:
                without = shadow_full()[ids]
            logits = contrasted(logits.astype(np.float64), without.astype(np.float64), self.contrast)
        if given is None:
            best = int(np.argmax(logits))
            if not weigh:  # plain greedy decoding: the argmax is all it needs
                return int(ids[best])
        else:
            best = int(np.searchsorted(ids, given))
            if best >= len(ids) or ids[best] != given:
                raise RuntimeError(f"token {given} is not allowed here")
        logits = logits.astype(np.float64)
        rest = logits.copy()
        rest[best] = -np.inf
        second = int(np.argmax(rest))
        top = logits.max()
        norm = top + np.log(np.exp(logits - top).sum())
        self.choice = Choice(float(logits[best] - norm), int(ids[second]), float(logits[second] - norm))
        return int(ids[best])

    def score(self, conversation: list[dict], constraint, tokens: list[int]) -> GuidedResult:
        """A reply another decoder wrote (`tokens`, inside `constraint`'s grammar) as this model
        weighs it: one forward pass over the reply, and each token's Choice (its log-probability
        among the tokens the grammar allowed there, and the runner-up). Raises RuntimeError when
        the grammar refuses a token."""
        engine, tokenizer, matcher = self.passes, self.chat.tokenizer, constraint.matcher
        start = time.perf_counter()
        prompt = encode_conversation(tokenizer, conversation)
        tokens = list(tokens)
        reused = engine.start(prompt)  # leaves at least the last prompt token to run
        run = (prompt + tokens)[reused:-1] if tokens else prompt[reused:]
        choices: list[Choice] = []
        try:
            hidden = engine.forward(run)
            base = len(prompt) - reused - 1  # the row that predicts the reply's first token
            projected: list = []

            def full_logits(i: int):
                if not projected:
                    projected.append(engine.projected(hidden[base:]))
                return projected[0][i]

            for i, token in enumerate(tokens):
                self._choose(hidden[base + i], constraint.allowed_tokens(), lambda i=i: full_logits(i), given=token)
                choices.append(self.choice)
                if not matcher.consume_token(token):
                    raise RuntimeError(f"token {token} refused: {matcher.get_error()}")
            engine.finish(prompt[:reused] + run)
        except BaseException:
            engine.reset()
            raise
        finish = "stop" if self._complete(constraint) else "length"
        return GuidedResult(tokenizer.decode(tokens), tokens, len(prompt), reused, 1, 0, 0, 0,
                            time.perf_counter() - start, finish, choices)

    def generate(self, conversation: list[dict], constraint, max_tokens: int = 160,
                 source: str | None = None, prefix: list[int] = (),
                 prefix_choices: list[Choice] | None = None, weigh: bool = False) -> GuidedResult:
        """Greedy reply to `conversation` inside `constraint`'s grammar (a fresh GrammarConstraint).

        `source` is the text drafts are copied from (default: the last user message). `prefix`:
        reply tokens given, not chosen (the grammar must accept them; they count toward
        max_tokens); greedy decoding goes on from there, reusing the KV cache of a reply that
        began the same way (`prefix_choices`: how the model weighed them, when an earlier reply
        chose them). With `weigh`, the result's `choices` hold each token's Choice (else they
        are left empty: plain decoding does not pay for the log-softmax).
        """
        engine, tokenizer, matcher = self.passes, self.chat.tokenizer, constraint.matcher
        stated = constraint.stated is not None
        start = time.perf_counter()
        if source is None:
            source = next((m.get("content") or "" for m in reversed(conversation) if m.get("role") == "user"), "")
        names = [t["name"] for t in conversation_tools(conversation) if isinstance(t.get("name"), str)]
        prompt = encode_conversation(tokenizer, conversation)
        prefix = list(prefix)
        if matcher.try_consume_tokens(prefix) != len(prefix):
            raise RuntimeError(f"the grammar refuses the prefix {tokenizer.decode(prefix)!r}: {matcher.get_error()}")
        known = prompt + prefix
        reused = engine.start(known)  # the cache may hold part of the prefix too
        fed = known[:reused]  # what the cache holds
        pending = known[reused:]  # known tokens not yet run
        shadow = self.shadow  # contrast: the same reply, fed after the prompt without the request
        if shadow is not None:
            shadow_known = encode_conversation(tokenizer, without_request(conversation)) + prefix
            shadow_fed = shadow_known[: shadow.start(shadow_known)]
            shadow_pending = shadow_known[len(shadow_fed):]
        emitted: list[int] = list(prefix)
        choices: list[Choice] = []
        if weigh:
            choices = list(prefix_choices) if prefix_choices else [Choice(0.0)] * len(prefix)
        passes = forced = drafted = accepted = 0
        finish = "length"
        try:
            while len(emitted) < max_tokens:
                # 1. Whatever the grammar forces goes in without the model.
                for token in matcher.compute_ff_tokens()[: max_tokens - len(emitted)]:
                    if not matcher.consume_token(token):
                        raise RuntimeError(f"forced token {token} refused: {matcher.get_error()}")
                    emitted.append(token)
                    if weigh:
                        choices.append(Choice(0.0))
                    pending.append(token)
                    if shadow is not None:
                        shadow_pending.append(token)
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
                hidden = engine.forward(pending + drafts)
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
                        projected.append(engine.projected(hidden[base:]))
                    return projected[0][i]

                shadow_at = None  # i -> (hidden, full logits) of the same position without the request
                if shadow is not None:
                    shadow_hidden = shadow.forward(shadow_pending + drafts)
                    shadow_fed += shadow_pending + drafts
                    shadow_base = len(shadow_pending) - 1
                    shadow_projected: list = []

                    def shadow_full(i: int):
                        if not shadow_projected:
                            shadow_projected.append(shadow.projected(shadow_hidden[shadow_base:]))
                        return shadow_projected[0][i]

                    def shadow_at(i: int):
                        return shadow_hidden[shadow_base + i], lambda: shadow_full(i)

                instead: list[int] = []
                for i in range(len(drafts) + 1):
                    allowed = constraint.allowed_tokens()
                    choice = self._choose(hidden[base + i], allowed, lambda i=i: full_logits(i), weigh=weigh,
                                          against=shadow_at(i) if shadow_at is not None else None)
                    if stated:  # a call about to close with a named optional argument left goes on to it
                        instead = constraint.stated_instead(choice, allowed, emitted)
                        if instead:
                            break
                    if i < len(drafts) and choice == drafts[i]:
                        matcher.consume_token(choice)
                        emitted.append(choice)
                        if weigh:
                            choices.append(self.choice)
                        kept += 1
                        choice = None
                        if self._complete(constraint):
                            break
                    else:
                        break
                accepted += kept
                rejected = len(drafts) - kept
                if rejected:
                    engine.trim(rejected)
                    del fed[len(fed) - rejected :]
                    if shadow is not None:
                        shadow.trim(rejected)
                        del shadow_fed[len(shadow_fed) - rejected :]
                if choice is None:  # the grammar completed on a kept draft
                    finish = "stop"
                    break
                written = matcher.try_consume_tokens(instead[: max_tokens - len(emitted)]) if instead else 0
                if written:  # `, "key":` instead of the closing token; the model writes the value
                    emitted += instead[:written]
                    if weigh:
                        choices += [Choice(0.0)] * written
                    pending = instead[:written]
                    shadow_pending = list(pending)
                    continue
                if choice in self.stops:
                    finish = "stop"
                    break
                if not matcher.consume_token(choice):
                    raise RuntimeError(f"chosen token {choice} refused: {matcher.get_error()}")
                emitted.append(choice)
                if weigh:
                    choices.append(self.choice)
                pending = [choice]
                shadow_pending = [choice]
                if self._complete(constraint):
                    finish = "stop"
                    break
            engine.finish(fed)
            if shadow is not None:
                shadow.finish(shadow_fed)
        except BaseException:
            engine.reset()
            if shadow is not None:
                shadow.reset()
            raise
        return GuidedResult(tokenizer.decode(emitted), emitted, len(prompt), min(reused, len(prompt)), passes,
                            forced, drafted, accepted, time.perf_counter() - start, finish, choices)

    def generate_distinct(self, conversation: list[dict], constraint, max_tokens: int = 160,
                          source: str | None = None, branches: int = MAX_BRANCHES,
                          first: list[int] | None = None) -> GuidedResult:
        """`generate`, but no call in the reply repeats one before it (same name and arguments).

        Asked for several calls, a small model often writes one of them again: `"loan_term": 15`
        three times for loans of 15, 20 and 30 years. When a call repeats an earlier one, the
        `branches` positions inside it where the model was least sure (its runner-up closest
        behind) are each tried with the runner-up written there and greedy decoding after it;
        of the tries whose call is new, the one the model finds likeliest (the call's summed
        log-probability) is kept, and the reply goes on from it. When no try gives a new call,
        the repeat is cut from the reply with all after it. A reply with no repeat is
        `generate`'s own. `passes` and `seconds` count every try.

        `first`: the greedy reply already written (by batched decoding, say), weighed with `score`
        instead of decoded again.
        """
        result = (self.generate(conversation, constraint, max_tokens, source, weigh=True) if first is None
                  else self.score(conversation, constraint, first))
        tokenizer = self.chat.tokenizer
        passes, seconds, tries = result.passes, result.seconds, 0
        while True:
            spans = call_spans(tokenizer, result.tokens)
            repeat = first_repeat(spans)
            if repeat is None:
                break
            begin, end, _ = spans[repeat]
            options = sorted((c.logprob - c.runner_up_logprob, at)
                             for at, c in enumerate(result.choices[begin:end], begin)
                             if c.runner_up is not None and c.runner_up not in self.stops)
            best, best_score = None, float("-inf")
            for _, at in options[:branches]:
                choice = result.choices[at]
                constraint.matcher.reset()
                tried = self.generate(conversation, constraint, max_tokens, source,
                                      prefix=[*result.tokens[:at], choice.runner_up],
                                      prefix_choices=[*result.choices[:at], Choice(choice.runner_up_logprob)],
                                      weigh=True)
                tries += 1
                passes, seconds = passes + tried.passes, seconds + tried.seconds
                new = call_spans(tokenizer, tried.tokens)
                if len(new) <= repeat or new[repeat][2] is None or first_repeat(new[: repeat + 1]) is not None:
                    continue
                score = sum(c.logprob for c in tried.choices[new[repeat][0]:new[repeat][1]])
                if score > best_score:
                    best, best_score = tried, score
            if best is None:
                result = cut_before(tokenizer, result, begin)
                result.dropped += 1
                break
            result = best
        result.passes, result.seconds, result.branches = passes, seconds, tries
        return result

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


def call_keys(text: str) -> list[tuple[int, int, str | None]]:
    """Each `<functioncall>` of a reply: the offsets where it starts and ends (up to the next
    marker) and the call as canonical JSON (keys sorted; None when it does not parse)."""
    starts = [m.start() for m in re.finditer(re.escape(MARKER), text)]
    keys = []
    for k, at in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        try:
            call = json.dumps(json.loads(text[at + len(MARKER): stop].strip()), sort_keys=True)
        except json.JSONDecodeError:
            call = None
        keys.append((at, stop, call))
    return keys


def repeats_a_call(text: str) -> bool:
    """True when a call of the reply repeats an earlier one (same name and arguments)."""
    return first_repeat(call_keys(text)) is not None


def call_spans(tokenizer, tokens: list[int]) -> list[tuple[int, int, str | None]]:
    """call_keys in tokens: each call's first token, the index after its last, and its key.

        '<functioncall> {"name": "f", "arguments": {"x": 1}}\n<functioncall> {...}'
        -> [(0, 17, '{"arguments": {"x": 1}, "name": "f"}'), (17, 35, ...)]
    """
    ends = [len(tokenizer.decode(tokens[: i + 1])) for i in range(len(tokens))]
    spans = []
    for at, stop, call in call_keys(tokenizer.decode(tokens)):
        first = next(i for i, end in enumerate(ends) if end > at)
        last = next((i for i, end in enumerate(ends) if end >= stop), len(tokens) - 1)
        spans.append((first, last + 1, call))
    return spans


def first_repeat(spans: list[tuple[int, int, str | None]]) -> int | None:
    """The index of the first call that repeats an earlier one (call_keys or call_spans), or None."""
    seen: set[str] = set()
    for k, (_, _, call) in enumerate(spans):
        if call is not None and call in seen:
            return k
        if call is not None:
            seen.add(call)
    return None


def cut_before(tokenizer, result: GuidedResult, first: int) -> GuidedResult:
    """`result` with the call starting at token `first` and everything after it removed (and the
    newline before it): the calls before it stand as the whole reply."""
    tokens = list(result.tokens[:first])
    text = tokenizer.decode(tokens)
    while text.endswith("\n") and tokens:  # the separator, when it is a token of its own
        tokens.pop()
        text = tokenizer.decode(tokens)
    return GuidedResult(text.rstrip("\n"), tokens, result.prompt_tokens, result.cached_tokens, result.passes,
                        result.forced, result.drafted, result.accepted, result.seconds, "stop",
                        result.choices[: len(tokens)])
