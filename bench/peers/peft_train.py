"""The PyTorch + PEFT side of bench/train_vs_peft.py. Runs in the benchmark's own environment
(bench/.peers, made by bench/setup_peers.sh), never the project's:

    bench/.peers/bin/python bench/peers/peft_train.py --model DIR --batches FILE.json --warmup 2 --steps 8

LoRA as a PEFT user sets it up: rank 16, alpha 32 (scale 2), dropout 0, every linear projection
of the last 16 blocks, float32, AdamW; Hugging Face's causal-LM loss (labels -100 outside the
assistant turns). The batches are the very rows, in the very order, the smolcall side trains on,
each padded to its longest row (right padding, attention mask on). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="a float32 Hugging Face Llama folder")
    parser.add_argument("--batches", required=True, help="JSON: [{rows: [[ids]], masks: [[0/1]]}, ...]")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--layers", type=int, default=16)
    args = parser.parse_args()

    import peft
    import torch
    import transformers
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32, attn_implementation="sdpa")
    n_layers = model.config.num_hidden_layers
    config = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
                        layers_to_transform=list(range(n_layers - args.layers, n_layers)))
    model = get_peft_model(model, config)
    model.train()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3, weight_decay=0.0)

    with open(args.batches) as f:
        batches = json.load(f)
    if len(batches) < args.warmup + args.steps:
        raise SystemExit(f"{args.batches} holds {len(batches)} batches; --warmup + --steps needs "
                         f"{args.warmup + args.steps}")

    times, tokens, losses = [], [], []
    for batch in batches[: args.warmup + args.steps]:
        width = max(len(r) for r in batch["rows"])
        ids = torch.zeros((len(batch["rows"]), width), dtype=torch.long)
        attention = torch.zeros_like(ids)
        labels = torch.full_like(ids, -100)
        for i, (row, mask) in enumerate(zip(batch["rows"], batch["masks"])):
            ids[i, : len(row)] = torch.tensor(row)
            attention[i, : len(row)] = 1
            keep = torch.tensor(mask, dtype=torch.bool)
            labels[i, : len(row)] = torch.where(keep, torch.tensor(row), torch.tensor(-100))
        start = time.perf_counter()
        loss = model(input_ids=ids, attention_mask=attention, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - start)
        tokens.append(sum(len(r) for r in batch["rows"]))
        losses.append(float(loss))

    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    a @ b
    start = time.perf_counter()
    for _ in range(10):
        a @ b
    matmul_gflops = 10 * 2 * 1024**3 / (time.perf_counter() - start) / 1e9

    measured_s = sum(times[args.warmup :])
    measured_tokens = sum(tokens[args.warmup :])
    print(json.dumps({
        "side": "pytorch+peft", "steps": args.steps, "warmup": args.warmup, "seconds": measured_s,
        "tokens": measured_tokens, "tokens_per_second_all": measured_tokens / measured_s,
        "step_seconds": times, "losses": losses, "trainable_parameters": trainable, "threads": args.threads,
        "matmul_gflops": matmul_gflops,
        "versions": {"torch": torch.__version__, "peft": peft.__version__, "transformers": transformers.__version__},
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
