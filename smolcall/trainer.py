"""LoRA training on chat JSONL through `mlx_lm.tuner.train`, with our data, loss and checkpoints.

What we add to mlx-lm's trainer (and why):
- loss on every assistant turn of a multi-turn row (mlx-lm's `mask_prompt` trains only the last);
- logits only at supervised positions: the 49,152 x 576 output projection over every prompt
  token is a large share of the work on a small model, and its result is thrown away;
- length-bucketed batches padded to a multiple of 8, not 32;
- optionally a stratified batch order (`batch_order: stratified`): the same batches, ordered so
  every stretch of the epoch holds each row shape (calls or not, tools offered, turns) in its
  share of the data;
- checkpoints with the optimizer state and the data position, so `--resume` continues a run;
- throughput counted over every token processed (prompt and completion), not only the
  supervised ones that mlx-lm's `tok/s` reports.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np
from mlx.utils import tree_flatten, tree_unflatten
from mlx_lm.tuner.callbacks import TrainingCallback
from mlx_lm.tuner.trainer import TrainingArgs
from mlx_lm.tuner.trainer import train as mlx_train
from mlx_lm.tuner.utils import linear_to_lora_layers

from smolcall import fastops, parallel
from smolcall.calls import MARKER
from smolcall.config import BATCH_ORDERS, ConfigError, TrainConfig
from smolcall.prompt import parse_tools

PAD_MULTIPLE = 8
SPLITS = ("train", "valid")


class DataError(ValueError):
    """A data problem found before training starts; the message names the file, row and fix."""


# --- data ---------------------------------------------------------------------------------


def read_chat_rows(path: Path) -> list[dict]:
    """Read MLX chat JSONL (`{"messages": [...]}` per line); bad lines are errors with their number."""
    if not path.exists():
        raise DataError(f"{path} not found: build it with `uv run train/generate.py` (generated data) "
                        f"or `uv run train/prepare.py --out {path.parent}` (Glaive v2), or set data: in the config")
    rows, bad = [], []
    with path.open() as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                messages = row["messages"]
                if not messages or not all(isinstance(m, dict) and "role" in m and "content" in m
                                            for m in messages):
                    raise ValueError("messages must be a non-empty list of {role, content}")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                bad.append(f"line {n}: {e}")
                continue
            rows.append(row)
    if bad:
        raise DataError(f"{path}: {len(bad)} malformed rows ({'; '.join(bad[:3])}); "
                        "fix or regenerate the file (`uv run train/prepare.py` reports bad rows by reason)")
    return rows


def check_data(cfg: TrainConfig) -> dict[str, int]:
    """Row counts per split, checked against the batch size. Cheap: reads no weights."""
    counts = {}
    for split in SPLITS:
        path = Path(cfg.data) / f"{split}.jsonl"
        if not path.exists():
            raise DataError(f"{path} not found: build it with `uv run train/generate.py --out {cfg.data}` "
                            f"or `uv run train/prepare.py --out {cfg.data}`")
        with path.open() as f:
            counts[split] = sum(1 for line in f if line.strip())
        if counts[split] < cfg.batch_size:
            raise DataError(f"{path} has {counts[split]} rows but batch_size is {cfg.batch_size}: "
                            f"add rows or pass --batch_size {max(1, counts[split])}")
    return counts


def tokenize_row(tokenizer, messages: list[dict], train_on: str = "all_assistant",
                 decision_weight: float = 1.0) -> tuple[list[int], list]:
    """Token ids of a chat and, per token, whether the loss sees it (assistant turns only).

    Each assistant turn spans from the end of the templated prefix before it (with the
    generation prompt) to the end of the templated prefix that includes it. With a
    `decision_weight` other than 1 the mask holds loss weights instead: the tokens that decide
    whether a reply calls (its first token) and whether it calls again after a call (the token
    after each `}}`) weigh that much, the other assistant tokens 1.
    """
    tokens = tokenizer.apply_chat_template(messages, tokenize=True)
    mask: list = [False] * len(tokens)
    turns = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    if train_on == "last_assistant":
        turns = turns[-1:]
    for i in turns:
        start = len(tokenizer.apply_chat_template(messages[:i], tokenize=True, add_generation_prompt=True))
        end = len(tokenizer.apply_chat_template(messages[: i + 1], tokenize=True))
        if not 0 < start < end <= len(tokens):
            raise DataError(f"the chat template does not render turn {i} as a prefix of the whole chat; "
                            "use a ChatML-style template or set train_on: last_assistant")
        mask[start:end] = [True] * (end - start)
        if decision_weight != 1.0:
            mask[start:end] = [1.0] * (end - start)
            for k in decision_positions(tokenizer, tokens, start, end):
                mask[k] = decision_weight
    return tokens, mask


def decision_positions(tokenizer, tokens: list[int], start: int, end: int) -> list[int]:
    """Positions in tokens[start:end] (one assistant turn) where the reply decides what comes
    next: its first token (a call or words), and the token that follows a call's closing `}}`
    (another call or the end). A `}}` token that carries the newline too is the decision itself.
    Nested objects close with `}}` inside arguments as well; weighing those is harmless."""
    positions, tail = [start], ""
    for k in range(start, end):
        piece = tokenizer.decode([tokens[k]])
        text, tail = tail + piece, (tail + piece)[-1:]
        closes = text.rfind("}}")
        if closes < 0 or closes + 2 <= len(text) - len(piece):  # no `}}` that ends in this token
            continue
        after = text[closes + 2:]
        positions.append(k if after.strip(" ") else k + 1)
    return sorted({p for p in positions if p < end})


@dataclass
class TokenizedRows:
    """Rows as (tokens, mask) pairs; mlx-lm's trainer only needs len() and indexing."""

    items: list[tuple[list[int], list[bool]]]
    truncated: int = 0
    # Per item, its shape (row_stratum): the groups a stratified batch order balances.
    strata: list[str] = field(default_factory=list)
    # Rows whose assistant tokens all lie past max_seq_length: nothing to learn, counted and reported.
    dropped_too_long: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int):
        return self.items[i]


def tokenize_rows(tokenizer, rows: list[dict], cfg: TrainConfig, name: str,
                  decision_weight: float = 1.0) -> TokenizedRows:
    """Tokenize and mask every row; truncate long ones, and set aside (with their line numbers)
    those whose assistant turns all start past max_seq_length."""
    out = TokenizedRows([])
    for n, row in enumerate(rows, 1):
        tokens, mask = tokenize_row(tokenizer, row["messages"], cfg.train_on, decision_weight)
        if len(tokens) > cfg.max_seq_length:
            tokens, mask = tokens[: cfg.max_seq_length], mask[: cfg.max_seq_length]
            out.truncated += 1
        if not any(mask[1:]):
            out.dropped_too_long.append(n)
            continue
        out.items.append((tokens, mask))
        out.strata.append(row_stratum(row["messages"]))
    return out


def row_stratum(messages: list[dict]) -> str:
    """A row's shape, read from its messages (so Glaive-converted rows have one too): the most
    calls one assistant turn makes (0, 1, 2+), the tools its system prompt offers (0, 1, 2, 3+;
    "?" when the specs do not parse) and its user turns (1, 2+).

        system offering one tool, user, "<functioncall> ..." -> "calls=1 tools=1 turns=1"
    """
    calls = max((m["content"].count(MARKER) for m in messages if m["role"] == "assistant"), default=0)
    system = next((m["content"] for m in messages if m["role"] == "system"), "")
    try:
        offered = len(parse_tools(system))
        tools = f"{offered}" if offered < 3 else "3+"
    except ValueError:
        tools = "?"
    users = sum(m["role"] == "user" for m in messages)
    return f"calls={'2+' if calls > 1 else calls} tools={tools} turns={'2+' if users > 1 else '1'}"


@dataclass
class BatchCounter:
    """Tokens handed to the trainer, so throughput can count every token processed."""

    all_tokens: int = 0
    supervised: int = 0

    def count(self, items, max_seq_length: int, shares: int = 1) -> None:
        """Count a batch, split in `shares` as the workers split it (each pads and cuts its own)."""
        for share in (items[r::shares] for r in range(shares)):
            width = _batch_width(share, max_seq_length)
            self.all_tokens += sum(min(len(t), width) for t, _ in share)
            self.supervised += sum(int((np.asarray(m[1:width]) > 0).sum()) for _, m in share)


def length_buckets(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Row indices grouped into batches of similar length (sorted, then cut): little padding.

        length_buckets([5, 90, 7, 88], 2) -> [[0, 2], [3, 1]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order) - batch_size + 1, batch_size)]


def bucket_strata(buckets: list[list[int]], strata: list[str]) -> list[str]:
    """Each bucket's label for a stratified order: the stratum most of its rows have (ties: the
    first in sorted order). Length buckets mix shapes (699 of the default set's 750 do), so the
    label is a majority, and the batches stay exactly the shuffled order's."""
    labels = []
    for bucket in buckets:
        counts = Counter(strata[i] for i in bucket)
        labels.append(min(counts, key=lambda label: (-counts[label], label)))
    return labels


def stratified_permutation(labels: list[str], rng: np.random.Generator) -> list[int]:
    """Bucket indices in an order where each label is spread evenly: its k-th of n buckets
    (shuffled within it) sits at (k + u) / n of the epoch, u random per label. Any stretch of the
    order then holds each label in its share, to within one bucket."""
    groups: dict[str, list[int]] = {}
    for b, label in enumerate(labels):
        groups.setdefault(label, []).append(b)
    keyed = []
    for label in sorted(groups):
        members = groups[label]
        offset = rng.random()
        ties = rng.random(len(members))
        for k, b in enumerate(rng.permutation(members)):
            keyed.append(((k + offset) / len(members), ties[k], int(b)))
    return [b for _, _, b in sorted(keyed)]


def epoch_buckets(lengths: list[int], batch_size: int, order: str = "shuffled",
                  strata: list[str] | None = None) -> tuple[list[list[int]], list[str] | None]:
    """The length buckets an epoch draws from, with their labels when the order is stratified."""
    if order not in BATCH_ORDERS:
        raise ValueError(f"batch order {order!r} is not one of {', '.join(BATCH_ORDERS)}")
    buckets = length_buckets(lengths, batch_size)
    if order == "shuffled":
        return buckets, None
    if strata is None or len(strata) != len(lengths):
        raise ValueError("a stratified batch order needs one stratum per row (TokenizedRows.strata)")
    return buckets, bucket_strata(buckets, strata)


def epoch_permutation(n: int, labels: list[str] | None, rng: np.random.Generator) -> list[int]:
    """One epoch's bucket order: shuffled, or stratified when the buckets carry labels."""
    return list(rng.permutation(n)) if labels is None else stratified_permutation(labels, rng)


def batch_order(lengths: list[int], batch_size: int, seed: int, order: str = "shuffled",
                strata: list[str] | None = None) -> list[list[int]]:
    """One epoch of batches (row indices) in the order make_batch_iterator(seed) trains them."""
    buckets, labels = epoch_buckets(lengths, batch_size, order, strata)
    return [buckets[b] for b in epoch_permutation(len(buckets), labels, np.random.default_rng(seed))]


def make_batch_iterator(seed: int, start_batch: int = 0, counter: BatchCounter | None = None,
                        order: str = "shuffled"):
    """An `iterate_batches` for mlx_lm.tuner.train: length buckets, resumable, and counted.
    `order` is "shuffled" or "stratified" (the dataset's `strata` balanced over the epoch);
    it applies to training (loop=True).

    Yields (tokens [B, L], targets [B, L-1], select [S], weights [S]): `select` indexes the
    flattened supervised positions, padded to a multiple of 32 with weight 0 so compiled
    shapes repeat. Under data-parallel training (mlx-lm passes `comm_group`), worker r of n
    takes rows r, r+n, ... of every batch; the counter still counts whole batches.
    """

    def iterate_batches(dataset, batch_size, max_seq_length, loop=False, comm_group=None, **_):
        # mlx-lm also passes a seed: ours is fixed per run, so a resumed run replays the order.
        rank, size = (comm_group.rank(), comm_group.size()) if comm_group is not None else (0, 1)
        if batch_size % size:
            raise ValueError(f"batch_size {batch_size} is not divisible by {size} workers")
        lengths = [len(dataset[i][0]) for i in range(len(dataset))]
        # mlx-lm's validation pass (loop=False) always draws shuffled batches, so validation
        # losses compare across batch orders.
        epoch_order = order if loop else "shuffled"
        buckets, labels = epoch_buckets(lengths, batch_size, epoch_order, getattr(dataset, "strata", None))
        rng = np.random.default_rng(seed)
        done = 0
        while True:
            for b in epoch_permutation(len(buckets), labels, rng):
                # Resuming replays the same permutation and skips what was already trained on.
                if loop and done < start_batch:
                    done += 1
                    continue
                done += 1
                items = [dataset[j] for j in buckets[b]]
                if loop and counter is not None:
                    counter.count(items, max_seq_length, size)
                yield _make_batch(items[rank::size], max_seq_length)
            if not loop:
                return

    return iterate_batches


def _batch_width(items, max_seq_length: int) -> int:
    longest = min(max(len(t) for t, _ in items), max_seq_length)
    return PAD_MULTIPLE * math.ceil(longest / PAD_MULTIPLE)


def _make_batch(items, max_seq_length: int):
    width = _batch_width(items, max_seq_length)
    tokens = np.zeros((len(items), width), np.int32)
    mask = np.zeros((len(items), width), np.float32)  # loss weight per token; 0 = not supervised
    for r, (t, m) in enumerate(items):
        n = min(len(t), width)
        tokens[r, :n] = t[:n]
        mask[r, :n] = m[:n]
    # Position p predicts token p+1: supervise the predictions of masked tokens.
    target_mask = mask[:, 1:].reshape(-1)
    select = np.flatnonzero(target_mask).astype(np.int32)
    padded = 32 * math.ceil(len(select) / 32)
    weights = np.zeros(padded, np.float32)
    weights[: len(select)] = target_mask[select]
    select = np.pad(select, (0, padded - len(select)))
    return mx.array(tokens), mx.array(tokens[:, 1:]), mx.array(select), mx.array(weights)


# --- model --------------------------------------------------------------------------------


def output_projection(model):
    """The model's vocabulary projection: its lm_head, or the tied input embedding."""
    if hasattr(model, "lm_head"):
        return model.lm_head
    return model.model.embed_tokens.as_linear


def noisy_embeddings(model, inputs, alpha: float):
    """NEFTune (Jain et al., 2023): the input embeddings plus uniform noise in
    [-alpha / sqrt(L d), alpha / sqrt(L d)] (L the batch's padded length, d the width)."""
    embeddings = model.model.embed_tokens(inputs)
    scale = alpha / math.sqrt(inputs.shape[1] * embeddings.shape[-1])
    return embeddings + mx.random.uniform(-scale, scale, embeddings.shape).astype(embeddings.dtype)


def supervised_loss(model, tokens, targets, select, weights, embedding_noise: float = 0.0):
    """Cross-entropy at supervised positions only; returns (mean loss, supervised token count).
    With `embedding_noise` (NEFTune's alpha), training steps (model.training) see noisy input
    embeddings; validation never does."""
    inputs = tokens[:, :-1]
    if embedding_noise and model.training:
        hidden = model.model(inputs, input_embeddings=noisy_embeddings(model, inputs, embedding_noise))
    else:
        hidden = model.model(inputs)
    hidden = hidden.reshape(-1, hidden.shape[-1])[select]
    logits = output_projection(model)(hidden).astype(mx.float32)
    loss_fn = fastops.cross_entropy if fastops.enabled() else nn.losses.cross_entropy
    ce = loss_fn(logits, targets.reshape(-1)[select]) * weights
    # The weighted mean; the count is of supervised tokens (what mlx-lm averages reports over).
    return ce.sum() / weights.sum(), (weights > 0).astype(mx.float32).sum()


def apply_adapters(model, cfg: TrainConfig) -> None:
    """Freeze the base and make the last `num_layers` blocks trainable (LoRA, DoRA or full)."""
    depth = len(model.layers)
    if cfg.num_layers > depth:
        raise ConfigError(f"num_layers is {cfg.num_layers} but the model has only {depth} layers; "
                          f"pass --num_layers {depth} or fewer")
    model.freeze()
    if cfg.fine_tune_type == "full":
        for layer in model.layers[-cfg.num_layers :]:
            layer.unfreeze()
        return
    linear_to_lora_layers(model, cfg.num_layers, lora_parameters(cfg), use_dora=cfg.fine_tune_type == "dora")


def lora_parameters(cfg: TrainConfig) -> dict:
    params = {"rank": cfg.lora_rank, "scale": cfg.lora_scale, "dropout": cfg.lora_dropout}
    if cfg.lora_keys is not None:
        params["keys"] = cfg.lora_keys
    return params


def build_optimizer(cfg: TrainConfig) -> optim.Optimizer:
    decay_steps = cfg.iters - cfg.warmup_steps
    if cfg.lr_schedule == "cosine":
        main = optim.cosine_decay(cfg.learning_rate, decay_steps, cfg.min_learning_rate)
    elif cfg.lr_schedule == "linear":
        main = optim.linear_schedule(cfg.learning_rate, cfg.min_learning_rate, decay_steps)
    else:
        main = cfg.learning_rate
    lr = main
    if cfg.warmup_steps:
        warm = optim.linear_schedule(cfg.learning_rate / cfg.warmup_steps, cfg.learning_rate, cfg.warmup_steps)
        rest = main if callable(main) else (lambda _: mx.array(cfg.learning_rate))
        lr = optim.join_schedules([warm, rest], [cfg.warmup_steps])
    return optim.AdamW(learning_rate=lr, weight_decay=cfg.weight_decay)


def trainable_count(model) -> int:
    return sum(v.size for _, v in tree_flatten(model.trainable_parameters()))


# --- checkpoints --------------------------------------------------------------------------


def latest_checkpoint(run_dir: Path) -> Path | None:
    found = sorted((run_dir / "checkpoints").glob("step_*/state.json"))
    return found[-1].parent if found else None


def save_checkpoint(run_dir: Path, step: int, model, optimizer, history: list[dict]) -> Path:
    """Weights, optimizer state and history for `step`, written atomically (rename last)."""
    final = run_dir / "checkpoints" / f"step_{step:07d}"
    tmp = final.with_name(final.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    mx.save_safetensors(str(tmp / "adapters.safetensors"), dict(tree_flatten(model.trainable_parameters())))
    mx.save_safetensors(str(tmp / "optimizer.safetensors"), dict(tree_flatten(optimizer.state)))
    (tmp / "state.json").write_text(json.dumps({"step": step, "history": history}))
    if final.exists():
        _remove_tree(final)
    tmp.rename(final)
    # Keep the two newest: enough to survive a kill during a save.
    for old in sorted((run_dir / "checkpoints").glob("step_???????"))[:-2]:
        _remove_tree(old)
    return final


def load_checkpoint(ckpt: Path, model, optimizer) -> tuple[int, list[dict]]:
    state = json.loads((ckpt / "state.json").read_text())
    model.load_weights(list(mx.load(str(ckpt / "adapters.safetensors")).items()), strict=False)
    optimizer.state = tree_unflatten(list(mx.load(str(ckpt / "optimizer.safetensors")).items()))
    return int(state["step"]), state["history"]


def _remove_tree(path: Path) -> None:
    for p in sorted(path.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    path.rmdir()


# --- the callback -------------------------------------------------------------------------


@dataclass
class RunCallback(TrainingCallback):
    """Records the history, reports all-token throughput, and writes checkpoints."""

    cfg: TrainConfig
    run_dir: Path
    model: object
    optimizer: object
    counter: BatchCounter
    step_offset: int = 0
    history: list[dict] = field(default_factory=list)
    report: object = None
    started: float = field(default_factory=time.perf_counter)
    _last_counts: tuple[int, int] = (0, 0)

    def on_train_loss_report(self, info: dict) -> None:
        step = self.step_offset + info["iteration"]
        all_tokens = self.counter.all_tokens - self._last_counts[0]
        supervised = self.counter.supervised - self._last_counts[1]
        self._last_counts = (self.counter.all_tokens, self.counter.supervised)
        # mlx-lm's tokens/s counts supervised tokens over its own step timer; scale to all tokens.
        ratio = all_tokens / supervised if supervised else 0.0
        entry = {
            "step": step,
            "train_loss": info["train_loss"],
            "learning_rate": info["learning_rate"],
            "tokens_per_second_all": info["tokens_per_second"] * ratio,
            "tokens_per_second_supervised": info["tokens_per_second"],
            "tokens_seen_all": self.counter.all_tokens,
            "peak_memory_gb": info["peak_memory"],
            "elapsed_s": time.perf_counter() - self.started,
        }
        entry["eta_s"] = entry["elapsed_s"] / info["iteration"] * (self.cfg.iters - step)
        self.history.append(entry)
        if self.report is not None:
            self.report(entry, self.cfg.iters)
        if step % self.cfg.save_every == 0 and step < self.cfg.iters and parallel.rank() == 0:
            save_checkpoint(self.run_dir, step, self.model, self.optimizer, self.history)

    def on_val_loss_report(self, info: dict) -> None:
        entry = {"step": self.step_offset + info["iteration"], "val_loss": info["val_loss"],
                 "val_time_s": info["val_time"]}
        self.history.append(entry)
        if self.report is not None:
            self.report(entry, self.cfg.iters)


def run_training(model, tokenizer, cfg: TrainConfig, run_dir: Path, resume: bool = False, report=None,
                 warn=print) -> dict:
    """Train `model` (already loaded, adapters not yet applied) and write `run_dir`.

    Returns the metrics dict that is also written to `run_dir/metrics.json`.
    """
    fastops.install()  # CPU: SwiGLU with a fast exp (see smolcall.fastops)
    # Data: tokenize once, masks on every assistant turn.
    rows = {s: read_chat_rows(Path(cfg.data) / f"{s}.jsonl") for s in SPLITS}
    # Decision tokens weigh more in training only: validation losses stay comparable across runs.
    data = {s: tokenize_rows(tokenizer, rows[s], cfg, s, cfg.decision_weight if s == "train" else 1.0)
            for s in SPLITS}
    for s in SPLITS:
        if data[s].dropped_too_long:
            lines = data[s].dropped_too_long
            warn(f"{cfg.data}/{s}.jsonl: {len(lines)} rows have no assistant token within max_seq_length "
                 f"({cfg.max_seq_length}) and are left out (lines {', '.join(map(str, lines[:5]))}"
                 f"{', ...' if len(lines) > 5 else ''}); raise --max_seq_length to keep them")
        if len(data[s]) < cfg.batch_size:
            raise DataError(f"{cfg.data}/{s}.jsonl has {len(data[s])} usable rows but batch_size is "
                            f"{cfg.batch_size}: add rows, raise --max_seq_length, or lower --batch_size")

    # Model: adapters on the last layers, optimizer with warmup + schedule.
    mx.random.seed(cfg.seed)
    apply_adapters(model, cfg)
    optimizer = build_optimizer(cfg)
    run_dir.mkdir(parents=True, exist_ok=True)

    # Resume: weights, optimizer state and the data position of the newest checkpoint.
    start, history = 0, []
    ckpt = latest_checkpoint(run_dir) if resume else None
    if ckpt is not None:
        start, history = load_checkpoint(ckpt, model, optimizer)
    counter = BatchCounter()
    callback = RunCallback(cfg, run_dir, model, optimizer, counter, start, history, report)
    args = TrainingArgs(
        batch_size=cfg.batch_size,
        iters=cfg.iters - start,
        val_batches=cfg.val_batches,
        steps_per_report=cfg.steps_per_report,
        steps_per_eval=cfg.steps_per_eval,
        steps_per_save=10**9,  # our callback writes the checkpoints (with optimizer state)
        max_seq_length=cfg.max_seq_length,
        adapter_file=str(run_dir / "adapters.safetensors"),
        grad_checkpoint=cfg.grad_checkpoint,
        grad_accumulation_steps=cfg.grad_accumulation_steps,
    )
    # Train: mlx-lm's loop with our loss, batches and callback.
    tic = time.perf_counter()
    if args.iters > 0:
        loss = partial(supervised_loss, embedding_noise=cfg.embedding_noise) if cfg.embedding_noise else supervised_loss
        mlx_train(model, optimizer, data["train"], data["valid"], args=args, loss=loss,
                  iterate_batches=make_batch_iterator(cfg.seed, start, counter, cfg.batch_order),
                  training_callback=callback)
    seconds = time.perf_counter() - tic
    metrics = _summarize(cfg, callback.history, data, counter, seconds, start, trainable_count(model))
    metrics["workers"] = mx.distributed.init().size()
    return metrics


def _summarize(cfg, history, data, counter, seconds, start, trainable) -> dict:
    train_losses = [h for h in history if "train_loss" in h]
    val_losses = [h for h in history if "val_loss" in h]
    return {
        "run": cfg.run,
        "iters": cfg.iters,
        "resumed_from_step": start,
        "train_rows": len(data["train"]),
        "valid_rows": len(data["valid"]),
        "truncated_rows": data["train"].truncated + data["valid"].truncated,
        "rows_left_out_too_long": {s: data[s].dropped_too_long for s in SPLITS},
        "trainable_parameters": trainable,
        "wall_seconds_this_session": seconds,
        "tokens_processed_this_session": counter.all_tokens,
        "tokens_per_second_all": counter.all_tokens / seconds if seconds else None,
        "final_train_loss": train_losses[-1]["train_loss"] if train_losses else None,
        "final_val_loss": val_losses[-1]["val_loss"] if val_losses else None,
        "history": history,
    }
