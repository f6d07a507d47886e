"""A loaded chat model as the agent's `Generator`s: plain, and constrained to schema-valid calls.

    >>> chat = load_chat_model("adapters/default")                       # doctest: +SKIP
    >>> chat.model_id
    'embedded:smollm2-135m-instruct+adapters/default'
    >>> agent = build_agent(chat, log=AgentLog("logs"))                   # doctest: +SKIP

The model is loaded once; every generator made from it shares one lock, because MLX must not run
two generations on one model at the same time (the agent runs them in worker threads).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smolcall.agent import DEFAULT_MAX_RETRIES, Agent, Generation
from smolcall.agent_log import AgentLog
from smolcall.generation import LogitsProcessorsFactory, generate_replies
from smolcall.models import EMBEDDED_MODEL, ModelNotFoundError, load_model

DEFAULT_ADAPTER = Path("adapters") / "default"
# A call is short; an answer from a tool result is a sentence or two.
ROUTE_MAX_TOKENS = 160
ANSWER_MAX_TOKENS = 160


@dataclass
class ChatModel:
    """Weights and tokenizer, loaded once, with the lock that serializes their use."""

    model: Any
    tokenizer: Any
    model_id: str
    lock: threading.Lock = field(default_factory=threading.Lock)


def adapter_base_model(adapter: str | Path) -> str:
    """The base model an adapter was trained on, from its adapter_config.json.

        adapters/default -> 'embedded:smollm2-135m-instruct'

    Raises ModelNotFoundError (with the fix) before any weights load when the folder is not an
    adapter run.
    """
    config_path = Path(adapter) / "adapter_config.json"
    if not config_path.is_file():
        raise ModelNotFoundError(
            f"{adapter} has no adapter_config.json: pass the folder training wrote "
            "(`uv run train/train.py` makes adapters/<run>/)"
        )
    try:
        base = json.loads(config_path.read_text()).get("base_model")
    except json.JSONDecodeError as e:
        raise ModelNotFoundError(f"{config_path} is not JSON ({e.msg}); retrain or restore the file") from e
    if not isinstance(base, str) or not base:
        raise ModelNotFoundError(f"{config_path} has no \"base_model\"; pass --base MODEL_REF")
    return base


def default_adapter() -> Path | None:
    """adapters/default when training has written it there, else None."""
    return DEFAULT_ADAPTER if (DEFAULT_ADAPTER / "adapter_config.json").is_file() else None


def load_chat_model(adapter: str | Path | None = None, base: str | None = None) -> ChatModel:
    """The base model (the adapter's, else the embedded SmolLM2), with the adapter applied."""
    if base is None:
        base = adapter_base_model(adapter) if adapter is not None else EMBEDDED_MODEL
    model, tokenizer, _ = load_model(base, adapter_path=adapter)
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
            reply = generate_replies(self.chat.model, self.chat.tokenizer, [conversation],
                                     max_tokens=self.max_tokens, batch_size=1,
                                     logits_processors_factory=self.logits_processors_factory)[0]
        return Generation(reply.text, reply.prompt_tokens, reply.completion_tokens, reply.seconds,
                          reply.finish_reason)


def constrained_generator(chat: ChatModel, allow_text: bool, max_tokens: int = ROUTE_MAX_TOKENS) -> MLXGenerator:
    """A generator that can only write schema-valid `<functioncall>`s for the tools in the
    conversation's system prompt (or, with `allow_text`, a plain answer)."""
    from smolcall.constrain import constraint_factory

    return MLXGenerator(chat, max_tokens, constraint_factory(chat.tokenizer, allow_text=allow_text))


def build_agent(
    chat: ChatModel,
    *,
    constrained: bool = False,
    fallback: bool = True,
    max_retries: int = DEFAULT_MAX_RETRIES,
    require_call: bool = False,
    prompt_style: str = "compact",
    log: AgentLog | None = None,
) -> Agent:
    """The agent loop over one loaded model.

    constrained: route with constrained decoding from the first attempt (plain answers allowed).
    fallback: after the retries, try once more with decoding that can only write a valid call.
    """
    plain = MLXGenerator(chat)
    answerer = MLXGenerator(chat, ANSWER_MAX_TOKENS)
    return Agent(
        generator=constrained_generator(chat, allow_text=True) if constrained else plain,
        fallback=constrained_generator(chat, allow_text=False) if fallback else None,
        answerer=answerer,
        max_retries=max_retries,
        require_call=require_call,
        prompt_style=prompt_style,
        log=log,
    )
