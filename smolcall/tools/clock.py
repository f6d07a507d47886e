"""Time tools: the current time in a zone, converting a time between zones, days between dates.

Zones are IANA names resolved by `zoneinfo` (the `tzdata` package supplies the database where the
system has none).
"""

import datetime as dt
import difflib
import zoneinfo
from functools import cache
from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic can nest only these below Python 3.12


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _zone_hint(name: str) -> str:
    """Suggestions for a zone name that did not resolve: a city's zone, or close spellings."""
    city = name.strip().replace(" ", "_").lower()
    by_city = [zone for zone in _zone_names() if zone.lower().rsplit("/", 1)[-1] == city]
    close = by_city or difflib.get_close_matches(name, _zone_names(), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(zone) for zone in close) + "?"
    return "use an IANA name like 'Europe/Paris', 'America/New_York', 'Asia/Tokyo' or 'UTC'"


def resolve_zone(name: str) -> zoneinfo.ZoneInfo:
    """The ZoneInfo for an IANA name, or ToolError with a suggestion."""
    try:
        return zoneinfo.ZoneInfo(name.strip())
    # ValueError: names zoneinfo refuses outright, such as absolute paths or '..'.
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        raise ToolError(f"unknown time zone {name!r}; {_zone_hint(name)}") from e


def _now(zone: dt.tzinfo) -> dt.datetime:
    # One place to read the clock, so tests can pin it.
    return dt.datetime.now(zone)


class ZonedTime(TypedDict):
    timezone: str
    datetime: str
    utc_offset: str
    day_of_week: str
    is_dst: bool


def _format_offset(offset: dt.timedelta | None) -> str:
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    hours, minutes = divmod(abs(minutes), 60)
    return f"{'-' if offset is not None and offset < dt.timedelta(0) else '+'}{hours:02d}:{minutes:02d}"


def _describe(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> ZonedTime:
    local = moment.astimezone(zone)
    return {
        "timezone": zone.key,
        "datetime": local.isoformat(timespec="seconds"),
        "utc_offset": _format_offset(local.utcoffset()),
        "day_of_week": local.strftime("%A"),
        "is_dst": bool(local.dst()),
    }


def get_current_time(
    timezone: Annotated[
        str, Field(description="IANA time zone name, e.g. 'UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'.")
    ] = "UTC",
) -> ZonedTime:
    """Get the current date and time in a time zone, with its UTC offset and day of the week."""
    zone = resolve_zone(timezone)
    return _describe(_now(zone), zone)


class TimeConversion(TypedDict):
    source: ZonedTime
    target: ZonedTime
    time_difference: str


def _parse_time(text: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    text = text.strip()
    try:
        clock = dt.time.fromisoformat(text)
    except ValueError:
        clock = None
    if clock is not None:
        if clock.tzinfo is not None:
            raise ToolError(f"time {text!r} carries its own offset; drop it and name the zone in from_timezone")
        # A bare clock time means today, in the source zone.
        return dt.datetime.combine(_now(zone).date(), clock, tzinfo=zone)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as e:
        raise ToolError(f"cannot read time {text!r}; write 'HH:MM' (today) or 'YYYY-MM-DD HH:MM'") from e
    if moment.tzinfo is not None:
        raise ToolError(f"time {text!r} carries its own offset; drop it and name the zone in from_timezone")
    return moment.replace(tzinfo=zone)


def convert_time(
    time: Annotated[
        str, Field(description="Local time in from_timezone: 'HH:MM' for today, or 'YYYY-MM-DD HH:MM' for a date.")
    ],
    from_timezone: Annotated[str, Field(description="IANA zone the time is given in, e.g. 'America/New_York'.")],
    to_timezone: Annotated[str, Field(description="IANA zone to convert the time to, e.g. 'Asia/Tokyo'.")],
) -> TimeConversion:
    """Convert a local time from one time zone to another, accounting for daylight saving time."""
    source_zone, target_zone = resolve_zone(from_timezone), resolve_zone(to_timezone)
    moment = _parse_time(time, source_zone)
    source, target = _describe(moment, source_zone), _describe(moment, target_zone)
    offset = moment.astimezone(target_zone).utcoffset() - moment.utcoffset()
    hours = offset.total_seconds() / 3600
    return {"source": source, "target": target, "time_difference": f"{hours:+g}h"}


class DateSpan(TypedDict):
    start_date: str
    end_date: str
    days: int


def _parse_date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as e:
        raise ToolError(f"{name} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25") from e


def days_between(
    start_date: Annotated[str, Field(description="First date, YYYY-MM-DD, e.g. '2026-01-01'.")],
    end_date: Annotated[str, Field(description="Second date, YYYY-MM-DD, e.g. '2026-12-25'.")],
) -> DateSpan:
    """Count the days from start_date to end_date (negative when end_date comes first)."""
    start, end = _parse_date(start_date, "start_date"), _parse_date(end_date, "end_date")
    return {"start_date": start.isoformat(), "end_date": end.isoformat(), "days": (end - start).days}
