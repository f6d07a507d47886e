"""Fake Open-Meteo (geocoding + forecast) and Frankfurter APIs on 127.0.0.1, for tests.

One threaded HTTP server answers every path with the real services' response contracts:

    GET /v1/search?name=Paris&count=1        Open-Meteo geocoding ("results" absent when nothing matches)
    GET /v1/forecast?latitude=..&longitude=..&current=..[&temperature_unit=fahrenheit]
                                             Open-Meteo forecast (HTTP 400 {"error": true, "reason"} on bad input)
    GET /v1/latest?amount=10&from=USD&to=EUR Frankfurter (404 {"message": "not found"}, 422 same currency)
    GET /v1/currencies                       Frankfurter's list of currency codes

Tests count requests per path in `hits` and queue faults with `inject` (an HTTP status, a body,
a delay) to exercise timeouts, retries and garbage answers. Use the fixtures at the bottom:

    from fake_upstreams import fake_env, fake_upstreams, upstreams  # noqa: F401 (pytest fixtures)
"""

import json
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from smolcall.tools.upstream import Upstreams

# Short enough to keep timeout tests fast, long enough for a loaded 2-core machine to answer.
TEST_TIMEOUT_S = 0.5

PLACES = [
    {
        "id": 2988507,
        "name": "Paris",
        "latitude": 48.85341,
        "longitude": 2.3488,
        "elevation": 42.0,
        "feature_code": "PPLC",
        "country_code": "FR",
        "admin1": "Île-de-France",
        "timezone": "Europe/Paris",
        "population": 2138551,
        "country": "France",
    },
    {
        "id": 4717560,
        "name": "Paris",
        "latitude": 33.66094,
        "longitude": -95.55551,
        "elevation": 183.0,
        "feature_code": "PPLA2",
        "country_code": "US",
        "admin1": "Texas",
        "admin2": "Lamar",
        "timezone": "America/Chicago",
        "population": 24782,
        "country": "United States",
    },
    {
        "id": 1850147,
        "name": "Tokyo",
        "latitude": 35.6895,
        "longitude": 139.69171,
        "elevation": 44.0,
        "feature_code": "PPLC",
        "country_code": "JP",
        "admin1": "Tokyo",
        "timezone": "Asia/Tokyo",
        "population": 8336599,
        "country": "Japan",
    },
]

# (temperature °C, relative humidity %, WMO weather code, wind km/h) by (latitude, longitude).
CURRENT = {
    (48.85341, 2.3488): (12.5, 81, 3, 14.8),
    (33.66094, -95.55551): (24.0, 55, 0, 9.4),
    (35.6895, 139.69171): (18.0, 70, 61, 6.1),
}
KNOWN_VARIABLES = {"temperature_2m", "relative_humidity_2m", "weather_code", "wind_speed_10m"}

RATES_PER_EUR = {"EUR": 1.0, "USD": 1.0795, "GBP": 0.8571, "JPY": 162.51, "CHF": 0.9525}
CURRENCY_NAMES = {
    "EUR": "Euro",
    "USD": "United States Dollar",
    "GBP": "British Pound",
    "JPY": "Japanese Yen",
    "CHF": "Swiss Franc",
}
RATES_DATE = "2026-11-20"


@dataclass(frozen=True)
class Fault:
    """What to do instead of the normal answer for one request."""

    status: int = 200
    body: bytes | None = None  # None: the normal answer's body
    delay_s: float = 0.0


Answer = tuple[int, object]


def _search(query: dict[str, list[str]]) -> Answer:
    name = query.get("name", [""])[0].strip().casefold()
    count = int(query.get("count", ["10"])[0])
    # Like the real geocoder, names under 2 characters match nothing.
    matches = [p for p in PLACES if len(name) >= 2 and p["name"].casefold().startswith(name)][:count]
    body: dict[str, object] = {"generationtime_ms": 0.4}
    if matches:
        body["results"] = matches
    return 200, body


def _forecast(query: dict[str, list[str]]) -> Answer:
    try:
        latitude, longitude = float(query["latitude"][0]), float(query["longitude"][0])
    except (KeyError, ValueError):
        return 400, {"error": True, "reason": "Parameter 'latitude' and 'longitude' must be numbers"}
    variables = query.get("current", [""])[0].split(",")
    unknown = [v for v in variables if v not in KNOWN_VARIABLES]
    if unknown:
        reason = f"Cannot initialize WeatherVariable from invalid String value {unknown[0]}"
        return 400, {"error": True, "reason": reason}
    temperature, humidity, code, wind = CURRENT.get((latitude, longitude), (10.0, 50, 1, 5.0))
    fahrenheit = query.get("temperature_unit", ["celsius"])[0] == "fahrenheit"
    if fahrenheit:
        temperature = round(temperature * 9 / 5 + 32, 1)
    values = {
        "temperature_2m": temperature,
        "relative_humidity_2m": humidity,
        "weather_code": code,
        "wind_speed_10m": wind,
    }
    units = {
        "temperature_2m": "°F" if fahrenheit else "°C",
        "relative_humidity_2m": "%",
        "weather_code": "wmo code",
        "wind_speed_10m": "km/h",
    }
    return 200, {
        "latitude": latitude,
        "longitude": longitude,
        "timezone": "GMT",
        "current_units": {"time": "iso8601", "interval": "seconds", **{v: units[v] for v in variables}},
        "current": {"time": "2026-11-21T14:00", "interval": 900, **{v: values[v] for v in variables}},
    }


def _latest(query: dict[str, list[str]]) -> Answer:
    amount = float(query.get("amount", ["1"])[0])
    base = query.get("from", ["EUR"])[0]
    targets = query.get("to", [",".join(c for c in RATES_PER_EUR if c != base)])[0].split(",")
    if base not in RATES_PER_EUR or any(t not in RATES_PER_EUR for t in targets):
        return 404, {"message": "not found"}
    if base in targets:
        return 422, {"message": "base currency must not be among the target currencies"}
    rates = {t: round(amount * RATES_PER_EUR[t] / RATES_PER_EUR[base], 5) for t in targets}
    return 200, {"amount": amount, "base": base, "date": RATES_DATE, "rates": rates}


ROUTES = {
    "/v1/search": _search,
    "/v1/forecast": _forecast,
    "/v1/latest": _latest,
    "/v1/currencies": lambda _query: (200, CURRENCY_NAMES),
}


class FakeUpstreams:
    """The fake APIs, serving on 127.0.0.1 in a background thread until `close()`."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # Daemon handler threads: a handler still sleeping out a timeout fault must not block close().
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval: shutdown() waits for the next poll, and every test closes a fake.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-upstreams", daemon=True
        )
        self._thread.start()

    def inject(
        self, path: str, *, status: int = 200, body: bytes | None = None, delay_s: float = 0.0, times: int = 1
    ) -> None:
        """Answer the next `times` requests to `path` with this fault instead of the normal answer."""
        if path not in ROUTES:
            raise ValueError(f"unknown path {path!r}; the fake serves {', '.join(ROUTES)}")
        with self._lock:
            self._faults[path].extend([Fault(status, body, delay_s)] * times)

    def upstreams(self, timeout_s: float = TEST_TIMEOUT_S) -> Upstreams:
        """Upstreams pointing every tool at this fake."""
        return Upstreams(geocoding_url=self.url, forecast_url=self.url, frankfurter_url=self.url, timeout_s=timeout_s)

    def env(self, timeout_s: float = TEST_TIMEOUT_S) -> dict[str, str]:
        """The SMOLCALL_* variables that point a server process at this fake."""
        return {
            "SMOLCALL_GEOCODING_URL": self.url,
            "SMOLCALL_FORECAST_URL": self.url,
            "SMOLCALL_FRANKFURTER_URL": self.url,
            "SMOLCALL_HTTP_TIMEOUT": str(timeout_s),
        }

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            self.hits[path] += 1
            return self._faults[path].popleft() if self._faults[path] else None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
                url = urlsplit(self.path)
                route = ROUTES.get(url.path)
                if route is None:
                    self._send(404, b'{"message":"not found"}')
                    return
                fault = fake._next_fault(url.path)
                status, payload = route(parse_qs(url.query))
                body = json.dumps(payload).encode()
                if fault is not None:
                    time.sleep(fault.delay_s)
                    status = fault.status
                    body = fault.body if fault.body is not None else body
                self._send(status, body)

            def _send(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                # The client gave up (a timeout test): nobody is left to answer.
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
                pass  # keep pytest output clean

        return Handler


@pytest.fixture
def fake_upstreams() -> Iterator[FakeUpstreams]:
    """The fake APIs on a free 127.0.0.1 port, fresh (no hits, no faults) for each test."""
    fake = FakeUpstreams()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture
def upstreams(fake_upstreams: FakeUpstreams) -> Upstreams:
    """Upstreams pointing at `fake_upstreams`, with a short timeout."""
    return fake_upstreams.upstreams()


@pytest.fixture
def fake_env(fake_upstreams: FakeUpstreams, monkeypatch: pytest.MonkeyPatch) -> FakeUpstreams:
    """Set the SMOLCALL_* variables to `fake_upstreams`, for code that reads the environment."""
    for name, value in fake_upstreams.env().items():
        monkeypatch.setenv(name, value)
    return fake_upstreams
