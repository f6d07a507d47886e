"""Grammar-constrained decoding: replies that can only be well-formed calls to the offered tools.

An llguidance grammar built from the tool specs lets a reply be one of:

    <functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}
    <functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}
    <functioncall> {"name": "get_weather", "arguments": {"city": "Rome", "unit": "celsius"}}
    The capital of France is Paris.                      (only with allow_text=True)
    Let me check that.
    <functioncall> {"name": "get_weather", "arguments": {"city": "Paris"}}   (ditto: text, then calls)

Each call names an offered function and its arguments match that function's JSON schema, with
the spacing `calls.format_call` writes (the spacing the model was trained on). Plain text may
not contain `<functioncall>` anywhere, so every marker in a constrained reply starts a valid call.
At most `max_calls` calls, one per line.

    >>> constraint = make_constraint(tokenizer, tools)                           # doctest: +SKIP
    >>> generate_replies(model, tokenizer, conversations,
    ...                  logits_processors_factory=constraint_factory(tokenizer))  # doctest: +SKIP

The mask is computed with numpy and applied with `mx.where`, which works on every MLX backend
(llguidance's own `llguidance.mlx` helper needs Metal).
"""

from __future__ import annotations

import json
import logging
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from llguidance import LLMatcher, LLTokenizer
from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

from smolcall.calls import MARKER
from smolcall.generation import stop_token_ids
from smolcall.prompt import parse_tools

log = logging.getLogger(__name__)

MAX_CALLS = 4
# Arrays whose schema gives no `maxItems` get this bound: a small model that starts repeating an
# item ([1.0, 1.0, 1.0, ...]) would otherwise run to max_tokens and leave a call cut in half.
# A schema's own `maxItems` (or a larger `minItems`) wins.
MAX_ARRAY_ITEMS = 12
# In the last WRAP_UP_TOKENS of the budget, the mask prefers tokens that close what is open
# (`"`, `]`, `}`), so a call that has run long still finishes instead of being cut.
WRAP_UP_TOKENS = 16
_CLOSERS = set('"]}')
# Closer kinds: 0 = not a closer, 1 = `]`/`}` first (closes a value), 2 = `"` first (closes a string).
# Inside a free string (more than FREE_TEXT_TOKENS allowed) `}` and `]` are just characters, so
# only the `"`-first closers end it; outside one a `"` would open a new key, so only the others.
FREE_TEXT_TOKENS = 1000
# Another argument (opt-in, `more_arguments=b`): where the model's likeliest allowed token closes
# an object (`}` or `"}` first) and the grammar also allows going on to another key (`,` or `",`
# first), the going-on tokens get +b. Small models stop after the required arguments and leave
# out the optional ones a request states ("avoiding tolls", "in Celsius"). Token kinds: 1 = the
# bare form, 2 = the form that first closes a string; inside a free string only kind 2 counts.
_ENDS = ("}", '"}')
_GOES_ON = (",", '",')
# Stated arguments (opt-in, `stated_arguments=True`): at the same point, where an argument the call
# has not written and may still write is named by the request, the call goes on to it: `, "key"` is
# forced and the model writes the value. Named: a word of the key (split at `_` and camelCase, at
# least STATED_WORD letters, not in _KEY_STOPWORDS) shares its first min(5, length) letters with a
# word of the last user message ("in detail" names `detail_level`, "accounting for terrain" names
# `consider_terrain`), or one of its string enum values is written there ("small" names `size`).
STATED_WORD = 4
_KEY_STOPWORDS = frozenset({"include", "with", "type", "name", "value", "data", "info", "information", "number",
                            "list", "flag", "option", "options", "only", "show", "return", "from", "used"})
# llguidance's JSON options for every call. Fixed spacing: json.dumps' default separators, as
# `format_call` writes them, so the model sees its training format and cannot loop on
# whitespace. `lenient`: ignore keywords llguidance does not implement (uniqueItems, not, ...)
# and unknown string formats, rather than refusing the whole tool.
JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": ", "lenient": True}
# Python, BFCL and Java/JavaScript type names that JSON Schema does not know; None means any value.
TYPE_ALIASES: dict[str, str | None] = {
    "dict": "object", "hashmap": "object", "map": "object",
    "float": "number", "double": "number",
    "int": "integer", "long": "integer", "short": "integer", "byte": "integer",
    "str": "string", "char": "string",
    "bool": "boolean",
    "list": "array", "tuple": "array", "arraylist": "array", "set": "array",
    "any": None,
}
JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
# Schema keywords whose value is a map of name -> schema, a list of schemas, or one schema.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_ONE = ("additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not",
               "if", "then", "else", "unevaluatedProperties", "unevaluatedItems")
# Grounded strings (opt-in, `ground_strings=True`): a free string argument may only be a run of up
# to GROUND_SPAN_WORDS words of the user's and the tools' messages, edge punctuation trimmed
# ("Chicago, Illinois" offers "Chicago" and "Illinois" but not "Calif"), or a run of the
# parameter's own description. At most GROUND_MAX_SPANS runs, shortest first (a long request
# loses its longest runs). Free means type string with no enum, const, pattern or format, and no
# format named in its description (FORMAT_HINT: "YYYY-MM-DD", "HH:MM", "ISO 8601", "in the
# format ..."), since such a value is written anew, not copied.
GROUND_SPAN_WORDS = 16
GROUND_MAX_SPANS = 4000
GROUND_ROLES = ("user", "tool")
FORMAT_HINT = re.compile(r"\b(?:YYYY|YY|MM|DD|HH)\b|\bISO\b|\b[Ff]ormat(?:ted)?\b")
_POSSESSIVE = ("'s", "\u2019s")
_EDGE_PUNCTUATION = "\"'`\u201c\u201d\u2018\u2019.,;:!?()[]{}<>"
# Compiled matchers kept per tokenizer; a new sequence gets a deep copy (microseconds, against
# milliseconds to compile).
_TEMPLATES_PER_TOKENIZER = 64


class ConstraintError(RuntimeError):
    """The grammar cannot be built, or a sequence left it (a bug: the mask should prevent it)."""


# --------------------------------------------------------------------------------------------
# Schemas and the grammar: pure Python plus llguidance's grammar checker, no MLX.


def _map_type(value: Any) -> Any:
    """A JSON Schema `type` for a possibly Python/BFCL-style one; None means no type constraint.

        "dict" -> "object";  ["float", "null"] -> ["number", "null"];  "any" -> None
    """
    if isinstance(value, list):
        mapped = [_map_type(v) for v in value]
        if any(m is None for m in mapped):
            return None
        unique = list(dict.fromkeys(mapped))
        return unique[0] if len(unique) == 1 else unique
    if not isinstance(value, str):
        return None
    if value in JSON_TYPES:
        return value
    lowered = value.lower()
    if lowered in JSON_TYPES:
        return lowered
    # Unknown names (a class name, say) constrain nothing we can express: allow any value.
    return TYPE_ALIASES.get(lowered)


def sanitize_schema(schema: Any, strict: bool = True, keep_patterns: bool = True) -> Any:
    """A copy of a JSON schema that llguidance compiles, as close to the original as it can be.

    Python/BFCL type names become JSON ones, an empty `enum` (unsatisfiable) and a non-list
    `required` are dropped, an array without `maxItems` gets MAX_ARRAY_ITEMS. With `strict`, an object that lists `properties` and does not say
    otherwise accepts no other keys (as in OpenAI's strict mode: a call should not invent
    arguments); names in `required` but not in `properties` are added as "any value", so the
    schema stays satisfiable. `keep_patterns=False` drops every `pattern` (llguidance's regexes
    have no lookaround).

        {"type": "dict", "properties": {"x": {"type": "float"}}, "required": ["x"]}
        -> {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"],
            "additionalProperties": False}
    """
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "type":
            mapped = _map_type(value)
            if mapped is not None:
                out["type"] = mapped
        elif key in _SCHEMA_MAPS:
            if isinstance(value, dict):
                out[key] = {k: sanitize_schema(v, strict, keep_patterns) for k, v in value.items()}
        elif key in _SCHEMA_LISTS:
            if isinstance(value, list):
                out[key] = [sanitize_schema(v, strict, keep_patterns) for v in value]
        elif key in _SCHEMA_ONE:
            if isinstance(value, list):  # old-style tuple `items`
                out[key] = [sanitize_schema(v, strict, keep_patterns) for v in value]
            else:
                out[key] = sanitize_schema(value, strict, keep_patterns)
        elif key == "enum" and (not isinstance(value, list) or not value):
            continue
        elif key == "required" and not isinstance(value, list):
            continue
        elif key == "pattern" and not keep_patterns:
            continue
        else:
            out[key] = value
    if _is_array(out) and "maxItems" not in out:
        low = out.get("minItems")
        out["maxItems"] = max(MAX_ARRAY_ITEMS, low if isinstance(low, int) else 0)
    if strict and isinstance(out.get("properties"), dict) and "additionalProperties" not in out:
        for name in out.get("required", []):
            if isinstance(name, str):
                out["properties"].setdefault(name, {})
        out["additionalProperties"] = False
    return out


def _is_array(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind) or (kind is None and "items" in schema)


def arguments_schema(tool: dict, strict: bool = True, keep_patterns: bool = True,
                     spans: Sequence[str] = ()) -> dict:
    """The schema a call's `arguments` object must match: the tool's `parameters`, sanitized,
    with its free strings grounded in `spans` when any are given (see `ground_schema`).

    A tool without parameters takes `{}` (with `strict`); arguments are always a JSON object.
        {"name": "now"} -> {"type": "object", "properties": {}, "additionalProperties": False}
    """
    params = tool.get("parameters")
    if not isinstance(params, dict) or not params:
        params = {"type": "object", "properties": {}}
    schema = ground_schema(sanitize_schema(params, strict, keep_patterns), spans)
    schema.setdefault("type", "object")
    return schema


def grounding_spans(conversation: Sequence[dict]) -> list[str]:
    """The values a grounded string argument may take: every run of 1 to GROUND_SPAN_WORDS words
    of the user's and the tools' messages, with the punctuation at its edges trimmed. A run that
    ended in a dot or a possessive 's is offered both ways: "Inc." gives "Inc" and "Inc.",
    "Nowak's" gives "Nowak's" and "Nowak".

        [{"role": "user", "content": "Sales tax in Chicago, Illinois?"}]
        -> ["Sales", "tax", "in", "Chicago", "Illinois", "Sales tax", ..., "Chicago, Illinois", ...]
    """
    messages = [m.get("content") for m in conversation if m.get("role") in GROUND_ROLES]
    texts = [content.split() for content in messages if isinstance(content, str)]
    spans: dict[str, None] = {}
    for length in range(1, GROUND_SPAN_WORDS + 1):
        for words in texts:
            for start in range(len(words) - length + 1):
                raw = " ".join(words[start:start + length])
                span = raw.strip(_EDGE_PUNCTUATION)
                variants = [span]
                if span and raw.rstrip(_EDGE_PUNCTUATION.replace(".", "")).endswith(span + "."):
                    variants.append(span + ".")  # "Washington D.C." and "Apple Inc." keep their dot
                if span.endswith(_POSSESSIVE):
                    variants.append(span[:-2])
                for variant in filter(None, variants):
                    spans.setdefault(variant)
                    if len(spans) >= GROUND_MAX_SPANS:
                        return list(spans)
    return list(spans)


def ground_schema(schema: Any, spans: Sequence[str]) -> Any:
    """A copy of a sanitized schema in which every free string (type "string" with no enum,
    const, pattern or format, and no FORMAT_HINT in its description) must be one of `spans` or a
    run of words of its own description (which often lists the values: "Supports 'teaspoon',
    'tablespoon' and 'cup'"); unchanged when `spans` is empty.

        {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}}}
        -> {"type": "object", "properties": {"city": {"type": "string", "enum": [spans...]},
                                             "unit": {"enum": ["C", "F"]}}}
    """
    if not spans or not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: ground_schema(v, spans) for k, v in value.items()}
        elif key in _SCHEMA_LISTS + _SCHEMA_ONE and isinstance(value, list):
            out[key] = [ground_schema(v, spans) for v in value]
        elif key in _SCHEMA_ONE:
            out[key] = ground_schema(value, spans)
        else:
            out[key] = value
    described = out.get("description")
    if (out.get("type") == "string" and not {"enum", "const", "pattern", "format"} & out.keys()
            and not (isinstance(described, str) and FORMAT_HINT.search(described))):
        own = grounding_spans([{"role": "user", "content": described}]) if isinstance(described, str) else []
        out["enum"] = list(dict.fromkeys([*spans, *own]))
    return out


def call_schema(name: str, arguments: dict | bool) -> dict:
    """The JSON schema of one call object, with llguidance's options.

        call_schema("f", {"type": "object"})
        -> {"type": "object", "properties": {"name": {"const": "f"}, "arguments": {"type": "object"}},
            "required": ["name", "arguments"], "additionalProperties": False, "x-guidance": {...}}
    """
    return {
        "type": "object",
        "properties": {"name": {"const": name}, "arguments": arguments},
        "required": ["name", "arguments"],
        "additionalProperties": False,
        "x-guidance": JSON_OPTIONS,
    }


def schema_error(schema: dict) -> str:
    """llguidance's complaint about a JSON schema, or "" when it compiles."""
    grammar = LLMatcher.grammar_from_lark(f"start: %json {json.dumps(schema, ensure_ascii=False)}")
    error = LLMatcher.validate_grammar(grammar)
    # Warnings come back as "WARNING: ..."; only errors stop a schema.
    return "" if error.startswith("WARNING") else error


@dataclass(frozen=True)
class ToolGrammar:
    """A Lark grammar for the replies to one set of tools.

    `relaxed` says which tools' schemas llguidance refused, and what was loosened to make them
    compile (their calls are still checked for name and JSON object shape).
    """

    lark: str
    names: tuple[str, ...]
    allow_text: bool
    max_calls: int
    relaxed: tuple[str, ...] = field(default_factory=tuple)


def compile_tool(tool: dict, strict: bool = True, spans: Sequence[str] = ()) -> tuple[dict, str]:
    """One tool's call schema (its free strings grounded in `spans` when any are given),
    loosened step by step until llguidance compiles it.

    Returns the schema and a note ("" when nothing was loosened):
        sanitized -> without `pattern`s -> any object as arguments
    """
    name = tool.get("name")
    if not isinstance(name, str) or not name:
        raise ConstraintError(f"tool spec has no \"name\" string: {json.dumps(tool)[:200]}; "
                              "every offered tool needs a name")
    schema = call_schema(name, arguments_schema(tool, strict, spans=spans))
    error = schema_error(schema)
    if not error:
        return schema, ""
    schema = call_schema(name, arguments_schema(tool, strict, keep_patterns=False, spans=spans))
    if not schema_error(schema):
        return schema, f"{name}: dropped its regex patterns ({_first_line(error)})"
    return call_schema(name, {"type": "object"}), f"{name}: arguments may be any object ({_first_line(error)})"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def build_grammar(tools: Sequence[dict], allow_text: bool = True, max_calls: int = MAX_CALLS,
                  strict: bool = True, spans: Sequence[str] = ()) -> ToolGrammar:
    """The Lark grammar for replies to `tools` (see the module docstring for what it accepts).

        start: calls | TEXT | LEAD tool ("\\n" call){0,3}
        calls: call ("\\n" call){0,3}
        call: "<functioncall> " tool
        tool: tool_0 | tool_1
        tool_0: %json {"type": "object", "properties": {"name": {"const": "get_weather"}, ...}}
        ...

    With `spans`, every free string argument must be one of them (`ground_schema`).
    Raises ConstraintError when there is nothing to call and text is not allowed, or when
    `max_calls` is below 1.
    """
    if max_calls < 1:
        raise ConstraintError(f"max_calls is {max_calls}; pass at least 1")
    if not tools and not allow_text:
        raise ConstraintError("no tools are offered and allow_text=False leaves no valid reply: "
                              "offer at least one tool or pass allow_text=True")
    more = f'("\\n" call){{0,{max_calls - 1}}}' if max_calls > 1 else ""
    lines = []
    if tools:
        alternatives = ["calls"]
        if allow_text:
            alternatives += ["TEXT", f"LEAD tool {more}".strip()]
        lines += [f"start: {' | '.join(alternatives)}", f"calls: call {more}".strip(),
                  f'call: "{MARKER} " tool']
    else:
        lines.append("start: TEXT")
    relaxed = []
    names = []
    rules = []
    for i, tool in enumerate(tools):
        schema, note = compile_tool(tool, strict, spans)
        names.append(schema["properties"]["name"]["const"])
        rules.append(f"tool_{i}: %json {json.dumps(schema, ensure_ascii=False)}")
        if note:
            relaxed.append(note)
    if tools:
        lines.append("tool: " + " | ".join(f"tool_{i}" for i in range(len(tools))))
        lines += rules
    if allow_text:
        # Text never holds the marker; LEAD is text whose first marker ends it, after a newline.
        lines.append(f"TEXT: /(?s:.+)/ & ~/(?s:.*{MARKER}.*)/")
        if tools:
            lines.append(f"LEAD: /(?s:.+\\n{MARKER} )/ & ~/(?s:.*{MARKER}.*{MARKER}.*)/")
    return ToolGrammar("\n".join(lines) + "\n", tuple(names), allow_text, max_calls, tuple(relaxed))


# --------------------------------------------------------------------------------------------
# The tokenizer bridge and the logits processor.


@dataclass
class _TokenizerEntry:
    tokenizer: LLTokenizer
    stop_ids: list[int]
    templates: OrderedDict[str, LLMatcher] = field(default_factory=OrderedDict)
    closers: np.ndarray | None = None  # kinds of tokens made only of `"`, `]`, `}` (see WRAP_UP_TOKENS)
    ends: np.ndarray | None = None  # 1 for a `}`-first token, 2 for a `"}`-first one (see _ENDS)
    goes_on: np.ndarray | None = None  # 1 for a `,`-first token, 2 for a `",`-first one


# One LLTokenizer per tokenizer object: building it walks the whole vocabulary (about 0.5 s).
_entries: weakref.WeakKeyDictionary[Any, _TokenizerEntry] = weakref.WeakKeyDictionary()


def _backend_tokenizer(tokenizer: Any) -> Any:
    """The `tokenizers.Tokenizer` behind an mlx-lm TokenizerWrapper or a fast HF tokenizer."""
    inner = getattr(tokenizer, "_tokenizer", tokenizer)
    backend = getattr(inner, "backend_tokenizer", None)
    if backend is None:
        if hasattr(inner, "to_str"):  # already a tokenizers.Tokenizer
            return inner
        raise ConstraintError(
            f"cannot constrain with a {type(inner).__name__}: llguidance needs a fast tokenizer "
            "(tokenizer.json); load the model with a tokenizer.json beside it")
    return backend


def _entry(tokenizer: Any) -> _TokenizerEntry:
    entry = _entries.get(tokenizer)
    if entry is None:
        backend = _backend_tokenizer(tokenizer)
        # A copy without padding or truncation: llguidance must see single, whole sequences.
        backend = type(backend).from_str(backend.to_str())
        backend.no_padding()
        backend.no_truncation()
        stop_ids = stop_token_ids(tokenizer)
        entry = _TokenizerEntry(LLTokenizer(backend.to_str(), eos_token=stop_ids or None), stop_ids)
        texts = [entry.tokenizer.decode_str([i]) for i in range(entry.tokenizer.vocab_size)]
        entry.closers = np.array([(2 if t[0] == '"' else 1) if t and set(t) <= _CLOSERS else 0 for t in texts],
                                 dtype=np.int8)
        entry.ends, entry.goes_on = (
            np.array([2 if t.startswith(two) else 1 if t.startswith(one) else 0 for t in texts], dtype=np.int8)
            for one, two in (_ENDS, _GOES_ON))
        _entries[tokenizer] = entry
    return entry


def ll_tokenizer(tokenizer: Any) -> LLTokenizer:
    """llguidance's view of `tokenizer` (cached), whose EOS tokens are the chat's stop tokens.

        SmolLM2 -> LLTokenizer(vocab_size=49152, eos_tokens=[0, 2])
    """
    return _entry(tokenizer).tokenizer


def new_matcher(tokenizer: Any, grammar: ToolGrammar | str) -> LLMatcher:
    """A fresh matcher for `grammar`, compiled once per tokenizer and grammar, then copied.

    Raises ConstraintError with llguidance's message when the grammar does not compile.
    """
    lark = grammar.lark if isinstance(grammar, ToolGrammar) else grammar
    entry = _entry(tokenizer)
    template = entry.templates.get(lark)
    if template is None:
        # log_level=0: we check is_error() ourselves instead of letting it print to stderr.
        template = LLMatcher(entry.tokenizer, LLMatcher.grammar_from_lark(lark), log_level=0)
        if template.is_error():
            raise ConstraintError(f"llguidance refused the grammar: {template.get_error()}\n{lark}")
        entry.templates[lark] = template
        if len(entry.templates) > _TEMPLATES_PER_TOKENIZER:
            entry.templates.popitem(last=False)
    else:
        entry.templates.move_to_end(lark)
    return template.deep_copy()


def unpack_bitmask(bitmask: np.ndarray, size: int) -> np.ndarray:
    """llguidance's packed mask (one bit per token, int32 words) as `size` booleans.

    Tokens past the tokenizer's vocabulary (models often have spare embedding rows) are False.
        words [0b101] , size 4 -> [True, False, True, False]
    """
    bits = np.unpackbits(bitmask.reshape(-1).view(np.uint8), bitorder="little").astype(bool)
    if bits.size >= size:
        return bits[:size]
    return np.concatenate([bits, np.zeros(size - bits.size, dtype=bool)])


def _key_words(key: str) -> list[str]:
    """The words of an argument's name that can show it was named: `include_human_impact` ->
    ["human", "impact"], `maxCalories` -> ["calories"] (see STATED_WORD and _KEY_STOPWORDS)."""
    parts = (p.lower() for p in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", key))
    return [p for p in parts if len(p) >= STATED_WORD and p not in _KEY_STOPWORDS]


def _same_word(a: str, b: str) -> bool:
    n = min(5, len(a), len(b))
    return n >= STATED_WORD and a[:n] == b[:n]


def named_by(request: str, key: str, schema: Any) -> bool:
    """True when `request` names argument `key` (a word of it, or one of its string enum values).

        named_by("Find the distance accounting for terrain.", "consider_terrain", {"type": "boolean"}) -> True
        named_by("Identify a small green bird.", "size", {"enum": ["small", "large"]})               -> True
        named_by("Weather in Paris", "unit", {"type": "string"})                                    -> False
    """
    text = request.lower()
    words = re.findall(r"[a-z0-9]+", text)
    if any(_same_word(k, w) for k in _key_words(key) for w in words):
        return True
    values = schema.get("enum") if isinstance(schema, dict) else None
    return any(isinstance(v, str) and len(v) >= 3 and re.search(r"(?<![a-z0-9])" + re.escape(v.lower()) + r"(?![a-z0-9])", text)
               for v in values or [])


@dataclass
class StatedArguments:
    """The optional arguments one request names, per offered tool, for a GrammarConstraint's
    stated arguments (see STATED_WORD): `named` holds, per tool, its optional keys in schema
    order, each with whether the request names it."""

    tokenizer: LLTokenizer
    named: dict[str, list[tuple[str, bool]]]

    @classmethod
    def for_conversation(cls, conversation: Sequence[dict], tools: Sequence[dict],
                         tokenizer: LLTokenizer) -> StatedArguments:
        users = [m.get("content") for m in conversation if m.get("role") == "user"]
        request = users[-1] if users and isinstance(users[-1], str) else ""
        named = {}
        for tool in tools:
            params = tool.get("parameters") if isinstance(tool.get("parameters"), dict) else {}
            properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
            required = set(params.get("required") or []) if isinstance(params.get("required"), list) else set()
            named[tool.get("name")] = [(key, key not in required and named_by(request, key, schema))
                                       for key, schema in properties.items()]
        return cls(tokenizer, named)

    def going_on(self, reply: str, in_string: bool) -> tuple[str, list[int]] | None:
        """At a point where the last call of `reply` could close its arguments (a free string
        still open when `in_string`): the first named key after the last one written, in schema
        order (the grammar's), with the tokens of `, "key":` (after a `"` that closes the string);
        None when there is none, or when the point is inside a nested value, not the arguments."""
        start = reply.rfind(MARKER)
        if start < 0:
            return None
        closer = '"}}' if in_string else "}}"
        try:
            call = json.loads(reply[start + len(MARKER):].strip() + closer)
        except ValueError:
            return None
        arguments = call.get("arguments") if isinstance(call, dict) else None
        keys = self.named.get(call.get("name")) if isinstance(arguments, dict) else None
        if not keys:
            return None
        order = [key for key, _ in keys]
        last = max((order.index(k) for k in arguments if k in order), default=-1)
        for key, named in keys[last + 1:]:
            if named and key not in arguments:
                text = ('"' if in_string else "") + ", " + json.dumps(key, ensure_ascii=False) + ":"
                return key, self.tokenizer.tokenize_str(text)
        return None


class GrammarConstraint:
    """An mlx-lm logits processor that keeps one sequence inside a grammar.

    mlx-lm calls it as `processor(tokens, logits)`, where `tokens` is the prompt followed by the
    tokens generated so far. Each call feeds the matcher the generated tokens it has not seen
    (the prompt length is given, or taken from the first call) and masks every token the grammar
    does not allow next to -inf. Once the grammar is complete only the stop tokens remain.
    One instance per sequence: it holds that sequence's parser state.

    With `max_tokens` (the generation budget) it never starts what it cannot finish: once the
    reply is complete as it stands (a call just closed) and fewer tokens are left than the
    longest call so far took, only the stop tokens remain, so max_tokens cannot cut a further
    call in half. And in the last WRAP_UP_TOKENS of the budget, wherever the grammar allows a
    token that only closes (`"`, `]`, `}`, `"]}`...), only those remain: a call that ran long (a
    model repeating array items, or copying text into a string) is wrapped up instead of cut off.
    Inside a free string only the `"`-first ones count (there `}` is just a character).

    With `more_arguments` b (and the tokenizer's `ends` and `goes_on` kinds), wherever the
    likeliest allowed token would close an object and another key is allowed too, the tokens
    that go on get +b: the model writes one more (optional) argument unless it prefers closing
    by more than b logits. b = 0 changes nothing. With `stated` (StatedArguments), at such a
    point the call goes on to an optional argument the request names, if one is left.
    """

    def __init__(self, matcher: LLMatcher, vocab_size: int, stop_ids: Sequence[int],
                 prompt_length: int | None = None, max_tokens: int | None = None,
                 closers: np.ndarray | None = None, more_arguments: float = 0.0,
                 ends: np.ndarray | None = None, goes_on: np.ndarray | None = None,
                 stated: StatedArguments | None = None):
        if (more_arguments or stated is not None) and (ends is None or goes_on is None):
            raise ConstraintError("more_arguments and stated arguments need the tokenizer's ends and goes_on "
                                  "token kinds; build the constraint with make_constraint or constraint_factory")
        self.matcher = matcher
        self.closers = closers
        self.more_arguments, self.ends, self.goes_on = more_arguments, ends, goes_on
        self.leaned = 0  # steps where more_arguments raised the going-on tokens
        self.stated = stated
        self.forced: list[int] = []  # the rest of a `, "key"` that stated arguments started
        self.went_on: list[str] = []  # the keys stated arguments went on to
        self.vocab_size = vocab_size
        self.stop_ids = frozenset(stop_ids)
        self.prompt_length = prompt_length
        self.max_tokens = max_tokens
        self.consumed = 0
        self.longest_part = 0  # most tokens between two points where the reply could end
        self._last_accepting = 0
        self._bitmask = allocate_token_bitmask(1, vocab_size)

    def __call__(self, tokens: Any, logits: Any) -> Any:
        import mlx.core as mx

        self.advance(tokens)
        allowed = self.allowed_tokens(logits.shape[-1])
        if self.stated is not None:
            allowed = self.stated_step(tokens, logits, allowed)
        if self.more_arguments and not self.forced:
            point = self.closing_point(logits, allowed)
            if point is not None:
                self.leaned += 1
                shift = np.zeros(len(allowed), dtype=np.float32)
                shift[:len(point[0])][point[0]] = self.more_arguments
                logits = logits + mx.array(shift).astype(logits.dtype)
        return mx.where(mx.array(allowed), logits, float("-inf"))

    def closing_kinds(self, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool] | None:
        """Where the grammar allows both closing an object and going on to another key: (the
        allowed closing tokens, the allowed going-on tokens, whether a free string is open);
        None elsewhere."""
        n = len(self.ends)
        in_string = bool(allowed.sum() > FREE_TEXT_TOKENS)
        lowest = 2 if in_string else 1  # inside a free string: `"}` / `",` only
        ends = allowed[:n] & (self.ends >= lowest)
        goes_on = allowed[:n] & (self.goes_on >= lowest)
        if not ends.any() or not goes_on.any():
            return None
        return ends, goes_on, in_string

    def closing_point(self, logits: Any, allowed: np.ndarray) -> tuple[np.ndarray, bool] | None:
        """Where the likeliest allowed token closes an object and going on to another key is
        allowed: (the allowed going-on tokens, whether a free string is open); None elsewhere."""
        kinds = self.closing_kinds(allowed)
        if kinds is None:
            return None
        import mlx.core as mx

        ends, goes_on, in_string = kinds
        n = len(ends)
        row = np.array(logits.reshape(-1)[:n].astype(mx.float32))
        if not ends[int(np.argmax(np.where(allowed[:n], row, -np.inf)))]:
            return None
        return goes_on, in_string

    def stated_instead(self, choice: int, allowed: np.ndarray, generated: Sequence[int]) -> list[int]:
        """For a decoder that picks among the allowed tokens itself (smolcall.guided): when its
        `choice` would close a call's arguments and stated arguments go on from there, the tokens
        of `, "key":` to write instead (the grammar may take fewer: write those it accepts);
        else []. `generated`: the reply's tokens so far."""
        if self.stated is None:
            return []
        kinds = self.closing_kinds(allowed)
        if kinds is None or choice >= len(kinds[0]) or not kinds[0][choice]:
            return []
        return self._stated_key(generated, kinds[2])

    def _stated_key(self, generated: Sequence[int], in_string: bool) -> list[int]:
        """The tokens of `, "key":` for the next named key of the reply `generated` (noted in
        went_on), or [] when none is left."""
        forced = self.stated.going_on(self.stated.tokenizer.decode_str(list(generated)), in_string)
        if forced is None:
            return []
        self.went_on.append(forced[0])
        return forced[1]

    def stated_step(self, tokens: Any, logits: Any, allowed: np.ndarray) -> np.ndarray:
        """`allowed`, narrowed to the next token of a forced `, "key"` where stated arguments go on."""
        if not self.forced:
            point = self.closing_point(logits, allowed)
            if point is None:
                return allowed
            generated = tokens[self.prompt_length:]
            self.forced = self._stated_key(generated.tolist() if hasattr(generated, "tolist") else generated, point[1])
            if not self.forced:
                return allowed
        token = self.forced[0]
        if token >= len(allowed) or not allowed[token]:  # not this grammar's way to write it: leave it
            self.forced = []
            return allowed
        only = np.zeros(len(allowed), dtype=bool)
        only[token] = True
        return only

    def advance(self, tokens: Any) -> None:
        """Feed the matcher the generated tokens of `tokens` (prompt + generated) not yet seen.

        Raises ConstraintError when a token breaks the grammar: the mask did not hold, e.g. a
        later processor or the sampler picked a masked token, or one processor served two
        sequences.
        """
        if self.prompt_length is None:
            self.prompt_length = len(tokens)
        start = self.prompt_length + self.consumed
        if len(tokens) < start:
            raise ConstraintError(
                f"got {len(tokens)} tokens but had already seen {start} (prompt {self.prompt_length} "
                f"+ {self.consumed} generated): give every sequence its own GrammarConstraint")
        new = tokens[start:]
        new = new.tolist() if hasattr(new, "tolist") else list(new)
        for token in new:
            # A matcher that allows only a stop token refuses to consume it; the reply ends there.
            if not (self.matcher.is_stopped() and token in self.stop_ids) and not self.matcher.consume_token(token):
                raise ConstraintError(
                    f"generated token {token} after {self.consumed} constrained tokens breaks the grammar: "
                    f"{self.matcher.get_error()}. Apply this processor last, after any that change logits.")
            self.consumed += 1
            if self.forced:
                self.forced = self.forced[1:] if token == self.forced[0] else []
            if self.matcher.is_accepting():
                self.longest_part = max(self.longest_part, self.consumed - self._last_accepting)
                self._last_accepting = self.consumed

    def out_of_budget(self) -> bool:
        """True when the reply could end here and another part would not fit in max_tokens."""
        if self.max_tokens is None or self.consumed == 0 or not self.matcher.is_accepting():
            return False
        return self.max_tokens - self.consumed < self.longest_part + 1

    def allowed_tokens(self, size: int | None = None) -> np.ndarray:
        """Booleans over the vocabulary (padded with False to `size`): may this token come next?"""
        size = self.vocab_size if size is None else size
        if self.out_of_budget() and self.stop_ids:
            allowed = np.zeros(size, dtype=bool)
            allowed[[i for i in self.stop_ids if i < size]] = True
            return allowed
        fill_next_token_bitmask(self.matcher, self._bitmask)
        allowed = unpack_bitmask(self._bitmask, size)
        if self.wrapping_up() and self.closers is not None:
            kind = 2 if allowed.sum() > FREE_TEXT_TOKENS else 1  # inside a free string: close it first
            closing = allowed.copy()
            closing[: len(self.closers)] &= self.closers == kind
            closing[len(self.closers):] = False
            if closing.any():
                return closing
        return allowed

    def wrapping_up(self) -> bool:
        """True in the last WRAP_UP_TOKENS of the budget, with a call still open."""
        return (self.max_tokens is not None and self.max_tokens - self.consumed <= WRAP_UP_TOKENS
                and not self.matcher.is_accepting())

    def forced_tokens(self) -> list[int]:
        """The tokens the grammar forces next, whatever the model would pick (may be empty).

        After `<functioncall>` with one tool offered: the tokens of ` {"name": "get_weather",
        "arguments": {"city":` - a later speed-up can append them without running the model.
        """
        return self.matcher.compute_ff_tokens()

    @property
    def done(self) -> bool:
        """True when the grammar allows nothing but a stop token (or has consumed one)."""
        return self.matcher.is_stopped()


def make_constraint(tokenizer: Any, tools: Sequence[dict], allow_text: bool = True,
                    max_calls: int = MAX_CALLS, prompt_length: int | None = None,
                    strict: bool = True, max_tokens: int | None = None,
                    more_arguments: float = 0.0) -> GrammarConstraint:
    """A logits processor that keeps one reply inside the grammar for `tools`.

        >>> constraint = make_constraint(tokenizer, [{"name": "f", "parameters": {...}}])  # doctest: +SKIP
        >>> logits = constraint(prompt_and_generated_tokens, logits)                      # doctest: +SKIP
    """
    grammar = build_grammar(tools, allow_text, max_calls, strict)
    entry = _entry(tokenizer)
    return GrammarConstraint(new_matcher(tokenizer, grammar), entry.tokenizer.vocab_size, entry.stop_ids,
                             prompt_length, max_tokens, entry.closers, more_arguments, entry.ends, entry.goes_on)


def conversation_tools(conversation: list[dict]) -> list[dict]:
    """The tools a conversation's system prompt offers ([] without a system message).

    Raises ConstraintError (from parse_tools' ValueError) when a spec in it is not valid JSON.
    """
    for message in conversation:
        if message.get("role") == "system":
            try:
                return parse_tools(message.get("content") or "")
            except ValueError as e:
                raise ConstraintError(f"cannot read the tools to constrain to: {e}; build the system "
                                      "prompt with smolcall.prompt.system_prompt") from e
    return []


def constraint_factory(tokenizer: Any, allow_text: bool = True, max_calls: int = MAX_CALLS,
                       strict: bool = True, max_tokens: int | None = None, ground_strings: bool = False,
                       more_arguments: float = 0.0, stated_arguments: bool = False,
                       ) -> Callable[[list[dict], list[int]], list[GrammarConstraint]]:
    """A `logits_processors_factory` for `generate_replies`: one constraint per conversation,
    built from the tools in its system prompt. Without tools (and with `allow_text`) the reply
    is text that cannot call. `prompt_tokens` must be the tokens mlx-lm hands the processor before the
    generated ones: the whole prompt for `generate_replies` (BatchGenerator), only the uncached
    suffix for `generate_step` with a prompt cache. Pass the generation's `max_tokens` so no
    call is started that the budget cannot finish. With `ground_strings`, every free string
    argument must be a run of words from the conversation's user and tool messages
    (`grounding_spans`): no invented names or places, and no rewritten ones either. With
    `more_arguments` b, a call goes on to another argument where the model prefers closing it
    by less than b logits; with `stated_arguments`, it goes on to the optional arguments the
    request names (StatedArguments; GrammarConstraint).

        >>> generate_replies(model, tokenizer, conversations,
        ...                  logits_processors_factory=constraint_factory(tokenizer))  # doctest: +SKIP
    """

    entry = _entry(tokenizer)
    # Evaluation sets repeat tool sets; checking each tool's schema costs a few milliseconds.
    grammars: dict[str, ToolGrammar] = {}

    def built(tools: list[dict], spans: Sequence[str]) -> ToolGrammar:
        grammar = build_grammar(tools, allow_text, max_calls, strict, spans)
        for note in grammar.relaxed:
            log.warning("constraint loosened for %s", note)
        return grammar

    def factory(conversation: list[dict], prompt_tokens: list[int]) -> list[GrammarConstraint]:
        # Without tools the grammar still applies: text that never writes `<functioncall>`.
        tools = conversation_tools(conversation)
        if ground_strings:  # one grammar per conversation: built each time, not kept
            grammar = built(tools, grounding_spans(conversation))
        else:
            # Not sort_keys: the grammar follows the schema's property order.
            key = json.dumps(tools)
            if key not in grammars:
                grammars[key] = built(tools, ())
            grammar = grammars[key]
        matcher = new_matcher(tokenizer, grammar)
        stated = StatedArguments.for_conversation(conversation, tools, entry.tokenizer) if stated_arguments else None
        return [GrammarConstraint(matcher, entry.tokenizer.vocab_size, entry.stop_ids, len(prompt_tokens),
                                  max_tokens, entry.closers, more_arguments, entry.ends, entry.goes_on, stated)]

    return factory


def grammar_accepts(tokenizer: Any, tools: Sequence[dict], text: str, allow_text: bool = True,
                    max_calls: int = MAX_CALLS) -> bool:
    """True when the grammar for `tools` accepts `text` as a complete reply (tokenized plainly).

        grammar_accepts(tok, [weather], '<functioncall> {"name": "get_weather", "arguments": {"city": "Oslo"}}')
        -> True
        grammar_accepts(tok, [weather], '<functioncall> {"name": "get_news", "arguments": {}}')
        -> False
    """
    matcher = new_matcher(tokenizer, build_grammar(tools, allow_text, max_calls))
    tokens = ll_tokenizer(tokenizer).tokenize_str(text)
    return matcher.try_consume_tokens(tokens) == len(tokens) and matcher.is_accepting()
