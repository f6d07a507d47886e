"""Build the generated function-calling set: Glaive v2 rows, then the shared converter. Pure Python.

Each row is drawn from its own seeded random stream (`random.Random(f"{seed}:{split}:{i}")`), so
the same seed gives the same bytes. A generated row looks exactly like a hub row, plus `meta`:

    {"system": "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\\n{\\n    \\"name\\": \\"track_order\\", ...}",
     "chat": "USER: Where is my order ORD-482133?\\n\\n\\nASSISTANT: <functioncall> {\\"name\\": \\"track_order\\", \\"arguments\\": '{\\"order_id\\": \\"ORD-482133\\"}'} <|endoftext|>\\n\\n\\n",
     "meta": {"source": "generated", "kind": "single", "split": "train", "template": "track_order#0", ...}}

Train and valid rows use the catalogue's train functions and the train wording; test rows use the
held-out (`*`) functions and the test wording only, in an "easy" and a "hard" group.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import shutil
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from smolcall.calls import FunctionCall
from smolcall.datagen import phrasing
from smolcall.datagen.catalog import SLOT, Function, Param, Template, function_spec, parse_catalog
from smolcall.datagen.functions import CATALOG
from smolcall.datagen.functions_extra import CATALOG_EXTRA
from smolcall.datagen.values import RowContext, Value, join_words, sample
from smolcall.dataset_io import convert_rows
from smolcall.prompt import system_prompt

# 2: more functions offered per row (TOOL_COUNTS); 3: near_miss_share 0.5; 4: the catalog setting
# (extended: 395 functions in 46 domains) and whole numbers of 1,000 and more said with their zeros.
GENERATOR_VERSION = 4
KINDS = ("single", "parallel", "no_call", "clarify", "multi_turn", "twin")
# Row kinds drawn for the train/valid rows and the easy test group; the hard group has no
# clarify or multi-turn rows and more no-call ones.
KIND_SHARES = {"single": 0.34, "parallel": 0.16, "no_call": 0.20, "clarify": 0.10, "multi_turn": 0.20}
HARD_KIND_SHARES = {"single": 0.45, "parallel": 0.20, "no_call": 0.35}
# Functions offered per row. Each compact spec costs about 78 tokens, so this sets most of a
# row's length. Version 1 offered 2.2 on average (a third of rows one function): the last
# function listed was the called one in most single-call rows, and the tuned model learned to
# call the last function it was offered, whatever the request. Now 2.9 on average, the called
# one at a random place among them.
TOOL_COUNTS = {1: 0.12, 2: 0.28, 3: 0.30, 4: 0.18, 5: 0.12}
SPEC_STYLES = {"glaive": 0.5, "bfcl": 0.3, "default": 0.2}
# How a row's requests are worded: as written, inside a wrapper ("Hey, ..."), with typos in the
# template's own words, or terse (lower case, no final punctuation).
STYLE_SHARES = {"plain": 0.5, "wrapped": 0.3, "typos": 0.1, "terse": 0.1}
HARD_STYLE_SHARES = {"plain": 0.3, "wrapped": 0.3, "typos": 0.25, "terse": 0.15}


@dataclass(frozen=True)
class GenConfig:
    """What to generate; saved in stats.json so `ensure_generated` can tell a stale build."""

    seed: int = 0
    train_rows: int = 3000
    valid_rows: int = 150
    test_rows: int = 300
    hard_share: float = 1 / 3  # of the test rows
    masked_share: float = 0.25  # rows whose function and/or parameter names are random identifiers
    max_tools: int = 5  # most functions offered in one prompt (fewer = shorter rows)
    prompt_style: str = "compact"  # how the MLX rows render the system prompt
    # Share of train and valid rows answered without a call (irrelevance augmentation, as in
    # Hammer): the other kinds shrink in proportion. Test rows keep KIND_SHARES, so adapters
    # trained on different shares are graded on the same test split.
    no_call_share: float = KIND_SHARES["no_call"]
    # Share of train and valid rows with several calls in one reply (test rows keep KIND_SHARES);
    # None scales it with the other calling kinds.
    parallel_share: float | None = None
    # Compositional multi-call rows: in a train or valid row that joins two or three requests, the
    # chance that each request asks for a list of values ("weather in Paris and Rome, and 20 USD in
    # EUR": three calls of two functions). 0 leaves the rows exactly as before.
    mixed_share: float = 0.0
    # Share of train and valid no-call rows that are near misses, as BFCL's irrelevance cases are:
    # the request needs a function that is not offered, and only one or two functions of its own
    # domain are (same entities, different job). None keeps the built-in mix alone (18% near
    # misses among several functions, the rest other-domain functions or small talk), as
    # version 2 did; 0.5 scored higher on BFCL and on the test split (README, ablations).
    near_miss_share: float | None = 0.5
    # Which functions the train and valid rows draw on: "base" (the first catalogue, 29 domains)
    # or "extended" (base plus the science, maths, history and other domains of
    # functions_extra.py). Test rows use the held-out functions of the base catalogue either way,
    # so adapters trained on either are graded on the same test split.
    catalog: str = "base"
    # Chance that a train or valid row that calls offers only the functions it calls. BFCL's
    # simple and parallel cases offer one function, which fits; TOOL_COUNTS alone makes 1-function
    # rows mostly near misses that decline (210 no-call against 146 single-turn calling rows in
    # the default set), which teaches "one function offered: decline". 0 leaves the rows as before;
    # 0.3 took BFCL irrelevance from 80 to 32.5 without raising simple_python (README, ablations).
    lone_tool_share: float = 0.0
    # Value skills, each in a train or valid row with this chance: a calling request also states a
    # value for an optional parameter its template leaves out (the call must carry it: BFCL's
    # "missing optional" misses); a city is said with its region ("Denver, CO"), copied whole; the
    # row's percent parameters take decimals ("4%" -> 0.04, said so in the spec). 0 leaves the
    # rows exactly as before.
    value_skills_share: float = 0.0
    # Share of train and valid multi-call rows asked the way BFCL's parallel questions are: two
    # to four requests in order behind sequence words ("First, ... After that, ... Finally, ..."),
    # two parameters paired ("20 and 15 minutes respectively"), a request asked again ("Then do
    # the same for 12 and 30."). The join rows above have two requests and four connectors, and
    # the tuned model stops after two calls or repeats one. 0 leaves the rows exactly as before.
    sequence_share: float = 0.0
    # Chance that a train or valid request is worded from the function's spec instead of a
    # catalogue template: its description, then the stated parameters, each named by its words
    # or its description and given its value, in a random order ("Calculate the monthly payment
    # of a loan with years 15, a loan amount of 250000 and an annual rate of 4.5."). The 402
    # templates fix where each value stands, and BFCL's misses are mostly values of the right
    # kind read into the wrong slot; these make the name beside a value the only guide. Optional
    # parameters are stated now and then, so the call must carry them. 0 leaves the rows as before.
    spec_wording_share: float = 0.0
    # Share of train and valid multi-call rows whose calls are a cross product: one function, two
    # of its parameters each given a list, one call for every combination ("Convert a.doc and
    # b.doc to pdf and txt": four calls; two by three makes six). Paired lists say "respectively"
    # (sequence_share); these do not, and sometimes say "every combination". 0 leaves the rows
    # exactly as before.
    cross_share: float = 0.0
    # Chance that a train or valid near-miss row is a twin: the same one or two offered functions
    # also get a request they fit, answered with the call, before or after the request that needs
    # a function they are not (which is declined). One row then holds both answers to one tool
    # list, the contrast BFCL draws between its simple and irrelevance cases: the seeds of the
    # default recipe range 39-80 on irrelevance, and the default declines 20 of 100 simple_python
    # cases, so the decision is learned weakly. 0 leaves the rows exactly as before.
    twin_share: float = 0.0
    version: int = GENERATOR_VERSION

    def check(self) -> None:
        for name in ("train_rows", "valid_rows", "test_rows"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} = {getattr(self, name)}; it must be >= 0")
        if self.catalog not in CATALOGS:
            raise ValueError(f"catalog = {self.catalog!r}; use one of {', '.join(CATALOGS)}")
        if not 1 <= self.max_tools <= 8:
            raise ValueError(f"max_tools = {self.max_tools}; use 1 to 8")
        for name in ("hard_share", "masked_share", "no_call_share", "parallel_share", "mixed_share", "near_miss_share",
                     "lone_tool_share", "value_skills_share", "sequence_share", "spec_wording_share",
                     "cross_share", "twin_share"):
            if getattr(self, name) is not None and not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} = {getattr(self, name)}; it must be in [0, 1]")
        if self.parallel_share is not None and self.no_call_share + self.parallel_share > 1:
            raise ValueError(f"no_call_share + parallel_share = {self.no_call_share + self.parallel_share:g}; "
                             "it must be at most 1 (the other kinds share the rest)")


# What a stats.json written before a setting existed was built with: the value that leaves the
# rows as they were then (not today's default).
SETTINGS_BEFORE = {"parallel_share": None, "mixed_share": 0.0, "near_miss_share": None, "catalog": "base",
                   "lone_tool_share": 0.0, "value_skills_share": 0.0, "sequence_share": 0.0,
                   "spec_wording_share": 0.0, "cross_share": 0.0, "twin_share": 0.0}


@dataclass(frozen=True)
class Request:
    """A rendered user request: its words, the calls it asks for, the date sentence it needs."""

    text: str
    calls: list[FunctionCall]
    context: str
    keep_first: bool  # starts with a copied value, so never lower-case it
    template: str


@dataclass
class Draft:
    """A row before masking and formatting: offered functions and turns with unmasked names."""

    tools: list[Function]
    turns: list[tuple[str, object]]  # ("user"|"assistant", str), ("calls", [FunctionCall]), ("tool", dict)
    kind: str
    templates: list[str] = field(default_factory=list)


CATALOGS = {"base": CATALOG, "extended": CATALOG + "\n" + CATALOG_EXTRA}


def load_functions(catalog: str = "base") -> list[Function]:
    """The functions of one catalogue ("base" or "extended")."""
    if catalog not in CATALOGS:
        raise ValueError(f"unknown catalog {catalog!r}; use one of {', '.join(CATALOGS)}")
    return parse_catalog(CATALOGS[catalog])


def weighted(rng: random.Random, weights: dict) -> object:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


# --- values and requests ---


def coerce(value: Value, param: Param) -> Value | None:
    """Fit a sampled value to the parameter's JSON type; None when it cannot (resample)."""
    kind, arg = param.schema["type"], value.arg
    if kind == "integer":
        if isinstance(arg, str) and arg.lstrip("-").isdigit():
            return replace(value, arg=int(arg))
        if isinstance(arg, float):
            return replace(value, arg=int(arg)) if arg.is_integer() else None
    if kind == "number" and isinstance(arg, str):
        return replace(value, arg=float(arg))
    return value


def sample_param(param: Param, ctx: RowContext) -> Value:
    for _ in range(20):
        value = coerce(sample(param.sampler, ctx), param)
        if value is not None:
            return value
    raise ValueError(f"sampler {param.sampler!r} gives no value of type {param.schema['type']} for {param.name!r}")


def decimal_twin(fn: Function) -> Function | None:
    """`fn` with its percent parameters (sampler `pct`) taking decimals, the description saying
    so; None when it has none. "at 4.5%" then calls with 0.045, as most rate APIs want."""
    changed = False
    params = []
    for p in fn.params:
        if p.sampler and p.sampler.startswith("pct(") and "percent" not in p.name:
            base = p.description.replace(" in percent", "").replace(" per year", "")
            p = replace(p, sampler="rate" + p.sampler[3:], description=f"{base}, as a decimal (0.05 for 5%)")
            changed = True
        params.append(p)
    return replace(fn, params=tuple(params)) if changed else None


def words_of(name: str) -> str:
    """A parameter name as words: `max_price_per_hour` -> "max price per hour", `minRating` -> "min rating"."""
    spaced = "".join(" " + c.lower() if c.isupper() else c for c in name).replace("_", " ")
    return " ".join(spaced.split())


def optional_clause(param: Param, value: Value, rng: random.Random) -> str:
    """Words that state an optional parameter's value, made from its name or description."""
    words, desc = words_of(param.name), phrasing.lower_first(param.description).rstrip(".")
    if param.schema["type"] == "boolean":
        if value.arg:
            return rng.choice([f" and {desc}", f", {words}: yes", f" with {words} on", f" ({desc}: yes)"])
        return rng.choice([f", {words}: no", f" with {words} off", f" ({desc}: no)", f" and set {words} to false"])
    return rng.choice([f", {words} {value.text}", f" with {words} {value.text}", f" ({desc}: {value.text})",
                       f" and set the {words} to {value.text}", f", using {value.text} as the {words}"])


def render(fn: Function, template: Template, ctx: RowContext, typo_rate: float = 0.0,
           vary: str | tuple[str, ...] | None = None, copies: int | tuple[int, ...] = 1, repeat: str | None = None,
           cross: bool = False) -> Request:
    """Fill a template. With `vary`, that parameter gets `copies` different values, said as a list
    ("Paris, Rome and Oslo"), and the request asks for one call per value. Two parameters in
    `vary` get as many values each, paired in order and said with "respectively"
    ("Play Adele and Muse for 20 and 15 minutes respectively"). With `repeat` (a REPEATS template
    id) the slot says the first value and a last sentence asks for the rest ("Convert 5 feet to
    meters. Then do the same for 12 and 30."). With `cross`, each parameter in `vary` gets its own
    list (`copies` gives one length per parameter) and the request asks for one call per
    combination, the first parameter's values outermost ("Convert a.doc and b.doc to pdf and
    txt": four calls)."""
    args: dict = dict(template.fixed)
    varying = (vary,) if isinstance(vary, str) else tuple(vary or ())
    if len(varying) > 1 and repeat:
        raise ValueError("repeat says one varied parameter again; it cannot pair two")
    if cross and (len(varying) < 2 or repeat):
        raise ValueError("cross needs two or more varied parameters and no repeat")
    lengths = copies if isinstance(copies, tuple) else (copies,) * max(len(varying), 1)
    columns: dict[str, list[Value]] = {}
    said: dict[str, set[str]] = {}
    out, contexts, pos = [], [], 0
    for m in SLOT.finditer(template.text):
        out.append(phrasing.add_typos(template.text[pos:m.start()], ctx.rng, typo_rate))
        pos = m.end()
        name, fixed = m.group(1), m.group(2)
        if fixed is not None:
            continue
        param = fn.param(name)
        if name in varying:
            if cross:  # each list its own length
                column = distinct_values(param, ctx, lengths[varying.index(name)])
                columns[name] = column
                out.append("\0" + name + "\0")
                contexts += [v.context for v in column]
                continue
            # Paired columns must be equally long: the first one drawn sets the count.
            count = len(next(iter(columns.values()))) if columns else lengths[0]
            column = distinct_values(param, ctx, count)
            if len(column) < count:  # this parameter has fewer options: shorten every column
                columns = {k: v[: len(column)] for k, v in columns.items()}
            columns[name] = column
            out.append(column[0].text if repeat else "\0" + name + "\0")
            contexts += [v.context for v in column]
            continue
        value = sample_param(param, ctx)
        for _ in range(10):  # two slots with one sampler ("USD to EUR") should differ
            if value.text not in said.get(param.sampler, ()):
                break
            value = sample_param(param, ctx)
        said.setdefault(param.sampler, set()).add(value.text)
        args[name] = value.arg
        out.append(value.text)
        contexts.append(value.context)
    out.append(phrasing.add_typos(template.text[pos:], ctx.rng, typo_rate))
    text = " ".join("".join(out).split())
    count = min((len(c) for c in columns.values()), default=0)
    for name, column in columns.items():  # lists are said once every column has its final length
        text = text.replace("\0" + name + "\0", join_words([v.text for v in (column if cross else column[:count])]))
    text = " ".join(text.split())
    if repeat and columns:
        text = phrasing.repeat_request(text, join_words([v.text for v in next(iter(columns.values()))[1:]]), repeat)
    elif len(columns) > 1 and not cross:
        text = phrasing.respectively(text)
    if cross:  # in template order, the first slot's values outermost
        names = list(columns)
        arg_sets = [{**args, **dict(zip(names, (v.arg for v in combo)))}
                    for combo in itertools.product(*columns.values())]
    else:
        arg_sets = [{**args, **{k: c[i].arg for k, c in columns.items()}} for i in range(count)] if columns else [args]
    calls = [FunctionCall(fn.name, ordered(fn, a)) for a in arg_sets]
    context = " ".join(dict.fromkeys(c for c in contexts if c))
    return Request(text, calls, context, template.text.startswith("{"), template.id)


def ordered(fn: Function, args: dict) -> dict:
    """Arguments in the spec's parameter order, as a careful caller writes them."""
    return {p.name: args[p.name] for p in fn.params if p.name in args}


def distinct_values(param: Param, ctx: RowContext, copies: int) -> list[Value]:
    """Up to `copies` different values (fewer when the parameter has fewer options), at least 2."""
    values: list[Value] = []
    for _ in range(copies * 10):
        v = sample_param(param, ctx)
        if all(v.arg != x.arg and v.text != x.text for x in values):
            values.append(v)
        if len(values) == copies:
            break
    if len(values) < 2:
        raise ValueError(f"could not draw 2 distinct values for {param.name!r} (sampler {param.sampler!r})")
    return values


# Parameter types said as one plain value in a request (not flags, lists or objects).
SCALAR_TYPES = ("string", "integer", "number")


def can_vary(fn: Function, template: Template) -> list[str]:
    """Parameters of a template that read well as a list of values: plain scalars, not quoted
    text, dates or durations ("on May 2, May 5 and tomorrow" reads badly)."""
    spoken = ("quoted", "date", "past_date", "time", "minutes")
    return [s for s in template.slots
            if fn.param(s).schema["type"] in SCALAR_TYPES
            and not fn.param(s).sampler.endswith("*") and not fn.param(s).sampler.startswith(spoken)]


# Words that may stand between two slots whose lists cross and still read as two lists: "Compare
# {a} and {b}" or "{base}/{quote}" would not.
_JOINING = {"and", "or", "by", "vs", "versus", "x"}


def crossable(fn: Function, template: Template) -> list[tuple[str, str]]:
    """Pairs of can_vary's slots of `template`, in template order, that can each take a list
    crossed with the other's: slots with words of their own between them (or another slot), not
    just "and" or a comma. Empty when the template has none."""
    slots = can_vary(fn, template)
    spots = sorted((m for m in SLOT.finditer(template.text) if m.group(1) in slots), key=lambda m: m.start())
    pairs = []
    for i, j in itertools.combinations(range(len(spots)), 2):
        between = template.text[spots[i].end():spots[j].start()]
        words = [w for w in re.findall(r"[A-Za-z]+", SLOT.sub(" slot ", between).lower()) if w not in _JOINING]
        if words and spots[i].group(1) != spots[j].group(1):
            pairs.append((spots[i].group(1), spots[j].group(1)))
    return pairs


# Request forms worded from a spec (spec_wording_share): {lead} is the function's description,
# {items} its stated parameters, each as "<label> <value>" in a random order.
SPEC_FORMS = {
    "with": "{Lead} with {items}.",
    "colon": "{Lead}: {items}.",
    "where": "{Lead} where {items}.",
    "can": "Can you {lead} with {items}?",
    "need": "I need to {lead}. {Items}.",
    "given": "{Lead} given {items}.",
    "please": "Please {lead} for {items}.",
    "using": "{Lead}, using {items}.",
}
# How one parameter is said in each form; {label} is its name or description in words.
SPEC_ITEMS = {
    "with": ("{label} {slot}", "{a} {label} of {slot}"), "colon": ("{label} {slot}", "{label}: {slot}"),
    "where": ("the {label} is {slot}",), "can": ("{label} {slot}", "{a} {label} of {slot}"),
    "need": ("the {label} is {slot}",), "given": ("{label} = {slot}", "the {label} {slot}"),
    "please": ("{label} {slot}", "{a} {label} of {slot}"), "using": ("{label} {slot}", "{label} = {slot}"),
}
_PLAIN_WORDS = re.compile(r"[a-z][a-z' -]*")
# First words of catalogue descriptions that name a quantity rather than an action.
NOUN_LEADS = frozenset({"annual", "binomial", "chi-square", "compound", "confidence", "daily", "density",
                        "discharge", "euclidean", "euler", "expected", "friction", "future", "interior",
                        "internal", "kinetic", "length", "maximum", "minimum", "net", "number", "posterior",
                        "present", "price", "probability", "remaining", "straight-line", "total", "ultimate",
                        "value", "weight", "yearly"})


def spec_label(param: Param, rng: random.Random) -> str:
    """A parameter in words: its name ("annual rate") or, when short, its description ("annual
    interest rate in percent")."""
    short = phrasing.lower_first(re.split(r",|;| \(|\. | e\.g\.", param.description)[0].strip().rstrip("."))
    if _PLAIN_WORDS.fullmatch(short) and len(short.split()) <= 6 and rng.random() < 0.5:
        return short
    return words_of(param.name)


def spec_lead(fn: Function, rng: random.Random) -> str:
    """What the function does, as an order: its description, or a verb before a description that
    names a quantity ("Interior angle of ..." -> "Find the interior angle of ...")."""
    lead = fn.description.strip().rstrip(".")
    first = lead.split()[0].lower()
    if first == "how":
        return "Find out " + phrasing.lower_first(lead)
    if first in NOUN_LEADS:
        return rng.choice(("Find the ", "Calculate the ", "Compute the ", "Work out the ")) + phrasing.lower_first(lead)
    return lead


def spec_template(fn: Function, rng: random.Random) -> Template | None:
    """A request template worded from `fn`'s spec (see SPEC_FORMS): every required parameter and,
    each with chance 0.3, an optional one, in a random order; None when a required parameter is
    not a plain value (a flag, a list or an object) or none is drawn for a function with no
    required parameter, so the catalogue's wording stays."""
    required = [p for p in fn.params if p.required]
    if any(p.schema.get("type") not in SCALAR_TYPES or not p.sampler for p in required):
        return None
    optional = [p for p in fn.params if not p.required and p.sampler and p.schema.get("type") in SCALAR_TYPES
                and not p.sampler.endswith("*") and rng.random() < 0.3]
    stated = required + optional
    if not stated:
        return None
    rng.shuffle(stated)
    form = rng.choice(sorted(SPEC_FORMS))
    items = []
    for p in stated:
        label = spec_label(p, rng)
        item = rng.choice(SPEC_ITEMS[form]) if len(label) > 1 else "{label} = {slot}"  # "a = 5", not "the a is 5"
        items.append(item.format(label=label, slot="{" + p.name + "}", a="an" if label[:1] in "aeiou" else "a"))
    said = join_words(items) if form != "colon" else ", ".join(items)
    lead = spec_lead(fn, rng)
    text = SPEC_FORMS[form].format(Lead=lead[:1].upper() + lead[1:], lead=phrasing.lower_first(lead),
                                   items=said, Items=said[:1].upper() + said[1:])
    return Template(f"{fn.name}#spec.{form}", text, tuple(p.name for p in stated), (), False)


# --- one row ---


class RowBuilder:
    """Draws one row of a given kind from a function pool, with its own random stream."""

    def __init__(self, functions: list[Function], pool: str, rng: random.Random, hard: bool = False,
                 max_tools: int = 5, mixed_share: float = 0.0, near_miss_share: float | None = None,
                 lone_tool_share: float = 0.0, value_skills_share: float = 0.0, sequence_share: float = 0.0,
                 spec_wording_share: float = 0.0, cross_share: float = 0.0, twin_share: float = 0.0):
        self.functions, self.pool, self.rng, self.hard, self.max_tools = functions, pool, rng, hard, max_tools
        self.mixed_share, self.near_miss_share, self.lone_tool_share = mixed_share, near_miss_share, lone_tool_share
        self.value_skills_share, self.sequence_share = value_skills_share, sequence_share
        self.spec_wording_share, self.cross_share, self.twin_share = spec_wording_share, cross_share, twin_share
        today = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
        self.ctx = RowContext(rng, today=today, region_share=value_skills_share)
        # No draw at value_skills_share 0, so the rows stay byte for byte what they were.
        if value_skills_share and rng.random() < value_skills_share:
            self.functions = [decimal_twin(f) or f for f in functions]  # one object each: identity holds in the row
        self.by_domain: dict[str, list[Function]] = {}
        for fn in self.functions:
            self.by_domain.setdefault(fn.domain, []).append(fn)
        self.style = weighted(rng, HARD_STYLE_SHARES if hard else STYLE_SHARES)
        self.templates: list[str] = []

    # choosing functions

    def pick(self, need=lambda fn: True, exclude: tuple[Function, ...] = ()) -> Function:
        choices = [f for f in self.functions if need(f) and f not in exclude]
        if not choices:
            raise ValueError(f"no function in the {self.pool} pool fits; the catalogue is too small")
        return self.rng.choice(choices)

    def candidates(self, called: list[Function], avoid: tuple[Function, ...] = (),
                   calling: bool = True) -> list[Function]:
        """The called functions plus distractors, mostly from the same domain, shuffled; with
        lone_tool_share, sometimes the called ones alone (`calling` False: `called` is only an
        anchor for a row that declines)."""
        # No draw at 0, so the rows stay byte for byte what they were.
        if calling and self.lone_tool_share and self.rng.random() < self.lone_tool_share:
            tools = list(called)
            self.rng.shuffle(tools)
            return tools
        counts = {n: w for n, w in TOOL_COUNTS.items() if n <= self.max_tools}
        n = 3 + self.rng.randrange(3) if self.hard else weighted(self.rng, counts)
        n = max(len(called), min(n, self.max_tools))
        tools = list(called)
        same = [f for f in self.by_domain[called[0].domain] if f not in tools and f not in avoid] if called else []
        self.rng.shuffle(same)
        others = [f for f in self.functions if f not in tools and f not in avoid and f not in same]
        while len(tools) < n and (same or others):
            source = same if same and (self.hard or self.rng.random() < 0.6) else (others or same)
            tools.append(source.pop(self.rng.randrange(len(source))))
        self.rng.shuffle(tools)
        return tools

    # wording

    def call_template(self, fn: Function, list_slot: bool = False) -> Template:
        """A template to ask for `fn` (with `list_slot`, one with a slot that takes a list): the
        catalogue's, or with spec_wording_share one worded from the spec."""
        # No draw at spec_wording_share 0, so the rows stay byte for byte what they were.
        if self.spec_wording_share and self.rng.random() < self.spec_wording_share:
            spec = spec_template(fn, self.rng)
            if spec is not None and (not list_slot or can_vary(fn, spec)):
                return spec
        return self.rng.choice([t for t in fn.call_templates if can_vary(fn, t)] if list_slot else fn.call_templates)

    def request(self, fn: Function, template: Template | None = None, vary: bool = False) -> Request:
        template = template or self.call_template(fn)
        typo_rate = 0.12 if self.style == "typos" else 0.0
        slots = can_vary(fn, template) if vary else []
        if vary and slots:
            req = render(fn, template, self.ctx, typo_rate, self.rng.choice(slots), self.rng.choice((2, 2, 3, 4)))
        else:
            req = render(fn, template, self.ctx, typo_rate)
        self.templates.append(template.id)
        if self.value_skills_share and self.rng.random() < self.value_skills_share:
            req = self.state_optional(fn, template, req)
        return req

    def state_optional(self, fn: Function, template: Template, req: Request) -> Request:
        """`req` with a value for one optional parameter its template leaves out said at the end
        ("..., with cabin business"), and every call carrying it; `req` when there is none."""
        left = [p for p in fn.params if not p.required and p.name not in template.mentioned and p.sampler
                and p.schema["type"] != "array" and not p.sampler.startswith(("quoted", "date", "past_date"))]
        if not left:
            return req
        param = self.rng.choice(left)
        value = sample_param(param, self.ctx)
        clause = optional_clause(param, value, self.rng)
        text = req.text
        end = text[-1] if text[-1:] in ".?!" else ""
        text = text[: len(text) - len(end)].rstrip(" ,") + clause + end
        calls = [FunctionCall(c.name, ordered(fn, {**c.arguments, param.name: value.arg})) for c in req.calls]
        context = " ".join(dict.fromkeys(c for c in (req.context, value.context) if c))
        return Request(text, calls, context, req.keep_first, req.template)

    def say(self, req: Request) -> str:
        """The user message for a request: wrapper or terse style, and the date sentence it needs."""
        text = req.text
        if self.style == "wrapped":
            wrapper = self.rng.choice(sorted(phrasing.WRAPPERS[self.pool]))
            self.templates.append(wrapper)
            text = phrasing.wrap(text, wrapper, req.keep_first)
        elif self.style == "terse" and text[-1:] in ".?!":
            text = phrasing.terse(text, req.keep_first)
        return self.with_context(text, req.context)

    def with_context(self, text: str, context: str) -> str:
        if not context:
            return text
        return f"{context} {text}" if self.rng.random() < 0.7 else f"{text} ({context.rstrip('.')})"

    def generic(self, group: str, exclude: frozenset[str] = frozenset()) -> str:
        """Pick a generic template of this pool (wrappers, declines, ...) and remember its id."""
        template_id = self.rng.choice(sorted(set(phrasing.TEMPLATE_GROUPS[group][self.pool]) - exclude))
        self.templates.append(template_id)
        return template_id

    def text_of(self, group: str, **fields) -> str:
        template_id = self.generic(group)
        return phrasing.TEMPLATE_GROUPS[group][self.pool][template_id].format(**fields)

    # kinds

    def single(self) -> Draft:
        fn = self.pick()
        req = self.request(fn)
        return Draft(self.candidates([fn]), [("user", self.say(req)), ("calls", req.calls)], "single")

    def parallel(self) -> Draft:
        # No draw at sequence_share 0, so the rows stay byte for byte what they were.
        if self.sequence_share and self.rng.random() < self.sequence_share:
            return self.sequenced()
        # No draw at cross_share 0 either.
        if self.cross_share and self.rng.random() < self.cross_share:
            return self.crossed()
        roll = self.rng.random()
        if roll < 0.45:  # one function, a list of values: "weather in Paris, Rome and Oslo"
            fn = self.pick(lambda f: any(can_vary(f, t) for t in f.call_templates))
            req = self.request(fn, self.call_template(fn, list_slot=True), vary=True)
            return Draft(self.candidates([fn]), [("user", self.say(req)), ("calls", req.calls)], "parallel")
        # two or three requests joined: the same function twice, or different functions
        first = self.pick()
        if roll < 0.6 or self.max_tools == 1:
            fns = [first, first]
        else:
            same = [f for f in self.by_domain[first.domain] if f is not first]
            second = self.rng.choice(same) if same and self.rng.random() < 0.5 else self.pick(exclude=(first,))
            third = self.rng.random() < 0.3 and self.max_tools >= 3
            fns = [first, second] + ([self.pick(exclude=(first, second))] if third else [])
        # With mixed_share, a joined request may itself ask for a list of values (no draw at 0, so
        # the rows stay byte for byte what they were).
        reqs = [self.request(fn, vary=bool(self.mixed_share) and self.rng.random() < self.mixed_share)
                for fn in fns]
        text = self.say(reqs[0])
        for i, req in enumerate(reqs[1:]):
            # "Two things: ..." only reads right as the first join.
            join = self.generic("join") if i == 0 else self.generic("join", exclude=phrasing.PAIR_JOINS)
            text = phrasing.join_requests(text, req.text, join, req.keep_first)
            text = self.with_context(text, req.context) if req.context and req.context not in text else text
        calls = [c for r in reqs for c in r.calls]
        return Draft(self.candidates(list(dict.fromkeys(fns))), [("user", text), ("calls", calls)], "parallel")

    def sequenced(self) -> Draft:
        """Several calls asked for the way BFCL's parallel questions ask: one function with two
        parameters paired ("... 20 and 15 minutes respectively") or asked again ("Then do the
        same for 12 and 30."), or requests in order behind sequence words ("First, ... After
        that, ... Finally, ..."), a function sometimes asked twice with other values. Two to four
        calls in all, as BFCL's parallel and parallel_multiple answers have."""
        total = weighted(self.rng, {2: 0.3, 3: 0.35, 4: 0.35})
        if self.rng.random() < 0.35:
            fn = self.pick(lambda f: any(can_vary(f, t) for t in f.call_templates))
            req = self.varied_request(fn, total)
            return Draft(self.candidates([fn]), [("user", self.say(req)), ("calls", req.calls)], "parallel")
        fns: list[Function] = []
        reqs: list[Request] = []
        while sum(len(r.calls) for r in reqs) < total:
            left = total - sum(len(r.calls) for r in reqs)
            fn = self.next_function(fns)
            if left >= 2 and self.rng.random() < 0.3 and any(can_vary(fn, t) for t in fn.call_templates):
                req = self.varied_request(fn, left)
            else:
                req = self.distinct_request(fn, [c for r in reqs for c in r.calls])
            fns.append(fn)
            reqs.append(req)
        if len(reqs) == 1:
            return Draft(self.candidates(fns), [("user", self.say(reqs[0])), ("calls", reqs[0].calls)], "parallel")
        ids = [self.generic_of(phrasing.SEQUENCE_WORDS["first"])]
        ids += [self.generic_of(phrasing.SEQUENCE_WORDS["middle"]) for _ in reqs[1:-1]]
        ids.append(self.generic_of(phrasing.SEQUENCE_WORDS["last"]))
        text = phrasing.sequence([(r.text, r.keep_first) for r in reqs], ids)
        context = " ".join(dict.fromkeys(r.context for r in reqs if r.context and r.context not in text))
        text = self.with_context(text, context)
        calls = [c for r in reqs for c in r.calls]
        return Draft(self.candidates(list(dict.fromkeys(fns))), [("user", text), ("calls", calls)], "parallel")

    def crossed(self) -> Draft:
        """One function asked for every combination of two lists of values: two values each,
        or two and three (four or six calls), in a template whose two varied slots stand apart
        ("Convert {file_name} to {target_format}", not "Compare {a} and {b}")."""
        fn = self.pick(lambda f: any(crossable(f, t) for t in f.call_templates))
        template = self.rng.choice([t for t in fn.call_templates if crossable(fn, t)])
        pair = self.rng.choice(crossable(fn, template))
        copies = self.rng.choice(((2, 2), (2, 2), (2, 2), (2, 3), (3, 2)))
        req = render(fn, template, self.ctx, 0.12 if self.style == "typos" else 0.0, pair, copies, cross=True)
        self.templates.append(template.id)
        req = replace(req, text=phrasing.cross(req.text, self.generic_of(phrasing.CROSSES)))
        return Draft(self.candidates([fn]), [("user", self.say(req)), ("calls", req.calls)], "parallel")

    def next_function(self, fns: list[Function]) -> Function:
        """The function of the next request in a sequence: the last one again (other values), one
        of its domain, or any other; never more distinct ones than a prompt may offer."""
        if not fns:
            return self.pick()
        if self.rng.random() < 0.25 or len(set(fns)) >= self.max_tools:
            return fns[-1]
        same = [f for f in self.by_domain[fns[-1].domain] if f not in fns]
        return self.rng.choice(same) if same and self.rng.random() < 0.4 else self.pick(exclude=tuple(fns))

    def distinct_request(self, fn: Function, earlier: list[FunctionCall]) -> Request:
        """A plain request for `fn` whose call differs from every earlier call of the row (a
        function with few options may still repeat one after 10 tries; the request says it
        again then, as a user would)."""
        for _ in range(10):
            req = self.request(fn)
            if req.calls[0] not in earlier:
                break
        return req

    def varied_request(self, fn: Function, most: int = 4) -> Request:
        """`fn` asked for 2 to `most` values: a list, a list said again ("Then do the same for
        ..."), or two lists paired with "respectively" when the template has two slots to vary."""
        template = self.call_template(fn, list_slot=True)
        slots = can_vary(fn, template)
        copies = min(self.rng.choice((2, 2, 3, 4)), most)
        typo_rate = 0.12 if self.style == "typos" else 0.0
        roll = self.rng.random()
        if len(slots) > 1 and roll < 0.5:
            req = render(fn, template, self.ctx, typo_rate, tuple(self.rng.sample(slots, 2)), min(copies, 3))
        elif roll < 0.75:
            repeat = self.generic_of(phrasing.REPEATS)
            req = render(fn, template, self.ctx, typo_rate, self.rng.choice(slots), copies, repeat=repeat)
        else:
            req = render(fn, template, self.ctx, typo_rate, self.rng.choice(slots), copies)
        self.templates.append(template.id)
        return req

    def generic_of(self, group: dict[str, str]) -> str:
        """Pick a template id of one train-only wording group and remember it."""
        template_id = self.rng.choice(sorted(group))
        self.templates.append(template_id)
        return template_id

    def no_call(self) -> Draft:
        if self.near_miss_share is not None and self.rng.random() < self.near_miss_share:
            return self.near_miss()
        roll = self.rng.random()
        if roll < (0.75 if self.hard else 0.45):  # functions offered, none fits the request
            absent = self.pick()
            related = [f for f in self.by_domain[absent.domain] if f is not absent]
            if related and (self.hard or self.rng.random() < 0.4):
                anchor = self.rng.choice(related)  # a near miss: same domain, different job
            else:
                anchor = self.pick(lambda f: f.domain != absent.domain)
            return self.decline(absent, self.candidates([anchor], avoid=(absent,), calling=False))
        if roll < 0.7 or self.hard:  # small talk with functions offered
            question, answer = self.chitchat()
            return Draft(self.candidates([self.pick()], calling=False), [("user", question), ("assistant", answer)],
                         "no_call")
        if self.rng.random() < 0.5:  # no functions at all: small talk
            question, answer = self.chitchat()
            return Draft([], [("user", question), ("assistant", answer)], "no_call")
        absent = self.pick()  # no functions at all: a request that would need one
        question = self.say(self.request(absent))
        reply = self.text_of("notools", task=phrasing.lower_first(absent.description))
        return Draft([], [("user", question), ("assistant", reply)], "no_call")

    def chitchat(self) -> tuple[str, str]:
        template_id = self.generic("chat")
        return phrasing.CHITCHAT[self.pool][template_id]

    def near_miss(self) -> Draft:
        """A request for a function that is not offered, with one or two functions of its own
        domain that are (BFCL's kind of irrelevance)."""
        absent = self.pick(lambda f: len(self.by_domain[f.domain]) > 1)
        related = [f for f in self.by_domain[absent.domain] if f is not absent]
        self.rng.shuffle(related)
        count = 2 if len(related) > 1 and self.rng.random() < 0.4 else 1
        draft = self.decline(absent, related[:count])
        # No draw at twin_share 0, so the rows stay byte for byte what they were.
        if self.twin_share and self.rng.random() < self.twin_share:
            return self.twin(draft)
        return draft

    def twin(self, declined: Draft) -> Draft:
        """`declined` (a near miss) with a request that one of its offered functions fits, answered
        with the call: first, with the function's response and a reply after it, or last."""
        fn = self.rng.choice(declined.tools)
        req = self.request(fn)
        if self.rng.random() < 0.5:
            turns = [("user", self.say(req)), *self.answered(fn, req), *declined.turns]
        else:
            turns = [*declined.turns, ("user", self.say(req)), ("calls", req.calls)]
        return Draft(declined.tools, turns, "twin")

    def decline(self, absent: Function, tools: list[Function]) -> Draft:
        """A request for `absent`, which is not among the offered `tools`; the reply declines and
        says what the offered ones can do."""
        question = self.say(self.request(absent))
        abilities = join_words([phrasing.lower_first(f.description) for f in tools])
        return Draft(tools, [("user", question), ("assistant", self.text_of("decline", abilities=abilities))], "no_call")

    def clarify(self) -> Draft:
        fn = self.pick(lambda f: bool(f.clarify_templates))
        template = self.rng.choice(fn.clarify_templates)
        req = self.request(fn, template)
        missing = [fn.param(p) for p in fn.required if p not in template.mentioned]
        needs = join_words([phrasing.lower_first(p.description) for p in missing])
        turns: list[tuple[str, object]] = [("user", self.say(req)), ("assistant", self.text_of("clarify", needs=needs))]
        if self.rng.random() < 0.5:
            return Draft(self.candidates([fn]), turns, "clarify")
        # The user answers and the assistant calls with everything.
        values = [sample_param(p, self.ctx) for p in missing]
        supply = self.text_of("supply", value=join_words([v.text for v in values]))
        context = " ".join(dict.fromkeys(v.context for v in values if v.context))
        args = {**req.calls[0].arguments, **{p.name: v.arg for p, v in zip(missing, values)}}
        turns += [("user", self.with_context(supply, context)), ("calls", [FunctionCall(fn.name, ordered(fn, args))])]
        return Draft(self.candidates([fn]), turns, "multi_turn")

    def multi_turn(self) -> Draft:
        fn = self.pick(lambda f: bool(f.returns)) if self.rng.random() < 0.8 else self.pick()
        req = self.request(fn)
        answer = self.answered(fn, req)  # drawn before the wording, as ever: the rows stay the same
        turns: list[tuple[str, object]] = [("user", self.say(req)), *answer]
        called = [fn]
        if self.rng.random() < 0.4:  # a follow-up request that ends the row with a call
            nxt = fn if self.rng.random() < 0.4 or self.max_tools == 1 else self.pick(exclude=(fn,))
            follow = self.request(nxt)
            turns += [("user", self.say(follow)), ("calls", follow.calls)]
            called = list(dict.fromkeys([fn, nxt]))
        return Draft(self.candidates(called), turns, "multi_turn")

    def answered(self, fn: Function, req: Request) -> list[tuple[str, object]]:
        """The calls of `req`, the function's response and the assistant's reply that reports it."""
        response = {key: sample(spec, self.ctx).arg for key, spec in fn.returns} or {"status": "success"}
        facts = ", ".join(f"{k.replace('_', ' ')}: {describe(v)}" for k, v in response.items())
        final = self.text_of("final", facts=facts, facts_cap=facts[:1].upper() + facts[1:])
        return [("calls", req.calls), ("tool", response), ("assistant", final)]


def describe(value: object) -> str:
    """A response value in words: lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join_words([describe(v) for v in value])
    return str(value)


# --- masking and formatting ---


def random_identifier(rng: random.Random, taken: set[str]) -> str:
    """A meaningless but valid name: `f_k3x9q`, `toolQ41`, `zemora`."""
    while True:
        style = rng.randrange(3)
        if style == 0:
            name = "f_" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(4, 6)))
        elif style == 1:
            prefix = rng.choice(("tool", "op", "fn", "api"))
            name = prefix + rng.choice(string.ascii_uppercase) + str(rng.randint(10, 99))
        else:
            name = "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 3)))
        if name not in taken:
            taken.add(name)
            return name


def masking_plan(
    draft: Draft, rng: random.Random, mode: str | None
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Function renames and per-function parameter renames for a row ("name", "params", "both")."""
    names: dict[str, str] = {}
    params: dict[str, dict[str, str]] = {}
    taken: set[str] = set()
    for fn in draft.tools:
        if mode in ("name", "both"):
            names[fn.name] = random_identifier(rng, taken)
        if mode in ("params", "both"):
            local: set[str] = set()
            params[fn.name] = {p.name: random_identifier(rng, local) for p in fn.params}
    return names, params


def glaive_call(call: FunctionCall, names: dict[str, str], params: dict[str, dict[str, str]]) -> str:
    """A call in Glaive's form, arguments as a single-quoted JSON string, names masked."""
    rename = params.get(call.name, {})
    args = {rename.get(k, k): v for k, v in call.arguments.items()}
    name = json.dumps(names.get(call.name, call.name))
    return f"<functioncall> {{\"name\": {name}, \"arguments\": '{json.dumps(args, ensure_ascii=False)}'}}"


def to_glaive_row(draft: Draft, rng: random.Random, masked: str | None, spec_style: str, meta: dict) -> dict:
    names, params = masking_plan(draft, rng, masked)
    specs = [function_spec(fn, spec_style, params.get(fn.name), names.get(fn.name)) for fn in draft.tools]
    system = "SYSTEM: " + system_prompt(specs, "glaive")
    chat = []
    for role, content in draft.turns:
        if role == "user":
            chat.append(f"USER: {content}\n\n\n")
        elif role == "assistant":
            chat.append(f"ASSISTANT: {content} <|endoftext|>\n\n\n")
        elif role == "calls":
            calls = "\n".join(glaive_call(c, names, params) for c in content)
            chat.append(f"ASSISTANT: {calls} <|endoftext|>\n\n\n")
        else:
            chat.append(f"FUNCTION RESPONSE: {json.dumps(content, ensure_ascii=False)}\n\n\n")
    domains = sorted({fn.domain for fn in draft.tools})
    return {"system": system, "chat": "".join(chat),
            "meta": {**meta, "kind": draft.kind, "template": draft.templates[0] if draft.templates else None,
                     "templates": draft.templates, "masked": masked, "spec_style": spec_style, "domains": domains,
                     "called": [c.name for role, cs in draft.turns if role == "calls" for c in cs]}}


def kind_shares(no_call_share: float, parallel_share: float | None = None) -> dict[str, float]:
    """KIND_SHARES with the no-call share (and the parallel one, unless None) set and the other
    kinds scaled to fill the rest (at the default shares the scale is exactly 1.0, so the weights
    and the rows are unchanged)."""
    fixed = {"no_call": no_call_share} | ({} if parallel_share is None else {"parallel": parallel_share})
    rest = sum(v for k, v in KIND_SHARES.items() if k not in fixed)
    scale = (1 - sum(fixed.values())) / rest
    return {k: fixed.get(k, v * scale) for k, v in KIND_SHARES.items()}


def build_row(functions: list[Function], pool: str, rng: random.Random, config: GenConfig, hard: bool,
              meta: dict) -> dict:
    """One Glaive row of a randomly drawn kind."""
    test = meta["split"] == "test"
    builder = RowBuilder(functions, pool, rng, hard, config.max_tools, 0.0 if test else config.mixed_share,
                         None if test else config.near_miss_share, 0.0 if test else config.lone_tool_share,
                         0.0 if test else config.value_skills_share, 0.0 if test else config.sequence_share,
                         0.0 if test else config.spec_wording_share, 0.0 if test else config.cross_share,
                         twin_share=0.0 if test else config.twin_share)
    if hard:
        shares = HARD_KIND_SHARES
    else:
        shares = KIND_SHARES if test else kind_shares(config.no_call_share, config.parallel_share)
    kind = weighted(rng, shares)
    draft = getattr(builder, kind)()
    draft.templates = builder.templates
    masked = None
    if draft.tools and rng.random() < (max(config.masked_share, 0.4) if hard else config.masked_share):
        masked = weighted(rng, {"name": 0.4, "params": 0.2, "both": 0.4})
    # "called" stays the catalogue name so stats and tests can find the function behind a mask.
    return to_glaive_row(draft, rng, masked, weighted(rng, SPEC_STYLES), meta)


def generate_rows(config: GenConfig = GenConfig()) -> Iterator[dict]:
    """All rows: train, then valid, then test (easy, then hard), each with `meta.split`."""
    config.check()
    functions = load_functions(config.catalog)
    train_fns = [f for f in functions if not f.test]
    test_fns = [f for f in functions if f.test]
    n_hard = round(config.test_rows * config.hard_share)
    plan = [("train", config.train_rows, train_fns, "train", False, None),
            ("valid", config.valid_rows, train_fns, "train", False, None),
            ("test", config.test_rows - n_hard, test_fns, "test", False, "easy"),
            ("test", n_hard, test_fns, "test", True, "hard")]
    for split, count, fns, pool, hard, group in plan:
        for i in range(count):
            rng = random.Random(f"{config.seed}:{split}:{group}:{i}")
            meta = {"source": "generated", "split": split} | ({"split_group": group} if group else {})
            yield build_row(fns, pool, rng, config, hard, meta)


# --- the data folder ---


def dataset_stats(rows: list[dict], out_dir: Path, report: dict, config: GenConfig) -> dict:
    """Diversity figures of a generated set (saved as stats.json)."""
    functions = {f.name: f for f in load_functions(config.catalog)}
    by_split: dict[str, list[dict]] = {}
    for row in rows:
        by_split.setdefault(row["meta"]["split"], []).append(row)
    called = {s: sorted({n for r in rs for n in r["meta"]["called"]}) for s, rs in by_split.items()}
    kinds = Counter(r["meta"]["kind"] for r in rows)
    calls_hist = Counter(len(r["meta"]["called"]) for r in rows)
    prompt_chars, completion_chars = _message_chars(out_dir)
    used = {n for names in called.values() for n in names}
    return {
        "out_dir": str(out_dir),
        "rows": {s: len(rs) for s, rs in by_split.items()},
        "test_groups": dict(Counter(r["meta"].get("split_group") for r in by_split.get("test", []))),
        "catalogue_functions": len(functions),
        "catalogue_domains": len({f.domain for f in functions.values()}),
        "distinct_functions_called": {s: len(n) for s, n in called.items()},
        "domains_called": {s: len({functions[n].domain for n in names}) for s, names in called.items()},
        "parameter_types": dict(Counter(p.type_name for f in functions.values() if f.name in used for p in f.params)),
        "kinds": {k: round(kinds[k] / len(rows), 3) for k in KINDS if kinds[k]},
        "no_call_share": round(kinds["no_call"] / len(rows), 3),
        "calls_per_row": {str(k): calls_hist[k] for k in sorted(calls_hist)},
        "masked_share": round(sum(bool(r["meta"]["masked"]) for r in rows) / len(rows), 3),
        "spec_styles": dict(Counter(r["meta"]["spec_style"] for r in rows)),
        "templates": {s: len({t for r in rs for t in r["meta"]["templates"]}) for s, rs in by_split.items()},
        "mean_prompt_chars": prompt_chars,
        "mean_completion_chars": completion_chars,
        "tokens_per_row": report["tokens"],
        "config": asdict(config),
    }


def _message_chars(out_dir: Path) -> tuple[float, float]:
    """Mean characters of the prompt (all but the last message) and the completion (the last)."""
    prompt = completion = n = 0
    for split in ("train", "valid", "test"):
        with open(out_dir / f"{split}.jsonl", encoding="utf-8") as f:
            for line in f:
                messages = json.loads(line)["messages"]
                prompt += sum(len(m["content"]) for m in messages[:-1])
                completion += len(messages[-1]["content"])
                n += 1
    return (round(prompt / n, 1), round(completion / n, 1)) if n else (0.0, 0.0)


def build_dataset(out_dir: Path, config: GenConfig = GenConfig(), final_dir: Path | None = None) -> dict:
    """Write glaive.jsonl, train/valid/test.jsonl, report.json and stats.json into `out_dir`
    (`final_dir` is the name the reports give, when `out_dir` is a folder renamed later)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = list(generate_rows(config))
    with open(out_dir / "glaive.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    report = convert_rows(rows, out_dir, seed=config.seed, prompt_style=config.prompt_style, strict=True,
                          split_of=lambda row: row["meta"]["split"], source="generated")
    shown = str(final_dir or out_dir)
    report.out_dir = shown
    (out_dir / "report.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    stats = dataset_stats(rows, out_dir, report.to_dict(), config) | {"out_dir": shown}
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return stats


def ensure_generated(out_dir: Path, seed: int = 0, force: bool = False, **sizes) -> Path:
    """The generated data folder, built on first use (and rebuilt when its config differs).

    Built in a temporary sibling folder and renamed into place, so a reader never sees half a
    build. `sizes` are GenConfig fields: train_rows, valid_rows, test_rows, ...
    """
    out_dir = Path(out_dir)
    unknown = set(sizes) - set(GenConfig.__dataclass_fields__) - {"seed"}
    if unknown:
        valid = ", ".join(GenConfig.__dataclass_fields__)
        raise ValueError(f"unknown generator settings {sorted(unknown)}; valid: {valid}")
    config = GenConfig(seed=seed, **sizes)
    config.check()
    if not force and _built_with(out_dir) == asdict(config):
        return out_dir
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        build_dataset(tmp, config, final_dir=out_dir)
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            os.replace(out_dir, old)
            shutil.rmtree(old)
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _built_with(out_dir: Path) -> dict | None:
    stats = out_dir / "stats.json"
    if not all((out_dir / f"{s}.jsonl").is_file() for s in ("train", "valid", "test")) or not stats.is_file():
        return None
    try:
        return json.loads(stats.read_text(encoding="utf-8")).get("config")
    except json.JSONDecodeError:
        return None
