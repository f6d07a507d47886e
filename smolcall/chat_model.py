"""A loaded chat model as the agent's `Generator`s: plain, and constrained to schema-valid calls.

    >>> chat = load_chat_model("adapters/default")                       # doctest: +SKIP
    >>> chat.model_id
    'embedded:smollm2-135m-instruct+adapters/default'
    >>> agent = build_agent(chat, log=AgentLog("logs"))                   # doctest: +SKIP

The model is loaded once; every generator made from it shares one lock, because MLX must not run
two generations on one model at the same time (the agent runs them in worker threads).

Every prompt of the agent starts with the same system prompt (the tool list, ~900 tokens for
smolcall's server), and a retry or an answer prompt extends the one before it. So the model keeps
one KV cache of its last prompt: a new prompt only runs the tokens after the longest prefix it
shares with it. On a CPU that is most of the cost of a short reply.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smolcall.agent import DEFAULT_MAX_RETRIES, Agent, Generation
from smolcall.agent_log import AgentLog
from smolcall.dataset_io import adapter_prompt_style
from smolcall.generation import LogitsProcessorsFactory, encode_conversation, stop_token_ids
from smolcall.models import EMBEDDED_MODEL, ModelNotFoundError, load_model

DEFAULT_ADAPTER = Path("adapters") / "default"
ADAPTER_WEIGHTS = "adapters.safetensors"
# Room for a call or a short answer; a bound, because an untuned model rambles until it.
ROUTE_MAX_TOKENS = 160
ANSWER_MAX_TOKENS = 160


def shared_prefix(cached: list[int], prompt: list[int]) -> int:
    """How many leading tokens a KV cache holding `cached` can serve for `prompt`: their common
    prefix, leaving at least one prompt token to run (the model needs it for the next logits)."""
    common, limit = 0, min(len(cached), len(prompt) - 1)
    while common < limit and cached[common] == prompt[common]:
        common += 1
    return common


@dataclass
class ChatModel:
    """Weights and tokenizer, loaded once, with the lock that serializes their use and the KV
    cache of the last prompt (`cached` lists the tokens it holds)."""

    model: Any
    tokenizer: Any
    model_id: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    cache: list[Any] | None = None
    cached: list[int] = field(default_factory=list)

    def reuse_prefix(self, prompt: list[int]) -> int:
        """Trim the cache to the longest prefix it shares with `prompt` and return its length.

        At least one prompt token is left to run: the model needs it to produce the next logits.
            cached [1, 2, 3, 9], prompt [1, 2, 3, 4, 5] -> 3 (the cache now holds [1, 2, 3])
        """
        from mlx_lm.models.cache import can_trim_prompt_cache, make_prompt_cache, trim_prompt_cache

        if self.cache is None or not can_trim_prompt_cache(self.cache):
            self.cache, self.cached = make_prompt_cache(self.model), []
        common = shared_prefix(self.cached, prompt)
        trim_prompt_cache(self.cache, len(self.cached) - common)
        self.cached = self.cached[:common]
        return common

    def generate(self, conversation: list[dict[str, str]], max_tokens: int,
                 logits_processors_factory: LogitsProcessorsFactory | None = None) -> Generation:
        """A greedy reply, reusing the cached prefix. Call with `lock` held."""
        import mlx.core as mx
        from mlx_lm.generate import generate_step

        start = time.perf_counter()
        prompt = encode_conversation(self.tokenizer, conversation)
        reused = self.reuse_prefix(prompt)
        suffix = prompt[reused:]
        # mlx-lm hands processors the tokens it was given (the suffix) plus the generated ones.
        processors = list(logits_processors_factory(conversation, suffix)) if logits_processors_factory else None
        stops = set(stop_token_ids(self.tokenizer))
        emitted: list[int] = []
        try:
            for token, _ in generate_step(mx.array(suffix), self.model, max_tokens=max_tokens,
                                          logits_processors=processors, prompt_cache=self.cache):
                emitted.append(token)
                if token in stops:
                    break
            # Finish the cache's pending work on this thread; the next call may run on another.
            mx.eval([c.state for c in self.cache])
        except BaseException:
            # A half-updated cache must not serve the next prompt.
            self.cache, self.cached = None, []
            raise
        # The cache holds the prompt and every token fed back so far (a stop token too).
        self.cached = [*prompt, *emitted][: self.cache[0].offset]
        stopped = bool(emitted) and emitted[-1] in stops
        text = self.tokenizer.decode(emitted[:-1] if stopped else emitted)
        return Generation(text, len(prompt), len(emitted), time.perf_counter() - start,
                          "stop" if stopped else "length", cached_tokens=reused)


def adapter_base_model(adapter: str | Path) -> str:
    """The base model an adapter was trained on, from its adapter_config.json.

        adapters/default -> 'embedded:smollm2-135m-instruct'

    Raises ModelNotFoundError (with the fix) before any weights load when the folder is not a
    finished adapter run (no config, no base_model, or no weights yet).
    """
    config_path = Path(adapter) / "adapter_config.json"
    if not config_path.is_file():
        raise ModelNotFoundError(
            f"{adapter} has no adapter_config.json: pass the folder training wrote "
            "(`uv run train/train.py` makes adapters/<run>/)"
        )
    base = _read_adapter_config(config_path).get("base_model")
    if not isinstance(base, str) or not base:
        raise ModelNotFoundError(f"{config_path} has no \"base_model\"; pass --base MODEL_REF")
    if not (Path(adapter) / ADAPTER_WEIGHTS).is_file():
        # Training writes the config first and the weights at the end.
        raise ModelNotFoundError(
            f"{adapter} has no {ADAPTER_WEIGHTS} yet: its training is still running or stopped early; "
            f"wait for it, or copy a checkpoint from {adapter}/checkpoints/ to {adapter}/{ADAPTER_WEIGHTS}"
        )
    return base


def trained_prompt_style(adapter: str | Path | None, default: str = "compact") -> str:
    """How the adapter's training rows wrote the system prompt (adapter_config.json, else its
    training data's report.json), so serving prompts it the same way; `default` when unknown.

        adapters/default -> 'compact';  None (the base model alone) -> 'compact'
    """
    config_path = Path(adapter) / "adapter_config.json" if adapter is not None else None
    if config_path is None or not config_path.is_file():
        return default
    return adapter_prompt_style(_read_adapter_config(config_path)) or default


def _read_adapter_config(config_path: Path) -> dict:
    try:
        return json.loads(config_path.read_text())
    except json.JSONDecodeError as e:
        raise ModelNotFoundError(f"{config_path} is not JSON ({e.msg}); retrain or restore the file") from e


def default_adapter() -> Path | None:
    """adapters/default once training has finished writing it there, else None."""
    done = all((DEFAULT_ADAPTER / name).is_file() for name in ("adapter_config.json", ADAPTER_WEIGHTS))
    return DEFAULT_ADAPTER if done else None


def load_chat_model(adapter: str | Path | None = None, base: str | None = None, fuse: bool = True) -> ChatModel:
    """The base model (the adapter's, else the embedded SmolLM2), with the adapter applied
    (fused into the weights unless `fuse=False`: the same function without the extra matmuls)."""
    if adapter is not None:
        base_model = adapter_base_model(adapter)  # checks the folder before any weights load
        base = base if base is not None else base_model
    base = base if base is not None else EMBEDDED_MODEL
    model, tokenizer, _ = load_model(base, adapter_path=adapter, fuse=fuse)
    model_id = base if adapter is None else f"{base}+{Path(adapter).as_posix()}"
    return ChatModel(model, tokenizer, model_id)


@dataclass
class MLXGenerator:
    """The agent's `Generator` over a `ChatModel`: greedy, one conversation at a time."""

    chat: ChatModel
    max_tokens: int = ROUTE_MAX_TOKENS
    logits_processors_factory: LogitsProcessorsFactory | None = None

    @property
    def model_id(self) -> str:
        return self.chat.model_id

    def __call__(self, conversation: list[dict[str, str]]) -> Generation:
        with self.chat.lock:
            return self.chat.generate(conversation, self.max_tokens, self.logits_processors_factory)


@dataclass
class GuidedGenerator:
    """The agent's constrained `Generator`: grammar-guided greedy decoding (smolcall.guided) with
    forced tokens, drafts from the user's message and an early stop; the same reply plain
    constrained greedy decoding writes, in fewer forward passes."""

    chat: ChatModel
    allow_text: bool
    max_calls: int = 1
    max_tokens: int = ROUTE_MAX_TOKENS
    draft: bool = True
    engine: str = "auto"  # forward passes: auto (numpy on a CPU where it applies), mlx or numpy
    ground_strings: bool = False  # free string arguments only from the request's words (smolcall.constrain)
    stated_arguments: bool = False  # a call goes on to the optional arguments the request names (smolcall.constrain)
    _factory: Any = None
    _decoder: Any = None
    last: Any = None  # the last GuidedResult: passes, forced and drafted tokens (benchmarks read it)

    @property
    def model_id(self) -> str:
        return self.chat.model_id

    def __call__(self, conversation: list[dict[str, str]]) -> Generation:
        from smolcall.constrain import constraint_factory
        from smolcall.guided import GuidedDecoder

        if self._factory is None:  # caches one grammar per tool set; no tools: text that cannot call
            self._factory = constraint_factory(self.chat.tokenizer, self.allow_text, self.max_calls,
                                               ground_strings=self.ground_strings,
                                               stated_arguments=self.stated_arguments)
        (constraint,) = self._factory(conversation, [])
        with self.chat.lock:
            if self._decoder is None:
                self._decoder = GuidedDecoder(self.chat, draft=self.draft, engine=self.engine)
            result = self._decoder.generate(conversation, constraint, self.max_tokens)
        self.last = result
        return Generation(result.text, result.prompt_tokens, len(result.tokens), result.seconds,
                          result.finish_reason, cached_tokens=result.cached_tokens)


def constrained_generator(chat: ChatModel, allow_text: bool, max_tokens: int = ROUTE_MAX_TOKENS,
                          max_calls: int = 1, ground_strings: bool = False,
                          stated_arguments: bool = False) -> GuidedGenerator:
    """A generator that can only write schema-valid `<functioncall>`s for the tools in the
    conversation's system prompt (or, with `allow_text`, a plain answer).

    One call by default: left free, the base model strings calls together until max_tokens cuts
    the last one in half (seen: 4 calls in 160 tokens).
    """
    return GuidedGenerator(chat, allow_text, max_calls, max_tokens, ground_strings=ground_strings,
                           stated_arguments=stated_arguments)


def build_agent(
    chat: ChatModel,
    *,
    constrained: bool = False,
    fallback: bool = True,
    max_retries: int = DEFAULT_MAX_RETRIES,
    require_call: bool = False,
    prompt_style: str = "compact",
    log: AgentLog | None = None,
    ground_strings: bool = False,
    stated_arguments: bool = False,
) -> Agent:
    """The agent loop over one loaded model.

    constrained: route with constrained decoding from the first attempt (plain answers allowed).
    fallback: after the retries, try once more with decoding that can only write a valid call.
    ground_strings: constrained decoding (either step) writes free string arguments only from the
        request's words or the parameter's description (smolcall.constrain.grounding_spans).
    stated_arguments: constrained decoding (either step) goes on to the optional arguments the
        request names where a call would close without them (smolcall.constrain.StatedArguments).
    """
    guided = {"ground_strings": ground_strings, "stated_arguments": stated_arguments}
    plain = MLXGenerator(chat)
    answerer = MLXGenerator(chat, ANSWER_MAX_TOKENS)
    return Agent(
        generator=constrained_generator(chat, allow_text=True, **guided) if constrained else plain,
        fallback=constrained_generator(chat, allow_text=False, **guided) if fallback else None,
        answerer=answerer,
        max_retries=max_retries,
        require_call=require_call,
        prompt_style=prompt_style,
        log=log,
    )
