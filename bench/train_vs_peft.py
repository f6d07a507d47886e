"""uv run bench/train_vs_peft.py [--rounds 3] [--steps 8] [--warmup 8] [--rows 200] [--threads 2]

Training speed, smolcall against PyTorch + PEFT, side by side in one run, on the same machine,
model, rows, batches and LoRA settings (SmolLM2-135M-Instruct in float32, LoRA rank 16 / scale 2
on every linear projection of the last 16 blocks, batch 4, AdamW, no gradient checkpointing):

  1. exports the embedded model as a float32 Hugging Face folder (the very weights smolcall
     trains) and the batches smolcall's trainer will draw (same rows, same order) as JSON;
  2. runs, in `--rounds` rounds, smolcall's trainer as `uv run train/train.py` does on this CPU
     (one data-parallel worker process per core, 1 OpenBLAS thread each, smolcall.fastops, logits
     only at supervised positions, length buckets, mlx-lm's compiled step) and the PyTorch 2.13 +
     PEFT peer in the benchmark's own environment (bench/.peers, made by
     `bash bench/setup_peers.sh`), one after the other, smolcall first in odd rounds and second in
     even ones, so that the machine's drift falls on both sides; then two ablations once (one
     process with all BLAS threads; the workers without smolcall.fastops);
  3. counts the FLOPs each training token costs and reports each side's achieved GFLOP/s as a
     fraction of the float32 matmul ceiling, measured just before that side ran.

The headline ratio is the median of the per-round ratios; the ratio of the two sides' totals
(all rounds' tokens over all rounds' seconds) is reported beside it.

Tokens/s count EVERY token processed (prompt and completion, padding excluded), both sides the
same way. Results: bench/results/train_vs_peft.{json,md}, quoted by the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import smolcall  # noqa: F401  (first: preloads OpenBLAS before anything imports mlx.core)

from results_io import write_results  # noqa: E402  (bench/, beside this script)

ROOT = Path(__file__).resolve().parent
PEERS_PYTHON = ROOT / ".peers" / "bin" / "python"
PEFT_SCRIPT = ROOT / "peers" / "peft_train.py"
SETTINGS = {"num_layers": 16, "lora_rank": 16, "lora_scale": 2.0, "batch_size": 4, "grad_checkpoint": False}


# --- inputs shared by both sides ---------------------------------------------------------------


def export_hf_float32(model, config: dict, out: Path) -> Path:
    """The loaded (dequantized) MLX Llama as a float32 Hugging Face folder: same tensor names."""
    import mlx.core as mx
    from mlx.utils import tree_flatten

    if (out / "model.safetensors").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.astype(mx.float32) for k, v in tree_flatten(model.parameters())}
    mx.save_safetensors(str(out / "model.safetensors"), weights, metadata={"format": "pt"})
    hf = {k: v for k, v in config.items() if k not in ("quantization", "quantization_config")}
    hf |= {"torch_dtype": "float32", "architectures": ["LlamaForCausalLM"], "model_type": "llama"}
    (out / "config.json").write_text(json.dumps(hf, indent=2))
    return out


def dump_batches(dataset, batch_size: int, seed: int, warmup: int, steps: int, out: Path) -> list[list[int]]:
    """The batches both sides train, in order, as JSON: the first `steps` batches smolcall's trainer
    draws (row ids and assistant masks), after a warm-up over the first `warmup` of them."""
    from smolcall.trainer import batch_order

    order = batch_order([len(dataset[i][0]) for i in range(len(dataset))], batch_size, seed)
    if len(order) < steps:
        raise SystemExit(f"only {len(order)} batches in the rows; pass more --rows")
    order = order[:warmup] + order[:steps]
    batches = [{"rows": [list(map(int, dataset[i][0])) for i in b], "masks": [list(map(int, dataset[i][1])) for i in b]}
               for b in order]
    out.write_text(json.dumps(batches))
    return order


def replay_batches(seed: int, warmup: int, steps: int, counter):
    """smolcall's batch iterator drawing its first `steps` batches, after a warm-up over the first
    `warmup` of them (the order dump_batches writes); `counter` counts what each yield trains."""
    from smolcall.trainer import BatchCounter, make_batch_iterator

    inner_counter = BatchCounter()
    inner = make_batch_iterator(seed, 0, inner_counter)

    def iterate_batches(dataset, batch_size, max_seq_length, loop=False, comm_group=None, **_):
        source = inner(dataset, batch_size, max_seq_length, loop=True, comm_group=comm_group)
        drawn = []
        for _ in range(steps):
            before = inner_counter.all_tokens
            drawn.append((next(source), inner_counter.all_tokens - before))
        for batch, tokens in drawn[:warmup] + drawn:
            counter.all_tokens += tokens
            yield batch

    return iterate_batches


def flops_per_token(config: dict, batches: list[dict], layers: int, rank: int, supervised_logits: bool) -> float:
    """Matmul FLOPs one training token costs (multiply-add = 2), averaged over `batches`.

    Forward through every block; backward (input gradients only: the base is frozen) through the
    adapted blocks; LoRA forward plus its two backward products; attention scores and values
    (causal: a token at position p attends to p+1 keys); the vocabulary projection forward and
    backward at supervised positions only (smolcall) or at every position (PyTorch + PEFT).
    """
    d, f, v = config["hidden_size"], config["intermediate_size"], config["vocab_size"]
    heads, kv = config["num_attention_heads"], config["num_key_value_heads"]
    hd = config.get("head_dim") or d // heads
    n = config["num_hidden_layers"]
    shapes = [(d, heads * hd), (d, kv * hd), (d, kv * hd), (heads * hd, d), (d, f), (d, f), (f, d)]
    block = 2 * sum(i * o for i, o in shapes)
    lora = 2 * rank * sum(i + o for i, o in shapes)
    tokens = sum(len(r) for b in batches for r in b["rows"])
    supervised = sum(sum(m[1:]) for b in batches for m in b["masks"])
    mean_context = sum(p + 1 for b in batches for r in b["rows"] for p in range(len(r))) / tokens
    attention = 2 * 2 * heads * hd * mean_context  # QK^T and AV
    forward = n * (block + attention) + layers * lora
    backward = layers * (block + 2 * attention + 2 * lora)
    head_share = supervised / tokens if supervised_logits else 1.0
    head = 2 * 2 * d * v * head_share
    return forward + backward + head


# --- the smolcall side ------------------------------------------------------------------------


def worker_smolcall(rows: int, warmup: int, steps: int, data: str, out: str) -> None:
    """One training process (or one data-parallel worker); rank 0 writes the measurements to `out`."""
    import mlx.core as mx
    from mlx_lm.tuner.callbacks import TrainingCallback
    from mlx_lm.tuner.trainer import TrainingArgs, train

    from smolcall.backend import format_backend
    from smolcall.config import load_config
    from smolcall.models import EMBEDDED_MODEL, load_model
    from smolcall.trainer import (BatchCounter, apply_adapters, build_optimizer, read_chat_rows, supervised_loss,
                                  tokenize_rows)

    # load_model installs smolcall.fastops on CPU (a no-op with SMOLCALL_NO_FAST_OPS=1).
    cfg = load_config(None, {"iters": warmup + steps, "warmup_steps": 1, "data": data,
                             **{k: v for k, v in SETTINGS.items()}})
    model, tokenizer, _ = load_model(EMBEDDED_MODEL)
    apply_adapters(model, cfg)
    optimizer = build_optimizer(cfg)
    dataset = tokenize_rows(tokenizer, read_chat_rows(Path(data) / "train.jsonl")[:rows], cfg, "train")
    counter = BatchCounter()
    iterate = replay_batches(cfg.seed, warmup, steps, counter)
    stamps: list[tuple[float, int, float]] = []

    class Clock(TrainingCallback):
        def on_train_loss_report(self, info):
            stamps.append((1.0 / info["iterations_per_second"], counter.all_tokens, info["train_loss"]))

    args = TrainingArgs(batch_size=cfg.batch_size, iters=warmup + steps, steps_per_report=1, steps_per_eval=10**9,
                        steps_per_save=10**9, max_seq_length=cfg.max_seq_length, adapter_file=os.devnull)
    mx.random.seed(0)
    train(model, optimizer, dataset, None, args=args, iterate_batches=iterate, training_callback=Clock(),
          loss=supervised_loss)
    measured = stamps[warmup:]
    seconds = sum(s for s, _, _ in measured)
    tokens = measured[-1][1] - stamps[warmup - 1][1] if warmup else measured[-1][1]
    if mx.distributed.init().rank() == 0:
        Path(out).write_text(json.dumps({
            "side": "smolcall", "steps": len(measured), "warmup": warmup, "seconds": seconds, "tokens": tokens,
            "tokens_per_second_all": tokens / seconds, "step_seconds": [s for s, _, _ in stamps],
            "losses": [loss for _, _, loss in stamps], "workers": mx.distributed.init().size(),
            "blas_threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")), "backend": format_backend()}))


def with_flops(side: dict, flops_per_token: float) -> dict:
    """`side` with its FLOPs per token, achieved GFLOP/s and fraction of its matmul ceiling."""
    side["flops_per_token"] = flops_per_token
    side["achieved_gflops"] = side["tokens_per_second_all"] * flops_per_token / 1e9
    side["fraction_of_matmul_ceiling"] = side["achieved_gflops"] / side["matmul_gflops"]
    return side


def total_side(name: str, runs: list[dict]) -> dict:
    """One side over all rounds: all tokens over all seconds, the mean ceiling, the per-run figures."""
    tokens, seconds = sum(r["tokens"] for r in runs), sum(r["seconds"] for r in runs)
    first = runs[0]
    total = {"side": name, "tokens": tokens, "seconds": seconds, "tokens_per_second_all": tokens / seconds,
             "per_round_tokens_per_second": [r["tokens_per_second_all"] for r in runs],
             "matmul_gflops": statistics.fmean(r["matmul_gflops"] for r in runs),
             **{k: first[k] for k in ("workers", "blas_threads", "versions") if k in first}}
    return with_flops(total, first["flops_per_token"])


def run_json(cmd: list[str], env: dict | None = None) -> dict:
    """Run `cmd`; its last stdout line, as JSON."""
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} ... failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of both sides, the order alternating; the headline is the median round ratio")
    parser.add_argument("--steps", type=int, default=8, help="measured steps per side and round")
    parser.add_argument("--warmup", type=int, default=8,
                        help="unmeasured steps per side first, over the first WARMUP measured batches (MLX compiles "
                             "its step once per batch shape; a 110-step run meets about 15 shapes)")
    parser.add_argument("--rows", type=int, default=200, help="training rows the batches are drawn from")
    parser.add_argument("--threads", type=int, default=2, help="BLAS / torch threads on both sides")
    parser.add_argument("--data", default="data/smolcall-gen")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "train_vs_peft.json")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        rows, warmup, steps, data, out = args.worker
        worker_smolcall(int(rows), int(warmup), int(steps), data, out)
        return 0
    if not PEERS_PYTHON.is_file():
        raise SystemExit(f"the peer environment is missing ({PEERS_PYTHON}); build it with: bash bench/setup_peers.sh")

    from smolcall.backend import matmul_gflops
    from smolcall.config import load_config
    from smolcall.datagen import ensure_generated
    from smolcall.parallel import launch, workers_for
    from smolcall.models import EMBEDDED_MODEL, load_model
    from smolcall.trainer import read_chat_rows, tokenize_rows

    ensure_generated(Path(args.data))
    model, tokenizer, path = load_model(EMBEDDED_MODEL)
    config = json.loads((Path(path) / "config.json").read_text())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "smolcall" / "bench"
    hf_dir = export_hf_float32(model, config, cache / "smollm2-135m-instruct-hf-f32")
    cfg = load_config(None, {"data": args.data, **SETTINGS})
    dataset = tokenize_rows(tokenizer, read_chat_rows(Path(args.data) / "train.jsonl")[: args.rows], cfg, "train")
    batches_file = cache / "train_vs_peft_batches.json"
    dump_batches(dataset, cfg.batch_size, cfg.seed, args.warmup, args.steps, batches_file)
    batches = json.loads(batches_file.read_text())
    del model

    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads))
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} ({platform.processor() or 'cpu'})",
               "date": time.strftime("%Y-%m-%d %H:%M"), "settings": SETTINGS | {"rows": args.rows, "threads": args.threads,
               "warmup": args.warmup, "steps": args.steps, "dtype": "float32"},
               "load_average_before": os.getloadavg()[0]}
    workers = workers_for(cfg, cores=args.threads, cpu=True)

    def smolcall_side(label: str, processes: int, extra_env: dict | None = None) -> dict:
        ceiling = matmul_gflops(1024, 10)  # this machine's float32 matmul ceiling, all threads, right now
        out = cache / "train_vs_peft_smolcall.json"
        out.unlink(missing_ok=True)
        worker = [sys.executable, __file__, "--worker", str(args.rows), str(args.warmup), str(args.steps), args.data,
                  str(out)]
        run_env = env | (extra_env or {})
        if processes == 1:
            done = subprocess.run(worker, env=run_env, capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(f"the smolcall side ({label}) failed:\n{done.stderr[-3000:]}")
        elif launch(worker, processes, max(1, args.threads // processes), env=run_env):
            raise SystemExit(f"the smolcall side ({label}) failed")
        side = json.loads(out.read_text()) | {"matmul_gflops": ceiling}
        print(f"{label}: {side['tokens_per_second_all']:.1f} tokens/s (all tokens)", file=sys.stderr)
        return side

    def peer_side() -> dict:
        ceiling = matmul_gflops(1024, 10)
        side = run_json([str(PEERS_PYTHON), str(PEFT_SCRIPT), "--model", str(hf_dir), "--batches", str(batches_file),
                         "--warmup", str(args.warmup), "--steps", str(args.steps), "--threads", str(args.threads)], env)
        print(f"pytorch+peft: {side['tokens_per_second_all']:.1f} tokens/s (all tokens)", file=sys.stderr)
        return side | {"matmul_gflops": ceiling}

    measured = batches[args.warmup :]
    flops = {"smolcall": flops_per_token(config, measured, SETTINGS["num_layers"], SETTINGS["lora_rank"], True),
             "pytorch_peft": flops_per_token(config, measured, SETTINGS["num_layers"], SETTINGS["lora_rank"], False)}

    rounds = []
    for r in range(args.rounds):
        order = ("smolcall", "pytorch_peft") if r % 2 == 0 else ("pytorch_peft", "smolcall")
        sides = {}
        for name in order:
            side = smolcall_side(f"round {r + 1}: smolcall ({workers} workers)", workers) if name == "smolcall" else peer_side()
            sides[name] = with_flops(side, flops[name])
        if sides["smolcall"]["tokens"] != sides["pytorch_peft"]["tokens"]:
            raise SystemExit(f"the sides trained on different tokens ({sides['smolcall']['tokens']} vs "
                             f"{sides['pytorch_peft']['tokens']}): a bug in the batch export")
        ratio = sides["smolcall"]["tokens_per_second_all"] / sides["pytorch_peft"]["tokens_per_second_all"]
        rounds.append({"order": list(order), **sides, "ratio": ratio})
        print(f"round {r + 1}: smolcall / pytorch+peft = {ratio:.2f}x", file=sys.stderr)
    # The levers, one at a time: one process with every BLAS thread; the workers without fastops.
    one_process = smolcall_side("smolcall, one process", 1)
    plain_exp = smolcall_side("smolcall without fastops", workers, {"SMOLCALL_NO_FAST_OPS": "1"})
    totals = {name: total_side(name, [r[name] for r in rounds]) for name in ("smolcall", "pytorch_peft")}
    results |= {"smolcall": totals["smolcall"], "pytorch_peft": totals["pytorch_peft"], "rounds": rounds,
                "smolcall_without_fast_exp": plain_exp, "smolcall_one_process": one_process,
                "ratio_smolcall_vs_pytorch_peft": statistics.median(r["ratio"] for r in rounds),
                "ratio_of_totals": totals["smolcall"]["tokens_per_second_all"] / totals["pytorch_peft"]["tokens_per_second_all"],
                "load_average_after": os.getloadavg()[0]}
    write_results(args.out, results, to_markdown)
    return 0


def to_markdown(r: dict) -> str:
    s, ours, peer = r["settings"], r["smolcall"], r["pytorch_peft"]
    v = peer["versions"]
    rounds = r.get("rounds", [])
    lines = [f"Machine: {r['machine']}, {r['date']}; load average {r['load_average_before']:.1f} before, "
             f"{r['load_average_after']:.1f} after. Both sides: {s['threads']} cores, float32, LoRA rank {SETTINGS['lora_rank']} "
             f"on every linear projection of the last {SETTINGS['num_layers']} blocks, batch {SETTINGS['batch_size']}, the same "
             f"{s['steps']} batches, measured after an unmeasured warm-up pass over the first {s['warmup']} of them "
             "(MLX compiles its training step once per batch shape), in "
             f"{len(rounds) or 1} round(s), the order alternating (smolcall first in odd rounds). Tokens/s count "
             "every token processed (prompt + completion, padding excluded).", ""]
    if rounds:
        lines += ["| round | order | smolcall tokens/s | PyTorch + PEFT tokens/s | ratio | ceilings GFLOP/s (smolcall, peer) |",
                  "|---|---|---|---|---|---|"]
        for n, rd in enumerate(rounds, 1):
            order = " then ".join("smolcall" if o == "smolcall" else "PEFT" for o in rd["order"])
            lines.append(f"| {n} | {order} | {rd['smolcall']['tokens_per_second_all']:.1f} | "
                         f"{rd['pytorch_peft']['tokens_per_second_all']:.1f} | {rd['ratio']:.2f}x | "
                         f"{rd['smolcall']['matmul_gflops']:.0f}, {rd['pytorch_peft']['matmul_gflops']:.0f} |")
        lines.append("")
    lines += ["| side (all rounds) | tokens/s (all tokens) | FLOPs / token | achieved GFLOP/s | matmul ceiling GFLOP/s | fraction of ceiling |",
              "|---|---|---|---|---|---|"]
    workers = ours.get("workers", 1)
    main = f"smolcall (MLX + OpenBLAS, {workers} data-parallel workers x {ours.get('blas_threads', s['threads'])} thread)"
    for name, side in ((main, ours), (f"PyTorch {v['torch']} + PEFT {v['peft']}", peer)):
        lines.append(f"| {name} | {side['tokens_per_second_all']:.1f} | {side['flops_per_token'] / 1e6:.0f} M | "
                     f"{side['achieved_gflops']:.1f} | {side['matmul_gflops']:.1f} | {100 * side['fraction_of_matmul_ceiling']:.0f}% |")
    if "smolcall_one_process" in r:
        lines.append(f"| smolcall, one process with {s['threads']} BLAS threads (ablation, once) | "
                     f"{r['smolcall_one_process']['tokens_per_second_all']:.1f} | | | | |")
    if "smolcall_without_fast_exp" in r:
        lines.append(f"| smolcall without smolcall.fastops (ablation, once) | {r['smolcall_without_fast_exp']['tokens_per_second_all']:.1f} "
                     "| | | | |")
    headline = f"**smolcall / PyTorch + PEFT = {r['ratio_smolcall_vs_pytorch_peft']:.2f}x**"
    if rounds:
        ratios = ", ".join(f"{rd['ratio']:.2f}x" for rd in rounds)
        headline += (f" (median of the rounds' ratios: {ratios}; ratio of the all-round totals "
                     f"{r['ratio_of_totals']:.2f}x)")
    lines += ["", headline + " (tokens/s, all tokens).", "",
              "FLOPs per token count the matmuls each side actually does (forward through all blocks, input "
              "gradients through the adapted ones, LoRA, attention, and the vocabulary projection at supervised "
              "positions for smolcall, at every position for PEFT's standard loss); the ceiling is a float32 "
              "1024 x 1024 matmul measured in the bench's process just before each side ran."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
