"""BFCL v4 cases as smolcall prompts, graded by the official AST checker. Pure Python, no MLX.

A BFCL case is one JSON line of `BFCL_v4_<category>.json`, and its answer the same id in
`possible_answer/BFCL_v4_<category>.json`:

    {"id": "simple_python_1", "question": [[{"role": "user", "content": "Calculate the factorial of 5 ..."}]],
     "function": [{"name": "math.factorial", "parameters": {"type": "dict",
                   "properties": {"number": {"type": "integer", ...}}, "required": ["number"]}}]}
    {"id": "simple_python_1", "ground_truth": [{"math.factorial": {"number": [5]}}]}

BFCL writes types in its own dialect ("dict", "float", "tuple", "any"); the model sees them as
JSON Schema in our Glaive system prompt, while the checker gets the original specs. A reply

    <functioncall> {"name": "math.factorial", "arguments": {"number": 5}}

decodes to BFCL's form `[{"math.factorial": {"number": 5}}]`, which `ast_checker` grades.
Function names keep their dots: our prompt offers them as written, so the checker needs no
renaming.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import random
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

from bfcl_eval.constants.enums import Language
from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI

from smolcall.calls import ParsedReply, parse_reply
from smolcall.prompt import system_prompt

CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")
LIVE_CATEGORIES = ("live_simple", "live_multiple", "live_parallel", "live_parallel_multiple", "live_irrelevance")
ALL_CATEGORIES = CATEGORIES + LIVE_CATEGORIES
DEFAULT_SEED = 0
# The model name we hand the checker; the stand-in config below says it keeps dots in names.
CHECKER_MODEL_NAME = "smolcall"



@dataclass(frozen=True)
class BfclCase:
    """One BFCL case, ready to prompt and to grade."""

    id: str
    category: str
    functions: list[dict]  # the original BFCL specs, for the checker
    messages: list[dict]  # our system prompt, then the question's messages
    ground_truth: list[dict] | None  # None for irrelevance categories

    @property
    def tools(self) -> list[dict]:
        return to_json_schema(self.functions)


@dataclass(frozen=True)
class BfclVerdict:
    """The official verdict on one reply, with the decoded calls it was given."""

    valid: bool
    made_call: bool
    decoded: list[dict] | None
    error_type: str = ""
    errors: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"valid": self.valid, "made_call": self.made_call, "decoded": self.decoded,
                "error_type": self.error_type, "errors": self.errors}


def default_data_dir() -> Path:
    """The data folder shipped inside the installed `bfcl_eval` package."""
    return Path(str(importlib.resources.files("bfcl_eval") / "data"))


def _convert_schema(spec: dict) -> dict:
    """One BFCL parameter spec as JSON Schema, recursively, with BFCL's own type table; unknown or
    missing types become string, as BFCL's converter for function-calling models does."""
    out = dict(spec)
    out["type"] = GORILLA_TO_OPENAPI.get(spec.get("type"), "string")
    if isinstance(spec.get("properties"), dict):
        out["properties"] = {k: _convert_schema(v) for k, v in spec["properties"].items()}
    if isinstance(spec.get("items"), dict):
        out["items"] = _convert_schema(spec["items"])
    if isinstance(spec.get("additionalProperties"), dict):
        out["additionalProperties"] = _convert_schema(spec["additionalProperties"])
    return out


def to_json_schema(functions: list[dict]) -> list[dict]:
    """BFCL function specs as the JSON-Schema tool specs of our prompt.

    >>> to_json_schema([{"name": "f", "parameters": {"type": "dict", "properties": {
    ...     "x": {"type": "float"}, "p": {"type": "tuple", "items": {"type": "integer"}}}, "required": ["x"]}}])
    [{'name': 'f', 'parameters': {'type': 'object', 'properties': {'x': {'type': 'number'}, \
'p': {'type': 'array', 'items': {'type': 'integer'}}}, 'required': ['x']}}]
    """
    tools = []
    for function in copy.deepcopy(functions):
        function["parameters"] = _convert_schema(function.get("parameters") or {"type": "dict", "properties": {}})
        tools.append(function)
    return tools


def to_messages(question: list[list[dict]], functions: list[dict], style: str = "glaive") -> list[dict]:
    """Our system prompt offering the functions, then every turn's messages in order.

    A system message inside the question (some live cases have one) follows ours as its own
    message, so the tool list stays the first system message and parses back cleanly.
    """
    messages = [{"role": "system", "content": system_prompt(to_json_schema(functions), style)}]
    for turn in question:
        messages += [{"role": m["role"], "content": m["content"]} for m in turn]
    return messages


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_category(
    category: str, data_dir: Path | None = None, limit: int | None = None, seed: int = DEFAULT_SEED,
    style: str = "glaive",
) -> list[BfclCase]:
    """The cases of one category; with `limit`, the first `limit` after a shuffle seeded by `seed`
    (the same sample every run).

    Raises FileNotFoundError naming the expected layout when the files are missing, and
    ValueError when an answer file does not line up with its questions.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    question_path = data_dir / f"BFCL_v4_{category}.json"
    answer_path = data_dir / "possible_answer" / f"BFCL_v4_{category}.json"
    if not question_path.is_file():
        raise FileNotFoundError(
            f"no BFCL data for category {category!r}: {question_path} does not exist; pass a --bfcl-dir "
            f"holding BFCL_v4_<category>.json and possible_answer/BFCL_v4_<category>.json "
            f"(known categories: {', '.join(ALL_CATEGORIES)})"
        )
    entries = _read_jsonl(question_path)
    answers: dict[str, list[dict]] = {}
    if "irrelevance" not in category:
        if not answer_path.is_file():
            raise FileNotFoundError(f"{answer_path} is missing: category {category!r} needs its possible answers")
        answers = {a["id"]: a["ground_truth"] for a in _read_jsonl(answer_path)}
        missing = [e["id"] for e in entries if e["id"] not in answers]
        if missing:
            raise ValueError(f"{len(missing)} of {len(entries)} cases in {question_path} have no answer in "
                             f"{answer_path}, e.g. {missing[:3]}")
    order = list(range(len(entries)))
    if limit is not None:
        random.Random(f"{seed}:{category}").shuffle(order)
        order = order[:limit]
    return [
        BfclCase(
            id=entries[i]["id"],
            category=category,
            functions=entries[i]["function"],
            messages=to_messages(entries[i]["question"], entries[i]["function"], style),
            ground_truth=answers.get(entries[i]["id"]),
        )
        for i in order
    ]


def decode_reply(reply: str | ParsedReply) -> list[dict] | None:
    """A reply in BFCL's decoded form, or None when BFCL's decoder would fail.

    >>> decode_reply('<functioncall> {"name": "math.factorial", "arguments": {"number": 5}}')
    [{'math.factorial': {'number': 5}}]
    >>> decode_reply("I cannot help with that.")
    []
    >>> decode_reply("<functioncall> {broken") is None
    True
    """
    parsed = reply if isinstance(reply, ParsedReply) else parse_reply(reply)
    # One unreadable call makes BFCL's decoder fail for the whole output, so it does here too.
    if not parsed.ok:
        return None
    return [{call.name: call.arguments} for call in parsed.calls]


_ast_checker = None


def official_ast_checker():
    """`bfcl_eval`'s `ast_checker`, importable without the provider SDKs.

    The checker module imports `bfcl_eval.constants.model_config` only for `MODEL_CONFIG_MAPPING`,
    which it reads in `convert_func_name` (for names with a dot, to undo OpenAI-style renaming).
    The real module imports every provider handler and SDK, which smolcall does not install, so a
    stand-in module with one entry for our model name takes its place. Our prompt keeps dots in
    names, so the entry says not to rename.
    """
    global _ast_checker
    if _ast_checker is None:
        config = types.SimpleNamespace(underscore_to_dot=False)
        if "bfcl_eval.constants.model_config" not in sys.modules:
            stand_in = types.ModuleType("bfcl_eval.constants.model_config")
            stand_in.__doc__ = "smolcall's stand-in: the real module needs every provider SDK."
            stand_in.MODEL_CONFIG_MAPPING = {}
            sys.modules[stand_in.__name__] = stand_in
        from bfcl_eval.eval_checker.ast_eval import ast_checker as module

        module.MODEL_CONFIG_MAPPING.setdefault(CHECKER_MODEL_NAME, config)
        _ast_checker = module.ast_checker
    return _ast_checker


def check_decoded(case: BfclCase, decoded: list[dict] | None) -> BfclVerdict:
    """BFCL's verdict on already decoded calls (None: the decoder failed), the way its runner
    gives it: irrelevance categories pass iff no call was decoded; the others go through
    `ast_checker`."""
    made_call = bool(decoded) and any(decoded)
    if "irrelevance" in case.category:
        # BFCL counts output it cannot decode as "no call" here (eval_runner's relevance runner).
        if made_call:
            return BfclVerdict(False, True, decoded, "irrelevance_error:decoder_success",
                               ["Valid syntax. Successfully decode AST when it should not."])
        return BfclVerdict(True, False, decoded)
    if decoded is None:
        return BfclVerdict(False, False, None, "ast_decoder:decoder_failed", ["Invalid syntax. Failed to decode AST."])
    try:
        result = official_ast_checker()(case.functions, decoded, case.ground_truth, Language.PYTHON,
                                        case.category, CHECKER_MODEL_NAME)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
        # The checker assumes well-typed output (e.g. a dict where the spec says dict) and can raise
        # on odd values; BFCL's runner would crash there. It is a wrong answer, not a crash.
        return BfclVerdict(False, made_call, decoded, "checker_error", [f"{type(e).__name__}: {e}"])
    return BfclVerdict(bool(result["valid"]), made_call, decoded, result.get("error_type", ""),
                       result.get("error", []))


def check_reply(case: BfclCase, reply: str | ParsedReply) -> BfclVerdict:
    """Decode a model reply and grade it with BFCL's official rules."""
    return check_decoded(case, decode_reply(reply))
