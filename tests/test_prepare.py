"""train/prepare.py: local files, the pinned hub file from a local cache, --strict, clear errors."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import huggingface_hub.constants
import pytest

from smolcall.dataset_io import GLAIVE_FILE, GLAIVE_REPO, GLAIVE_REVISION, DataSourceError, fetch_glaive

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "glaive_sample.json"
N_GOOD, N_BAD = 8, 14


def load_prepare():
    spec = importlib.util.spec_from_file_location("prepare", ROOT / "train" / "prepare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prepare = load_prepare()


def hub_cache(root: Path, revision: str = GLAIVE_REVISION) -> Path:
    """The layout huggingface_hub keeps: blobs/, snapshots/<rev>/<file> -> blob, refs/main."""
    repo = root / f"datasets--{GLAIVE_REPO.replace('/', '--')}"
    (repo / "blobs").mkdir(parents=True)
    (repo / "snapshots" / revision).mkdir(parents=True)
    (repo / "refs").mkdir()
    shutil.copy(FIXTURE, repo / "blobs" / "0123abcd")
    (repo / "snapshots" / revision / GLAIVE_FILE).symlink_to(Path("../../blobs/0123abcd"))
    (repo / "refs" / "main").write_text(revision)
    return root


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def test_local_input(tmp_path, capsys):
    out = tmp_path / "glaive"
    assert prepare.main(["--input", str(FIXTURE), "--out", str(out), "--valid-fraction", "0.2"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["rows_read"] == N_GOOD + N_BAD and report["rows_skipped"] == N_BAD
    assert sum(report["written"].values()) == N_GOOD
    assert "skipped bad_call" in capsys.readouterr().err  # the Rich table goes to stderr


def test_strict_names_the_row(tmp_path, capsys):
    assert prepare.main(["--input", str(FIXTURE), "--out", str(tmp_path), "--strict"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: row 8: bad_spec:") and "without --strict" in err and "\n" not in err


def test_limit_and_options(tmp_path):
    tokenizer = tmp_path / "missing-tokenizer.json"
    assert prepare.main(["--input", str(FIXTURE), "--out", str(tmp_path / "a"), "--limit", "3",
                         "--prompt-style", "compact", "--per-turn"]) == 0
    report = json.loads((tmp_path / "a" / "report.json").read_text())
    assert report["rows_read"] == 3 and report["prompt_style"] == "compact"
    assert prepare.main(["--input", str(FIXTURE), "--out", str(tmp_path / "b"), "--tokenizer", str(tokenizer)]) == 1
    with pytest.raises(SystemExit):
        prepare.parse_args(["--limit", "0"])


def test_hub_from_local_cache(tmp_path, offline):
    cache = hub_cache(tmp_path / "hub")
    path = fetch_glaive(cache_dir=cache)
    assert path.read_bytes() == FIXTURE.read_bytes()
    out = tmp_path / "out"
    assert prepare.main(["--hub", GLAIVE_REPO, "--cache-dir", str(cache), "--out", str(out)]) == 0
    assert json.loads((out / "report.json").read_text())["rows_read"] == N_GOOD + N_BAD


@pytest.mark.parametrize("revision", [GLAIVE_REVISION, "0" * 40])
def test_hub_missing_gives_the_fix(tmp_path, offline, capsys, revision):
    cache = hub_cache(tmp_path / "hub", revision="f" * 40)  # cached at another revision only
    with pytest.raises(DataSourceError, match=r"hf download .* --repo-type dataset --revision") as e:
        fetch_glaive(revision, cache_dir=cache)
    assert e.value.__cause__ is not None
    assert prepare.main(["--revision", revision, "--cache-dir", str(cache), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in" in err and "--input FILE" in err


def run_script(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "train" / "prepare.py"), *args], capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=ROOT, timeout=120)


def test_script_offline_env(tmp_path):
    """The real entry point with HF_HUB_OFFLINE=1 and HF_HUB_CACHE, as a user would run it."""
    cache = hub_cache(tmp_path / "hub")
    done = run_script(["--out", str(tmp_path / "out")], {"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(cache)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "train.jsonl").is_file()


def test_unreachable_hub(tmp_path, monkeypatch, capsys):
    """Online mode with a hub that refuses connections: one line with the fix, no traceback."""
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr("huggingface_hub.utils._http.time.sleep", lambda seconds: None)  # skip retry backoff
    code = prepare.main(["--cache-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1 and "hub cannot be reached" in err
