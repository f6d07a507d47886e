"""Shared plumbing for tools that call public HTTP APIs: base URLs, timeout, one retry.

Base URLs and the timeout come from the environment, read when the server is built, so tests and
self-hosted mirrors can point the tools elsewhere:

    SMOLCALL_GEOCODING_URL    default https://geocoding-api.open-meteo.com
    SMOLCALL_FORECAST_URL     default https://api.open-meteo.com
    SMOLCALL_FRANKFURTER_URL  default https://api.frankfurter.dev
    SMOLCALL_HTTP_TIMEOUT     default 10 (seconds, per try)
"""

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

logger = logging.getLogger(__name__)

DEFAULT_GEOCODING_URL = "https://geocoding-api.open-meteo.com"
DEFAULT_FORECAST_URL = "https://api.open-meteo.com"
DEFAULT_FRANKFURTER_URL = "https://api.frankfurter.dev"
DEFAULT_TIMEOUT_S = 10.0
TRIES = 2  # the first try and one retry


@dataclass(frozen=True)
class Upstreams:
    """Where the HTTP tools send their requests, and how long each try may take."""

    geocoding_url: str = DEFAULT_GEOCODING_URL
    forecast_url: str = DEFAULT_FORECAST_URL
    frankfurter_url: str = DEFAULT_FRANKFURTER_URL
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Upstreams":
        """Read the SMOLCALL_* variables (see the module docstring); unset ones keep their default."""
        env = os.environ if environ is None else environ
        raw_timeout = env.get("SMOLCALL_HTTP_TIMEOUT", str(DEFAULT_TIMEOUT_S))
        try:
            timeout_s = float(raw_timeout)
        except ValueError as e:
            raise ValueError(
                f"SMOLCALL_HTTP_TIMEOUT={raw_timeout!r} is not a number; set it to seconds, e.g. 10"
            ) from e
        if timeout_s <= 0:
            raise ValueError(f"SMOLCALL_HTTP_TIMEOUT={raw_timeout!r} must be above 0 seconds, e.g. 10")
        # A trailing slash would double up with the paths the tools append.
        return cls(
            geocoding_url=env.get("SMOLCALL_GEOCODING_URL", DEFAULT_GEOCODING_URL).rstrip("/"),
            forecast_url=env.get("SMOLCALL_FORECAST_URL", DEFAULT_FORECAST_URL).rstrip("/"),
            frankfurter_url=env.get("SMOLCALL_FRANKFURTER_URL", DEFAULT_FRANKFURTER_URL).rstrip("/"),
            timeout_s=timeout_s,
        )


@dataclass(frozen=True)
class ToolState:
    """What the server's lifespan builds once and every HTTP tool shares."""

    http: httpx.AsyncClient
    upstreams: Upstreams


def tool_state(ctx: Context) -> ToolState:
    """The ToolState that `smolcall.server.build_server`'s lifespan yielded for this request."""
    state = ctx.request_context.lifespan_context
    if not isinstance(state, ToolState):
        # A programming error, not a caller's: let the SDK report it as a crash.
        raise TypeError(
            f"lifespan state is {type(state).__name__}, not ToolState; build the server with "
            "smolcall.server.build_server so its lifespan creates the HTTP client"
        )
    return state


async def get_with_retry(
    http: httpx.AsyncClient, url: str, params: Mapping[str, Any], *, service: str, timeout_s: float
) -> httpx.Response:
    """GET `url`, retrying once on a timeout, a connection error or a 5xx answer.

    Returns the response of the last try when it is below 500 (4xx included: what a 4xx means
    depends on the API, so the caller decides). Raises ToolError after two failed tries.
    """
    failure = ""
    for attempt in range(1, TRIES + 1):
        try:
            response = await http.get(url, params=params, timeout=timeout_s)
        # TransportError covers timeouts, refused connections and dropped connections alike.
        except httpx.TransportError as e:
            detail = f" ({e})" if str(e) else ""
            failure = f"{type(e).__name__}{detail} from {url}"
            logger.warning("%s try %d/%d: %s", service, attempt, TRIES, failure)
            if attempt == TRIES:
                raise ToolError(
                    f"{service} did not answer after {TRIES} tries (timeout {timeout_s:g} s): {failure}; "
                    "try again later"
                ) from e
            continue
        if response.status_code < 500:
            return response
        failure = f"HTTP {response.status_code} from {url}: {response.text[:200]}"
        logger.warning("%s try %d/%d: %s", service, attempt, TRIES, failure)
    raise ToolError(f"{service} failed after {TRIES} tries: {failure}; try again later")


def parse_json(response: httpx.Response, *, service: str) -> Any:
    """The response body as JSON, or ToolError naming the service when it is not JSON."""
    try:
        return response.json()
    except ValueError as e:
        raise ToolError(
            f"unexpected response from {service} ({response.request.url.host}): "
            f"HTTP {response.status_code} body is not JSON: {response.text[:200]!r}"
        ) from e
