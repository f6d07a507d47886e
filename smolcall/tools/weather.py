"""The `get_weather` tool: current conditions from Open-Meteo (no API key).

Two requests: geocoding turns the place name into coordinates, then the forecast API returns the
current values there.

    GET {geocoding}/v1/search?name=Paris&count=1
        -> {"results": [{"name": "Paris", "latitude": 48.85, "longitude": 2.35, "country": "France", ...}]}
    GET {forecast}/v1/forecast?latitude=48.85&longitude=2.35
            &current=temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m
        -> {"current": {"time": "2026-11-21T14:00", "temperature_2m": 12.3, ...}, "current_units": {...}}
"""

from typing import Annotated, Any, Literal

import httpx
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12

from smolcall.tools.upstream import Upstreams, get_with_retry, parse_json, tool_state

SERVICE = "weather service"
CURRENT_FIELDS = "temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m"
# When the place is qualified ("Paris, US"), fetch several candidates and keep the first that
# matches the qualifier: Open-Meteo's geocoder matches the name alone.
QUALIFIED_CANDIDATES = 10

# WMO weather interpretation codes, as documented by Open-Meteo.
WMO_CODES: dict[int, str] = {
    0: "clear sky",
    1: "mainly clear",
    2: "partly cloudy",
    3: "overcast",
    45: "fog",
    48: "depositing rime fog",
    51: "light drizzle",
    53: "moderate drizzle",
    55: "dense drizzle",
    56: "light freezing drizzle",
    57: "dense freezing drizzle",
    61: "slight rain",
    63: "moderate rain",
    65: "heavy rain",
    66: "light freezing rain",
    67: "heavy freezing rain",
    71: "slight snowfall",
    73: "moderate snowfall",
    75: "heavy snowfall",
    77: "snow grains",
    80: "slight rain showers",
    81: "moderate rain showers",
    82: "violent rain showers",
    85: "slight snow showers",
    86: "heavy snow showers",
    95: "thunderstorm",
    96: "thunderstorm with slight hail",
    99: "thunderstorm with heavy hail",
}

Unit = Literal["celsius", "fahrenheit"]


class Weather(TypedDict):
    place: str
    region: str | None
    country: str | None
    latitude: float
    longitude: float
    time: str
    temperature: float
    unit: Unit
    humidity_percent: float
    wind_speed_kmh: float
    weather_code: int
    conditions: str


def _unexpected(where: str, detail: str) -> ToolError:
    return ToolError(f"unexpected response from {SERVICE} ({where}): {detail}")


def _refused(where: str, response: httpx.Response, data: Any) -> ToolError:
    # Open-Meteo explains a refused request as {"error": true, "reason": "..."}.
    reason = data.get("reason") if isinstance(data, dict) else None
    return ToolError(
        f"{SERVICE} ({where}) refused the request with HTTP {response.status_code}: {reason or repr(data)}"
    )


def _matches(result: dict[str, Any], qualifiers: list[str]) -> bool:
    """Whether every qualifier ('Texas', 'US', 'United States') names the result's region or country."""
    keys = ("country", "country_code", "admin1", "admin2")
    names = {result[key].casefold() for key in keys if isinstance(result.get(key), str)}
    return all(qualifier.casefold() in names for qualifier in qualifiers)


async def geocode(http: httpx.AsyncClient, upstreams: Upstreams, location: str) -> dict[str, Any]:
    """The best geocoding result for 'Paris' or 'Paris, France' (a place dict with name, latitude, ...)."""
    name, *rest = (part.strip() for part in location.split(","))
    qualifiers = [part for part in rest if part]
    if not name:
        raise ToolError("location is empty; pass a place name such as 'Paris' or 'Paris, France'")
    url = f"{upstreams.geocoding_url}/v1/search"
    params = {"name": name, "count": QUALIFIED_CANDIDATES if qualifiers else 1}
    response = await get_with_retry(http, url, params, service=SERVICE, timeout_s=upstreams.timeout_s)
    data = parse_json(response, service=SERVICE)
    if response.status_code != 200:
        raise _refused("geocoding", response, data)
    if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
        raise _unexpected("geocoding", f"no 'results' list in {str(data)[:200]}")
    results = [r for r in data.get("results", []) if isinstance(r, dict)]
    if qualifiers:
        results = [r for r in results if _matches(r, qualifiers)]
        if not results:
            raise ToolError(
                f"no place named {name!r} found in {', '.join(qualifiers)!r}; check the spelling, "
                "and name the country in full (e.g. 'France') or as a code (e.g. 'FR')"
            )
    if not results:
        raise ToolError(f"no place named {location!r} found; check the spelling or add the country")
    return results[0]


async def fetch_weather(
    http: httpx.AsyncClient, upstreams: Upstreams, location: str, unit: Unit = "celsius"
) -> Weather:
    """Current weather at a named place, from Open-Meteo's geocoding and forecast APIs."""
    place = await geocode(http, upstreams, location)
    try:
        latitude, longitude = float(place["latitude"]), float(place["longitude"])
        place_name = str(place["name"])
    except (KeyError, TypeError, ValueError) as e:
        raise _unexpected("geocoding", f"result without name/latitude/longitude: {str(place)[:200]}") from e

    params: dict[str, Any] = {"latitude": latitude, "longitude": longitude, "current": CURRENT_FIELDS}
    if unit == "fahrenheit":
        params["temperature_unit"] = "fahrenheit"
    url = f"{upstreams.forecast_url}/v1/forecast"
    response = await get_with_retry(http, url, params, service=SERVICE, timeout_s=upstreams.timeout_s)
    data = parse_json(response, service=SERVICE)
    if response.status_code != 200:
        raise _refused("forecast", response, data)
    try:
        current = data["current"]
        code = int(current["weather_code"])
        return {
            "place": place_name,
            "region": place.get("admin1"),
            "country": place.get("country"),
            "latitude": latitude,
            "longitude": longitude,
            "time": str(current["time"]),
            "temperature": float(current["temperature_2m"]),
            "unit": unit,
            "humidity_percent": float(current["relative_humidity_2m"]),
            "wind_speed_kmh": float(current["wind_speed_10m"]),
            "weather_code": code,
            "conditions": WMO_CODES.get(code, f"unknown (WMO code {code})"),
        }
    except (KeyError, TypeError, ValueError) as e:
        raise _unexpected("forecast", f"missing or malformed {e} in {str(data)[:200]}") from e


async def get_weather(
    location: Annotated[
        str,
        Field(description="Place name, optionally with country or region: 'Paris', 'Paris, France', 'Austin, Texas'."),
    ],
    unit: Annotated[Unit, Field(description="Temperature unit of the answer.")] = "celsius",
    *,
    ctx: Context,
) -> Weather:
    """Get the current weather at a place: temperature, humidity, wind speed and conditions."""
    state = tool_state(ctx)
    return await fetch_weather(state.http, state.upstreams, location, unit)
