"""Parse and format Glaive-style `<functioncall>` replies. Pure Python, no MLX.

A reply holds zero or more calls, one per `<functioncall>` marker:

    <functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}

Glaive v2 stores the arguments as a single-quoted JSON string, which the parser also reads:

    <functioncall> {"name": "get_weather", "arguments": '{"city": "Paris"}'} <|endoftext|>
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MARKER = "<functioncall>"
END_OF_TEXT = "<|endoftext|>"


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice, as a small model does when it packs several calls
    into one (`{"loan_term": 15, "loan_term": 20}`). `json` would keep only the last value, so
    the others would be lost without a word; the call is reported as unreadable instead."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(
                f"key {key!r} appears twice in one object ({json.dumps(seen[key], ensure_ascii=False)} and "
                f"{json.dumps(value, ensure_ascii=False)}); one call takes one value per argument, so write one "
                f"{MARKER} per set of values"
            )
        seen[key] = value
    return seen


_decoder = json.JSONDecoder(object_pairs_hook=_unique_keys)
# The head of Glaive's single-quoted form, up to the quote that opens the arguments string.
_GLAIVE_HEAD = re.compile(r'\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"arguments"\s*:\s*\'')
_GLAIVE_TAIL = re.compile(r"'\s*\}")


@dataclass(frozen=True)
class FunctionCall:
    """One call: a function name and its arguments as a JSON object."""

    name: str
    arguments: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"name": self.name, "arguments": self.arguments}


@dataclass(frozen=True)
class ParsedReply:
    """What a model reply holds: the calls that parsed, the text around them, and what failed."""

    calls: list[FunctionCall]
    text: str
    errors: list[str]

    @property
    def has_marker(self) -> bool:
        """True when the model tried to call (even if the call did not parse)."""
        return bool(self.calls or self.errors)

    @property
    def ok(self) -> bool:
        """True when every attempted call parsed."""
        return not self.errors


def format_call(call: FunctionCall | dict) -> str:
    """`FunctionCall("f", {"x": 1})` -> `<functioncall> {"name": "f", "arguments": {"x": 1}}`."""
    data = call.to_dict() if isinstance(call, FunctionCall) else {"name": call["name"], "arguments": call["arguments"]}
    return f"{MARKER} {json.dumps(data, ensure_ascii=False)}"


def format_calls(calls: list[FunctionCall | dict]) -> str:
    """Several calls, one per line (the parallel-call form)."""
    return "\n".join(format_call(c) for c in calls)


def _coerce_arguments(raw) -> dict:
    """Arguments may arrive as an object or as a JSON string holding one (Glaive, OpenAI)."""
    if isinstance(raw, str):
        raw = _decoder.decode(raw) if raw.strip() else {}
    if not isinstance(raw, dict):
        raise ValueError(f"arguments must be a JSON object, got {type(raw).__name__}")
    return raw


def _parse_one(body: str, limit: int | None = None) -> tuple[FunctionCall, int]:
    """Parse the call that starts `body`; return it and how many characters it used.

    `limit` bounds the single-quoted fallback, which must not run into the next call.

    Raises ValueError with the reason when no call can be read.
    """
    stripped = len(body) - len(body.lstrip())
    try:
        obj, end = _decoder.raw_decode(body, stripped)
    except json.JSONDecodeError as e:
        return _parse_glaive_quoted(body if limit is None else body[:limit], e)
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object after {MARKER}, got {type(obj).__name__}")
    name = obj.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError('call has no "name" string')
    try:
        arguments = _coerce_arguments(obj.get("arguments", obj.get("parameters", {})))
    except (json.JSONDecodeError, ValueError) as e:
        raise ValueError(f"bad arguments for {name!r}: {e}") from e
    return FunctionCall(name, arguments), end


def _parse_glaive_quoted(body: str, cause: Exception) -> tuple[FunctionCall, int]:
    head = _GLAIVE_HEAD.match(body)
    if head is None:
        raise ValueError(f"call is not valid JSON: {cause}") from cause
    name = json.loads(f'"{head.group(1)}"')
    start = head.end()
    # The arguments string may itself contain "'}" (in a value); take the first closing that parses.
    for tail in _GLAIVE_TAIL.finditer(body, start):
        try:
            arguments = _coerce_arguments(body[start : tail.start()])
        except DuplicateKeyError as e:
            raise ValueError(f"bad arguments for {name!r}: {e}") from e
        except (json.JSONDecodeError, ValueError):
            continue
        return FunctionCall(name, arguments), tail.end()
    raise ValueError(f"arguments of {name!r} are not a JSON object in single quotes") from cause


def parse_reply(text: str) -> ParsedReply:
    """Split a model reply into calls and plain text. Never raises.

    >>> parse_reply('<functioncall> {"name": "f", "arguments": \\'{"x": 1}\\'}').calls
    [FunctionCall(name='f', arguments={'x': 1})]
    """
    if not isinstance(text, str):
        return ParsedReply([], "", [f"reply is not text: {type(text).__name__}"])
    calls: list[FunctionCall] = []
    errors: list[str] = []
    pieces: list[str] = []
    pos = 0
    while (at := text.find(MARKER, pos)) != -1:
        pieces.append(text[pos:at])
        body_start = at + len(MARKER)
        # JSON may legally contain the marker inside a string, so parse from here to the end;
        # only a failed call is skipped up to the next marker.
        try:
            call, used = _parse_one(text[body_start:], _next_marker_offset(text, body_start))
        except (ValueError, RecursionError) as e:
            errors.append(str(e))
            next_marker = text.find(MARKER, body_start)
            pos = len(text) if next_marker == -1 else next_marker
            continue
        calls.append(call)
        pos = body_start + used
    pieces.append(text[pos:])
    return ParsedReply(calls, "".join(pieces).replace(END_OF_TEXT, "").strip(), errors)


def _next_marker_offset(text: str, body_start: int) -> int | None:
    at = text.find(MARKER, body_start)
    return None if at == -1 else at - body_start
