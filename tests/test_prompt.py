"""The Glaive system prompt round-trips tool specs."""

import pytest

from smolcall.prompt import NO_FUNCTIONS, parse_tools, system_prompt

TOOLS = [
    {"name": "get_weather", "description": "Weather now", "parameters": {
        "type": "object", "properties": {"city": {"type": "string", "description": "City {name}"}},
        "required": ["city"]}},
    {"name": "add", "description": "Add", "parameters": {"type": "object", "properties": {}}},
]


@pytest.mark.parametrize("style", ["glaive", "compact"])
def test_round_trip(style):
    assert parse_tools(system_prompt(TOOLS, style)) == TOOLS


def test_no_tools():
    assert system_prompt([]) == NO_FUNCTIONS
    assert parse_tools(NO_FUNCTIONS) == []


def test_glaive_raw_prompt():
    raw = ('SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n'
           '{\n    "name": "f",\n    "parameters": {}\n}\n\n{\n    "name": "g"\n}')
    assert [t["name"] for t in parse_tools(raw)] == ["f", "g"]


@pytest.mark.parametrize("bad", ['... -\n{"name": "f",', '... -\n{"description": "no name"}'])
def test_bad_spec(bad):
    with pytest.raises(ValueError, match="character"):
        parse_tools(bad)


def test_unknown_style():
    with pytest.raises(ValueError, match="glaive, compact"):
        system_prompt(TOOLS, "yaml")
