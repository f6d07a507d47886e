"""The tools as plain functions: calculator, units and time tables, and the HTTP tools against fakes."""

import datetime as dt
import math
import socket

import httpx
import pytest
from fake_upstreams import RATES_DATE, FakeUpstreams, fake_upstreams, upstreams  # noqa: F401 (pytest fixtures)
from hypothesis import given, settings
from hypothesis import strategies as st
from mcp.server.mcpserver.exceptions import ToolError

from smolcall.tools import clock, units
from smolcall.tools.calculator import calculate
from smolcall.tools.clock import convert_time, days_between, get_current_time
from smolcall.tools.currency import fetch_conversion
from smolcall.tools.units import convert_units
from smolcall.tools.upstream import DEFAULT_FORECAST_URL, DEFAULT_GEOCODING_URL, Upstreams
from smolcall.tools.weather import fetch_weather

# ---------------------------------------------------------------- calculator


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2", 3),
        ("2 * (3 + 4)", 14),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("2 ** 10", 1024),
        ("2 ** -1", 0.5),
        ("-3 + +2", -1),
        ("  3  ", 3),
        ("1e3 + 1", 1001.0),
        ("sqrt(16)", 4.0),
        ("log(100, 10)", 2.0),
        ("ln(e)", 1.0),
        ("sin(pi / 2)", 1.0),
        ("2 * pi", 2 * math.pi),
        ("round(2.567, 2)", 2.57),
        ("round(2.5)", 2),
        ("abs(-4)", 4),
        ("max(1, 5, 3)", 5),
        ("pow(2, 8)", 256),
        ("factorial(5)", 120),
        ("hypot(3, 4)", 5.0),
        ("10 ** 3999", 10**3999),
    ],
)
def test_calculate(expression: str, expected: float) -> None:
    result = calculate(expression)
    assert result["result"] == pytest.approx(expected)
    assert result["expression"] == expression.strip()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0", "division by zero"),
        ("5 % 0", "division by zero"),
        ("5 // 0", "division by zero"),
        ("0 ** -1", "division by zero"),
        # Escapes: names, attributes, builtins, anything but arithmetic.
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('ls')", "only plain calls"),
        ("(1).__class__", "attribute access"),
        ("pi.real", "attribute access"),
        ("math.sqrt(4)", "only plain calls"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("x + 1", "unknown name 'x'"),
        ("sqrt", "is a function"),
        ("'a' * 3", "unsupported syntax"),
        ("[1, 2]", "unsupported syntax"),
        ("lambda: 1", "unsupported syntax"),
        ("1 if 1 else 2", "unsupported syntax"),
        ("True + 1", "unsupported syntax"),
        ("not 1", "unsupported syntax"),
        ("sqrt(x=4)", "without keywords"),
        ("max(*[1, 2])", "unpacking"),
        ("min()", "wrong arguments for min()"),
        ("2 ^ 3", "write powers with '**'"),
        # Size limits: refused before any big computation.
        ("9 ** 9 ** 9", "digits"),
        ("10 ** 5000", "digits"),
        ("2 ** 100000000", "digits"),
        ("pow(7, 99999999)", "digits"),
        ("10 ** 3000 * 10 ** 3000", "digits"),
        ("factorial(100000)", "factorial"),
        ("factorial(-1)", "factorial"),
        ("2.0 ** 5000", "too large"),
        ("exp(1000)", "too large"),
        ("1e308 * 10", "not a finite number"),
        ("sqrt(-1)", "math domain"),
        ("log(0)", "math domain"),
        ("(-8) ** (1 / 3)", "not a real number"),
        ("1 +", "cannot parse"),
        ("", "empty"),
        ("1+" * 300 + "1", "limit of 500"),
    ],
)
def test_calculate_refuses(expression: str, message: str) -> None:
    with pytest.raises(ToolError) as error:
        calculate(expression)
    assert message in str(error.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.+-*/%() e", max_size=40) | st.text(max_size=40))
def test_calculate_returns_a_finite_number_or_tool_error(expression: str) -> None:
    try:
        result = calculate(expression)
    except ToolError:
        return
    assert isinstance(result["result"], int | float)
    assert math.isfinite(result["result"])


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "expected"),
    [
        (1, "km", "m", 1000),
        (5, "km", "mi", 3.10685596119),
        (1, "mile", "feet", 5280),
        (12, "in", "ft", 1),
        (1, "KM", "Meters", 1000),
        (1, "kg", "lb", 2.20462262185),
        (16, "oz", "lb", 1),
        (1, "gal", "L", 3.785411784),
        (1, "cup", "tbsp", 16),
        (1, "fl oz", "mL", 29.5735295625),
        (100, "km/h", "mph", 62.1371192237),
        (1, "knot", "km/h", 1.852),
        (90, "min", "h", 1.5),
        (1, "wk", "days", 7),
        (1, "GiB", "MiB", 1024),
        (1, "GB", "mb", 1000),
        (8, "bit", "B", 1),
        (1, "Gbit", "MB", 125),
        (100, "C", "F", 212),
        (32, "°F", "celsius", 0),
        (-40, "F", "C", -40),
        (0, "K", "C", -273.15),
        (300, "kelvin", "fahrenheit", 80.33),
        (-459.67, "F", "K", 0),
    ],
)
def test_convert_units(value: float, from_unit: str, to_unit: str, expected: float) -> None:
    assert convert_units(value, from_unit, to_unit)["result"] == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "message"),
    [
        (1, "kg", "m", "cannot convert kg (mass) to m (length); mass units are: kg, g"),
        (1, "parsec", "m", "unknown unit 'parsec'; length units are: m, km"),
        (1, "°C", "rankine", "unknown unit 'rankine'; temperature units are: °C, °F, K"),
        (1, "foo", "bar", "known units are length: m"),
        (1, "b", "B", "unknown unit 'b'"),  # a lone 'b' could be a bit or a byte: refuse to guess
        (-500, "C", "K", "below absolute zero"),
    ],
)
def test_convert_units_refuses(value: float, from_unit: str, to_unit: str, message: str) -> None:
    with pytest.raises(ToolError) as error:
        convert_units(value, from_unit, to_unit)
    assert message in str(error.value)


def test_unit_names_are_unique() -> None:
    names = [name for rows in units._TABLE.values() for symbol, _, aliases in rows for name in (symbol, *aliases)]
    names += [name for unit in units._TEMPERATURES for name in (unit.symbol, *units._TEMPERATURE_NAMES[unit.symbol])]
    assert len(names) == len(set(names)), sorted(n for n in set(names) if names.count(n) > 1)


# ---------------------------------------------------------------- time

NOON_UTC = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_now", lambda zone: NOON_UTC.astimezone(zone))


@pytest.mark.parametrize(
    ("zone", "datetime", "offset", "is_dst"),
    [
        ("UTC", "2026-07-01T12:00:00+00:00", "+00:00", False),
        ("Asia/Tokyo", "2026-07-01T21:00:00+09:00", "+09:00", False),
        ("Europe/Paris", "2026-07-01T14:00:00+02:00", "+02:00", True),
        ("America/St_Johns", "2026-07-01T09:30:00-02:30", "-02:30", True),
    ],
)
def test_get_current_time(pinned_clock: None, zone: str, datetime: str, offset: str, is_dst: bool) -> None:
    assert get_current_time(zone) == {
        "timezone": zone,
        "datetime": datetime,
        "utc_offset": offset,
        "day_of_week": "Wednesday",
        "is_dst": is_dst,
    }


def test_get_current_time_reads_the_clock() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    now = dt.datetime.fromisoformat(get_current_time()["datetime"])
    assert before <= now <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("time", "source", "target", "expected", "difference"),
    [
        ("2026-07-01 09:00", "America/New_York", "Asia/Tokyo", "2026-07-01T22:00:00+09:00", "+13h"),
        ("2026-01-15 09:00", "America/New_York", "Asia/Tokyo", "2026-01-15T23:00:00+09:00", "+14h"),
        ("2026-01-15T23:30", "Asia/Tokyo", "Europe/London", "2026-01-15T14:30:00+00:00", "-9h"),
        ("12:00", "UTC", "Asia/Kolkata", "2026-07-01T17:30:00+05:30", "+5.5h"),
    ],
)
def test_convert_time(pinned_clock: None, time: str, source: str, target: str, expected: str, difference: str) -> None:
    result = convert_time(time, source, target)
    assert result["target"]["datetime"] == expected
    assert result["time_difference"] == difference


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: get_current_time("Tokyo"), "unknown time zone 'Tokyo'; did you mean 'Asia/Tokyo'?"),
        (lambda: get_current_time("Europe/Pariss"), "did you mean 'Europe/Paris'"),
        (lambda: get_current_time("Mars/Olympus_Mons"), "use an IANA name like 'Europe/Paris'"),
        (lambda: get_current_time("../etc/passwd"), "unknown time zone '../etc/passwd'"),
        (lambda: convert_time("09:00", "UTC", "Nowhere"), "unknown time zone 'Nowhere'"),
        (lambda: convert_time("noon", "UTC", "Asia/Tokyo"), "cannot read time 'noon'"),
        (lambda: convert_time("2026-07-01T09:00+02:00", "UTC", "Asia/Tokyo"), "carries its own offset"),
        (lambda: days_between("2026-13-01", "2026-12-25"), "start_date '2026-13-01' is not a date"),
        (lambda: days_between("2026-01-01", "Christmas"), "end_date 'Christmas' is not a date"),
    ],
)
def test_time_tools_refuse(call, message: str) -> None:
    with pytest.raises(ToolError) as error:
        call()
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [("2026-01-01", "2026-12-25", 358), ("2026-12-25", "2026-01-01", -358), ("2024-02-28", "2024-03-01", 2)],
)
def test_days_between(start: str, end: str, days: int) -> None:
    assert days_between(start, end)["days"] == days


# ---------------------------------------------------------------- upstream configuration


def test_upstreams_from_env() -> None:
    assert Upstreams.from_env({}) == Upstreams()
    assert Upstreams().geocoding_url == DEFAULT_GEOCODING_URL and Upstreams().forecast_url == DEFAULT_FORECAST_URL
    custom = Upstreams.from_env({"SMOLCALL_FRANKFURTER_URL": "http://127.0.0.1:9/", "SMOLCALL_HTTP_TIMEOUT": "2.5"})
    assert custom.frankfurter_url == "http://127.0.0.1:9"
    assert custom.timeout_s == 2.5


@pytest.mark.parametrize("timeout", ["ten", "0", "-1"])
def test_upstreams_from_env_refuses_bad_timeout(timeout: str) -> None:
    with pytest.raises(ValueError, match="SMOLCALL_HTTP_TIMEOUT"):
        Upstreams.from_env({"SMOLCALL_HTTP_TIMEOUT": timeout})


# ---------------------------------------------------------------- weather against the fake Open-Meteo


async def weather(upstreams: Upstreams, location: str, unit: str = "celsius"):
    async with httpx.AsyncClient() as http:
        return await fetch_weather(http, upstreams, location, unit)


@pytest.mark.anyio
async def test_weather(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    result = await weather(upstreams, "Paris")
    assert result == {
        "place": "Paris",
        "region": "Île-de-France",
        "country": "France",
        "latitude": 48.85341,
        "longitude": 2.3488,
        "time": "2026-11-21T14:00",
        "temperature": 12.5,
        "unit": "celsius",
        "humidity_percent": 81.0,
        "wind_speed_kmh": 14.8,
        "weather_code": 3,
        "conditions": "overcast",
    }
    assert fake_upstreams.hits == {"/v1/search": 1, "/v1/forecast": 1}


@pytest.mark.anyio
async def test_weather_fahrenheit(upstreams: Upstreams) -> None:
    result = await weather(upstreams, "tokyo", "fahrenheit")
    assert (result["place"], result["temperature"], result["unit"], result["conditions"]) == (
        "Tokyo",
        64.4,
        "fahrenheit",
        "slight rain",
    )


@pytest.mark.parametrize("location", ["Paris, Texas", "Paris, US", "paris, united states", "Paris, Texas, US"])
@pytest.mark.anyio
async def test_weather_qualified_place(upstreams: Upstreams, location: str) -> None:
    result = await weather(upstreams, location)
    assert (result["country"], result["region"], result["conditions"]) == ("United States", "Texas", "clear sky")


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("Atlantis", "no place named 'Atlantis' found; check the spelling or add the country"),
        ("Paris, Narnia", "no place named 'Paris' found in 'Narnia'"),
        ("Paris, Texas, France", "no place named 'Paris' found in 'Texas, France'"),
        ("  , France", "location is empty"),
    ],
)
@pytest.mark.anyio
async def test_weather_unknown_place(upstreams: Upstreams, location: str, message: str) -> None:
    with pytest.raises(ToolError) as error:
        await weather(upstreams, location)
    assert message in str(error.value)


@pytest.mark.anyio
async def test_weather_retries_once_after_a_5xx(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/forecast", status=503, body=b"upstream busy")
    assert (await weather(upstreams, "Paris"))["temperature"] == 12.5
    assert fake_upstreams.hits["/v1/forecast"] == 2


@pytest.mark.anyio
async def test_weather_gives_up_after_two_5xx(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/search", status=500, body=b"boom", times=2)
    with pytest.raises(ToolError) as error:
        await weather(upstreams, "Paris")
    assert "weather service failed after 2 tries: HTTP 500" in str(error.value)
    assert fake_upstreams.hits == {"/v1/search": 2}


@pytest.mark.anyio
async def test_weather_timeout(fake_upstreams: FakeUpstreams) -> None:
    fake_upstreams.inject("/v1/search", delay_s=0.6, times=2)
    with pytest.raises(ToolError) as error:
        await weather(fake_upstreams.upstreams(timeout_s=0.2), "Paris")
    assert "weather service did not answer after 2 tries (timeout 0.2 s): ReadTimeout" in str(error.value)
    assert fake_upstreams.hits["/v1/search"] == 2


@pytest.mark.anyio
async def test_weather_retries_once_after_a_timeout(fake_upstreams: FakeUpstreams) -> None:
    fake_upstreams.inject("/v1/forecast", delay_s=0.6)
    assert (await weather(fake_upstreams.upstreams(timeout_s=0.2), "Paris"))["place"] == "Paris"
    assert fake_upstreams.hits["/v1/forecast"] == 2


@pytest.mark.anyio
async def test_weather_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with pytest.raises(ToolError) as error:
        await weather(Upstreams(geocoding_url=closed, forecast_url=closed, timeout_s=0.5), "Paris")
    assert "weather service did not answer after 2 tries (timeout 0.5 s): ConnectError" in str(error.value)


@pytest.mark.parametrize(
    ("path", "status", "body", "message"),
    [
        ("/v1/search", 200, b"<html>gateway</html>", "unexpected response from weather service (127.0.0.1)"),
        ("/v1/search", 200, b'{"results": "none"}', "no 'results' list"),
        ("/v1/search", 200, b'{"results": [{"name": "Paris"}]}', "result without name/latitude/longitude"),
        ("/v1/forecast", 200, b"not json", "body is not JSON"),
        ("/v1/forecast", 200, b'{"current": {"time": "now"}}', "unexpected response from weather service (forecast)"),
        ("/v1/forecast", 200, b"[1, 2]", "unexpected response from weather service (forecast)"),
        (
            "/v1/forecast",
            400,
            b'{"error": true, "reason": "Latitude must be in range of -90 to 90"}',
            "refused the request with HTTP 400: Latitude must be in range",
        ),
    ],
)
@pytest.mark.anyio
async def test_weather_bad_answers(
    fake_upstreams: FakeUpstreams, upstreams: Upstreams, path: str, status: int, body: bytes, message: str
) -> None:
    fake_upstreams.inject(path, status=status, body=body)
    with pytest.raises(ToolError) as error:
        await weather(upstreams, "Paris")
    assert message in str(error.value)


# ---------------------------------------------------------------- currency against the fake Frankfurter


async def conversion(upstreams: Upstreams, amount: float, source: str, target: str):
    async with httpx.AsyncClient() as http:
        return await fetch_conversion(http, upstreams, amount, source, target)


@pytest.mark.anyio
async def test_currency(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    result = await conversion(upstreams, 10, "usd", " EUR ")
    assert result == {"amount": 10.0, "base": "USD", "date": RATES_DATE, "rates": {"EUR": 9.26355}}
    assert fake_upstreams.hits == {"/v1/latest": 1}


@pytest.mark.anyio
async def test_currency_same_currency_is_answered_locally(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    result = await conversion(upstreams, 5, "EUR", "eur")
    assert (result["base"], result["rates"]) == ("EUR", {"EUR": 5})
    assert not fake_upstreams.hits


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("XYZ", "EUR", "unknown currency 'XYZ'; the currency service knows: CHF, EUR, GBP, JPY, USD"),
        ("USD", "ABC", "unknown currency 'ABC'"),
    ],
)
@pytest.mark.anyio
async def test_currency_unknown(
    fake_upstreams: FakeUpstreams, upstreams: Upstreams, source: str, target: str, message: str
) -> None:
    with pytest.raises(ToolError) as error:
        await conversion(upstreams, 1, source, target)
    assert message in str(error.value)
    assert fake_upstreams.hits == {"/v1/latest": 1, "/v1/currencies": 1}


@pytest.mark.anyio
async def test_currency_unknown_without_the_list(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    fake_upstreams.inject("/v1/currencies", status=500, times=2)
    with pytest.raises(ToolError) as error:
        await conversion(upstreams, 1, "XYZ", "EUR")
    assert "unknown currency: 'XYZ' or 'EUR'" in str(error.value)


@pytest.mark.anyio
async def test_currency_not_a_code(fake_upstreams: FakeUpstreams, upstreams: Upstreams) -> None:
    with pytest.raises(ToolError, match="'dollars' is not a currency code"):
        await conversion(upstreams, 1, "dollars", "EUR")
    assert not fake_upstreams.hits


@pytest.mark.parametrize(
    ("status", "body", "times", "message"),
    [
        (422, b'{"message": "unprocessable"}', 1, "refused converting 1 USD to EUR (HTTP 422): unprocessable"),
        (500, b"oops", 2, "currency service failed after 2 tries: HTTP 500"),
        (200, b"<html>", 1, "unexpected response from currency service"),
        (200, b'{"amount": 1, "base": "USD", "date": "2026-11-20", "rates": {}}', 1, "missing or malformed 'EUR'"),
    ],
)
@pytest.mark.anyio
async def test_currency_bad_answers(
    fake_upstreams: FakeUpstreams, upstreams: Upstreams, status: int, body: bytes, times: int, message: str
) -> None:
    fake_upstreams.inject("/v1/latest", status=status, body=body, times=times)
    with pytest.raises(ToolError) as error:
        await conversion(upstreams, 1, "USD", "EUR")
    assert message in str(error.value)
    assert fake_upstreams.hits["/v1/latest"] == times


@pytest.mark.anyio
async def test_currency_retries_once(fake_upstreams: FakeUpstreams) -> None:
    fake_upstreams.inject("/v1/latest", status=502)
    fake_upstreams.inject("/v1/latest", delay_s=0.6)
    with pytest.raises(ToolError, match="did not answer after 2 tries"):
        await conversion(fake_upstreams.upstreams(timeout_s=0.2), 1, "USD", "EUR")
    assert fake_upstreams.hits["/v1/latest"] == 2
    # The faults are used up: the next call gets through at the first try.
    assert (await conversion(fake_upstreams.upstreams(timeout_s=0.2), 1, "USD", "EUR"))["rates"]["EUR"] > 0
