"""Grade a model reply against the expected calls. Pure Python, no MLX.

One case is the tools offered, the calls expected (an empty list when the right answer is plain
text: no fitting function, or a question back to the user) and the model's reply:

    expected = [FunctionCall("get_weather", {"city": "Paris"})]
    reply    = '<functioncall> {"name": "get_weather", "arguments": {"city": " Paris", "days": 1.0}}'

`grade` turns that into a `Verdict` of yes/no metrics; `summarize` and `breakdown` turn many
verdicts into rates. A malformed reply is a wrong answer, never an exception.

How arguments compare (`exact_arguments`):
- numbers by value, so 1 == 1.0; booleans are not numbers (true != 1);
- strings case-sensitive (a city or an id can differ only by case) but with surrounding
  whitespace trimmed, which is tokenization noise rather than a different value;
- objects ignore key order, arrays keep their order;
- the argument names must be exactly the expected ones: an omitted optional argument or an extra
  one (even set to its default) is a difference.
Calls compare as a multiset, so parallel calls may come in any order but a repeated call must be
repeated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import jsonschema

from smolcall.calls import FunctionCall, ParsedReply, parse_reply

# Metrics that apply to a case that expects calls; the others apply to a no-call case.
CALL_METRICS = ("schema_valid", "correct_function", "exact_arguments")
METRICS = ("valid_syntax", *CALL_METRICS, "no_call_correct", "fully_correct")


@dataclass(frozen=True)
class Verdict:
    """The grade of one reply. A metric is None where it does not apply to the case.

    `valid_syntax`: the reply parses; when calls are expected it must hold at least one call,
    when none are expected plain text counts.
    `schema_valid`: every call names an offered tool and its arguments validate against the
    tool's JSON schema. `correct_function`: the called names match the expected ones (as a
    multiset). `exact_arguments`: the calls match the expected ones, see the module docstring.
    `no_call_correct`: a no-call case got plain, non-empty text and no call attempt.
    `fully_correct`: everything above that applies holds.
    """

    expects_call: bool
    valid_syntax: bool
    schema_valid: bool | None
    correct_function: bool | None
    exact_arguments: bool | None
    no_call_correct: bool | None
    fully_correct: bool
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def normalize_value(value):
    """A hashable form of a JSON value in which equal-by-our-rules values are equal.

    >>> normalize_value({"b": [1, " x "], "a": 2.0}) == normalize_value({"a": 2, "b": [1.0, "x"]})
    True
    """
    # Tags keep kinds apart: True must not equal 1, and "1" must not equal 1.
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("string", value.strip())
    if isinstance(value, (list, tuple)):
        return ("array", tuple(normalize_value(v) for v in value))
    if isinstance(value, dict):
        return ("object", tuple(sorted((str(k), normalize_value(v)) for k, v in value.items())))
    return ("other", repr(value))


def normalize_call(call: FunctionCall) -> tuple:
    return (call.name, normalize_value(call.arguments))


def schema_errors(calls: list[FunctionCall], tools: list[dict]) -> list[str]:
    """Why each call fails its tool's schema; empty when every call is valid.

    >>> schema_errors([FunctionCall("f", {"x": "1"})],
    ...               [{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}}}])
    ["f: '1' is not of type 'integer' (at x)"]
    """
    by_name = {t.get("name"): t for t in tools}
    errors = []
    for call in calls:
        tool = by_name.get(call.name)
        if tool is None:
            errors.append(f"{call.name}: unknown function; offered: {', '.join(map(str, by_name)) or 'none'}")
            continue
        schema = tool.get("parameters") or {"type": "object"}
        try:
            validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
            validator_cls.check_schema(schema)
        except jsonschema.SchemaError as e:
            errors.append(f"{call.name}: the tool's own schema is invalid: {e.message}")
            continue
        for error in validator_cls(schema).iter_errors(call.arguments):
            where = "/".join(str(p) for p in error.absolute_path)
            errors.append(f"{call.name}: {error.message}" + (f" (at {where})" if where else ""))
    return errors


def grade(expected: list[FunctionCall], reply: str | ParsedReply, tools: list[dict]) -> Verdict:
    """Grade one reply. `expected` empty means the right answer is text, not a call.

    >>> v = grade([FunctionCall("f", {"x": 1})], '<functioncall> {"name": "f", "arguments": {"x": 1.0}}',
    ...           [{"name": "f", "parameters": {"type": "object", "properties": {"x": {"type": "number"}}}}])
    >>> v.fully_correct, v.exact_arguments
    (True, True)
    """
    parsed = reply if isinstance(reply, ParsedReply) else parse_reply(reply)
    errors = [f"parse: {e}" for e in parsed.errors]
    if not expected:
        valid_syntax = parsed.ok
        # A broken call attempt is still an attempt; an empty reply helps nobody.
        no_call_correct = not parsed.has_marker and bool(parsed.text.strip())
        if parsed.has_marker:
            errors.append(f"expected no call, got {len(parsed.calls)} call(s) and {len(parsed.errors)} broken one(s)")
        elif not no_call_correct:
            errors.append("expected a text answer, got an empty reply")
        return Verdict(False, valid_syntax, None, None, None, no_call_correct, no_call_correct, errors)

    valid_syntax = parsed.ok and bool(parsed.calls)
    if not parsed.calls and parsed.ok:
        errors.append(f"expected {len(expected)} call(s), got plain text")
    bad_schema = schema_errors(parsed.calls, tools)
    errors += [f"schema: {e}" for e in bad_schema]
    schema_valid = bool(parsed.calls) and not bad_schema
    got_names, want_names = Counter(c.name for c in parsed.calls), Counter(c.name for c in expected)
    correct_function = got_names == want_names
    if not correct_function:
        errors.append(f"functions: expected {sorted(want_names.elements())}, got {sorted(got_names.elements())}")
    exact_arguments = correct_function and Counter(map(normalize_call, parsed.calls)) == Counter(
        map(normalize_call, expected)
    )
    if correct_function and not exact_arguments:
        errors.append("arguments differ from the expected ones")
    fully_correct = valid_syntax and schema_valid and exact_arguments
    return Verdict(True, valid_syntax, schema_valid, correct_function, exact_arguments, None, fully_correct, errors)


def summarize(verdicts: Iterable[dict]) -> dict:
    """Rates of each metric over the cases it applies to, with the counts.

    >>> summarize([{"valid_syntax": True, "fully_correct": False}, {"valid_syntax": False, "fully_correct": None}])
    {'n': 2, 'valid_syntax': 0.5, 'fully_correct': 0.0, 'n_valid_syntax': 2, 'n_fully_correct': 1}
    """
    verdicts = list(verdicts)
    rates: dict = {"n": len(verdicts)}
    counts: dict = {}
    for metric in METRICS:
        if not any(metric in v for v in verdicts):
            continue
        values = [v[metric] for v in verdicts if v.get(metric) is not None]
        rates[metric] = sum(values) / len(values) if values else None
        counts[f"n_{metric}"] = len(values)
    return rates | counts


def breakdown(records: Iterable[dict], key: Callable[[dict], Iterable[str]]) -> dict[str, dict]:
    """`summarize` per group; `key` gives each record's groups (a case may sit in several).

    >>> breakdown([{"kind": "single", "fully_correct": True}], lambda r: [r["kind"]])
    {'single': {'n': 1, 'fully_correct': 1.0, 'n_fully_correct': 1}}
    """
    groups: dict[str, list[dict]] = {}
    for record in records:
        for group in key(record):
            groups.setdefault(group, []).append(record)
    return {group: summarize(members) for group, members in sorted(groups.items())}
