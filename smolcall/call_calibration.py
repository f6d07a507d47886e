"""The call-or-answer decision, calibrated against foil tools.

A reply calls a function when its first token is `<` (of `<functioncall>`). The model's margin
for that token, logit('<') minus the best other logit, mixes two things: whether an offered
function fits the request, and how call-like the request sounds whatever is offered. Contextual
calibration (Zhao et al., 2021, "Calibrate before use") takes the second part out: the same
request is scored again with foil functions offered in place of the real ones (functions of our
catalogue from domains far from any request), and the first step's `<` logit is moved by

    shift = bias - alpha * mean(foil margins)

so that the reply calls when `margin - alpha * mean(foil margins) + bias > 0`. alpha and bias are
chosen on the data's own valid split (`bench/call_calibration.py`), never on BFCL, and kept
beside the adapter in `call_calibration.json`. Only a new request is calibrated: a conversation
whose last message is the user's, the foils standing in for its system message; after a tool
result the decision (another call, or the answer) is left as it is.

    >>> calibration = CallCalibration.load(Path("adapters/default"))            # doctest: +SKIP
    >>> factory = calibrated_factory(constraint_factory(tokenizer), model, tokenizer, calibration)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smolcall.generation import LogitsProcessor, LogitsProcessorsFactory, encode_conversation
from smolcall.prompt import system_prompt

FILE_NAME = "call_calibration.json"
# Functions of the base catalogue from domains no BFCL request is about (pets, servers).
FOILS = ("book_grooming", "restart_server")


class CalibrationError(ValueError):
    """A call_calibration.json that cannot be used; the message says how to fix it."""


def foil_tools(names: Sequence[str] = FOILS) -> list[dict]:
    """The foils' specs, written as BFCL writes its functions."""
    from smolcall.datagen.build import load_functions
    from smolcall.datagen.catalog import function_spec

    by_name = {f.name: f for f in load_functions("base")}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CalibrationError(f"foil functions {', '.join(unknown)} are not in the base catalogue; "
                               f"name functions of smolcall/datagen/functions.py (the defaults: {', '.join(FOILS)})")
    return [function_spec(by_name[n], "bfcl") for n in names]


def call_token(tokenizer) -> int:
    """The first token of `<functioncall>`."""
    return tokenizer.encode("<")[0]


def call_margin(model, tokenizer, conversation: list[dict]) -> float:
    """logit('<') minus the best other logit at the reply's first step (> 0: greedy decoding calls)."""
    import mlx.core as mx

    logits = model(mx.array([encode_conversation(tokenizer, conversation)]))[0, -1]
    token = call_token(tokenizer)
    call = logits[token].item()
    logits[token] = -float("inf")
    return round(call - logits.max().item(), 4)


def foil_conversations(conversation: list[dict], tools: list[dict], style: str) -> list[list[dict]]:
    """The conversation once per foil, the foil offered alone in place of its system message."""
    rest = conversation[1:] if conversation and conversation[0]["role"] == "system" else conversation
    return [[{"role": "system", "content": system_prompt([tool], style)}] + rest for tool in tools]


@dataclass(frozen=True)
class CallCalibration:
    alpha: float
    bias: float
    foils: tuple[str, ...] = FOILS
    style: str = "compact"  # how the foils are written: the adapter's prompt style
    chosen_on: dict = field(default_factory=dict)  # how alpha and bias were chosen (split, accuracy)

    def applies(self, conversation: list[dict]) -> bool:
        return bool(conversation) and conversation[-1]["role"] == "user"

    def shift(self, model, tokenizer, conversation: list[dict], tools: list[dict] | None = None) -> float:
        """What the first step adds to logit('<') for this conversation (0 after a tool result)."""
        if not self.applies(conversation):
            return 0.0
        if self.alpha == 0:
            return self.bias
        foils = foil_conversations(conversation, tools or foil_tools(self.foils), self.style)
        margins = [call_margin(model, tokenizer, c) for c in foils]
        return self.bias - self.alpha * sum(margins) / len(margins)

    def save(self, folder: Path) -> Path:
        path = Path(folder) / FILE_NAME
        path.write_text(json.dumps({"alpha": self.alpha, "bias": self.bias, "foils": list(self.foils),
                                    "style": self.style, "chosen_on": self.chosen_on}, indent=2) + "\n")
        return path

    @classmethod
    def load(cls, folder: Path) -> CallCalibration:
        path = Path(folder) / FILE_NAME
        if not path.is_file():
            raise CalibrationError(f"{path} does not exist: choose alpha and bias on the valid split first "
                                   f"(uv run bench/call_calibration.py margins --adapter {folder} --name NAME, "
                                   f"then report ... --save {folder})")
        try:
            raw = json.loads(path.read_text())
            calibration = cls(float(raw["alpha"]), float(raw["bias"]), tuple(raw.get("foils", FOILS)),
                              raw.get("style", "compact"), raw.get("chosen_on", {}))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise CalibrationError(f"{path}: {e!r}; it needs numbers \"alpha\" and \"bias\" "
                                   "(write it again with bench/call_calibration.py report --save)") from e
        foil_tools(calibration.foils)  # unknown foil names fail here, not mid-generation
        return calibration

    def key(self) -> str:
        """What it adds to an evaluation's model id (the cache key of its replies)."""
        return f",call-calibrated(a={self.alpha:g},b={self.bias:g},{'+'.join(self.foils)})"


class FirstStepBias:
    """An mlx-lm logits processor that adds `shift` to one token's logit at the first step only.
    Put it before a grammar constraint, which must see the final logits."""

    def __init__(self, token: int, shift: float):
        self.token, self.shift, self.fired = token, shift, False

    def __call__(self, tokens: Any, logits: Any) -> Any:
        first, self.fired = not self.fired, True
        if not first or self.shift == 0:
            return logits
        import mlx.core as mx

        return logits + mx.zeros(logits.shape[-1]).at[self.token].add(self.shift).astype(logits.dtype)


def calibrated_factory(factory: LogitsProcessorsFactory | None, model, tokenizer,
                       calibration: CallCalibration) -> Callable[[list[dict], list[int]], list[LogitsProcessor]]:
    """`factory` (a grammar's, or None) with the calibrated first-step shift in front of its processors."""
    token, tools = call_token(tokenizer), foil_tools(calibration.foils)

    def calibrated(conversation: list[dict], prompt_tokens: list[int]) -> list[LogitsProcessor]:
        rest = list(factory(conversation, prompt_tokens)) if factory is not None else []
        return [FirstStepBias(token, calibration.shift(model, tokenizer, conversation, tools))] + rest

    return calibrated
