"""Read Glaive function-calling v2 rows into chat messages. Pure Python, no MLX.

A row, exactly as the hub file holds it (turns are separated by blank lines; the arguments are a
single-quoted JSON string; `<|endoftext|>` ends each assistant turn):

    {"system": "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\\n{\\n    \\"name\\": \\"get_news\\", ...}\\n",
     "chat": "USER: News for France?\\n\\n\\nASSISTANT: <functioncall> {\\"name\\": \\"get_news\\", \\"arguments\\": '{\\"country\\": \\"France\\"}'} <|endoftext|>\\n\\n\\nFUNCTION RESPONSE: {\\"headlines\\": [\\"...\\"]}\\n\\n\\nASSISTANT: Here they are ... <|endoftext|>\\n\\n\\n"}

becomes one MLX chat row whose calls are rewritten by `calls.format_call` (arguments as a JSON object):

    system    You are a helpful assistant with access to the following functions. ... {"name": "get_news", ...}
    user      News for France?
    assistant <functioncall> {"name": "get_news", "arguments": {"country": "France"}}
    tool      {"headlines": ["..."]}
    assistant Here they are ...

A row that cannot be read raises `GlaiveRowError` with a short reason code (see `REASONS`), so a
converter can count bad rows by reason instead of stopping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from smolcall.calls import END_OF_TEXT, FunctionCall, format_calls, parse_reply
from smolcall.prompt import parse_tools, system_prompt

# Reason code -> what it means; the converter's report lists these.
REASONS = {
    "empty_row": "row is not an object with non-empty 'system' and 'chat' strings",
    "bad_system": "system prompt does not start with 'SYSTEM:'",
    "bad_spec": "a function spec in the system prompt is not valid JSON or has no name",
    "missing_prefix": "chat text does not start with a USER:/ASSISTANT:/FUNCTION RESPONSE: label",
    "unknown_prefix": "a turn starts with a label other than USER:/ASSISTANT:/FUNCTION RESPONSE:",
    "empty_turn": "a turn has no text",
    "bad_order": "turns are out of order (not user first, a role repeated, a response with no call)",
    "bad_call": "a <functioncall> is not valid JSON or its arguments are not an object",
    "unknown_function": "a call names a function the system prompt does not offer",
    "truncated": "chat does not end with an assistant turn",
}

ROLES = {"USER": "user", "ASSISTANT": "assistant", "FUNCTION RESPONSE": "tool"}
SYSTEM_PREFIX = "SYSTEM:"
# A known label at the start of a line opens a turn.
_LABEL = re.compile(r"(?:\A|\n)[ \t]*(USER|ASSISTANT|FUNCTION RESPONSE):")
# Glaive separates turns with two blank lines; an all-caps label after them that is not known
# means a turn we cannot map (answers may hold "NOTE:" after one blank line, so ask for two).
_OTHER_LABEL = re.compile(r"(?:\A\s*|\n[ \t]*\n[ \t]*\n\s*)([A-Z][A-Z_ ]{1,30}):")


class GlaiveRowError(ValueError):
    """A row that cannot be converted: `reason` is a key of `REASONS`, `detail` says where."""

    def __init__(self, reason: str, detail: str):
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}; use one of {', '.join(REASONS)}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Turn:
    """One chat turn. Assistant turns keep their calls; `content` is already normalized."""

    role: str  # user | assistant | tool
    content: str
    calls: tuple[FunctionCall, ...] = ()


@dataclass(frozen=True)
class GlaiveChat:
    """A parsed row: the offered functions and the turns, ready to render as messages."""

    tools: list[dict]
    turns: list[Turn] = field(default_factory=list)

    @property
    def functions(self) -> list[str]:
        return [t["name"] for t in self.tools]

    @property
    def n_calls(self) -> int:
        return sum(len(t.calls) for t in self.turns)

    @property
    def kind(self) -> str:
        """single | parallel | no_call | multi_turn, read off the turns."""
        if any(len(t.calls) > 1 for t in self.turns):
            return "parallel"
        if sum(t.role == "user" for t in self.turns) > 1 or any(t.role == "tool" for t in self.turns):
            return "multi_turn"
        return "single" if self.n_calls else "no_call"

    def messages(self, style: str = "glaive") -> list[dict]:
        """System message (in `prompt.system_prompt`'s `style`) followed by the turns."""
        system = {"role": "system", "content": system_prompt(self.tools, style)}
        return [system] + [{"role": t.role, "content": t.content} for t in self.turns]


def parse_system(system: str) -> list[dict]:
    """The functions a Glaive system prompt offers (an empty list for "no access to functions").

    >>> parse_system('SYSTEM: You are a helpful assistant with access to ... -\\n{"name": "f", "parameters": {}}\\n')
    [{'name': 'f', 'parameters': {}}]
    """
    text = system.strip()
    if not text.startswith(SYSTEM_PREFIX):
        raise GlaiveRowError("bad_system", f"starts with {text[:30]!r}")
    try:
        tools = parse_tools(text[len(SYSTEM_PREFIX):])
    except ValueError as e:
        raise GlaiveRowError("bad_spec", str(e)) from e
    for tool in tools:
        if not isinstance(tool["name"], str) or not tool["name"]:
            raise GlaiveRowError("bad_spec", f"function name {tool['name']!r} is not a string")
        if not isinstance(tool.get("parameters", {}), dict):
            raise GlaiveRowError("bad_spec", f"parameters of {tool['name']!r} are not an object")
    return tools


def split_turns(chat: str) -> list[tuple[str, str]]:
    """Cut the chat text into (role, raw text) pairs, in order.

    >>> split_turns("USER: hi\\n\\n\\nASSISTANT: hello <|endoftext|>\\n\\n\\n")
    [('user', 'hi'), ('assistant', 'hello <|endoftext|>')]
    """
    labels = list(_LABEL.finditer(chat))
    head = chat[: labels[0].start()] if labels else chat
    if head.strip():
        other = _OTHER_LABEL.match(head)
        if other:
            raise GlaiveRowError("unknown_prefix", f"chat starts with label {other.group(1)!r}")
        raise GlaiveRowError("missing_prefix", f"chat starts with {head.strip()[:30]!r}")
    turns = []
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(chat)
        text = chat[label.end() : end]
        other = _OTHER_LABEL.search(text)
        if other and other.start() > 0:
            raise GlaiveRowError("unknown_prefix", f"turn {i} holds label {other.group(1)!r}")
        turns.append((ROLES[label.group(1)], text.strip()))
    return turns


def parse_assistant(text: str, offered: list[str], turn: int) -> Turn:
    """Normalize one assistant turn: plain text first, then its calls in `format_call` form.

    >>> parse_assistant('<functioncall> {"name": "f", "arguments": \\'{"x": 1}\\'} <|endoftext|>', ["f"], 1).content
    '<functioncall> {"name": "f", "arguments": {"x": 1}}'
    """
    reply = parse_reply(text)
    if reply.errors:
        raise GlaiveRowError("bad_call", f"turn {turn}: {reply.errors[0]}")
    for call in reply.calls:
        if call.name not in offered:
            offers = ", ".join(offered) or "no functions"
            raise GlaiveRowError("unknown_function", f"turn {turn} calls {call.name!r}; offered: {offers}")
    parts = [reply.text] if reply.text else []
    if reply.calls:
        parts.append(format_calls(list(reply.calls)))
    return Turn("assistant", "\n".join(parts), tuple(reply.calls))


def parse_row(row: object) -> GlaiveChat:
    """Parse one Glaive v2 row (`{"system": ..., "chat": ...}`); raise `GlaiveRowError` if bad.

    >>> chat = parse_row({"system": "SYSTEM: You are a helpful assistant, with no access to external functions.",
    ...                   "chat": "USER: Hi\\n\\n\\nASSISTANT: Hello! <|endoftext|>\\n\\n\\n"})
    >>> [(t.role, t.content) for t in chat.turns], chat.kind
    ([('user', 'Hi'), ('assistant', 'Hello!')], 'no_call')
    """
    if not isinstance(row, dict):
        raise GlaiveRowError("empty_row", f"row is a {type(row).__name__}, not an object")
    system, chat = row.get("system"), row.get("chat")
    if not (isinstance(system, str) and isinstance(chat, str) and system.strip() and chat.strip()):
        raise GlaiveRowError("empty_row", f"system is {_shape(system)}, chat is {_shape(chat)}")
    tools = parse_system(system)
    offered = [t["name"] for t in tools]
    turns: list[Turn] = []
    pending_responses = 0  # calls of the last assistant turn not yet answered
    raw_turns = split_turns(chat)
    for i, (role, raw) in enumerate(raw_turns):
        text = _strip_eot(raw)
        if not text:
            # An empty last turn is where a cut-off chat stops; an empty middle turn is a gap.
            reason = "truncated" if i == len(raw_turns) - 1 else "empty_turn"
            raise GlaiveRowError(reason, f"turn {i} ({role}) is empty")
        previous = turns[-1].role if turns else None
        if role == "tool":
            if pending_responses == 0:
                raise GlaiveRowError("bad_order", f"turn {i} is a function response with no call before it")
            pending_responses -= 1
            turns.append(Turn("tool", text))
            continue
        if role == previous or (previous is None and role != "user"):
            raise GlaiveRowError("bad_order", f"turn {i} is {role} after {previous or 'the start'}")
        turn = parse_assistant(text, offered, i) if role == "assistant" else Turn("user", text)
        pending_responses = len(turn.calls)
        turns.append(turn)
    if not turns or turns[-1].role != "assistant":
        last = turns[-1].role if turns else "nothing"
        raise GlaiveRowError("truncated", f"chat ends with {last}, not an assistant turn")
    return GlaiveChat(tools, turns)


def _strip_eot(text: str) -> str:
    return text.replace(END_OF_TEXT, "").strip()


def _shape(value: object) -> str:
    if isinstance(value, str):
        return "empty" if not value.strip() else f"{len(value)} characters"
    return "missing" if value is None else type(value).__name__


__all__ = [
    "GlaiveChat", "GlaiveRowError", "REASONS", "Turn",
    "parse_assistant", "parse_row", "parse_system", "split_turns",
]
