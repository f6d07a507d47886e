"""Config: YAML -> dataclass, overrides, and errors that name the fix (no weights involved)."""

from pathlib import Path

import pytest

from smolcall.config import DEFAULT_CONFIG, ConfigError, TrainConfig, field_names, load_config, parse_overrides

CONFIGS = sorted(Path(DEFAULT_CONFIG).parent.glob("*.yaml"))


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_shipped_configs_load_and_comment_every_key(path):
    load_config(path)
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            assert "#" in line, f"{path.name}: key without a comment: {line}"


def test_shipped_default_matches_dataclass_defaults():
    assert load_config(DEFAULT_CONFIG) == TrainConfig()


def test_every_key_is_in_the_default_yaml():
    text = DEFAULT_CONFIG.read_text()
    assert all(f"\n{key}:" in "\n" + text for key in field_names())


@pytest.mark.parametrize("args,expected", [
    (["--iters", "50"], {"iters": 50}),
    (["--iters=50", "--grad-checkpoint", "true"], {"iters": 50, "grad_checkpoint": True}),
    (["--learning_rate", "1e-3"], {"learning_rate": 1e-3}),
    (["--lora_keys", "[self_attn.q_proj, self_attn.v_proj]"], {"lora_keys": ["self_attn.q_proj", "self_attn.v_proj"]}),
])
def test_overrides(args, expected):
    assert parse_overrides(args) == expected
    cfg = load_config(None, args)
    for key, value in expected.items():
        assert getattr(cfg, key) == value


@pytest.mark.parametrize("args,message", [
    (["--lora_rnk", "8"], "did you mean 'lora_rank'"),
    (["--iters", "ten"], "iters in the command line must be an integer"),
    (["--learning_rate", "-1"], "learning_rate must be positive"),
    (["--fine_tune_type", "qlora"], "not one of lora, dora, full"),
    (["--batch_order", "sorted"], "not one of shuffled, stratified"),
    (["--decision_weight", "0"], r"decision_weight must be positive \(1 = every assistant token alike\), got 0"),
    (["--embedding_noise", "-1"], r"embedding_noise must be 0 \(off\) or more \(NEFTune's alpha, 5 in its paper\), got -1"),
    (["--sequence_share", "1.5"], r"generator settings: sequence_share = 1.5; it must be in \[0, 1\]"),
    (["--spec_wording_share", "-0.5"], r"generator settings: spec_wording_share = -0.5; it must be in \[0, 1\]"),
    (["--cross_share", "2"], r"generator settings: cross_share = 2(\.0)?; it must be in \[0, 1\]"),
    (["--twin_share", "-1"], r"generator settings: twin_share = -1(\.0)?; it must be in \[0, 1\]"),
    (["--save_every", "15"], "multiple of steps_per_report"),
    (["--warmup_steps", "400"], "must be below iters"),
    (["--iters"], "needs a value"),
    (["iters", "3"], "expected --key value"),
    (["--run", "a/b"], "plain folder name"),
])
def test_bad_overrides(args, message):
    with pytest.raises(ConfigError, match=message):
        load_config(None, args)


def test_bad_yaml_key_names_valid_keys(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("iters: 3\nbatchsize: 2\n")
    with pytest.raises(ConfigError, match=r"unknown key 'batchsize' in .*x.yaml \(did you mean 'batch_size'\?\); valid keys: run, "):
        load_config(path)


def test_missing_and_non_mapping_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(tmp_path / "list.yaml")


def test_embedded_constant_matches_models():
    from smolcall import config, models

    assert config.EMBEDDED_MODEL == models.EMBEDDED_MODEL
