"""The training stage on tiny random models: masks, batches, errors before load, run folder, resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mlx.core as mx
import numpy as np
import pytest

from smolcall.calls import FunctionCall, format_call
from smolcall.config import ConfigError, load_config
from smolcall.prompt import system_prompt
from smolcall.run import prepare_run, train_run
from smolcall.trainer import DataError, _make_batch, make_batch_iterator, tokenize_row

ROOT = Path(__file__).resolve().parent.parent
TOOLS = [{"name": "get_time", "description": "Time now", "parameters": {
    "type": "object", "properties": {"zone": {"type": "string", "description": "IANA zone"}}, "required": ["zone"]}}]


def chat(i: int) -> dict:
    return {"messages": [
        {"role": "system", "content": system_prompt(TOOLS, "compact")},
        {"role": "user", "content": f"time in zone {i}?"},
        {"role": "assistant", "content": format_call(FunctionCall("get_time", {"zone": f"Z{i}"}))},
        {"role": "tool", "content": json.dumps({"time": f"{i}:00"})},
        {"role": "assistant", "content": f"It is {i}:00."},
    ]}


def write_data(folder: Path, train: int = 24, valid: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", train), ("valid", valid), ("test", 4)):
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(chat(i)) + "\n" for i in range(n)))
    return folder


@pytest.fixture
def tiny_cfg(tmp_path, tiny_model_dir):
    data = write_data(tmp_path / "data")

    def make(**over):
        values = {"model": str(tiny_model_dir), "data": str(data), "adapters_dir": str(tmp_path / "adapters"),
                  "iters": 20, "warmup_steps": 2, "num_layers": 2, "lora_rank": 4, "batch_size": 4,
                  "steps_per_report": 5, "steps_per_eval": 10, "val_batches": 2, "save_every": 10,
                  "generate_data": False, "run": "tiny", "workers": 1}
        return load_config(None, values | over)

    return make


def test_mask_covers_every_assistant_turn(tiny_model_dir):
    from mlx_lm import load

    _, tokenizer = load(str(tiny_model_dir))
    messages = chat(7)["messages"]
    tokens, mask = tokenize_row(tokenizer, messages)
    supervised = tokenizer.decode([t for t, m in zip(tokens, mask) if m])
    assert format_call(FunctionCall("get_time", {"zone": "Z7"})) in supervised
    assert "It is 7:00." in supervised
    assert "time in zone" not in supervised and '"time": "7:00"' not in supervised
    _, last_only = tokenize_row(tokenizer, messages, "last_assistant")
    assert "get_time" not in tokenizer.decode([t for t, m in zip(tokens, last_only) if m])


def test_decision_weight_marks_the_tokens_that_choose_what_comes_next(tiny_model_dir):
    from mlx_lm import load

    _, tokenizer = load(str(tiny_model_dir))
    messages = chat(7)["messages"]
    tokens, plain = tokenize_row(tokenizer, messages)
    _, weighted = tokenize_row(tokenizer, messages, decision_weight=4.0)
    assert [bool(w) for w in weighted] == plain  # the same tokens supervised
    heavy = [k for k, w in enumerate(weighted) if w == 4.0]
    assert set(weighted) == {False, 1.0, 4.0}
    # Each assistant turn's first token, and what follows the call's closing braces.
    turns = [tokenizer.decode(tokens[k:k + 3]) for k in heavy]
    assert any(t.startswith("<functioncall>"[:2]) or t.startswith("<") for t in turns)
    assert any(t.startswith("It") for t in turns)
    closing = [k for k in heavy if "}}" in tokenizer.decode(tokens[max(k - 2, 0):k + 1])]
    assert closing, [tokenizer.decode([tokens[k]]) for k in heavy]
    # In a batch the weights reach the loss; unweighted rows weigh 1.
    _, _, select, weights = _make_batch([(tokens, weighted), (tokens, plain)], 1024)
    w = np.array(weights)
    assert w.max() == 4.0 and (w == 4.0).sum() == len(heavy) and (w > 0).sum() == 2 * (sum(plain) - plain[0])


def test_batch_selects_supervised_positions():
    items = [([5, 6, 7, 8], [False, False, True, True]), ([1, 2, 3], [False, True, True])]
    tokens, targets, select, weights = _make_batch(items, 64)
    assert tokens.shape == (2, 8)
    flat_targets = np.array(targets).reshape(-1)
    chosen = flat_targets[np.array(select)][np.array(weights) > 0]
    assert sorted(chosen.tolist()) == [2, 3, 7, 8]
    assert select.shape[0] % 32 == 0 and float(weights.sum()) == 4


def test_batch_order_resumes_where_it_stopped():
    data = [([1] * (i + 2), [False] + [True] * (i + 1)) for i in range(12)]
    full = make_batch_iterator(seed=3)(data, 2, 64, loop=True)
    first = [np.array(next(full)[0]).tolist() for _ in range(9)]
    resumed = make_batch_iterator(seed=3, start_batch=5)(data, 2, 64, loop=True)
    assert [np.array(next(resumed)[0]).tolist() for _ in range(4)] == first[5:]


def test_batch_order_is_the_order_the_iterator_trains():
    """bench/train_vs_peft.py hands the peer exactly the batches the trainer draws."""
    from smolcall.trainer import batch_order, length_buckets

    data = [([i + 1] * (5 + (7 * i) % 11), [True] * (5 + (7 * i) % 11)) for i in range(10)]
    assert length_buckets([5, 90, 7, 88], 2) == [[0, 2], [3, 1]]
    order = batch_order([len(t) for t, _ in data], 3, seed=4)
    assert len(order) == 3 and all(len(b) == 3 for b in order)  # the last, partial batch is dropped
    drawn = [np.array(batch[0]) for batch in make_batch_iterator(seed=4)(data, 3, 64)]
    for ids, batch in zip(order, drawn, strict=True):
        assert sorted(batch[:, 0].tolist()) == sorted(data[i][0][0] for i in ids)


def _msgs(tools: int, calls: list[int], users: int = 1) -> list[dict]:
    specs = [{"name": f"f{i}", "parameters": {"type": "object", "properties": {}}} for i in range(tools)]
    out = [{"role": "system", "content": system_prompt(specs, "compact")}] if tools else []
    for n in calls:
        out.append({"role": "user", "content": "hi"})
        out.append({"role": "assistant", "content": "\n".join([format_call(FunctionCall("f0", {}))] * n) or "Hello."})
    out += [{"role": "user", "content": "more"}, {"role": "assistant", "content": "ok"}] * (users - len(calls))
    return out


@pytest.mark.parametrize(("messages", "stratum"), [
    (_msgs(1, [1]), "calls=1 tools=1 turns=1"),
    (_msgs(2, [0]), "calls=0 tools=2 turns=1"),
    (_msgs(5, [3]), "calls=2+ tools=3+ turns=1"),
    (_msgs(3, [1, 2]), "calls=2+ tools=3+ turns=2+"),
    (_msgs(0, [0]), "calls=0 tools=0 turns=1"),
    ([{"role": "system", "content": 'Use them -\n{"name": "f", '}, {"role": "user", "content": "x"},
      {"role": "assistant", "content": "y"}], "calls=0 tools=? turns=1"),
])
def test_row_stratum_reads_the_shape_from_the_messages(messages, stratum):
    from smolcall.trainer import row_stratum

    assert row_stratum(messages) == stratum


def test_stratified_order_keeps_the_batches_and_spreads_every_stratum():
    from smolcall.trainer import batch_order, bucket_strata

    # 90 short rows of shape "a" and 30 long ones of shape "b", 3 rows per batch: 30 + 10 buckets.
    strata = ["a", "b", "a", "a"] * 30
    lengths = [1000 + i if s == "b" else 5 + i for i, s in enumerate(strata)]
    for seed in range(5):
        order = batch_order(lengths, 3, seed, "stratified", strata)
        shuffled = batch_order(lengths, 3, seed)
        assert sorted(map(sorted, order)) == sorted(map(sorted, shuffled))  # the same batches
        b_share = np.cumsum([strata[b[0]] == "b" for b in order])
        for k in range(1, len(order) + 1):  # any prefix holds b's 10 of 40 buckets in share, to one
            assert abs(b_share[k - 1] - k / 4) <= 1.0 + 1e-9, (seed, k)
    shuffled = [np.cumsum([strata[b[0]] == "b" for b in batch_order(lengths, 3, s)]) for s in range(20)]
    assert max(abs(c[11] - 3) for c in shuffled) > 1  # plain shuffling strays further
    # A bucket of mixed shapes is labelled by its majority; a tie by the first label in order.
    assert bucket_strata([[0, 1, 2], [1, 3]], ["x", "y", "x", "w"]) == ["x", "w"]


def test_stratified_iterator_trains_in_batch_order_and_resumes():
    from smolcall.trainer import TokenizedRows, batch_order

    strata = ["x", "x", "y"] * 6
    data = TokenizedRows([([i + 1] * (3 + i % 5), [True] * (3 + i % 5)) for i in range(18)], strata=strata)
    order = batch_order([len(t) for t, _ in data.items], 3, 7, "stratified", strata)
    full = make_batch_iterator(7, order="stratified")(data, 3, 64, loop=True)
    drawn = [sorted(np.array(next(full)[0])[:, 0].tolist()) for _ in range(8)]
    assert drawn[:6] == [sorted(data[i][0][0] for i in ids) for ids in order]
    resumed = make_batch_iterator(7, start_batch=4, order="stratified")(data, 3, 64, loop=True)
    assert [sorted(np.array(next(resumed)[0])[:, 0].tolist()) for _ in range(4)] == drawn[4:]
    # The validation pass (loop=False) draws shuffled batches whatever the order, so
    # validation losses compare across runs.
    val = [sorted(np.array(b[0])[:, 0].tolist()) for b in make_batch_iterator(7, order="stratified")(data, 3, 64)]
    shuffled = batch_order([len(t) for t, _ in data.items], 3, 7)
    assert val == [sorted(data[i][0][0] for i in ids) for ids in shuffled]
    with pytest.raises(ValueError, match="one stratum per row"):
        next(make_batch_iterator(7, order="stratified")(list(data.items), 3, 64, loop=True))
    with pytest.raises(ValueError, match="'sorted' is not one of shuffled, stratified"):
        batch_order([3, 4, 5], 3, 7, "sorted")


def test_workers_split_every_batch_and_count_it_once():
    from smolcall.trainer import BatchCounter

    class Group:
        def __init__(self, rank, size):
            self._rank, self._size = rank, size

        def rank(self):
            return self._rank

        def size(self):
            return self._size

    data = [([i + 1] * (3 + i), [False] + [True] * (2 + i)) for i in range(8)]
    whole, counted = BatchCounter(), BatchCounter()
    single = [np.array(b[0]) for _, b in zip(range(4), make_batch_iterator(5, 0, whole)(data, 4, 64, loop=True))]
    shares = [make_batch_iterator(5, 0, counted if r == 0 else None)(data, 4, 64, loop=True, comm_group=Group(r, 2))
              for r in range(2)]
    for rows in single:
        halves = [np.array(next(it)[0]) for it in shares]
        assert sorted(h[0] for half in halves for h in half[:, :1].tolist()) == sorted(rows[:, 0].tolist())
        assert all(len(half) == 2 for half in halves)
    # Each share pads to its own longest row; the counter counts real tokens of all shares.
    assert (counted.all_tokens, counted.supervised) == (whole.all_tokens, whole.supervised)


def test_workers_default_to_cores_that_divide_the_batch(tiny_cfg):
    from smolcall.parallel import workers_for

    assert workers_for(tiny_cfg(workers=None), cores=2, cpu=True) == 2
    assert workers_for(tiny_cfg(workers=None, batch_size=3), cores=2, cpu=True) == 1
    assert workers_for(tiny_cfg(workers=None, batch_size=8), cores=16, cpu=True) == 8
    assert workers_for(tiny_cfg(workers=None), cores=8, cpu=False) == 1
    assert workers_for(tiny_cfg(workers=4), cores=2, cpu=True) == 4
    with pytest.raises(ConfigError, match=r"workers \(3\) must be at least 1 and divide batch_size \(4\)"):
        tiny_cfg(workers=3)


def test_data_parallel_run_trains_the_same_tokens_as_one_process(tiny_cfg):
    """Two ring-connected worker processes: one run folder, whole-batch token counts, a loadable adapter."""
    single = train_run(cfg := tiny_cfg(run="one"), prepare_run(cfg))
    cfg = tiny_cfg(run="two", workers=2)
    plan = prepare_run(cfg)
    double = train_run(cfg, plan)
    assert double["workers"] == 2 and single["workers"] == 1
    assert double["tokens_processed_this_session"] == single["tokens_processed_this_session"]
    assert [h["step"] for h in double["history"]] == [h["step"] for h in single["history"]]
    assert double["final_train_loss"] < double["history"][1]["train_loss"] * 1.5
    assert not list(plan.run_dir.glob("worker-*.log"))
    assert (plan.run_dir / "checkpoints" / "step_0000010").exists()
    from mlx_lm import load

    model, _ = load(cfg.model, adapter_path=str(plan.run_dir))
    assert model(mx.array([[1, 2, 3]])).shape[-1] > 0


def test_a_failing_worker_stops_the_others_and_is_named(tmp_path, capsys):
    from smolcall.parallel import launch

    script = tmp_path / "worker.py"
    script.write_text("import os, sys, time\n"
                      "if os.environ['MLX_RANK'] == '1':\n    print('boom', file=sys.stderr); sys.exit(3)\n"
                      "time.sleep(60)\n")
    start = time.time()
    assert launch([sys.executable, str(script)], 2, log_dir=tmp_path) == 3
    assert time.time() - start < 30
    assert "worker 1 of 2 exited with 3" in capsys.readouterr().err
    assert "boom" in (tmp_path / "worker-1.log").read_text()


def test_errors_before_weights_load(tiny_cfg, tmp_path, monkeypatch):
    import smolcall.run as run

    monkeypatch.setattr(run, "load_model", lambda *a, **k: pytest.fail("weights loaded before the check"))
    with pytest.raises(DataError, match="not found"):
        prepare_run(tiny_cfg(data=str(tmp_path / "missing")))
    small = write_data(tmp_path / "small", train=3, valid=8)
    with pytest.raises(DataError, match="has 3 rows but batch_size is 4: add rows or pass --batch_size 3"):
        prepare_run(tiny_cfg(data=str(small)))
    with pytest.raises(ConfigError, match="has only 2 layers; pass --num_layers 2 or fewer"):
        prepare_run(tiny_cfg(num_layers=16))


def test_generator_settings_must_match_the_generated_folder(tiny_cfg, tmp_path, monkeypatch):
    import smolcall.datagen as datagen
    from smolcall.datagen import GenConfig, build_dataset

    data = tmp_path / "gen-mix"
    build_dataset(data, GenConfig(mixed_share=0.5, parallel_share=0.3, train_rows=40, valid_rows=8, test_rows=4))
    with pytest.raises(DataError, match=r"other settings \(parallel_share: 0.3 there, None here, mixed_share: "
                                        r"0.5 there, 0.0 here\)\. Fix: point data at another folder"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True))
    assert (data / "train.jsonl").exists()  # never rebuilt or deleted
    assert prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3, seed=3))
    assert prepare_run(tiny_cfg(data=str(data)))  # generate_data: false uses the folder as it is
    # A stats.json from before near_miss_share existed was built without near misses, whatever today's default.
    stats = json.loads((data / "stats.json").read_text())
    del stats["config"]["near_miss_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"near_miss_share: None there, 0.5 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3))
    assert prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                                near_miss_share=None))
    # ... and one from before the catalog setting existed drew on the base catalogue.
    del stats["config"]["catalog"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"catalog: base there, extended here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, catalog="extended"))
    # ... and with every offered function a choice (lone_tool_share 0).
    with pytest.raises(DataError, match=r"lone_tool_share: 0.0 there, 0.3 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, lone_tool_share=0.3))
    # ... and without value skills (value_skills_share 0).
    del stats["config"]["value_skills_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"value_skills_share: 0.0 there, 0.5 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, value_skills_share=0.5))
    # ... and without sequenced multi-call rows (sequence_share 0).
    del stats["config"]["sequence_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"sequence_share: 0.0 there, 0.5 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, value_skills_share=0.0, sequence_share=0.5))
    # ... and with every request worded from a catalogue template (spec_wording_share 0).
    del stats["config"]["spec_wording_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"spec_wording_share: 0.0 there, 0.5 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, value_skills_share=0.0, spec_wording_share=0.5))
    # ... and without cross-product rows (cross_share 0).
    del stats["config"]["cross_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"cross_share: 0.0 there, 0.3 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, value_skills_share=0.0, cross_share=0.3))
    # ... and without twin rows (twin_share 0).
    del stats["config"]["twin_share"]
    (data / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(DataError, match=r"twin_share: 0.0 there, 1.0 here"):
        prepare_run(tiny_cfg(data=str(data), generate_data=True, mixed_share=0.5, parallel_share=0.3,
                             near_miss_share=None, value_skills_share=0.0, twin_share=1.0))
    # A missing folder is generated with the config's settings (fewer rows, to keep the test short).
    real = datagen.ensure_generated
    monkeypatch.setattr(datagen, "ensure_generated",
                        lambda out, **kw: real(out, **kw, train_rows=40, valid_rows=8, test_rows=4))
    fresh = tmp_path / "fresh"
    prepare_run(tiny_cfg(data=str(fresh), generate_data=True, mixed_share=0.5))
    assert json.loads((fresh / "stats.json").read_text())["config"]["mixed_share"] == 0.5
    with pytest.raises(ConfigError, match=r"generator settings: no_call_share \+ parallel_share = 1.1; "
                                          r"it must be at most 1"):
        tiny_cfg(no_call_share=0.6, parallel_share=0.5)
    with pytest.raises(ConfigError, match=r"generator settings: near_miss_share = 1.5; it must be in \[0, 1\]"):
        tiny_cfg(near_miss_share=1.5)


@pytest.mark.parametrize("arch_fixture", ["tiny_model_dir", "tiny_qwen3_dir"])
def test_train_writes_a_loadable_run(tiny_cfg, arch_fixture, request):
    model_dir = request.getfixturevalue(arch_fixture)
    cfg = tiny_cfg(model=str(model_dir))
    plan = prepare_run(cfg)
    metrics = train_run(cfg, plan)
    run_dir = plan.run_dir
    for name in ("adapters.safetensors", "adapter_config.json", "metrics.json", "loss.png"):
        assert (run_dir / name).exists(), name
    config = json.loads((run_dir / "adapter_config.json").read_text())
    assert config["base_model"] == str(model_dir) and config["smolcall_config"]["iters"] == 20
    assert config["prompt_style"] is None  # hand-written rows, no report.json: the style is not known
    assert metrics["final_train_loss"] < metrics["history"][1]["train_loss"] * 1.5
    assert metrics["tokens_per_second_all"] > 0

    from mlx_lm import load

    model, _ = load(str(model_dir), adapter_path=str(run_dir))
    assert model(mx.array([[1, 2, 3]])).shape[-1] > 0


def test_embedding_noise_changes_training_steps_only(tiny_cfg, tiny_model_dir):
    """NEFTune: in training mode the loss sees input embeddings moved by at most
    alpha / sqrt(L d); in eval mode (validation) the loss is the plain one; a run with it trains
    other weights than one without, from the same seed and batches."""
    from mlx_lm import load

    from smolcall.trainer import noisy_embeddings, supervised_loss

    model, _ = load(str(tiny_model_dir))
    tokens = mx.array([[5, 6, 7, 8, 9, 10, 11, 12]])
    targets, select, weights = tokens[:, 1:], mx.arange(7), mx.ones(7)
    inputs = tokens[:, :-1]
    clean = model.model.embed_tokens(inputs)
    noisy = noisy_embeddings(model, inputs, 5.0)
    bound = 5.0 / (7 * clean.shape[-1]) ** 0.5
    moved = mx.abs(noisy - clean)
    assert 0 < moved.max().item() <= bound + 1e-6
    plain = supervised_loss(model, tokens, targets, select, weights)[0].item()
    model.eval()
    assert supervised_loss(model, tokens, targets, select, weights, embedding_noise=5.0)[0].item() == plain
    model.train()
    assert supervised_loss(model, tokens, targets, select, weights, embedding_noise=5.0)[0].item() != plain

    runs = {}
    for alpha in (0.0, 5.0):
        cfg = tiny_cfg(iters=10, embedding_noise=alpha, run=f"noise{alpha:g}")
        plan = prepare_run(cfg)
        metrics = train_run(cfg, plan)
        assert json.loads((plan.run_dir / "adapter_config.json").read_text())["smolcall_config"][
            "embedding_noise"] == alpha
        runs[alpha] = (mx.load(str(plan.run_dir / "adapters.safetensors")), metrics)
    weights0, weights5 = runs[0.0][0], runs[5.0][0]
    assert any(not mx.allclose(weights0[k], weights5[k]).item() for k in weights0)
    # The step-0 validation pass runs before any update, without noise: the same loss.
    assert runs[0.0][1]["history"][0]["val_loss"] == runs[5.0][1]["history"][0]["val_loss"]


def test_resume_equals_an_uninterrupted_run(tiny_cfg):
    cfg = tiny_cfg()
    plan = prepare_run(cfg)
    train_run(cfg, plan)
    uninterrupted = mx.load(str(plan.run_dir / "adapters.safetensors"))
    assert (plan.run_dir / "checkpoints" / "step_0000010").exists()
    (plan.run_dir / "adapters.safetensors").unlink()
    metrics = train_run(cfg, plan, resume=True)
    assert metrics["resumed_from_step"] == 10
    resumed = mx.load(str(plan.run_dir / "adapters.safetensors"))
    for name, value in uninterrupted.items():
        assert mx.allclose(value, resumed[name], atol=1e-5), name


@pytest.mark.slow
def test_kill_and_resume_from_the_command_line(tiny_cfg, tmp_path):
    cfg = tiny_cfg(iters=100, save_every=20, steps_per_report=10, steps_per_eval=1000, workers=2)
    config = tmp_path / "kill.yaml"
    config.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in cfg.to_dict().items()))
    command = [sys.executable, str(ROOT / "train" / "train.py"), "--config", str(config)]
    ckpts = Path(cfg.adapters_dir) / cfg.run / "checkpoints"
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not list(ckpts.glob("step_???????")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The killed launcher's data-parallel workers end with it (they watch their parent).
    deadline = time.time() + 10
    while orphans := workers_of(cfg.adapters_dir):
        assert time.time() < deadline, f"workers outlived their launcher: {orphans}"
        time.sleep(0.2)
    saved = sorted(int(p.name[5:]) for p in ckpts.glob("step_???????"))
    assert saved, "no checkpoint appeared before the kill"
    done = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads((Path(cfg.adapters_dir) / cfg.run / "metrics.json").read_text())
    assert metrics["resumed_from_step"] >= saved[-1] > 0
    assert metrics["history"][-1]["step"] == 100


def workers_of(marker: str) -> list[int]:
    """Pids of live `python -m smolcall.run` workers whose command line mentions `marker`."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"smolcall.run" in args and any(marker.encode() in a for a in args):
            pids.append(int(cmdline.parent.name))
    return pids


def test_train_script_reports_bad_key(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "train" / "train.py"), "--lora_rnak", "4"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "did you mean 'lora_rank'" in out.stderr and "Traceback" not in out.stderr


def test_qwen3_recipe_offline(tmp_path, tiny_qwen3_dir, monkeypatch):
    """configs/qwen3-0.6b-4bit.yaml's path: hub dataset from a local HF cache, 4-bit Qwen3 base kept quantized."""
    import huggingface_hub

    from smolcall.datagen import ensure_generated
    from smolcall.dataset_io import GLAIVE_FILE, GLAIVE_REVISION
    from smolcall.models import tiny_random_model
    from test_prepare import hub_cache

    generated = ensure_generated(tmp_path / "gen")
    rows = [json.loads(line) for line in (generated / "glaive.jsonl").read_text().splitlines()[:300]]
    source = tmp_path / GLAIVE_FILE
    source.write_text(json.dumps([{"system": r["system"], "chat": r["chat"]} for r in rows]))
    cache = hub_cache(tmp_path / "hub", GLAIVE_REVISION)
    blob = next((cache).rglob("blobs/*"))
    blob.write_bytes(source.read_bytes())
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))

    base = tiny_random_model(tmp_path / "qwen3-4bit", arch="qwen3", bits=4)
    cfg = load_config(ROOT / "configs" / "qwen3-0.6b-4bit.yaml", {
        "model": str(base), "data": str(tmp_path / "glaive"), "adapters_dir": str(tmp_path / "adapters"),
        "num_layers": 2, "iters": 4, "warmup_steps": 1, "batch_size": 1, "grad_accumulation_steps": 1,
        "steps_per_report": 2, "save_every": 2, "steps_per_eval": 4, "val_batches": 1, "dequantize": False})
    plan = prepare_run(cfg)
    assert (tmp_path / "glaive" / "report.json").exists() and plan.rows["train"] > 200
    metrics = train_run(cfg, plan)
    assert metrics["history"][-1]["step"] == 4
    config = json.loads((plan.run_dir / "adapter_config.json").read_text())
    assert config["smolcall_config"]["grad_checkpoint"] is True and config["num_layers"] == 2
