"""The training stage end to end: check everything cheap first, then load, train, write the run.

`prepare_run` raises every config and data error before a single weight is read;
`train_run` loads the model, trains, and writes the adapter folder that later stages read.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from smolcall import parallel, ui
from smolcall.backend import format_backend
from smolcall.config import ConfigError, TrainConfig
from smolcall.dataset_io import data_prompt_style
from smolcall.models import load_model, resolve_model
from smolcall.trainer import DataError, check_data, latest_checkpoint, lora_parameters, run_training

GENERATED_DATA = "data/smolcall-gen"


@dataclass
class RunPlan:
    model_path: Path
    depth: int
    rows: dict[str, int]
    run_dir: Path


def prepare_run(cfg: TrainConfig) -> RunPlan:
    """Data present (generated on first use), enough rows, model found, layers in range."""
    data = Path(cfg.data)
    if cfg.generate_data and cfg.hub_dataset is None and (data / "train.jsonl").exists():
        check_generated_settings(cfg, data)
    if not (data / "train.jsonl").exists():
        if cfg.hub_dataset is not None:
            convert_hub_dataset(cfg.hub_dataset, data, cfg.seed)
        elif cfg.generate_data:
            from smolcall.datagen import ensure_generated

            ui.console.print(f"building the offline dataset in {data} (first use)")
            ensure_generated(data, **cfg.generator_settings())
        else:
            raise DataError(f"{data}/train.jsonl not found: run `uv run train/prepare.py --out {data}` "
                            f"or set generate_data: true to build the offline set there")
    rows = check_data(cfg)
    model_path = resolve_model(cfg.model)
    model_config = json.loads((model_path / "config.json").read_text())
    depth = model_config.get("num_hidden_layers") or model_config.get("text_config", {}).get("num_hidden_layers")
    if depth is not None and cfg.num_layers > depth:
        raise ConfigError(f"num_layers is {cfg.num_layers} but {cfg.model} has only {depth} layers; "
                          f"pass --num_layers {depth} or fewer")
    return RunPlan(model_path, depth, rows, Path(cfg.adapters_dir) / cfg.run)


def check_generated_settings(cfg: TrainConfig, data: Path) -> None:
    """A generated folder built with other generator settings than the config's is an error, never
    a silent rebuild (it may be a set the user made on purpose) nor a silent mismatch."""
    from smolcall.datagen import GenConfig
    from smolcall.datagen.build import SETTINGS_BEFORE

    stats = data / "stats.json"
    if not stats.is_file():
        return  # not a generated folder (converted Glaive data): used as it is
    try:
        built = json.loads(stats.read_text(encoding="utf-8")).get("config") or {}
    except json.JSONDecodeError as e:
        raise DataError(f"{stats} is not valid JSON ({e}); delete {data} to rebuild it") from e
    # A setting an older stats.json lacks did not exist yet: the rows are what its SETTINGS_BEFORE value gives.
    built = asdict(GenConfig()) | SETTINGS_BEFORE | built
    wanted = cfg.generator_settings()
    # The seed is left out: a run with another training seed may reuse a set built with seed 0.
    keys = [k for k in wanted if k != "seed" and built.get(k) != wanted[k]]
    if keys:
        said = ", ".join(f"{k}: {built.get(k)} there, {wanted[k]} here" for k in keys)
        raise DataError(f"{data} was generated with other settings ({said}). Fix: point data at another "
                        f"folder, delete {data} to rebuild it, or set generate_data: false to train on it as it is")


def convert_hub_dataset(repo_id: str, out: Path, seed: int) -> None:
    """Glaive-format data from the hub (or its offline cache) converted into `out`, as prepare.py does."""
    from smolcall.dataset_io import DataSourceError, convert_rows, fetch_glaive, read_rows

    ui.console.print(f"converting {repo_id} into {out} (first use)")
    try:
        report = convert_rows(read_rows(fetch_glaive(repo_id=repo_id)), out, seed=seed)
    except DataSourceError as e:
        raise DataError(str(e)) from e
    ui.print_conversion_report(report.to_dict())


def train_run(cfg: TrainConfig, plan: RunPlan, resume: bool = False) -> dict:
    """Load, train, and write adapters/<run>/ (weights, adapter_config.json, metrics.json, loss.png).

    On a multi-core CPU this process launches the data-parallel workers (smolcall.parallel) and
    returns what their rank 0 wrote; inside a worker, only rank 0 writes and prints.
    """
    run_dir = plan.run_dir
    if parallel.in_worker():
        return _train(cfg, plan, resume, lead=parallel.rank() == 0)
    workers = parallel.workers_for(cfg)
    if resume and latest_checkpoint(run_dir) is None:
        ui.console.print(f"no checkpoint in {run_dir}/checkpoints: starting from step 0")
    if not resume and (run_dir / "checkpoints").exists():
        shutil.rmtree(run_dir / "checkpoints")
    threads = parallel.threads_per_worker(workers)
    ui.print_banner("smolcall train", {
        "backend": format_backend(),
        "model": f"{cfg.model} ({plan.model_path}, {plan.depth} layers)",
        "data": f"{cfg.data}: {plan.rows['train']} train / {plan.rows['valid']} valid rows",
        "recipe": f"{cfg.fine_tune_type} rank {cfg.lora_rank} on the last {cfg.num_layers} layers, "
                  f"{cfg.iters} steps of batch {cfg.batch_size}",
        "run": str(run_dir),
        "processes": "1" if workers == 1 else f"{workers} data-parallel workers x {threads} BLAS thread(s) "
                                                f"(each trains {cfg.batch_size // workers} rows of every batch)",
    })
    if workers == 1:
        return _train(cfg, plan, resume, lead=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "metrics.json").unlink(missing_ok=True)
    command = [sys.executable, "-m", "smolcall.run", json.dumps(cfg.to_dict())] + (["--resume"] if resume else [])
    code = parallel.launch(command, workers, threads, log_dir=run_dir)
    if code:
        raise TrainingFailed(f"training failed in a worker process (exit {code}); see the messages above, "
                             f"or train in one process with --workers 1")
    return json.loads((run_dir / "metrics.json").read_text())


class TrainingFailed(RuntimeError):
    """A data-parallel worker exited with an error (its own message names the cause)."""


def _train(cfg: TrainConfig, plan: RunPlan, resume: bool, lead: bool) -> dict:
    """Train in this process; the lead process writes the run folder and prints."""
    run_dir = plan.run_dir
    model, tokenizer, _ = load_model(cfg.model, dequantize=cfg.dequantize)
    if lead:
        write_adapter_config(run_dir, cfg, plan.model_path)
    metrics = run_training(model, tokenizer, cfg, run_dir, resume=resume,
                           report=ui.print_train_entry if lead else None,
                           warn=ui.print_warning if lead else (lambda message: None))
    if lead:
        (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
        plot_loss(metrics["history"], run_dir / "loss.png")
        ui.print_train_summary(metrics, run_dir)
    return metrics


def write_adapter_config(run_dir: Path, cfg: TrainConfig, model_path: Path) -> None:
    """mlx-lm's adapter keys (so `mlx_lm.load(..., adapter_path=)` works) plus our resolved config."""
    run_dir.mkdir(parents=True, exist_ok=True)
    config = {
        "fine_tune_type": cfg.fine_tune_type,
        "num_layers": cfg.num_layers,
        "lora_parameters": lora_parameters(cfg),
        "model": str(model_path),
        "base_model": cfg.model,
        # How the training rows wrote the system prompt; evaluation and serving prompt the same way.
        "prompt_style": data_prompt_style(Path(cfg.data), default=None),
        "smolcall_config": cfg.to_dict(),
    }
    (run_dir / "adapter_config.json").write_text(json.dumps(config, indent=2))


def plot_loss(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(h["step"], h["train_loss"]) for h in history if "train_loss" in h]
    val = [(h["step"], h["val_loss"]) for h in history if "val_loss" in h]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    if train:
        ax.plot(*zip(*train), label="train")
    if val:
        ax.plot(*zip(*val), "o-", label="valid")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (assistant tokens)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _worker_main(argv: list[str]) -> int:
    """`python -m smolcall.run <config json> [--resume]`: one data-parallel worker (see train_run)."""
    parallel.exit_with_parent()
    cfg = TrainConfig(**json.loads(argv[0]))
    cfg.validate()
    train_run(cfg, prepare_run(cfg), resume="--resume" in argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
