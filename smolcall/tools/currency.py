"""The `convert_currency` tool: reference exchange rates from Frankfurter (ECB data, no API key).

    GET {frankfurter}/v1/latest?amount=10&from=USD&to=EUR
        -> {"amount": 10.0, "base": "USD", "date": "2026-11-20", "rates": {"EUR": 9.43}}

Rates come back already multiplied by the amount. An unknown currency is HTTP 404
`{"message": "not found"}`; the same currency on both sides is HTTP 422.
"""

import datetime as dt
import re
from typing import Annotated, Any

import httpx
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12

from smolcall.tools.upstream import Upstreams, get_with_retry, parse_json, tool_state

SERVICE = "currency service"
_CODE = re.compile(r"[A-Z]{3}")


class Conversion(TypedDict):
    amount: float
    base: str
    date: str
    rates: dict[str, float]


def _currency_code(text: str, name: str) -> str:
    code = text.strip().upper()
    if not _CODE.fullmatch(code):
        raise ToolError(
            f"{name} {text!r} is not a currency code; use a 3-letter ISO 4217 code such as USD, EUR, GBP or JPY"
        )
    return code


async def _unknown_currency_error(http: httpx.AsyncClient, upstreams: Upstreams, codes: tuple[str, str]) -> ToolError:
    """A ToolError naming which of `codes` Frankfurter does not know, from its list of currencies."""
    fallback = ToolError(
        f"unknown currency: {codes[0]!r} or {codes[1]!r} is not one the currency service knows; "
        "use ISO 4217 codes such as USD, EUR, GBP or JPY"
    )
    url = f"{upstreams.frankfurter_url}/v1/currencies"
    try:
        response = await get_with_retry(http, url, {}, service=SERVICE, timeout_s=upstreams.timeout_s)
        known = parse_json(response, service=SERVICE)
    except ToolError:
        # The list only sharpens the message; without it, name both candidates.
        return fallback
    if response.status_code != 200 or not isinstance(known, dict):
        return fallback
    unknown = [code for code in codes if code not in known]
    if not unknown:
        return fallback
    return ToolError(
        f"unknown currency {' and '.join(repr(code) for code in unknown)}; "
        f"the currency service knows: {', '.join(sorted(known))}"
    )


async def fetch_conversion(
    http: httpx.AsyncClient, upstreams: Upstreams, amount: float, from_currency: str, to_currency: str
) -> Conversion:
    """Convert `amount` of `from_currency` into `to_currency` at Frankfurter's latest rate."""
    source, target = _currency_code(from_currency, "from_currency"), _currency_code(to_currency, "to_currency")
    if source == target:
        # Frankfurter answers 422 here; the answer is known without asking.
        return {"amount": amount, "base": source, "date": dt.date.today().isoformat(), "rates": {target: amount}}
    url = f"{upstreams.frankfurter_url}/v1/latest"
    params = {"amount": amount, "from": source, "to": target}
    response = await get_with_retry(http, url, params, service=SERVICE, timeout_s=upstreams.timeout_s)
    if response.status_code == 404:
        raise await _unknown_currency_error(http, upstreams, (source, target))
    data: Any = parse_json(response, service=SERVICE)
    if response.status_code != 200:
        message = data.get("message") if isinstance(data, dict) else None
        raise ToolError(
            f"{SERVICE} refused converting {amount:g} {source} to {target} "
            f"(HTTP {response.status_code}): {message or repr(data)}"
        )
    try:
        return {
            "amount": float(data["amount"]),
            "base": str(data["base"]),
            "date": str(data["date"]),
            "rates": {target: float(data["rates"][target])},
        }
    except (KeyError, TypeError, ValueError) as e:
        raise ToolError(f"unexpected response from {SERVICE}: missing or malformed {e} in {str(data)[:200]}") from e


async def convert_currency(
    amount: Annotated[float, Field(gt=0, description="How much money to convert, e.g. 100 or 12.5.")],
    from_currency: Annotated[str, Field(description="ISO 4217 code of the currency to convert from, e.g. 'USD'.")],
    to_currency: Annotated[str, Field(description="ISO 4217 code of the currency to convert to, e.g. 'EUR'.")],
    *,
    ctx: Context,
) -> Conversion:
    """Convert an amount of money between currencies at the latest European Central Bank reference rate."""
    state = tool_state(ctx)
    return await fetch_conversion(state.http, state.upstreams, amount, from_currency, to_currency)
