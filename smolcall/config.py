"""Training configuration: YAML -> typed dataclass, with command-line overrides. No MLX import.

    cfg = load_config("configs/default.yaml", ["--iters", "50", "--lora_rank", "8"])

Unknown keys are errors that name the valid keys; values are checked against the field types.
The shipped YAML files comment every key; this module only says what each key must be.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml

from smolcall.datagen.build import GenConfig  # pure Python, no MLX

# Equal to smolcall.models.EMBEDDED_MODEL (a test checks); literal here so configs load without MLX.
EMBEDDED_MODEL = "embedded:smollm2-135m-instruct"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"
# How training orders its batches (smolcall.trainer.make_batch_iterator).
BATCH_ORDERS = ("shuffled", "stratified")


class ConfigError(ValueError):
    """A configuration problem, raised before any weights load. The message says how to fix it."""


@dataclass
class TrainConfig:
    run: str = "default"
    model: str = EMBEDDED_MODEL
    data: str = "data/smolcall-gen"
    generate_data: bool = True
    hub_dataset: str | None = None
    # Generator settings for the set `generate_data` builds, with GenConfig's defaults.
    no_call_share: float = GenConfig.no_call_share
    parallel_share: float | None = GenConfig.parallel_share
    mixed_share: float = GenConfig.mixed_share
    near_miss_share: float | None = GenConfig.near_miss_share
    catalog: str = GenConfig.catalog
    lone_tool_share: float = GenConfig.lone_tool_share
    value_skills_share: float = GenConfig.value_skills_share
    sequence_share: float = GenConfig.sequence_share
    spec_wording_share: float = GenConfig.spec_wording_share
    cross_share: float = GenConfig.cross_share
    twin_share: float = GenConfig.twin_share
    masked_share: float = GenConfig.masked_share
    seed: int = 0
    fine_tune_type: str = "lora"
    num_layers: int = 16
    lora_rank: int = 16
    lora_scale: float = 2.0
    lora_dropout: float = 0.0
    lora_keys: list[str] | None = None
    iters: int = 220
    batch_size: int = 4
    batch_order: str = "shuffled"
    grad_accumulation_steps: int = 1
    learning_rate: float = 5e-4
    lr_schedule: str = "cosine"
    warmup_steps: int = 10
    min_learning_rate: float = 5e-5
    weight_decay: float = 0.0
    max_seq_length: int = 1024
    grad_checkpoint: bool = False
    train_on: str = "all_assistant"
    decision_weight: float = 1.0
    embedding_noise: float = 0.0
    steps_per_report: int = 10
    steps_per_eval: int = 110
    val_batches: int = 3
    save_every: int = 30
    adapters_dir: str = "adapters"
    dequantize: bool | None = None
    workers: int | None = None

    def validate(self) -> None:
        """Check values that YAML types alone cannot; raise ConfigError naming the fix."""
        choices = {
            "fine_tune_type": ("lora", "dora", "full"),
            "lr_schedule": ("cosine", "linear", "constant"),
            "train_on": ("all_assistant", "last_assistant"),
            "batch_order": BATCH_ORDERS,
        }
        for key, allowed in choices.items():
            if getattr(self, key) not in allowed:
                raise ConfigError(f"{key}: {getattr(self, key)!r} is not one of {', '.join(allowed)}")
        positive = ("num_layers", "lora_rank", "iters", "batch_size", "grad_accumulation_steps",
                    "max_seq_length", "steps_per_report", "steps_per_eval", "save_every")
        for key in positive:
            if getattr(self, key) < 1:
                raise ConfigError(f"{key} must be at least 1, got {getattr(self, key)}")
        if self.learning_rate <= 0:
            raise ConfigError(f"learning_rate must be positive, got {self.learning_rate}")
        if self.decision_weight <= 0:
            raise ConfigError(f"decision_weight must be positive (1 = every assistant token alike), "
                              f"got {self.decision_weight}")
        if self.embedding_noise < 0:
            raise ConfigError(f"embedding_noise must be 0 (off) or more (NEFTune's alpha, 5 in its paper), "
                              f"got {self.embedding_noise}")
        if not 0 <= self.lora_dropout < 1:
            raise ConfigError(f"lora_dropout must be in [0, 1), got {self.lora_dropout}")
        if self.warmup_steps >= self.iters:
            raise ConfigError(f"warmup_steps ({self.warmup_steps}) must be below iters ({self.iters})")
        # Checkpoints are written from the loss report, after a whole optimizer update.
        step = self.steps_per_report * self.grad_accumulation_steps
        if self.save_every % step:
            raise ConfigError(
                f"save_every ({self.save_every}) must be a multiple of steps_per_report x "
                f"grad_accumulation_steps ({step}) so checkpoints fall on whole updates")
        if self.workers is not None and (self.workers < 1 or self.batch_size % self.workers):
            raise ConfigError(f"workers ({self.workers}) must be at least 1 and divide batch_size ({self.batch_size}): "
                              f"each worker process trains an equal share of every batch; or set workers: null (auto)")
        try:
            GenConfig(**self.generator_settings()).check()
        except ValueError as e:
            raise ConfigError(f"generator settings: {e}") from e
        if not self.run or "/" in self.run:
            raise ConfigError(f"run must be a plain folder name, got {self.run!r}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def generator_settings(self) -> dict:
        """The GenConfig fields this config sets (with the seed) for the offline set."""
        return {"seed": self.seed, "no_call_share": self.no_call_share, "parallel_share": self.parallel_share,
                "mixed_share": self.mixed_share, "near_miss_share": self.near_miss_share,
                "catalog": self.catalog, "lone_tool_share": self.lone_tool_share, "masked_share": self.masked_share,
                "value_skills_share": self.value_skills_share, "sequence_share": self.sequence_share,
                "spec_wording_share": self.spec_wording_share, "cross_share": self.cross_share,
                "twin_share": self.twin_share}


def field_names() -> list[str]:
    return [f.name for f in dataclasses.fields(TrainConfig)]


def _unknown_key(key: str, where: str) -> ConfigError:
    valid = field_names()
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ConfigError(f"unknown key {key!r} in {where}{hint}; valid keys: {', '.join(valid)}")


def _check_type(key: str, value, where: str):
    """Coerce ints to floats where a float is expected; reject everything else that does not fit."""
    hint = typing.get_type_hints(TrainConfig)[key]
    args = typing.get_args(hint)
    allowed = args if args else (hint,)
    if value is None:
        if type(None) in allowed:
            return None
        raise ConfigError(f"{key} in {where} cannot be empty; expected {_type_name(hint)}")
    for t in allowed:
        origin = typing.get_origin(t) or t
        if origin is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if origin is bool and isinstance(value, bool):
            return value
        if origin is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if origin in (str, float) and isinstance(value, origin):
            return value
        if origin is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    raise ConfigError(f"{key} in {where} must be {_type_name(hint)}, got {value!r}")


def _type_name(hint) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false", type(None): "null"}
    args = typing.get_args(hint) or (hint,)
    return " or ".join(names.get(a, "a list of strings") for a in args)


def read_yaml(path: Path) -> dict:
    """Read a config file with a plain SafeLoader (mlx_lm.lora patches the global one at import)."""
    try:
        text = Path(path).read_text()
    except FileNotFoundError as e:
        raise ConfigError(f"config file {path} not found; pass --config configs/<name>.yaml") from e
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        raise ConfigError(f"{path} is not valid YAML: {e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of key: value, got {type(data).__name__}")
    return data


class _Loader(yaml.SafeLoader):
    """A private loader: YAML 1.1 floats like 5e-4 (no dot) parse as numbers, not strings."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def parse_overrides(args: list[str]) -> dict:
    """`["--iters", "50", "--grad_checkpoint", "true"]` -> `{"iters": 50, "grad_checkpoint": True}`."""
    out: dict = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise ConfigError(f"expected --key value, got {arg!r}")
        key, eq, value = arg[2:].partition("=")
        key = key.replace("-", "_")
        if not eq:
            if i + 1 >= len(args) or args[i + 1].startswith("--"):
                raise ConfigError(f"--{key} needs a value, e.g. --{key} VALUE")
            value = args[i + 1]
            i += 1
        out[key] = yaml.load(value, Loader=_Loader)
        i += 1
    return out


def load_config(path: str | Path | None = None, overrides: list[str] | dict | None = None) -> TrainConfig:
    """The YAML file (default configs/default.yaml), then command-line overrides, validated."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    values: dict = {}
    for source, data in ((str(path), read_yaml(path)),
                         ("the command line", overrides if isinstance(overrides, dict)
                          else parse_overrides(overrides or []))):
        for key, value in data.items():
            if key not in field_names():
                raise _unknown_key(key, source)
            values[key] = _check_type(key, value, source)
    cfg = TrainConfig(**values)
    cfg.validate()
    return cfg
