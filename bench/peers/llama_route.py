"""The llama.cpp side of bench/route_latency.py. Runs in the benchmark's own environment
(bench/.peers, llama-cpp-python built from source by bench/setup_peers.sh):

    bench/.peers/bin/python bench/peers/llama_route.py --gguf tuned-f16.gguf --quantize q4_1 q8_0 \
        --requests requests.json --repeats 3 --threads 2

For each variant (the f16 export as given, and each llama.cpp quantization of it, made with
llama.cpp's own quantizer), one `Llama` is loaded and every request runs greedily from the very
token ids the smolcall side uses, until the call is complete: a stop token, or the moment the
reply's JSON closes (the same early stop smolcall gets). llama-cpp-python reuses the KV cache of
the longest prefix shared with the previous request (the system prompt with the tools), as it
does for any user. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

QUANT_TYPES = {"q4_0": 2, "q4_1": 3, "q8_0": 7}  # llama_ftype values


def quantize(src: Path, kind: str) -> Path:
    import llama_cpp

    out = src.with_name(f"{src.stem.removesuffix('-f16')}-{kind}.gguf")
    if out.is_file() and out.stat().st_mtime >= src.stat().st_mtime:
        return out
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = QUANT_TYPES[kind]
    params.nthread = 2
    if llama_cpp.llama_model_quantize(str(src).encode(), str(out).encode(), params) != 0:
        raise SystemExit(f"llama.cpp could not quantize {src} to {kind}")
    return out


def json_closed(text: str) -> bool:
    """True once the text holds a `<functioncall>` whose JSON object has closed."""
    at = text.find("<functioncall>")
    if at < 0:
        return False
    depth, in_string, escaped, opened = 0, False, False, False
    for ch in text[at:]:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth, opened = depth + 1, True
        elif ch == "}":
            depth -= 1
            if opened and depth == 0:
                return True
    return False


def run_variant(path: Path, spec: dict, repeats: int, threads: int, max_tokens: int) -> dict:
    from llama_cpp import Llama

    stops = set(spec["stops"])
    llm = Llama(model_path=str(path), n_ctx=4096, n_threads=threads, n_threads_batch=threads, n_batch=512,
                verbose=False, logits_all=False)

    def one(prompt: list[int]) -> dict:
        start = time.perf_counter()
        out: list[int] = []
        text = b""
        for token in llm.generate(prompt, top_k=1, top_p=1.0, temp=0.0, repeat_penalty=1.0, reset=True):
            if token in stops:
                break
            out.append(token)
            text += llm.detokenize([token])
            if token_closes(text) or len(out) >= max_tokens:
                break
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "tokens": len(out), "text": text.decode("utf-8", "replace")}

    def token_closes(text: bytes) -> bool:
        return text.endswith((b"}", b"}}", b"}\n")) and json_closed(text.decode("utf-8", "replace"))

    warm = one(spec["warmup"])  # fills the cache with the shared system prompt
    runs = []
    for r in range(repeats):
        for i, req in enumerate(spec["requests"]):
            result = one(req["tokens"])
            runs.append({"request": i, "repeat": r, **result})
    return {"variant": path.name, "warmup_seconds": warm["seconds"], "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", required=True, type=Path)
    parser.add_argument("--quantize", nargs="*", default=[], choices=sorted(QUANT_TYPES))
    parser.add_argument("--requests", required=True, type=Path, help="JSON: {stops: [ids], warmup: [ids], requests: [{tokens: [ids]}]}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=96)
    args = parser.parse_args()

    import llama_cpp

    spec = json.loads(args.requests.read_text())
    variants = [args.gguf] + [quantize(args.gguf, kind) for kind in args.quantize]
    results = [run_variant(v, spec, args.repeats, args.threads, args.max_tokens) for v in variants]
    print(json.dumps({"side": "llama.cpp", "llama_cpp_python": llama_cpp.__version__, "threads": args.threads,
                      "variants": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
