"""The `convert_units` tool: length, mass, volume, speed, time, data size and temperature.

Every unit but temperature is a factor times its dimension's base unit; temperatures are affine
(an offset as well as a factor), so they convert through kelvin.
"""

from dataclasses import dataclass
from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    # value_in_base = value * factor + offset
    factor: float
    offset: float = 0.0


# (symbol, factor to the base unit, other names). The first column is what results report.
_TABLE: dict[str, list[tuple[str, float, tuple[str, ...]]]] = {
    "length": [  # base: metre
        ("m", 1.0, ("meter", "meters", "metre", "metres")),
        ("km", 1e3, ("kilometer", "kilometers", "kilometre", "kilometres")),
        ("cm", 1e-2, ("centimeter", "centimeters", "centimetre", "centimetres")),
        ("mm", 1e-3, ("millimeter", "millimeters", "millimetre", "millimetres")),
        ("um", 1e-6, ("µm", "micrometer", "micrometers", "micron", "microns")),
        ("nm", 1e-9, ("nanometer", "nanometers", "nanometre", "nanometres")),
        ("mi", 1609.344, ("mile", "miles")),
        ("yd", 0.9144, ("yard", "yards")),
        ("ft", 0.3048, ("foot", "feet")),
        ("in", 0.0254, ("inch", "inches")),
        ("nmi", 1852.0, ("nautical mile", "nautical miles")),
    ],
    "mass": [  # base: kilogram
        ("kg", 1.0, ("kilogram", "kilograms", "kilo", "kilos")),
        ("g", 1e-3, ("gram", "grams")),
        ("mg", 1e-6, ("milligram", "milligrams")),
        ("t", 1e3, ("tonne", "tonnes", "metric ton", "metric tons")),
        ("lb", 0.45359237, ("lbs", "pound", "pounds")),
        ("oz", 0.028349523125, ("ounce", "ounces")),
        ("st", 6.35029318, ("stone", "stones")),
    ],
    "volume": [  # base: litre; gallons, quarts, pints, cups and fluid ounces are US measures
        ("L", 1.0, ("l", "liter", "liters", "litre", "litres")),
        ("mL", 1e-3, ("ml", "milliliter", "milliliters", "millilitre", "millilitres")),
        ("m3", 1e3, ("m^3", "m³", "cubic meter", "cubic meters", "cubic metre", "cubic metres")),
        ("gal", 3.785411784, ("gallon", "gallons", "us gallon", "us gallons")),
        ("qt", 0.946352946, ("quart", "quarts")),
        ("pt", 0.473176473, ("pint", "pints")),
        ("cup", 0.2365882365, ("cups",)),
        ("fl oz", 0.0295735295625, ("floz", "fl_oz", "fluid ounce", "fluid ounces")),
        ("tbsp", 0.01478676478125, ("tablespoon", "tablespoons")),
        ("tsp", 0.00492892159375, ("teaspoon", "teaspoons")),
    ],
    "speed": [  # base: metre per second
        ("m/s", 1.0, ("mps", "meters per second", "metres per second")),
        ("km/h", 1 / 3.6, ("kmh", "kph", "kilometers per hour", "kilometres per hour")),
        ("mph", 0.44704, ("mi/h", "miles per hour")),
        ("kn", 1852 / 3600, ("kt", "knot", "knots")),
        ("ft/s", 0.3048, ("fps", "feet per second")),
    ],
    "time": [  # base: second
        ("s", 1.0, ("sec", "secs", "second", "seconds")),
        ("ms", 1e-3, ("millisecond", "milliseconds")),
        ("us", 1e-6, ("µs", "microsecond", "microseconds")),
        ("min", 60.0, ("mins", "minute", "minutes")),
        ("h", 3600.0, ("hr", "hrs", "hour", "hours")),
        ("d", 86400.0, ("day", "days")),
        ("wk", 604800.0, ("week", "weeks")),
        # Julian year, the astronomers' convention: 365.25 days.
        ("yr", 31557600.0, ("year", "years")),
    ],
    "data": [  # base: byte; kB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024
        ("B", 1.0, ("byte", "bytes")),
        ("bit", 0.125, ("bits",)),
        ("kB", 1e3, ("KB", "kilobyte", "kilobytes")),
        ("MB", 1e6, ("megabyte", "megabytes")),
        ("GB", 1e9, ("gigabyte", "gigabytes")),
        ("TB", 1e12, ("terabyte", "terabytes")),
        ("PB", 1e15, ("petabyte", "petabytes")),
        ("KiB", 1024.0, ("kibibyte", "kibibytes")),
        ("MiB", 1024.0**2, ("mebibyte", "mebibytes")),
        ("GiB", 1024.0**3, ("gibibyte", "gibibytes")),
        ("TiB", 1024.0**4, ("tebibyte", "tebibytes")),
        ("kbit", 125.0, ("kilobit", "kilobits")),
        ("Mbit", 125e3, ("megabit", "megabits")),
        ("Gbit", 125e6, ("gigabit", "gigabits")),
    ],
}

_TEMPERATURES = [  # base: kelvin
    Unit("°C", "temperature", 1.0, 273.15),
    Unit("°F", "temperature", 5 / 9, 273.15 - 32 * 5 / 9),
    Unit("K", "temperature", 1.0),
]
_TEMPERATURE_NAMES = {
    "°C": ("C", "degC", "celsius", "degrees celsius", "centigrade"),
    "°F": ("F", "degF", "fahrenheit", "degrees fahrenheit"),
    "K": ("kelvin", "kelvins"),
}


def _build_index() -> tuple[dict[str, Unit], dict[str, Unit], dict[str, list[str]]]:
    exact: dict[str, Unit] = {}
    by_dimension: dict[str, list[str]] = {}
    for dimension, rows in _TABLE.items():
        for symbol, factor, names in rows:
            unit = Unit(symbol, dimension, factor)
            for name in (symbol, *names):
                exact[name] = unit
            by_dimension.setdefault(dimension, []).append(symbol)
    for unit in _TEMPERATURES:
        for name in (unit.symbol, *_TEMPERATURE_NAMES[unit.symbol]):
            exact[name] = unit
        by_dimension.setdefault("temperature", []).append(unit.symbol)
    # A case-insensitive fallback ("KM", "Kg", "mb"), except for names whose lower case would be
    # ambiguous or wrong: single letters ("B" is a byte, "b" often a bit) and clashes between units.
    folded: dict[str, Unit] = {}
    clashes: set[str] = set()
    for name, unit in exact.items():
        key = name.lower()
        if len(name) < 2 or key in clashes:
            continue
        if key in folded and folded[key] != unit:
            clashes.add(key)
            del folded[key]
        else:
            folded[key] = unit
    return exact, folded, by_dimension


_EXACT, _FOLDED, UNITS_BY_DIMENSION = _build_index()


def _all_units() -> str:
    return "; ".join(f"{dimension}: {', '.join(symbols)}" for dimension, symbols in UNITS_BY_DIMENSION.items())


def find_unit(name: str) -> Unit | None:
    """The unit a name or symbol stands for ('km', 'kilometres', 'KM'), or None if unknown."""
    text = " ".join(name.strip().split())
    return _EXACT.get(text) or _FOLDED.get(text.lower())


def _require_unit(name: str, *, other: Unit | None) -> Unit:
    """The unit for `name`, or ToolError listing the units of `other`'s dimension (or all units)."""
    unit = find_unit(name)
    if unit is not None:
        return unit
    if other is not None:
        choices = ", ".join(UNITS_BY_DIMENSION[other.dimension])
        raise ToolError(f"unknown unit {name!r}; {other.dimension} units are: {choices}")
    raise ToolError(f"unknown unit {name!r}; known units are {_all_units()}")


class UnitConversion(TypedDict):
    value: float
    from_unit: str
    to_unit: str
    result: float
    dimension: str


def convert_units(
    value: Annotated[float, Field(description="The amount to convert, e.g. 5 or -40.")],
    from_unit: Annotated[
        str, Field(description="Unit of `value`, as a symbol or a name: 'km', 'miles', 'kg', '°F', 'GiB', 'mph'.")
    ],
    to_unit: Annotated[str, Field(description="Unit to convert to, of the same kind as `from_unit`, e.g. 'mi'.")],
) -> UnitConversion:
    """Convert a value between units of length, mass, volume, speed, time, data size or temperature.

    Gallons, quarts, pints, cups and fluid ounces are US measures; kB/MB/GB are powers of 1000 and
    KiB/MiB/GiB powers of 1024; a year is 365.25 days.
    """
    source = _require_unit(from_unit, other=find_unit(to_unit))
    target = _require_unit(to_unit, other=source)
    if source.dimension != target.dimension:
        raise ToolError(
            f"cannot convert {source.symbol} ({source.dimension}) to {target.symbol} ({target.dimension}); "
            f"{source.dimension} units are: {', '.join(UNITS_BY_DIMENSION[source.dimension])}"
        )
    in_base = value * source.factor + source.offset
    # The tolerance lets -459.67 °F through despite float rounding.
    if source.dimension == "temperature" and in_base < -1e-9:
        raise ToolError(f"{value:g} {source.symbol} is below absolute zero (0 K); check the value and the unit")
    result = (in_base - target.offset) / target.factor
    if source.dimension == "temperature":
        # Offsets cancel to float noise (-459.67 °F -> -2.8e-14 K); nano-degrees are noise anyway.
        result = round(result, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
    return {
        "value": value,
        "from_unit": source.symbol,
        "to_unit": target.symbol,
        # Round off float noise such as 0.30000000000000004 without losing real precision.
        "result": float(f"{result:.12g}"),
        "dimension": source.dimension,
    }
