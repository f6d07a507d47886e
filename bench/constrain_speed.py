"""uv run bench/constrain_speed.py [--prompts 8] [--max-tokens 64] [--batch-size 8] [--rounds 2] [--out bench/results/constrain_speed.json]

What grammar-constrained decoding costs, in one run on the embedded model: the same prompts,
greedy, the same max_tokens and batch size, generated three ways:
  - free:        no constraint;
  - constrained: the grammar for the offered tools, plain text allowed (`allow_text=True`);
  - must_call:   the same grammar without plain text, so every reply is calls in JSON.
Both constrained variants allow one call per reply (the base model, made to call, otherwise
repeats its call up to the limit and runs past max_tokens). The variants run in turn, `--rounds`
times, and each keeps its fastest round: on a shared machine other processes slow some rounds.
For each: completion tokens/s and all-token throughput (prompt + completion tokens over wall
time, prefill included), their ratio to `free`, the constraint's own CPU time per constrained
token, and how many replies hold calls that parse and validate against the tool's schema.
The replies differ between variants, and so do their lengths: the constraint's ms/token and its
share of wall time are the direct measure of its cost. Results go to a JSON file and a Markdown
table beside it.
"""

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("free", "constrained", "must_call")

WEATHER = {"name": "get_weather", "description": "Current weather in a city", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"},
                                     "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    "required": ["city"]}}
CONVERT = {"name": "convert_currency", "description": "Convert an amount between currencies", "parameters": {
    "type": "object", "properties": {"amount": {"type": "number"},
                                     "from_currency": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]},
                                     "to_currency": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]}},
    "required": ["amount", "from_currency", "to_currency"]}}
BOOK = {"name": "book_meeting", "description": "Book a meeting", "parameters": {
    "type": "object", "properties": {"title": {"type": "string"},
                                     "attendees": {"type": "array", "items": {"type": "string"}},
                                     "day": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri"]},
                                     "hour": {"type": "integer"}},
    "required": ["title", "day", "hour"]}}
SEARCH = {"name": "search_recipes", "description": "Find recipes by ingredient", "parameters": {
    "type": "object", "properties": {"ingredients": {"type": "array", "items": {"type": "string"}},
                                     "max_minutes": {"type": "integer"}},
    "required": ["ingredients"]}}
PROMPTS = [
    ([WEATHER], "What's the weather like in Paris right now?"),
    ([WEATHER, CONVERT], "How much is 250 US dollars in euros?"),
    ([CONVERT], "Convert 10 GBP to JPY please."),
    ([BOOK], "Book a meeting called Budget review on Tuesday at 10 with Ana and Bo."),
    ([SEARCH, WEATHER], "I have eggs and spinach, what can I cook in 20 minutes?"),
    ([WEATHER, BOOK, CONVERT], "Is it going to be cold in Oslo? Use fahrenheit."),
    ([SEARCH], "Tell me a joke about penguins."),
    ([BOOK, SEARCH], "Set up a call with Maria on Friday at 3 pm about the launch."),
]


class TimedProcessor:
    """Wraps a logits processor and adds up the CPU time it takes.

    The token it waits for is computed first, outside the clock: that wait is the model's time.
    """

    def __init__(self, processor, clock: dict):
        self.processor = processor
        self.clock = clock

    def __call__(self, tokens, logits):
        import mlx.core as mx

        mx.eval(tokens)
        start = time.perf_counter()
        out = self.processor(tokens, logits)
        self.clock["seconds"] += time.perf_counter() - start
        self.clock["calls"] += 1
        return out


def valid_calls(text: str, tools: list[dict]) -> bool:
    """True when the reply holds at least one call and every call validates against its tool."""
    import jsonschema

    from smolcall.calls import parse_reply

    parsed = parse_reply(text)
    by_name = {t["name"]: t for t in tools}
    if not parsed.calls or parsed.errors or any(c.name not in by_name for c in parsed.calls):
        return False
    try:
        for call in parsed.calls:
            jsonschema.validate(call.arguments, by_name[call.name]["parameters"])
    except jsonschema.ValidationError:
        return False
    return True


def run_variant(model, tokenizer, variant: str, prompts: list, max_tokens: int, batch_size: int) -> dict:
    from smolcall.constrain import constraint_factory
    from smolcall.generation import generate_replies
    from smolcall.prompt import system_prompt

    conversations = [[{"role": "system", "content": system_prompt(tools)}, {"role": "user", "content": q}]
                     for tools, q in prompts]
    clock = {"seconds": 0.0, "calls": 0}
    factory = None
    if variant != "free":
        inner = constraint_factory(tokenizer, allow_text=variant == "constrained", max_calls=1)

        def factory(conversation, prompt_tokens):
            return [TimedProcessor(p, clock) for p in inner(conversation, prompt_tokens)]

    start = time.perf_counter()
    replies = generate_replies(model, tokenizer, conversations, max_tokens=max_tokens, batch_size=batch_size,
                               logits_processors_factory=factory)
    seconds = time.perf_counter() - start
    prompt_tokens = sum(r.prompt_tokens for r in replies)
    completion_tokens = sum(r.completion_tokens for r in replies)
    return {
        "variant": variant,
        "seconds": seconds,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "completion_tokens_per_second": completion_tokens / seconds,
        "all_tokens_per_second": (prompt_tokens + completion_tokens) / seconds,
        "constraint_ms_per_token": 1000 * clock["seconds"] / clock["calls"] if clock["calls"] else 0.0,
        "constraint_share_of_wall": clock["seconds"] / seconds,
        "replies_with_valid_calls": sum(valid_calls(r.text, tools)
                                        for r, (tools, _) in zip(replies, prompts, strict=True)),
        "replies": len(replies),
        "stopped": sum(r.finish_reason == "stop" for r in replies),
        "sample": replies[0].text[:120],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=len(PROMPTS), help=f"how many of the {len(PROMPTS)} prompts")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="run every variant this many times, keep the fastest")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "constrain_speed.json")
    args = parser.parse_args()
    if not 1 <= args.prompts <= len(PROMPTS):
        parser.error(f"--prompts must be between 1 and {len(PROMPTS)}")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    from smolcall.backend import format_backend
    from smolcall.models import EMBEDDED_MODEL, load_model

    model, tokenizer, _ = load_model(EMBEDDED_MODEL)
    prompts = PROMPTS[: args.prompts]
    load_before = os.getloadavg()[0]
    # Warm-up: the first generation pays one-off allocation and the LLTokenizer build (~0.5 s).
    run_variant(model, tokenizer, "must_call", prompts[:1], 4, 1)
    runs: dict[str, dict] = {}
    for round_ in range(args.rounds):
        for variant in VARIANTS:
            r = run_variant(model, tokenizer, variant, prompts, args.max_tokens, args.batch_size)
            print(f"round {round_ + 1} {variant}: {r['completion_tokens_per_second']:.1f} completion tokens/s, "
                  f"{r['all_tokens_per_second']:.1f} all tokens/s, constraint {r['constraint_ms_per_token']:.2f} "
                  f"ms/token", file=sys.stderr)
            if variant not in runs or r["seconds"] < runs[variant]["seconds"]:
                runs[variant] = r
    free = runs["free"]
    for r in runs.values():
        r["completion_ratio_to_free"] = r["completion_tokens_per_second"] / free["completion_tokens_per_second"]
        r["all_ratio_to_free"] = r["all_tokens_per_second"] / free["all_tokens_per_second"]
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "backend": format_backend(),
        "date": time.strftime("%Y-%m-%d"),
        # Other processes on a shared machine slow every variant; compare ratios, not absolutes.
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
        "settings": {"model": EMBEDDED_MODEL, "prompts": len(prompts), "max_tokens": args.max_tokens,
                     "batch_size": args.batch_size, "decoding": "greedy", "max_calls": 1,
                     "rounds": args.rounds},
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    args.out.with_suffix(".md").write_text(to_markdown(results))
    print(to_markdown(results))
    return 0


def to_markdown(r: dict) -> str:
    s = r["settings"]
    lines = [
        f"Machine: {r['machine']} ({r['backend']}), {r['date']}; load average {r['load_average_1min']['before']:.1f} "
        f"before, {r['load_average_1min']['after']:.1f} after; OPENBLAS_NUM_THREADS={r['openblas_num_threads']}.",
        f"{s['model']}, {s['prompts']} prompts, greedy, max_tokens {s['max_tokens']}, batch {s['batch_size']}, "
        f"at most {s['max_calls']} call per constrained reply, fastest of {s['rounds']} rounds. "
        "All tokens/s = (prompt + completion tokens) / wall time, prefill included; "
        "completion tok/s also counts the prefill time, so variants with shorter replies show less.",
        "",
        "| variant | completion tok/s | all tok/s | vs free (completion / all) | constraint ms/token "
        "| constraint share of wall | replies with valid calls | stopped |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for v, x in r["runs"].items():
        lines.append(
            f"| {v} | {x['completion_tokens_per_second']:.1f} | {x['all_tokens_per_second']:.1f} "
            f"| {x['completion_ratio_to_free']:.2f} / {x['all_ratio_to_free']:.2f} | {x['constraint_ms_per_token']:.2f} "
            f"| {100 * x['constraint_share_of_wall']:.1f}% | {x['replies_with_valid_calls']}/{x['replies']} "
            f"| {x['stopped']}/{x['replies']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
