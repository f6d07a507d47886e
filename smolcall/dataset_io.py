"""Glaive v2 rows in, MLX chat JSONL out (`train/valid/test.jsonl` + `report.json`). Pure Python.

One input row such as

    {"system": "SYSTEM: You are a helpful assistant, with no access to external functions.",
     "chat": "USER: Hi\\n\\n\\nASSISTANT: Hello! <|endoftext|>\\n\\n\\n"}

becomes one line of `data/<name>/<split>.jsonl`:

    {"messages": [{"role": "system", "content": "You are a helpful assistant, with no access to external functions."},
                  {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}],
     "meta": {"source": "glaive", "kind": "no_call", "functions": [], "row": 0}}

Rows are streamed: the 271 MB hub file (a single JSON array) is decoded one element at a time, so
memory stays at a few MB plus one integer per row for the token percentiles.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from smolcall.glaive import REASONS, GlaiveChat, GlaiveRowError, parse_row
from smolcall.prompt import STYLES

SPLITS = ("train", "valid", "test")
SKIP_REASONS = {**REASONS, "too_long": "longer than --max-tokens"}
# ChatML wraps each message in <|im_start|>role\n ... <|im_end|>\n: about 5 tokens.
MESSAGE_OVERHEAD_TOKENS = 5
EXAMPLE_ROWS_PER_REASON = 5

GLAIVE_REPO = "glaiveai/glaive-function-calling-v2"
GLAIVE_FILE = "glaive-function-calling-v2.json"
# main on 2026-08-11; the file at this commit has SHA-256 e9b5d671...6dad (271,190,065 bytes).
GLAIVE_REVISION = "e7f4b6456019f5d8bcb991ef0dd67d8ff23221ac"

_TOKENISH = re.compile(r"[A-Za-z]+|\d|\s{2,}|[^\w\s]")


class DataSourceError(RuntimeError):
    """The input cannot be found or read; the message says how to fix it."""


class BadRowError(ValueError):
    """`--strict` stopped at a bad row; carries the row number and the reason code."""

    def __init__(self, row: int, reason: str, detail: str):
        super().__init__(f"row {row}: {reason}: {detail} (run without --strict to skip and count bad rows)")
        self.row, self.reason, self.detail = row, reason, detail


def approx_tokens(text: str) -> int:
    """A tokenizer-free token estimate for SmolLM2's byte-level BPE: a word per 9 letters, a
    token per digit (SmolLM2 splits digits) and per indentation run, 0.6 per punctuation mark.
    Within about 8% of the real count on Glaive rows and on generated rows.

    >>> approx_tokens('<functioncall> {"name": "f", "arguments": {"x": 12}}')  # the tokenizer says 20
    19
    """
    total = 0.0
    for piece in _TOKENISH.findall(text):
        if piece[0].isalpha():
            total += 1 + len(piece) // 9
        elif piece[0].isspace():
            total += 1
        else:
            total += 0.6
    return round(total)


def load_token_counter(tokenizer_file: Path) -> Callable[[str], int]:
    """Count tokens with a `tokenizers` JSON file (e.g. the embedded SmolLM2 tokenizer)."""
    from tokenizers import Tokenizer

    if not Path(tokenizer_file).is_file():
        raise DataSourceError(f"tokenizer {tokenizer_file} does not exist; pass a tokenizer.json file")
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)


def count_row_tokens(messages: list[dict], count_tokens: Callable[[str], int] = approx_tokens) -> int:
    """Tokens one chat row costs in training: every message's text plus the ChatML wrapping."""
    return sum(count_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages)


def iter_json_array(path: Path, chunk_chars: int = 1 << 20) -> Iterator[object]:
    """Yield the elements of a top-level JSON array one by one, reading `chunk_chars` at a time.

    `[{"a": 1}, {"a": 2}]` yields `{"a": 1}` then `{"a": 2}`. Raises DataSourceError with the
    element number and character offset when the file is not such an array.
    """
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as f:
        buf, pos, consumed, eof = "", 0, 0, False

        def more() -> bool:
            nonlocal buf, pos, consumed, eof
            chunk = f.read(chunk_chars)
            eof = not chunk
            buf, consumed, pos = buf[pos:] + chunk, consumed + pos, 0
            return not eof

        def next_char() -> str:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos].isspace():
                    pos += 1
                if pos < len(buf) or not more():
                    return buf[pos] if pos < len(buf) else ""

        if next_char() != "[":
            raise DataSourceError(
                f"{path} is not a JSON array (first character {next_char()!r}); use .jsonl for one row per line"
            )
        pos += 1
        index = 0
        if next_char() == "]":
            return
        while True:
            next_char()
            while True:
                try:
                    value, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError as e:
                    if more():
                        continue
                    where = f"element {index} at character {consumed + e.pos}"
                    raise DataSourceError(f"{path}: {where} is not valid JSON: {e.msg}") from e
                # A number cut at the chunk end parses too: make sure it was complete.
                if end == len(buf) and not eof and more():
                    continue
                break
            yield value
            index += 1
            pos = end
            sep = next_char()
            pos += 1
            if sep == "]":
                return
            if sep != ",":
                where = f"after element {index - 1} at character {consumed + pos - 1}"
                raise DataSourceError(f"{path}: expected ',' or ']' {where}, got {sep!r}")


def iter_jsonl(path: Path) -> Iterator[object]:
    """Yield one JSON value per non-blank line."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise DataSourceError(f"{path}:{number}: not valid JSON: {e.msg}") from e


def read_rows(path: Path) -> Iterator[object]:
    """Rows of a Glaive file: a JSON array (the hub file) or JSONL, told apart by the first character."""
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(f"{path} does not exist; pass --input FILE.json|.jsonl or --hub {GLAIVE_REPO}")
    with open(path, encoding="utf-8") as f:
        head = f.read(64).lstrip()
    return iter_json_array(path) if head.startswith("[") else iter_jsonl(path)


def fetch_glaive(revision: str = GLAIVE_REVISION, cache_dir: Path | None = None, repo_id: str = GLAIVE_REPO) -> Path:
    """Path of the Glaive v2 file in the Hugging Face cache, downloading it if the hub is reachable.

    Works offline (`HF_HUB_OFFLINE=1`) once the file is cached at that revision.
    """
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    fix = (f"on a machine with network run `uv run hf download {repo_id} {GLAIVE_FILE} --repo-type dataset "
           f"--revision {revision}` (same cache), or pass --input FILE")
    try:
        return Path(hf_hub_download(repo_id, GLAIVE_FILE, repo_type="dataset", revision=revision, cache_dir=cache_dir))
    except LocalEntryNotFoundError as e:
        where = cache_dir or "the default Hugging Face cache"
        raise DataSourceError(
            f"{repo_id}@{revision[:12]} is not in {where} and the hub cannot be reached; {fix}"
        ) from e
    except HfHubHTTPError as e:
        first_line = str(e).splitlines()[0]
        raise DataSourceError(f"hub refused {repo_id}@{revision[:12]}/{GLAIVE_FILE}: {first_line}; {fix}") from e


def assign_split(row: dict, seed: int = 0, valid_fraction: float = 0.02, test_fraction: float = 0.02) -> str:
    """train | valid | test from a hash of the row's text, so equal rows land in the same split.

    >>> assign_split({"system": "s", "chat": "c"}, seed=0, valid_fraction=0.0, test_fraction=0.0)
    'train'
    """
    key = f"{seed}\0{row.get('system', '')}\0{row.get('chat', '')}".encode()
    u = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") / 2**64
    if u < test_fraction:
        return "test"
    return "valid" if u < test_fraction + valid_fraction else "train"


@dataclass
class ConversionReport:
    """What a conversion read, wrote and skipped; saved as `report.json` beside the splits."""

    out_dir: str
    prompt_style: str
    seed: int
    token_counter: str
    rows_read: int = 0
    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SPLITS, 0))
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_rows: dict[str, list[int]] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    calls_per_row: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict:
        return asdict(self) | {"rows_skipped": self.rows_skipped, "reasons": {r: SKIP_REASONS[r] for r in self.skipped}}


def percentiles(values: list[int]) -> dict[str, float]:
    """mean, p50, p90, p99, max and total of a list of counts (nearest-rank percentiles)."""
    if not values:
        return {"rows": 0}
    s = sorted(values)

    def rank(q: float) -> int:
        return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]

    return {"rows": len(s), "mean": round(sum(s) / len(s), 1), "p50": rank(0.5), "p90": rank(0.9),
            "p99": rank(0.99), "max": s[-1], "total": sum(s)}


def chat_examples(chat: GlaiveChat, per_turn: bool) -> list[tuple[int | None, GlaiveChat]]:
    """The chat itself, or with `per_turn` one prefix per assistant turn (mlx-lm's `mask_prompt`
    trains only the last message, so this makes every call and answer a training target)."""
    if not per_turn:
        return [(None, chat)]
    ends = [i + 1 for i, t in enumerate(chat.turns) if t.role == "assistant"]
    return [(k, GlaiveChat(chat.tools, chat.turns[:end])) for k, end in enumerate(ends)]


def convert_rows(
    rows: Iterable[object],
    out_dir: Path,
    *,
    seed: int = 0,
    valid_fraction: float = 0.02,
    test_fraction: float = 0.02,
    prompt_style: str = "glaive",
    strict: bool = False,
    limit: int | None = None,
    count_tokens: Callable[[str], int] = approx_tokens,
    token_counter_name: str = "approx (no tokenizer)",
    split_of: Callable[[dict], str] | None = None,
    per_turn: bool = False,
    max_tokens: int | None = None,
    source: str = "glaive",
) -> ConversionReport:
    """Convert Glaive rows into `out_dir/{train,valid,test}.jsonl` and `out_dir/report.json`.

    `split_of(row)` overrides the hash split (the generator uses it to keep its test functions
    apart). A row's own `meta` dict, if any, is merged into the written `meta`. Bad rows are
    counted by reason; with `strict` the first one raises BadRowError. Files appear only when
    the whole conversion succeeded.
    """
    if not 0 <= valid_fraction + test_fraction < 1:
        raise ValueError(f"valid_fraction + test_fraction = {valid_fraction + test_fraction}; it must be in [0, 1)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ConversionReport(str(out_dir), prompt_style, seed, token_counter_name)
    skipped, kinds, calls = Counter(), Counter(), Counter()
    token_counts: list[int] = []
    tmp = {s: out_dir / f".{s}.jsonl.tmp" for s in SPLITS}
    done = False
    try:
        files = {s: open(p, "w", encoding="utf-8") for s, p in tmp.items()}
        try:
            for index, row in enumerate(islice(rows, limit)):
                report.rows_read += 1
                try:
                    chat = parse_row(row)
                except GlaiveRowError as e:
                    if strict:
                        raise BadRowError(index, e.reason, e.detail) from e
                    _count_skip(report, skipped, e.reason, index)
                    continue
                extra = dict(row.get("meta") or {})
                split = split_of(row) if split_of else assign_split(row, seed, valid_fraction, test_fraction)
                extra.pop("split", None)
                if split not in files:
                    raise ValueError(f"row {index}: split {split!r} is not one of {', '.join(SPLITS)}")
                for turn, example in chat_examples(chat, per_turn):
                    messages = example.messages(prompt_style)
                    n_tokens = count_row_tokens(messages, count_tokens)
                    if max_tokens is not None and n_tokens > max_tokens:
                        _count_skip(report, skipped, "too_long", index)
                        continue
                    meta = {"source": source, "kind": example.kind, "functions": example.functions, "row": index}
                    meta |= extra
                    if turn is not None:
                        meta["turn"] = turn
                    files[split].write(json.dumps({"messages": messages, "meta": meta}, ensure_ascii=False) + "\n")
                    report.written[split] += 1
                    kinds[meta["kind"]] += 1
                    calls[example.n_calls] += 1
                    token_counts.append(n_tokens)
        finally:
            for f in files.values():
                f.close()
        for split, path in tmp.items():
            os.replace(path, out_dir / f"{split}.jsonl")
        done = True
    finally:
        # A failed or strict-stopped conversion leaves no half-written split behind.
        if not done:
            for path in tmp.values():
                path.unlink(missing_ok=True)
    report.skipped = dict(sorted(skipped.items(), key=lambda kv: -kv[1]))
    report.kinds = dict(sorted(kinds.items()))
    report.calls_per_row = {str(k): calls[k] for k in sorted(calls)}
    report.tokens = percentiles(token_counts)
    (out_dir / "report.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return report


def _count_skip(report: ConversionReport, skipped: Counter, reason: str, index: int) -> None:
    skipped[reason] += 1
    examples = report.skipped_rows.setdefault(reason, [])
    if len(examples) < EXAMPLE_ROWS_PER_REASON:
        examples.append(index)


def data_prompt_style(data: Path, default: str | None = "glaive") -> str | None:
    """The prompt style a converted or generated folder was written in (its report.json), or
    `default` when the folder or its report is missing.

        data_prompt_style(Path("data/smolcall-gen")) -> 'compact'
    """
    report = Path(data) / "report.json"
    if report.is_file():
        style = json.loads(report.read_text()).get("prompt_style")
        if style in STYLES:
            return style
    return default


def adapter_prompt_style(adapter_config: dict) -> str | None:
    """The prompt style an adapter was trained on, so evaluation prompts it the same way: the
    `prompt_style` training recorded, else its training data's report.json when that folder is
    here, else None.

    >>> adapter_prompt_style({"prompt_style": "compact", "smolcall_config": {"data": "data/x"}})
    'compact'
    >>> adapter_prompt_style({"smolcall_config": {"data": "/nonexistent"}}) is None
    True
    """
    style = adapter_config.get("prompt_style")
    if style in STYLES:
        return style
    data = (adapter_config.get("smolcall_config") or {}).get("data")
    return data_prompt_style(Path(data), default=None) if data else None
