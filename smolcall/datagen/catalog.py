"""The function catalogue: a small text format read into typed specs. Pure Python.

One function in `functions.CATALOG` reads:

    ## weather
    get_current_weather: Get the current weather for a location.
      location: string! city | City name, e.g. Paris
      unit: enum(celsius, fahrenheit) = celsius | Temperature unit
      > What's the weather like in {location}?
      > {location} weather in {unit} please
      ? Is it cold outside right now?
      => temperature: int(-5,35); condition: pick(sunny|cloudy|rain)

- `## name` opens a domain. `name: description` opens a function; a leading `*` puts it in the
  held-out test pool (never offered in training rows).
- A parameter line is `name: type[!] [sampler] [= default] | description`; `!` marks it required.
  Types: string, integer, number, boolean, enum(a, b), array<type>, object{field: type[!]; ...}.
  The sampler (see `values.sample`) says how to draw a value; enums, numbers and booleans have one
  by default.
- `>` is a request template: `{param}` is filled with a sampled value's words, `{param=true}` sets the
  argument and prints nothing. It must mention every required parameter.
- `?` is a request that leaves a required parameter out: the answer is a clarifying question.
- `=>` lists the fields of a made-up function response, for multi-turn rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from smolcall.datagen.values import check_sampler

NO_DEFAULT = object()
SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:=([^}]*))?\}")
_FUNC = re.compile(r"^(\*?)([A-Za-z_][A-Za-z0-9_.]*):\s+(.+)$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):\s+(.+?)\s+\|\s+(.+)$")


class CatalogError(ValueError):
    """A catalogue line that cannot be read; the message names the line."""


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict  # JSON-schema fragment without the description
    description: str
    required: bool
    sampler: str | None
    default: object = NO_DEFAULT

    @property
    def type_name(self) -> str:
        return "enum" if "enum" in self.schema else self.schema["type"]


@dataclass(frozen=True)
class Template:
    id: str
    text: str
    slots: tuple[str, ...]  # parameters whose words appear
    fixed: tuple[tuple[str, object], ...]  # parameters the wording sets without printing a value
    clarify: bool

    @property
    def mentioned(self) -> set[str]:
        return set(self.slots) | {name for name, _ in self.fixed}


@dataclass(frozen=True, eq=False)  # one object per catalogue entry: compare and hash by identity
class Function:
    name: str
    domain: str
    description: str
    params: tuple[Param, ...]
    templates: tuple[Template, ...] = ()
    returns: tuple[tuple[str, str], ...] = ()
    test: bool = False

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.params if p.required]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}; it has {', '.join(p.name for p in self.params)}")

    @property
    def call_templates(self) -> list[Template]:
        return [t for t in self.templates if not t.clarify]

    @property
    def clarify_templates(self) -> list[Template]:
        return [t for t in self.templates if t.clarify]


def param_schema(param: Param, style: str) -> dict:
    """The JSON schema of one parameter as the prompt shows it.

    `style` "glaive" leaves defaults out, "bfcl" says them in the description ("Default is 'x'."),
    "default" adds a JSON-schema `default` key.
    """
    out = {**param.schema, "description": param.description}
    if param.default is not NO_DEFAULT:
        if style == "bfcl":
            out["description"] = f"{param.description}. Default is {json.dumps(param.default)}."
        elif style == "default":
            out["default"] = param.default
    # Key order as specs are usually written: type, description, then the rest.
    return {"type": out.pop("type"), "description": out.pop("description"), **out}


def function_spec(fn: Function, style: str = "glaive", rename: dict[str, str] | None = None,
                  name: str | None = None) -> dict:
    """The spec offered in the system prompt; `name` and `rename` apply function masking."""
    rename = rename or {}
    props = {rename.get(p.name, p.name): param_schema(p, style) for p in fn.params}
    params: dict = {"type": "object", "properties": props}
    required = [rename.get(r, r) for r in fn.required]
    if required or style == "bfcl":
        params["required"] = required
    return {"name": name or fn.name, "description": fn.description, "parameters": params}


# --- parsing ---


def parse_type(text: str) -> tuple[dict, str]:
    """Read one type expression from the start of `text`; return its schema and the rest.

    >>> parse_type("array<object{x: number!; y: number}> rest")
    ({'type': 'array', 'items': {'type': 'object', 'properties': {'x': {'type': 'number', 'description': 'X'}, 'y': {'type': 'number', 'description': 'Y'}}, 'required': ['x']}}, ' rest')
    """
    for simple in ("string", "integer", "number", "boolean"):
        if text.startswith(simple):
            return {"type": simple}, text[len(simple):]
    if text.startswith("enum("):
        end = text.index(")")
        options = [o.strip() for o in text[5:end].split(",")]
        return {"type": "string", "enum": options}, text[end + 1:]
    if text.startswith("array<"):
        items, rest = parse_type(text[6:])
        if not rest.startswith(">"):
            raise CatalogError(f"array type is missing '>' before {rest[:20]!r}")
        return {"type": "array", "items": items}, rest[1:]
    if text.startswith("object{"):
        end = _matching_brace(text, 6)
        props, required = {}, []
        for part in text[7:end].split(";"):
            fname, _, ftype = part.strip().partition(":")
            schema, rest = parse_type(ftype.strip())
            props[fname.strip()] = {**schema, "description": fname.strip().replace("_", " ").capitalize()}
            if rest.strip() == "!":
                required.append(fname.strip())
        obj = {"type": "object", "properties": props}
        if required:
            obj["required"] = required
        return obj, text[end + 1:]
    known = "string, integer, number, boolean, enum(..), array<..>, object{..}"
    raise CatalogError(f"unknown type at {text[:30]!r}; use {known}")


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise CatalogError(f"unclosed '{{' in {text[:40]!r}")


def default_sampler(schema: dict) -> str | None:
    if "enum" in schema:
        return "pick(" + "|".join(schema["enum"]) + ")"
    return {"integer": "int(1,20)", "number": "num(1,100)", "boolean": "bool"}.get(schema["type"])


def parse_param(line: str) -> Param:
    m = _PARAM.match(line)
    if not m:
        raise CatalogError(f"parameter line {line!r} is not 'name: type[!] [sampler] [= default] | description'")
    name, spec, description = m.groups()
    schema, rest = parse_type(spec)
    required = rest.startswith("!")
    rest = rest[1:] if required else rest
    sampler_text, _, default_text = rest.partition("=")
    sampler = sampler_text.strip() or default_sampler(schema)
    if sampler:
        check_sampler(sampler)
    default = NO_DEFAULT
    if default_text.strip():
        raw = default_text.strip()
        try:
            default = json.loads(raw)
        except json.JSONDecodeError:
            default = raw  # a bare word is a string default
    return Param(name, schema, description.strip(), required, sampler, default)


def parse_template(fn_name: str, index: int, text: str, clarify: bool) -> Template:
    slots, fixed = [], []
    for m in SLOT.finditer(text):
        if m.group(2) is None:
            slots.append(m.group(1))
        else:
            raw = m.group(2)
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
            fixed.append((m.group(1), value))
    return Template(f"{fn_name}#{index}", text, tuple(slots), tuple(fixed), clarify)


def parse_catalog(text: str) -> list[Function]:
    """All functions of a catalogue text, checked: templates name real parameters, `>` templates
    mention every required one and `?` templates leave one out."""
    functions: list[Function] = []
    domain = None
    current: dict | None = None

    def close() -> None:
        if current is not None:
            functions.append(_finish(current))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") and not line.startswith("##"):
            continue
        try:
            if line.startswith("## "):
                close()
                domain, current = line[3:].strip(), None
            elif raw.startswith((" ", "\t")) and current is not None:
                _add_line(current, line)
            else:
                close()
                m = _FUNC.match(line)
                if not m or domain is None:
                    raise CatalogError(f"expected '## domain' or 'name: description', got {line!r}")
                star, name, description = m.groups()
                current = {"name": name, "domain": domain, "description": description, "test": bool(star),
                           "params": [], "templates": [], "returns": []}
        except (CatalogError, ValueError) as e:
            raise CatalogError(f"catalogue line {number}: {e}") from e
    close()
    names = [f.name for f in functions]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CatalogError(f"function names appear twice: {', '.join(duplicates)}")
    return functions


def _add_line(current: dict, line: str) -> None:
    if line.startswith((">", "?")):
        index = len(current["templates"])
        current["templates"].append(parse_template(current["name"], index, line[1:].strip(), line[0] == "?"))
    elif line.startswith("=>"):
        for part in line[2:].split(";"):
            key, _, sampler = part.partition(":")
            check_sampler(sampler.strip().rstrip("*"))
            current["returns"].append((key.strip(), sampler.strip()))
    else:
        current["params"].append(parse_param(line))


def _finish(current: dict) -> Function:
    fn = Function(current["name"], current["domain"], current["description"], tuple(current["params"]),
                  tuple(current["templates"]), tuple(current["returns"]), current["test"])
    known = {p.name for p in fn.params}
    for t in fn.templates:
        unknown = t.mentioned - known
        if unknown:
            raise CatalogError(f"{t.id} names unknown parameters {sorted(unknown)}; {fn.name} has {sorted(known)}")
        missing = set(fn.required) - t.mentioned
        if t.clarify and not missing:
            raise CatalogError(f"{t.id} is a '?' template but mentions every required parameter")
        if not t.clarify and missing:
            raise CatalogError(f"{t.id} leaves out required {sorted(missing)}; mark it '?' or add the slots")
        for slot in t.slots:
            if fn.param(slot).sampler is None:
                raise CatalogError(f"{t.id}: parameter {slot!r} has no sampler")
    if not fn.call_templates:
        raise CatalogError(f"{fn.name} has no '>' template")
    return fn
