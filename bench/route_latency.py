"""uv run bench/route_latency.py [--adapter adapters/default] [--repeats 3] [--threads 2]

Routing latency, smolcall against llama.cpp, in one run on the same machine: one request, five
offered tools (smolcall's own MCP tools: weather, currency, calculator, units, clock), greedy,
until the call is complete. Both sides get the very same prompt token ids (the compact system
prompt with the tools, then the user's request) and both reuse the KV cache of the shared
system prompt across requests. Latency is the wall time from the conversation to the finished
call (tokenization included on both sides).

- smolcall: the tuned model with its adapter fused, float32, decoded by smolcall.guided
  (grammar-forced tokens fed in batches, drafts copied from the request and verified, the
  vocabulary projection only over allowed tokens, stop when the JSON closes), its forward
  passes in numpy over the MLX weights (smolcall.numpy_llama: sgemv for passes of a few tokens).
  Three ablations on the same requests: the same decoding on MLX's forward pass (MLX + OpenBLAS),
  without drafts, and mlx-lm's plain generate_step with the grammar processor and the same KV
  cache (no guided decoding).
- llama.cpp (llama-cpp-python built from source, in bench/.peers): the same tuned model fused
  and exported to GGUF by smolcall.gguf.export_gguf (f16), and llama.cpp's own quantizations of
  it (q8_0, q4_1, q4_0), stopping as soon as the reply's JSON closes.

Results: bench/results/route_latency.{json,md} (p50 and p95 per side, the ratio of medians,
and how often each side's call names the tool the request is for),
quoted by the README. `--no-peers` runs smolcall's four rows alone, for a machine without the
peer build (bench/setup_peers.sh), into bench/results/route_latency_smolcall.{json,md}; its ratio
is then the plain decoding's p50 over the guided one's, both measured in that run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import smolcall  # noqa: F401  (first: preloads OpenBLAS)

from results_io import write_results  # noqa: E402  (bench/, beside this script)

ROOT = Path(__file__).resolve().parent
PEERS_PYTHON = ROOT / ".peers" / "bin" / "python"
LLAMA_SCRIPT = ROOT / "peers" / "llama_route.py"
TOOLS = ("get_weather", "convert_currency", "calculate", "convert_units", "get_current_time")
WARMUP = "Hello! Which tools can you use?"
REQUESTS = (
    "What's the weather like in Paris right now?",
    "Is it raining in Tokyo?",
    "How warm is it in Cairo today, in fahrenheit?",
    "Weather for New York please.",
    "Convert 250 US dollars to euros.",
    "How much is 99.5 EUR in GBP?",
    "Change 1200 yen into Swiss francs.",
    "What is 17 * 23 + 4?",
    "Calculate (12.5 + 7) / 3",
    "What's 2 to the power of 10?",
    "Convert 5 miles to kilometers.",
    "How many pounds is 70 kg?",
    "Convert 100 fahrenheit to celsius.",
    "What time is it in Tokyo right now?",
    "Current time in London?",
    "What's the time in Sydney?",
)
# The tool each request is for (the "right tool" column: does the side's call name it?).
EXPECTED = ("get_weather",) * 4 + ("convert_currency",) * 3 + ("calculate",) * 3 + ("convert_units",) * 3 + (
    "get_current_time",) * 3


def tool_specs() -> list[dict]:
    """The five tools, as smolcall's MCP server lists them (in-process client, real MCP)."""
    from mcp import Client

    from smolcall.agent import tool_specs as specs_of
    from smolcall.server import build_server

    async def listed():
        async with Client(build_server()) as client:
            return (await client.list_tools()).tools

    by_name = {s["name"]: s for s in specs_of(asyncio.run(listed()))}
    return [by_name[name] for name in TOOLS]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def right_tool(run: dict) -> bool:
    """Does the run's first call name the tool its request is for?"""
    from smolcall.calls import parse_reply

    calls = parse_reply(run["text"]).calls
    return bool(calls) and calls[0].name == EXPECTED[run["request"]]


def summarize(runs: list[dict]) -> dict:
    seconds = [r["seconds"] for r in runs]
    out = {"n": len(runs), "p50_ms": 1000 * percentile(seconds, 50), "p95_ms": 1000 * percentile(seconds, 95),
           "mean_ms": 1000 * float(np.mean(seconds)), "mean_completion_tokens": float(np.mean([r["tokens"] for r in runs])),
           "right_tool": float(np.mean([right_tool(r) for r in runs]))}
    for key in ("passes", "forced", "drafted", "accepted", "prompt_new_tokens"):
        if all(key in r for r in runs):
            out[f"mean_{key}"] = float(np.mean([r[key] for r in runs]))
    return out


def run_smolcall(chat, specs, conversations, warmup, repeats: int, mode: str, max_tokens: int) -> list[dict]:
    """Latency of every request (round-robin, `repeats` rounds) after one warm-up request."""
    from smolcall.chat_model import GuidedGenerator
    from smolcall.constrain import constraint_factory

    if mode == "plain":
        factory = constraint_factory(chat.tokenizer, allow_text=False, max_calls=1)

        def route(conversation):
            return chat.generate(conversation, max_tokens, factory)
    else:
        route = GuidedGenerator(chat, allow_text=False, max_calls=1, max_tokens=max_tokens, draft=mode != "no_drafts",
                                engine="mlx" if mode == "guided_mlx" else "auto")
    chat.cache, chat.cached = None, []
    route(warmup)
    runs = []
    for r in range(repeats):
        for i, conversation in enumerate(conversations):
            start = time.perf_counter()
            generation = route(conversation)
            run = {"request": i, "repeat": r, "seconds": time.perf_counter() - start,
                   "tokens": generation.completion_tokens, "text": generation.text}
            guided = getattr(route, "last", None)
            if guided is not None:  # how the work was done: model passes, forced and drafted tokens
                run |= {"passes": guided.passes, "forced": guided.forced, "drafted": guided.drafted,
                        "accepted": guided.accepted, "prompt_new_tokens": guided.prompt_tokens - guided.cached_tokens}
            runs.append(run)
    return runs


def pass_costs(chat, prompt: list[int], repeats: int = 9) -> dict:
    """Median ms of one forward pass of 1, 2, 4, 8 and 27 new tokens after `prompt` is cached,
    on MLX's forward pass and on smolcall.numpy_llama's (the same weights, side by side)."""
    from smolcall.guided import MLXPasses, NumpyPasses

    out: dict[str, dict[str, float]] = {}
    for name, engine in (("mlx", MLXPasses(chat)), ("numpy", NumpyPasses(chat))):
        engine.reset()
        engine.start(prompt)  # an empty cache (MLX: made here)
        np.asarray(engine.forward(prompt))  # the cached prompt
        out[name] = {}
        for count in (1, 2, 4, 8, 27):
            seconds = []
            for _ in range(repeats):
                start = time.perf_counter()
                hidden = engine.forward(prompt[-count:])
                np.asarray(hidden)  # MLX is lazy: the pass runs here
                seconds.append(time.perf_counter() - start)
                engine.trim(count)
            out[name][str(count)] = 1000 * float(np.median(seconds))
        engine.reset()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", type=Path, default=Path("adapters/default"))
    parser.add_argument("--repeats", type=int, default=3, help="rounds over the requests per side")
    parser.add_argument("--plain-repeats", type=int, default=1, help="rounds for the slow plain-decoding ablation")
    parser.add_argument("--threads", type=int, default=2, help="BLAS / llama.cpp threads")
    parser.add_argument("--quantize", nargs="*", default=["q8_0", "q4_1", "q4_0"], help="llama.cpp quantizations to run too")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--no-peers", action="store_true",
                        help="smolcall's rows only (no llama.cpp side), into route_latency_smolcall.json")
    parser.add_argument("--out", type=Path, default=None,
                        help="results JSON (default: results/route_latency.json, with --no-peers "
                             "results/route_latency_smolcall.json)")
    args = parser.parse_args()
    args.out = args.out or ROOT / "results" / ("route_latency_smolcall.json" if args.no_peers else "route_latency.json")
    if not args.no_peers and not PEERS_PYTHON.is_file():
        raise SystemExit(f"the peer environment is missing ({PEERS_PYTHON}); build it with: bash bench/setup_peers.sh "
                         "(or pass --no-peers for smolcall's rows alone)")
    if int(os.environ.get("OPENBLAS_NUM_THREADS", args.threads)) != args.threads:
        raise SystemExit("OPENBLAS_NUM_THREADS differs from --threads; unset it or make them agree")
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)

    from smolcall.chat_model import adapter_base_model, load_chat_model
    from smolcall.generation import encode_conversation, stop_token_ids
    from smolcall.gguf import export_gguf
    from smolcall.models import EMBEDDED_MODEL, embedded_gguf_path, file_digest
    from smolcall.prompt import system_prompt

    if not args.no_peers and adapter_base_model(args.adapter) != EMBEDDED_MODEL:
        raise SystemExit("the llama.cpp export starts from the embedded GGUF: pass an adapter trained on it")
    specs = tool_specs()
    system = {"role": "system", "content": system_prompt(specs, "compact")}
    conversations = [[system, {"role": "user", "content": q}] for q in REQUESTS]
    warmup = [system, {"role": "user", "content": WARMUP}]
    chat = load_chat_model(args.adapter)  # adapter fused
    tokenizer = chat.tokenizer

    # The same model for llama.cpp: fused, exported to GGUF once per adapter version.
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "smolcall" / "bench"
    digest = file_digest(args.adapter / "adapters.safetensors")
    gguf = cache / f"{args.adapter.name}-{digest}-f16.gguf"
    if not args.no_peers and not gguf.is_file():
        export_gguf(chat.model, embedded_gguf_path(), gguf, dtype="f16")
    requests_file = cache / "route_requests.json"
    requests_file.parent.mkdir(parents=True, exist_ok=True)
    requests_file.write_text(json.dumps({
        "stops": stop_token_ids(tokenizer), "warmup": encode_conversation(tokenizer, warmup),
        "requests": [{"tokens": encode_conversation(tokenizer, c)} for c in conversations]}))
    prompt_tokens = [len(encode_conversation(tokenizer, c)) for c in conversations]

    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
               "date": time.strftime("%Y-%m-%d %H:%M"), "adapter": str(args.adapter), "adapter_digest": digest,
               "tools": list(TOOLS), "requests": list(REQUESTS), "repeats": args.repeats, "threads": args.threads,
               "prompt_tokens_mean": float(np.mean(prompt_tokens)), "load_average_before": os.getloadavg()[0]}

    sides: dict[str, dict] = {}
    peer = run_llama(args, gguf, requests_file) if not args.no_peers else {"variants": [], "llama_cpp_python": None}
    for variant in peer["variants"]:
        name = "llama.cpp " + variant["variant"].removesuffix(".gguf").rsplit("-", 1)[-1]
        sides[name] = {"runs": variant["runs"], **summarize(variant["runs"])}
        print(f"{name}: p50 {sides[name]['p50_ms']:.0f} ms", file=sys.stderr)

    from smolcall.numpy_llama import GEMV_ROWS

    results["pass_ms"] = pass_costs(chat, encode_conversation(tokenizer, conversations[0]))
    results["gemv_rows"] = GEMV_ROWS
    print(f"pass ms: {results['pass_ms']}", file=sys.stderr)
    for mode, label, repeats in (("guided", "smolcall guided", args.repeats),
                                 ("guided_mlx", "smolcall guided, MLX passes", args.repeats),
                                 ("no_drafts", "smolcall guided, no drafts", args.repeats),
                                 ("plain", "smolcall plain (KV cache + grammar processor)", args.plain_repeats)):
        runs = run_smolcall(chat, specs, conversations, warmup, repeats, mode, args.max_tokens)
        sides[label] = {"runs": runs, **summarize(runs)}
        print(f"{label}: p50 {sides[label]['p50_ms']:.0f} ms", file=sys.stderr)

    ours = sides["smolcall guided"]
    llama = {k: v for k, v in sides.items() if k.startswith("llama.cpp")}
    # Do both sides write the same call? (llama.cpp's f16 export is the same function up to f16 rounding.)
    first = {r["request"]: r["text"] for r in ours["runs"] if r["repeat"] == 0}
    for name, side in sides.items():
        texts = {r["request"]: r["text"] for r in side["runs"] if r["repeat"] == 0}
        side["same_call_as_smolcall"] = sum(texts[i].strip() == first[i].strip() for i in texts) / len(texts)
    results |= {"sides": sides, "llama_cpp_python": peer["llama_cpp_python"],
                "load_average_after": os.getloadavg()[0]}
    if llama:
        fastest = min(llama, key=lambda k: llama[k]["p50_ms"])
        results |= {"fastest_llama_cpp": fastest,
                    "ratio_llama_p50_over_smolcall_p50": llama[fastest]["p50_ms"] / ours["p50_ms"],
                    "ratio_llama_p95_over_smolcall_p95": llama[fastest]["p95_ms"] / ours["p95_ms"]}
    plain = sides["smolcall plain (KV cache + grammar processor)"]
    results["ratio_plain_p50_over_guided_p50"] = plain["p50_ms"] / ours["p50_ms"]
    write_results(args.out, results, to_markdown)
    return 0


def run_llama(args: argparse.Namespace, gguf: Path, requests_file: Path) -> dict:
    """The llama.cpp side, in the peer environment: its variants' runs and its version."""
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    out = subprocess.run([str(PEERS_PYTHON), str(LLAMA_SCRIPT), "--gguf", str(gguf), "--quantize", *args.quantize,
                          "--requests", str(requests_file), "--repeats", str(args.repeats), "--threads", str(args.threads),
                          "--max-tokens", str(args.max_tokens)], env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the llama.cpp side failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def to_markdown(r: dict) -> str:
    lines = [f"Machine: {r['machine']}, {r['date']}; load average {r['load_average_before']:.1f} before, "
             f"{r['load_average_after']:.1f} after. {len(r['requests'])} requests x {r['repeats']} rounds, five tools "
             f"({', '.join(r['tools'])}), prompts of {r['prompt_tokens_mean']:.0f} tokens on average (the system prompt "
             f"cached on both sides), greedy until the call is complete, {r['threads']} threads. "
             f"Adapter {r['adapter']} ({r['adapter_digest']}); "
             + (f"llama-cpp-python {r['llama_cpp_python']}." if r["llama_cpp_python"] else "no llama.cpp side (--no-peers)."),
             "",
             "| side | p50 ms | p95 ms | mean ms | completion tokens | model passes | right tool | same call as smolcall |",
             "|---|---|---|---|---|---|---|---|"]
    for name, s in r["sides"].items():
        passes = f"{s['mean_passes']:.1f}" if "mean_passes" in s else "one per token"
        lines.append(f"| {name} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['mean_ms']:.0f} | "
                     f"{s['mean_completion_tokens']:.1f} | {passes} | {100 * s['right_tool']:.0f}% | "
                     f"{100 * s['same_call_as_smolcall']:.0f}% |")
    if "pass_ms" in r:
        counts = list(r["pass_ms"]["mlx"])
        lines += ["", "One forward pass of smolcall's model over the cached prompt, median ms, by new tokens in the pass:", "",
                  "| forward pass | " + " | ".join(counts) + " |", "|---|" + "---|" * len(counts)]
        for name, label in (("mlx", "MLX (sgemm)"), ("numpy", f"smolcall.numpy_llama (sgemv up to {r.get('gemv_rows', '?')} tokens)")):
            lines.append(f"| {label} | " + " | ".join(f"{r['pass_ms'][name][c]:.0f}" for c in counts) + " |")
    if "fastest_llama_cpp" in r:
        lines += ["", f"**llama.cpp ({r['fastest_llama_cpp']}, its fastest here) p50 / smolcall guided p50 = "
                  f"{r['ratio_llama_p50_over_smolcall_p50']:.2f}x**; p95 ratio {r['ratio_llama_p95_over_smolcall_p95']:.2f}x "
                  "(above 1: smolcall routes faster)."]
    if "ratio_plain_p50_over_guided_p50" in r:
        lines += ["", f"**smolcall plain p50 / smolcall guided p50 = {r['ratio_plain_p50_over_guided_p50']:.2f}x** "
                  "(the same model, requests and KV cache; above 1: guided decoding routes faster)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
