"""The synthetic data generator: diversity, held-out test functions and wording, valid calls."""

import doctest
import importlib.util
import json
import random
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

import smolcall.datagen
import smolcall.datagen.build
import smolcall.datagen.catalog
import smolcall.datagen.phrasing
import smolcall.datagen.values
from smolcall.calls import parse_reply
from smolcall.datagen import GenConfig, build_dataset, ensure_generated, load_functions
from smolcall.datagen.catalog import CatalogError, parse_catalog
from smolcall.dataset_io import convert_rows, read_rows
from smolcall.prompt import NO_FUNCTIONS, parse_tools

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"train_rows": 120, "valid_rows": 10, "test_rows": 30}


@pytest.fixture(scope="module")
def default_set(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen") / "smolcall-gen"
    ensure_generated(out)
    return out, json.loads((out / "stats.json").read_text())


def rows_of(out: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{split}.jsonl").read_text().splitlines()]


def glaive_rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "glaive.jsonl").read_text().splitlines()]


# --- the catalogue ---


def test_catalogue_diversity():
    functions = load_functions()
    assert len(functions) >= 150
    assert len({f.domain for f in functions}) >= 20
    types = Counter(p.type_name for f in functions for p in f.params)
    assert {"string", "integer", "number", "boolean", "enum", "array", "object"} <= set(types)
    defaults = [p for f in functions for p in f.params if p.default is not smolcall.datagen.catalog.NO_DEFAULT]
    assert len(defaults) >= 30 and not any(p.required for p in defaults)
    names = [f.name for f in functions]
    styles = {
        "snake": [n for n in names if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", n)],
        "camel": [n for n in names if re.fullmatch(r"[a-z]+([A-Z0-9][a-z0-9]*)+", n)],
        "dotted": [n for n in names if "." in n],
    }
    assert len(styles["snake"]) >= 100 and len(styles["camel"]) >= 15 and len(styles["dotted"]) >= 4
    test_domains = {f.domain for f in functions if f.test}
    assert test_domains == {f.domain for f in functions}  # every domain has held-out functions
    assert 40 <= sum(f.test for f in functions) <= 70


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("## d\nf: F\n  x: string! city | X\n  > no slot", r"leaves out required \['x'\]"),
        ("## d\nf: F\n  x: string! city | X\n  ? {x}", "'?' template but mentions every required"),
        ("## d\nf: F\n  x: string! city | X\n  > {y}", r"unknown parameters \['y'\]"),
        ("## d\nf: F\n  x: strin! city | X", "unknown type"),
        ("## d\nf: F\n  x: string! nowhere | X", "unknown sampler 'nowhere'"),
        ("## d\nf: F\n  x: string! city | X", "has no '>' template"),
        ("f: F", "expected '## domain'"),
        ("## d\nf: F\n  x: string! city | X\n  > {x}\nf: G\n  x: string! city | X\n  > {x}", "appear twice: f"),
    ],
)
def test_catalogue_errors(text, match):
    with pytest.raises(CatalogError, match=match):
        parse_catalog(text)


def test_doctests():
    for module in (smolcall.datagen, smolcall.datagen.catalog, smolcall.datagen.phrasing, smolcall.datagen.values):
        assert doctest.testmod(module).failed == 0


# --- the default set ---


def test_default_build(default_set):
    out, stats = default_set
    assert stats["rows"] == {"train": 3000, "valid": 150, "test": 300}
    assert stats["test_groups"] == {"easy": 200, "hard": 100}
    assert stats["distinct_functions_called"]["train"] >= 140 and stats["distinct_functions_called"]["test"] >= 45
    assert stats["domains_called"]["train"] >= 20 and stats["domains_called"]["test"] >= 20
    assert set(stats["kinds"]) == {"single", "parallel", "no_call", "clarify", "multi_turn"}
    assert 0.15 <= stats["no_call_share"] <= 0.25
    assert 0.2 <= stats["masked_share"] <= 0.3
    assert set(stats["calls_per_row"]) >= {"0", "1", "2", "3", "4"}
    assert stats["mean_prompt_chars"] > stats["mean_completion_chars"] > 0
    assert {p.name for p in out.iterdir()} == {"glaive.jsonl", "train.jsonl", "valid.jsonl", "test.jsonl",
                                                 "report.json", "stats.json"}
    assert not list(out.parent.glob(".*tmp*"))


def test_train_and_test_are_disjoint(default_set):
    out, _ = default_set
    by_split = {s: [r for r in glaive_rows(out) if r["meta"]["split"] == s] for s in ("train", "valid", "test")}
    called = {s: {n for r in rows for n in r["meta"]["called"]} for s, rows in by_split.items()}
    assert not called["train"] & called["test"]
    assert called["valid"] <= called["train"]
    offered = {s: {t["name"] for r in rows if not r["meta"]["masked"] for t in parse_tools(r["system"])}
               for s, rows in by_split.items()}
    assert not offered["train"] & offered["test"]
    templates = {s: {t for r in rows for t in r["meta"]["templates"]} for s, rows in by_split.items()}
    assert not templates["train"] & templates["test"]
    assert templates["valid"] <= templates["train"]
    domains = {s: {d for r in rows for d in r["meta"]["domains"]} for s, rows in by_split.items()}
    assert domains["train"] == domains["test"]  # same domains, different functions


def test_every_call_is_valid(default_set):
    """Each call names an offered function and its arguments validate against that schema."""
    out, _ = default_set
    checked = Counter()
    for split in ("train", "valid", "test"):
        for row in rows_of(out, split):
            tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
            for message in row["messages"][1:]:
                if message["role"] != "assistant":
                    continue
                reply = parse_reply(message["content"])
                assert reply.ok, (row["meta"], reply.errors)
                for call in reply.calls:
                    assert call.name in tools, row["meta"]
                    jsonschema.validate(call.arguments, tools[call.name]["parameters"])
                    checked[split] += 1
            last = parse_reply(row["messages"][-1]["content"])
            kind = row["meta"]["kind"]
            assert bool(last.calls) == (kind in ("single", "parallel") or
                                        (kind == "multi_turn" and row["messages"][-2]["role"] == "user"))
            if kind == "parallel":
                assert len(last.calls) >= 2
            if not tools:
                assert row["messages"][0]["content"] == NO_FUNCTIONS and kind == "no_call"
    assert min(checked.values()) > 100


def test_glaive_rows_parse_back_with_no_bad_rows(default_set, tmp_path):
    out, _ = default_set
    text = (out / "glaive.jsonl").read_text()
    assert "'{" in text and "<|endoftext|>" in text  # single-quoted arguments, like the hub file
    report = convert_rows(read_rows(out / "glaive.jsonl"), tmp_path, strict=True,
                          split_of=lambda row: row["meta"]["split"], prompt_style="compact", source="generated")
    assert report.rows_skipped == 0
    for split in ("train", "valid", "test"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (out / f"{split}.jsonl").read_bytes()


def test_meta_and_groups(default_set):
    out, _ = default_set
    for split in ("train", "valid"):
        assert all("split_group" not in r["meta"] for r in rows_of(out, split))
    test = rows_of(out, "test")
    assert Counter(r["meta"]["split_group"] for r in test) == {"easy": 200, "hard": 100}
    for row in rows_of(out, "train")[:200]:
        meta = row["meta"]
        assert meta["source"] == "generated" and meta["kind"] in smolcall.datagen.build.KINDS
        assert meta["template"] == meta["templates"][0]
        assert isinstance(meta["row"], int) and isinstance(meta["functions"], list)
    hard = [r for r in test if r["meta"]["split_group"] == "hard" and r["meta"]["functions"]]
    assert sum(len(r["meta"]["functions"]) for r in hard) / len(hard) >= 3


def test_the_called_function_is_not_usually_the_last_one_offered(default_set):
    """Version 1 offered one or two functions in most rows, so the called one was usually the last
    listed, and the tuned model learned to call the last function offered whatever the request."""
    out, _ = default_set
    train = rows_of(out, "train")
    assert sum(len(r["meta"]["functions"]) for r in train) / len(train) >= 2.6
    single = [r["meta"] for r in train if r["meta"]["kind"] == "single" and r["meta"]["masked"] in (None, "params")]
    assert len(single) > 400
    last = sum(m["functions"][-1] == m["called"][0] for m in single) / len(single)
    assert last < 0.45  # version 1: 0.59


def test_wording_and_values(default_set):
    """Values are copied exactly into calls; some are converted (number words, relative dates)."""
    out, _ = default_set
    users = copied = 0
    texts = []
    for row in glaive_rows(out):
        if row["meta"]["kind"] != "single":
            continue
        user = row["chat"].split("\n\n\nASSISTANT:")[0].removeprefix("USER: ")
        texts.append(user)
        call = parse_reply(row["chat"].split("ASSISTANT: ", 1)[1]).calls[0]
        for value in call.arguments.values():
            if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d|\d\d:\d\d", value) and "_" not in value:
                users += 1
                copied += value in user
    assert copied / users > 0.97  # the rest are enums said with spaces or in another case
    joined = "\n".join(texts)
    assert re.search(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b", joined)
    assert re.search(r"Today is \w+day, \w+ \d+, \d{4}\..*\b(tomorrow|next \w+day|this \w+day|in \d+ days)\b", joined)
    assert re.search(r"\ban hour and a half\b|\b\w+ hours\b", joined)


def test_spec_conventions(default_set):
    out, _ = default_set
    systems = [r["system"] for r in glaive_rows(out)]
    assert any("Default is" in s for s in systems)
    assert any('"default":' in s for s in systems)
    assert any('"enum":' in s for s in systems)
    assert any('"items":' in s for s in systems)
    masked = [r for r in glaive_rows(out) if r["meta"]["masked"] in ("name", "both") and r["meta"]["called"]]
    assert masked and all(r["meta"]["called"][0] not in r["system"] for r in masked[:50])


# --- determinism and the folder ---


def test_same_seed_same_bytes(tmp_path):
    for name in ("a", "b"):
        build_dataset(tmp_path / name, GenConfig(seed=7, **SMALL))
    build_dataset(tmp_path / "c", GenConfig(seed=8, **SMALL))
    for file in ("glaive.jsonl", "train.jsonl", "valid.jsonl", "test.jsonl", "stats.json"):
        a, b = (tmp_path / "a" / file).read_text(), (tmp_path / "b" / file).read_text()
        assert a.replace(str(tmp_path / "a"), "") == b.replace(str(tmp_path / "b"), ""), file
    assert (tmp_path / "a" / "train.jsonl").read_bytes() != (tmp_path / "c" / "train.jsonl").read_bytes()


def test_ensure_generated(tmp_path):
    out = tmp_path / "gen"
    assert ensure_generated(out, seed=1, **SMALL) == out
    stamp = (out / "stats.json").stat().st_mtime_ns
    ensure_generated(out, seed=1, **SMALL)
    assert (out / "stats.json").stat().st_mtime_ns == stamp  # up to date: not rebuilt
    ensure_generated(out, seed=1, **{**SMALL, "train_rows": 60})
    assert json.loads((out / "stats.json").read_text())["rows"]["train"] == 60
    assert json.loads((out / "stats.json").read_text())["out_dir"] == str(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen"]
    with pytest.raises(ValueError, match="unknown generator settings \\['train'\\]; valid: seed"):
        ensure_generated(out, train=5)
    with pytest.raises(ValueError, match="max_tools = 9; use 1 to 8"):
        ensure_generated(out, max_tools=9)


def test_max_tools_and_glaive_style(tmp_path):
    build_dataset(tmp_path, GenConfig(max_tools=2, prompt_style="glaive", **SMALL))
    rows = [r for s in ("train", "valid", "test") for r in rows_of(tmp_path, s)]
    assert max(len(r["meta"]["functions"]) for r in rows) == 2
    assert any('\n{\n    "name": ' in r["messages"][0]["content"] for r in rows)


def test_no_call_share_changes_training_rows_only(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "more", GenConfig(no_call_share=0.4, **sizes))
    kinds = {name: Counter(r["meta"]["kind"] for r in glaive_rows(tmp_path / name) if r["meta"]["split"] == "train")
             for name in ("default", "more")}
    assert 0.14 <= kinds["default"]["no_call"] / 400 <= 0.26
    assert 0.34 <= kinds["more"]["no_call"] / 400 <= 0.46
    # The calling kinds keep their proportions to each other.
    assert 1.5 <= kinds["more"]["single"] / kinds["more"]["parallel"] <= 3.0
    # Test rows are the same bytes, so both adapters are graded on one test split.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "more" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="no_call_share = 1.5; it must be in \\[0, 1\\]"):
        GenConfig(no_call_share=1.5).check()


def test_parallel_and_mixed_shares_change_training_rows_only(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "mixed", GenConfig(parallel_share=0.4, mixed_share=1.0, **sizes))
    train = {name: [r for r in glaive_rows(tmp_path / name) if r["meta"]["split"] == "train"]
             for name in ("default", "mixed")}
    shares = {name: Counter(r["meta"]["kind"] for r in rows)["parallel"] / 400 for name, rows in train.items()}
    assert 0.10 <= shares["default"] <= 0.22
    assert 0.33 <= shares["mixed"] <= 0.47

    def compositional(rows: list[dict]) -> int:
        """Rows calling two or more functions, one of them more than once."""
        return sum(len(set(r["meta"]["called"])) >= 2 and max(Counter(r["meta"]["called"]).values()) >= 2
                   for r in rows)

    assert compositional(train["mixed"]) >= 20
    assert compositional(train["mixed"]) >= 4 * compositional(train["default"])
    # Every call of a multi-call row parses, as the converted MLX row, and names an offered function.
    checked = 0
    for row in rows_of(tmp_path / "mixed", "train"):
        if row["meta"]["kind"] == "parallel" and not row["meta"]["masked"]:
            offered = {f["name"] for f in parse_tools(row["messages"][0]["content"])}
            parsed = parse_reply(row["messages"][-1]["content"])
            assert parsed.ok and [c.name for c in parsed.calls] == row["meta"]["called"]
            assert set(row["meta"]["called"]) <= offered
            checked += 1
    assert checked >= 60
    # Test rows are the same bytes, so adapters trained on either are graded on one test split.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "mixed" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="no_call_share \\+ parallel_share = 1.2; it must be at most 1"):
        GenConfig(no_call_share=0.5, parallel_share=0.7).check()
    with pytest.raises(ValueError, match="mixed_share = -0.1; it must be in \\[0, 1\\]"):
        GenConfig(mixed_share=-0.1).check()


def test_lone_tool_share_offers_only_the_called_functions(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "lone", GenConfig(lone_tool_share=1.0, **sizes))

    def offered_vs_called(name: str) -> Counter:
        """(kind, offers exactly the called functions) of the train rows that offer functions."""
        out = Counter()
        for row in rows_of(tmp_path / name, "train"):
            # (masked rows list their random names; "called" keeps the catalogue's)
            if row["meta"]["kind"] != "clarify" and not row["meta"]["masked"] and row["meta"]["functions"]:
                out[row["meta"]["kind"], set(row["meta"]["functions"]) == set(row["meta"]["called"])] += 1
        return out

    default, lone = offered_vs_called("default"), offered_vs_called("lone")
    # Every calling row offers just what it calls; a no-call row still offers functions that do not fit.
    for kind in ("single", "parallel", "multi_turn"):
        assert lone[kind, True] > 0 and lone[kind, False] == 0
        assert default[kind, False] > default[kind, True]
    assert lone["no_call", True] == 0 and lone["no_call", False] > 0
    # The test split is the same bytes; a bad share is named.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "lone" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="lone_tool_share = 2.0; it must be in \\[0, 1\\]"):
        GenConfig(lone_tool_share=2.0).check()


def test_value_skills_share_states_optionals_regions_and_decimal_rates(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "values", GenConfig(value_skills_share=1.0, **sizes))
    functions = {f.name: f for f in load_functions()}
    regions = {f"{city}, {region}" for city, names in smolcall.datagen.values.CITY_REGIONS.items() for region in names}

    def skills(name: str) -> Counter:
        out = Counter()
        for row in rows_of(tmp_path / name, "train"):
            if row["meta"]["masked"]:
                continue
            tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
            for i, message in enumerate(row["messages"][1:], 1):
                if message["role"] != "assistant" or "<functioncall>" not in message["content"]:
                    continue
                asked = " ".join(m["content"] for m in row["messages"][1:i] if m["role"] == "user")
                for call in parse_reply(message["content"]).calls:
                    jsonschema.validate(call.arguments, tools[call.name]["parameters"])
                    fn = functions[call.name]
                    out["calls"] += 1
                    out["optional"] += any(not p.required and p.name in call.arguments for p in fn.params)
                    for p in fn.params:
                        value = call.arguments.get(p.name)
                        if isinstance(value, str) and value in regions:
                            out["region"] += 1
                            assert value in asked  # said as it is copied
                        if p.sampler and p.sampler.startswith("pct(") and "percent" not in p.name:
                            spec = tools[call.name]["parameters"]["properties"][p.name]
                            decimal = "as a decimal (0.05 for 5%)" in spec["description"]
                            out["decimal" if decimal else "percent"] += 1
                            # "4.25%" in the request: 0.0425 under a decimal spec, 4.25 otherwise
                            said = f"{value * 100:g}%" if decimal else f"{value:g}%"
                            assert said in asked, (said, asked)
        return out

    default, values = skills("default"), skills("values")
    assert default["region"] == default["decimal"] == 0 and default["percent"] > 0
    assert values["region"] >= 10 and values["decimal"] >= 5 and values["percent"] == 0
    assert values["optional"] / values["calls"] > default["optional"] / default["calls"] + 0.1
    # A stated optional parameter is in the request's words; booleans by name or description.
    build = smolcall.datagen.build
    flag = functions["generate_password"].param("include_symbols")
    rng = random.Random(0)
    said = {build.optional_clause(flag, smolcall.datagen.values.Value(True, "yes"), rng) for _ in range(40)}
    assert said == {" and use symbols", ", include symbols: yes", " with include symbols on", " (use symbols: yes)"}
    assert build.words_of("max_price_per_hour") == "max price per hour" and build.words_of("minRating") == "min rating"
    twin = build.decimal_twin(functions["calculate_loan_payment"])
    assert twin.param("annual_rate").description == "Annual interest rate, as a decimal (0.05 for 5%)"
    assert twin.param("annual_rate").sampler == "rate(2,12)"
    assert build.decimal_twin(functions["get_current_weather"]) is None
    # The test split is the same bytes; a bad share is named.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "values" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="value_skills_share = 1.5; it must be in \\[0, 1\\]"):
        GenConfig(value_skills_share=1.5).check()


def test_near_miss_share_makes_single_domain_no_call_rows(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    shares = {"v2": None, "default": GenConfig.near_miss_share, "near": 1.0}
    for name, share in shares.items():
        build_dataset(tmp_path / name, GenConfig(near_miss_share=share, **sizes))
    domain = {f.name: f.domain for f in load_functions()}

    def near_misses(name: str) -> tuple[int, int]:
        """(near-miss rows, no-call rows that offer functions) among the train rows: a near miss
        offers one or two functions, all of the domain of the function the request needs."""
        near = offered = 0
        for row in glaive_rows(tmp_path / name):
            meta = row["meta"]
            if meta["split"] != "train" or meta["kind"] != "no_call" or not meta["domains"]:
                continue
            offered += 1
            tools = parse_tools(row["system"].removeprefix("SYSTEM: "))
            needed = domain.get(meta["template"].split("#")[0])  # None for small talk
            near += len(tools) <= 2 and meta["domains"] == [needed]
        return near, offered

    counts = {name: near_misses(name) for name in shares}
    near, offered = counts["near"]
    assert offered >= 60 and near == offered  # every no-call row is a near miss
    rate = {name: near / offered for name, (near, offered) in counts.items()}
    assert rate["v2"] < 0.2 < rate["default"] < 0.9  # version 2's mix had few; the default half and more
    train = {name: [r for r in glaive_rows(tmp_path / name) if r["meta"]["split"] == "train"] for name in shares}
    # The share of no-call rows does not change, nor do the test rows.
    kinds = {name: Counter(r["meta"]["kind"] for r in rows) for name, rows in train.items()}
    assert kinds["v2"] == kinds["default"] == kinds["near"]
    assert len({(tmp_path / name / "test.jsonl").read_bytes() for name in shares}) == 1
    with pytest.raises(ValueError, match="near_miss_share = 2.0; it must be in \\[0, 1\\]"):
        GenConfig(near_miss_share=2.0).check()


def test_large_whole_numbers_keep_their_zeros():
    """num(lo,hi,0) above 1000 once lost trailing zeros in the text ("7,750" said as "7,75")."""
    from smolcall.datagen.values import RowContext, sample

    ctx = RowContext(random.Random(3))
    for spec in ("num(1000,99999,0)", "num(1000,9999,1)", "num(1000,9999,2)"):
        for _ in range(200):
            value = sample(spec, ctx)
            assert float(value.text.replace(",", "")) == value.arg, (spec, value)


def test_extended_catalog_adds_train_domains_and_keeps_the_test_split(tmp_path):
    base, extended = load_functions("base"), load_functions("extended")
    assert [f.name for f in extended[: len(base)]] == [f.name for f in base]  # base first, unchanged
    extra = extended[len(base):]
    new_domains = {f.domain for f in extra} - {f.domain for f in base}
    assert len(extra) >= 100 and len(new_domains) >= 10
    assert not any(f.test for f in extra)  # the held-out test functions stay the base catalogue's
    sizes = {"train_rows": 300, "valid_rows": 10, "test_rows": 30}
    for name in ("base", "extended"):
        build_dataset(tmp_path / name, GenConfig(catalog=name, **sizes))
    domains = {name: Counter(d for r in glaive_rows(tmp_path / name) if r["meta"]["split"] == "train"
                             for d in r["meta"]["domains"]) for name in ("base", "extended")}
    assert not set(domains["base"]) & new_domains
    # About half the rows' functions come from the new domains (their share of the catalogue).
    offered_new = sum(n for d, n in domains["extended"].items() if d in new_domains)
    assert 0.25 < offered_new / sum(domains["extended"].values()) < 0.75
    assert (tmp_path / "base" / "test.jsonl").read_bytes() == (tmp_path / "extended" / "test.jsonl").read_bytes()
    stats = json.loads((tmp_path / "extended" / "stats.json").read_text())
    assert stats["catalogue_functions"] == len(extended) and stats["config"]["catalog"] == "extended"
    with pytest.raises(ValueError, match="catalog = 'huge'; use one of base, extended"):
        GenConfig(catalog="huge").check()


def test_generate_script(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("generate", ROOT / "train" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    out = tmp_path / "gen"
    assert generate.main(["--out", str(out), "--train-rows", "40", "--valid-rows", "5", "--test-rows", "9"]) == 0
    assert json.loads((out / "stats.json").read_text())["rows"] == {"train": 40, "valid": 5, "test": 9}
    assert "distinct_functions_called" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        generate.parse_args(["--max-tools", "9"])


def test_sequence_share_asks_for_calls_as_bfcl_parallel_questions_do(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "seq", GenConfig(sequence_share=1.0, **sizes))
    seq = [r for r in glaive_rows(tmp_path / "seq") if r["meta"]["split"] == "train"]
    parallel = [r for r in seq if r["meta"]["kind"] == "parallel"]
    counts = Counter(len(r["meta"]["called"]) for r in parallel)
    # Two to four calls, as BFCL's answers have; a third or more with three or four.
    assert set(counts) <= {2, 3, 4} and counts[3] + counts[4] >= len(parallel) / 3, counts
    firsts = Counter(t.split(".")[2] for r in parallel for t in r["meta"]["templates"] if t.startswith("seq."))
    assert firsts["first"] == firsts["last"] >= 20 and firsts["middle"] >= 10
    said = {"respectively": 0, "repeat": 0}
    for row in rows_of(tmp_path / "seq", "train"):
        if row["meta"]["kind"] != "parallel":
            continue
        tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
        asked = row["messages"][1]["content"]
        calls = parse_reply(row["messages"][2]["content"]).calls
        for call in calls:
            jsonschema.validate(call.arguments, tools[call.name]["parameters"])
        assert len({json.dumps(c.to_dict(), sort_keys=True) for c in calls}) >= len(calls) - 1
        if "respectively" in asked:
            said["respectively"] += 1
        if any(t.startswith("repeat.") for t in row["meta"]["templates"]):
            said["repeat"] += 1
    assert said["respectively"] >= 5 and said["repeat"] >= 5, said
    # Only train and valid rows change: the test split is the same bytes; a bad share is named.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "seq" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="sequence_share = -0.1; it must be in \\[0, 1\\]"):
        GenConfig(sequence_share=-0.1).check()


@pytest.mark.parametrize("how", ["respectively", "repeat", "list"])
def test_render_pairs_or_repeats_varied_values(how):
    build = smolcall.datagen.build
    functions = {f.name: f for f in load_functions()}
    fn = functions["get_directions"]
    template = next(t for t in fn.call_templates if len(build.can_vary(fn, t)) >= 2)
    ctx = smolcall.datagen.values.RowContext(random.Random(4), today=smolcall.datagen.build.dt.date(2025, 3, 1))
    slots = build.can_vary(fn, template)[:2]
    if how == "respectively":
        req = build.render(fn, template, ctx, vary=tuple(slots), copies=2)
        assert req.text.rstrip(".?!").endswith(" respectively")
        for call in req.calls:  # each call takes the i-th value of both lists
            assert all(str(call.arguments[s]) in req.text for s in slots)
        firsts = [req.text.index(str(c.arguments[slots[0]])) for c in req.calls]
        seconds = [req.text.index(str(c.arguments[slots[1]])) for c in req.calls]
        assert firsts == sorted(firsts) and seconds == sorted(seconds)
    elif how == "repeat":
        req = build.render(fn, template, ctx, vary=slots[0], copies=3, repeat="repeat.train.0")
        first, *rest = [str(c.arguments[slots[0]]) for c in req.calls]
        assert req.text.endswith(f" Then do the same for {smolcall.datagen.values.join_words(rest)}.")
        assert req.text.index(first) < req.text.index("Then do the same")
    else:
        req = build.render(fn, template, ctx, vary=slots[0], copies=3)
        assert smolcall.datagen.values.join_words([str(c.arguments[slots[0]]) for c in req.calls]) in req.text
    assert len(req.calls) == (2 if how == "respectively" else 3)
    assert len({c.arguments[slots[0]] for c in req.calls}) == len(req.calls)
    # The other arguments are shared by every call.
    others = [{k: v for k, v in c.arguments.items() if k not in slots} for c in req.calls]
    assert all(o == others[0] for o in others)
    with pytest.raises(ValueError, match="cannot pair two"):
        build.render(fn, template, ctx, vary=tuple(slots), copies=2, repeat="repeat.train.0")


def test_render_crosses_two_lists_into_every_combination():
    build = smolcall.datagen.build
    fn = {f.name: f for f in load_functions()}["convert_document"]
    template = next(t for t in fn.call_templates if t.text == "Convert {file_name} to {target_format}.")
    ctx = smolcall.datagen.values.RowContext(random.Random(7), today=build.dt.date(2025, 3, 1))
    req = build.render(fn, template, ctx, vary=("file_name", "target_format"), copies=(2, 3), cross=True)
    files = list(dict.fromkeys(c.arguments["file_name"] for c in req.calls))
    formats = list(dict.fromkeys(c.arguments["target_format"] for c in req.calls))
    assert len(files) == 2 and len(formats) == 3
    # One call per pair, the first slot's values outermost, each list said once and no "respectively".
    assert [(c.arguments["file_name"], c.arguments["target_format"]) for c in req.calls] == [
        (f, t) for f in files for t in formats]
    join = smolcall.datagen.values.join_words
    assert req.text == f"Convert {join(files)} to {join(formats)}.", req.text
    with pytest.raises(ValueError, match="cross needs two or more varied parameters"):
        build.render(fn, template, ctx, vary="file_name", copies=2, cross=True)


def test_crossable_pairs_need_words_of_their_own_between_them():
    build = smolcall.datagen.build
    functions = {f.name: f for f in load_functions()}
    def pairs(name, text):
        fn = functions[name]
        return build.crossable(fn, next(t for t in fn.call_templates if t.text == text))
    assert pairs("get_directions", "{mode} directions {origin} to {destination}") == [
        ("mode", "origin"), ("mode", "destination"), ("origin", "destination")]
    assert pairs("reverse_geocode", "Which address is at latitude {lat} and longitude {lon}?") == [("lat", "lon")]
    # "Compare A and B and C and D", "USD and EUR/JPY and GBP", "legs 3, 4, 5 and 6" would not read as two lists.
    assert pairs("compareNeighborhoods", "Compare {area_a} and {area_b}.") == []
    assert pairs("get_exchange_rate", "fx rate {base}/{quote}") == []
    assert pairs("hypotenuse", "hypotenuse for sides {a}, {b}") == []


def test_cross_share_asks_for_every_combination(tmp_path):
    sizes = {"train_rows": 300, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "cross", GenConfig(cross_share=1.0, **sizes))
    parallel = [r for r in rows_of(tmp_path / "cross", "train") if r["meta"]["kind"] == "parallel"]
    assert len(parallel) >= 30
    counts = Counter()
    for row in parallel:
        tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
        asked = row["messages"][1]["content"]
        calls = parse_reply(row["messages"][2]["content"]).calls
        for call in calls:
            jsonschema.validate(call.arguments, tools[call.name]["parameters"])
        # One function; the calls are every pair of two lists: as many as the product of their lengths.
        assert len({c.name for c in calls}) == 1 and "respectively" not in asked
        keys = [k for k in calls[0].arguments if len({json.dumps(c.arguments.get(k)) for c in calls}) > 1]
        assert len(keys) == 2, (asked, keys)
        sizes_of = [len({json.dumps(c.arguments[k]) for c in calls}) for k in keys]
        assert len(calls) == sizes_of[0] * sizes_of[1] == len({json.dumps(c.arguments, sort_keys=True) for c in calls})
        counts[len(calls)] += 1
        assert any(t.startswith("cross.train.") for t in row["meta"]["templates"])
    assert set(counts) <= {4, 6} and counts[4] > counts[6] > 0, counts
    # Only train and valid rows change: the test split is the same bytes; a bad share is named.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "cross" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="cross_share = 1.5; it must be in \\[0, 1\\]"):
        GenConfig(cross_share=1.5).check()


def test_twin_share_answers_both_requests_to_one_tool_list(tmp_path):
    sizes = {"train_rows": 300, "valid_rows": 20, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "twin", GenConfig(twin_share=1.0, **sizes))
    before, after = glaive_rows(tmp_path / "default"), glaive_rows(tmp_path / "twin")
    # A twin is a near miss of the default set with one more exchange; every other row is the same bytes.
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed and all(a["meta"]["kind"] == "no_call" and b["meta"]["kind"] == "twin" for a, b in changed)
    assert {b["meta"]["split"] for a, b in changed} == {"train", "valid"}
    assert Counter(r["meta"]["kind"] for r in after)["twin"] == len(changed)
    domain = {f.name: f.domain for f in load_functions()}
    converted = rows_of(tmp_path / "twin", "train") + rows_of(tmp_path / "twin", "valid")
    twins = [m for r, m in zip([r for r in after if r["meta"]["split"] != "test"], converted, strict=True)
             if r["meta"]["kind"] == "twin"]
    orders = Counter()
    for (old, new), row in zip(changed, twins, strict=True):
        tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
        assert 1 <= len(tools) <= 2 and len(set(new["meta"]["domains"])) == 1
        # The declined request needs a function of the offered ones' domain that is not offered.
        needed = old["meta"]["template"].split("#")[0]
        assert needed not in new["meta"]["called"] and [domain[needed]] == new["meta"]["domains"]
        replies = [m["content"] for m in row["messages"] if m["role"] == "assistant"]
        calls = [parse_reply(r).calls for r in replies if r.startswith("<functioncall>")]
        assert len(calls) == 1 and len(calls[0]) == 1 and calls[0][0].name in tools
        jsonschema.validate(calls[0][0].arguments, tools[calls[0][0].name]["parameters"])
        # The decline of the default row, word for word, before or after the call.
        decline = old["chat"].split("ASSISTANT: ")[1].split(" <|endoftext|>")[0]
        assert decline in replies and "<functioncall>" not in decline
        first = row["messages"][2]["content"]
        orders["call first" if first.startswith("<functioncall>") else "decline first"] += 1
        if first.startswith("<functioncall>"):  # the function's response and a reply come between
            assert [m["role"] for m in row["messages"][3:5]] == ["tool", "assistant"]
    assert orders["call first"] > 0 and orders["decline first"] > 0, orders
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "twin" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="twin_share = 2; it must be in \\[0, 1\\]"):
        GenConfig(twin_share=2).check()


def test_spec_wording_share_names_each_value_in_any_order(tmp_path):
    sizes = {"train_rows": 400, "valid_rows": 10, "test_rows": 30}
    build_dataset(tmp_path / "default", GenConfig(**sizes))
    build_dataset(tmp_path / "spec", GenConfig(spec_wording_share=1.0, **sizes))
    functions = {f.name: f for f in load_functions()}
    worded, leads, reordered, optional, forms = 0, 0, 0, 0, Counter()
    for glaive, row in zip(glaive_rows(tmp_path / "spec"), rows_of(tmp_path / "spec", "train")):
        if row["meta"]["kind"] != "single" or row["meta"]["masked"] or not glaive["meta"]["templates"][0].endswith(
                tuple(f"#spec.{f}" for f in smolcall.datagen.build.SPEC_FORMS)):
            continue
        worded += 1
        forms[glaive["meta"]["templates"][0].rsplit(".", 1)[1]] += 1
        tools = {t["name"]: t for t in parse_tools(row["messages"][0]["content"])}
        (call,) = parse_reply(row["messages"][2]["content"]).calls
        jsonschema.validate(call.arguments, tools[call.name]["parameters"])
        fn = functions[glaive["meta"]["called"][0]]
        asked = row["messages"][1]["content"].lower()
        # The request begins with what the function does, and says every value the call carries.
        # (whole unless the row's style put typos in the template's words)
        leads += fn.description.rstrip(".").lower() in asked
        stated = [p for p in fn.params if p.name in call.arguments]
        assert {p.name for p in fn.params if p.required} <= {p.name for p in stated}
        optional += any(not p.required for p in stated)
        # Values in the request's order: not the spec's order in a good share of the rows.
        places = [asked.find(str(call.arguments[p.name]).lower()) for p in stated
                  if isinstance(call.arguments[p.name], str) and str(call.arguments[p.name]).lower() in asked]
        if len(places) >= 2 and places != sorted(places):
            reordered += 1
    assert worded >= 60 and optional >= 10 and reordered >= 10, (worded, optional, reordered)
    assert leads >= 0.8 * worded, (leads, worded)
    assert set(forms) == set(smolcall.datagen.build.SPEC_FORMS), forms
    # The test split is the same bytes; a bad share is named.
    assert (tmp_path / "default" / "test.jsonl").read_bytes() == (tmp_path / "spec" / "test.jsonl").read_bytes()
    with pytest.raises(ValueError, match="spec_wording_share = 2.0; it must be in \\[0, 1\\]"):
        GenConfig(spec_wording_share=2.0).check()


@pytest.mark.parametrize("name, expect", [
    # a description that names a quantity gets a verb before it
    ("polygonInteriorAngle", r"(?i)\b(find|calculate|compute|work out) the interior angle of a regular polygon"),
    # one-letter parameters are said as "a = 5"
    ("solve_quadratic", r"\ba = \{a\}"),
    # an action keeps its own verb
    ("get_stock_price", r"(?i)\bget the latest price of a stock\b"),
])
def test_spec_template_wording(name, expect):
    build = smolcall.datagen.build
    fn = {f.name: f for f in load_functions()}[name]
    texts = [build.spec_template(fn, random.Random(i)).text for i in range(30)]
    assert all(re.search(expect, t) for t in texts), texts
    # every required parameter has its slot; the order differs between draws
    slots = [[m.group(1) for m in smolcall.datagen.catalog.SLOT.finditer(t)] for t in texts]
    assert all(set(fn.required) <= set(s) for s in slots)
    assert len(fn.params) < 2 or len({tuple(s) for s in slots}) > 1


def test_spec_template_leaves_flags_lists_and_objects_to_the_catalogue():
    build = smolcall.datagen.build
    functions = load_functions()
    odd = [f for f in functions if any(p.required and p.schema["type"] not in ("string", "integer", "number")
                                       for p in f.params)]
    assert odd and all(build.spec_template(f, random.Random(0)) is None for f in odd)
    plain = [f for f in functions if f not in odd and f.required]
    assert all(build.spec_template(f, random.Random(0)) is not None for f in plain)
    # A function with no required parameter is worded from its spec when an optional one is drawn.
    trending = {f.name: f for f in functions}["getTrendingTopics"]
    drawn = [build.spec_template(trending, random.Random(i)) for i in range(20)]
    assert None in drawn and any(t is not None and t.slots for t in drawn)
