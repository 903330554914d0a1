"""Field types shared by the API's In schemas and query parameters: one rule for each kind of value,
checked completely before any service runs, so a request is refused with a 422 instead of being
written and then failing (or failing in the database driver).

- ``LocalTime``: a local wall-clock time, ``HH:MM`` or ``HH:MM:SS``, read in the time zone the object
  names (a pattern's, a venue's). It carries no UTC offset: a time with an offset (``18:00+02:00``,
  ``18:00Z``) is refused, because an offset cannot be turned into a wall-clock time without a date
  and a zone. Numbers are refused too (``12345`` is not a time of day).
- ``OffsetDateTime``: an ISO 8601 date-time with a UTC offset, which must lie within ±15:59
  (PostgreSQL's limit; Python accepts up to ±23:59). A naive date-time or a number is refused.
- ``TimeZoneName``: an IANA time-zone name (``Europe/Berlin``), at most 64 characters, checked by
  ``timeutil.zone`` (the one place names are read).
- Integers are bounded by the column they go into: ``PositiveInt32`` for ``integer``
  columns, ``SmallCount`` for ``smallint``, ``Id`` for a ``bigint`` key. Every integer of every In
  schema must carry bounds (``tests/test_api_input_bounds.py`` walks the API and fails otherwise).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from ..errors import Invalid
from ..timeutil import NAIVE_MESSAGE, TIME_ZONE_MAX_LENGTH, zone

INT32_MAX = 2**31 - 1
INT16_MAX = 2**15 - 1
BIGINT_MAX = 2**63 - 1
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)

_LOCAL_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?")
LOCAL_TIME_MESSAGE = ("Give a local wall-clock time as HH:MM or HH:MM:SS, without a UTC offset: it is read in "
                      "the time zone of the object.")
OFFSET_MESSAGE = "The UTC offset must lie between -15:59 and +15:59."


def local_time(value):
    """A naive ``datetime.time`` from ``HH:MM[:SS[.ffffff]]`` or a naive time; anything else is refused."""
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError(LOCAL_TIME_MESSAGE)
        return value
    if isinstance(value, str) and _LOCAL_TIME.fullmatch(value):
        return dt.time.fromisoformat(value)
    raise ValueError(LOCAL_TIME_MESSAGE)


def not_a_number(value):
    """A date-time is written as text: a number (which pydantic would read as Unix seconds) is refused."""
    if isinstance(value, (int, float)):  # bool is an int too
        raise ValueError("Give a date-time as ISO 8601 text with a UTC offset, e.g. 2027-03-01T20:00:00+01:00.")
    return value


def offset_in_range(value: dt.datetime) -> dt.datetime:
    """``value`` itself when it has a UTC offset that PostgreSQL can store (naive ones are anyone's guess)."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(NAIVE_MESSAGE)
    if abs(offset) > MAX_UTC_OFFSET:
        raise ValueError(OFFSET_MESSAGE)
    return value


def time_zone_name(value: str) -> str:
    try:
        zone(value)
    except Invalid as exc:
        raise ValueError(exc.errors["time_zone"][0]) from exc
    return value


def _local_time_schema(schema: dict) -> None:
    """A plain string with the pattern: JSON Schema's ``format: time`` is RFC 3339's *full-time*, which
    requires an offset, so a client validating our answers against it would refuse ``18:00:00``."""
    schema.pop("format", None)
    schema["pattern"] = f"^{_LOCAL_TIME.pattern}$"


LocalTime = Annotated[dt.time, BeforeValidator(local_time), Field(
    description="A local wall-clock time, HH:MM or HH:MM:SS, without a UTC offset (in the object's time zone).",
    json_schema_extra=_local_time_schema)]
OffsetDateTime = Annotated[dt.datetime, BeforeValidator(not_a_number), AfterValidator(offset_in_range), Field(
    description="An ISO 8601 date-time with a UTC offset between -15:59 and +15:59.")]
TimeZoneName = Annotated[str, Field(min_length=1, max_length=TIME_ZONE_MAX_LENGTH,
                                    description="An IANA time-zone name, e.g. Europe/Berlin."),
                         AfterValidator(time_zone_name)]
PositiveInt32 = Annotated[int, Field(ge=0, le=INT32_MAX)]
SmallCount = Annotated[int, Field(ge=0, le=INT16_MAX)]
Id = Annotated[int, Field(ge=0, le=BIGINT_MAX, description="The id of an object (the key column's range; 0 names none).")]
