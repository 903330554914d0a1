"""Reading a person's own calendar from its secret iCal address: fetch the file safely, expand it into busy spans.

Nothing here touches the database; ``services.external_calendars`` stores the result. Two halves:

* ``fetch_ics`` downloads the file over HTTP(S) with a timeout, a size cap and a limit on redirects, and
  refuses addresses that resolve to loopback, private, link-local or otherwise non-public networks (the
  address is checked at connect time, for every hop and every resolved address, so a DNS answer cannot
  change between the check and the connection).
* ``parse_busy`` turns the file into busy spans in UTC: recurrences expanded (``recurring_ical_events``),
  cancelled and "free" (transparent) events dropped, dates and floating times read in the person's zone.

Every failure is a ``CalendarFetchError`` whose message can be shown to the person as is.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import logging
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

import icalendar
import recurring_ical_events
from django.conf import settings

from backline.core.errors import Invalid
from backline.core.timeutil import UTC, zone

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds, CALENDAR_IMPORT_TIMEOUT: connecting and each read
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # CALENDAR_IMPORT_MAX_BYTES
MAX_REDIRECTS = 5
TOTAL_TIME_FACTOR = 3  # the whole download must finish within 3 × the timeout
HORIZON_PAST = dt.timedelta(days=30)
HORIZON_FUTURE = dt.timedelta(days=400)
MAX_EVENTS = 5000  # occurrences imported per calendar; the earliest ones are kept
MAX_RULE_STEPS = 200_000  # expansion work one repeating event may cost (see _expansion_steps)
MAX_TOTAL_STEPS = 1_000_000  # ... and all of them together
USER_AGENT = "Backline calendar import (+https://backline.example/help/calendars)"
TITLE_MAX = 120  # AvailabilityBlock.label


class CalendarFetchError(Invalid):
    """A calendar could not be fetched or read. ``code`` is one of ``calendar_bad_url``,
    ``calendar_unreachable``, ``calendar_too_large``, ``calendar_invalid``, ``calendar_forbidden_address``."""

    code = "calendar_invalid"
    title = "The calendar could not be imported"


def _fail(code: str, detail: str, **kw) -> CalendarFetchError:
    return CalendarFetchError(detail, code=code, **kw)


# --- the address ----------------------------------------------------------------------------------

def normalize_url(url: str) -> str:
    """The address to fetch: ``webcal://`` (and ``webcals://``) read as ``https://``; only http(s), a host
    and no user name or password. Raises ``CalendarFetchError`` (``calendar_bad_url``, with a ``url`` field error)."""

    def bad(message: str) -> CalendarFetchError:
        return _fail("calendar_bad_url", message, errors={"url": [message]})

    url = (url or "").strip()
    if not url:
        raise bad("Enter the calendar's secret iCal address.")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise bad("This is not a valid web address.")
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        scheme = "https"
    if scheme not in ("http", "https"):
        raise bad("Use the calendar's http://, https:// or webcal:// address.")
    if not parts.hostname:
        raise bad("The address has no host name.")
    if parts.username is not None or parts.password is not None:
        raise bad("Addresses with a user name or password are not supported; use the calendar's secret iCal address.")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if port is not None:
        netloc += f":{port}"
    return urllib.parse.urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    try:
        return urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, shared,
    reserved, multicast or unspecified); IPv4 embedded in IPv6 (mapped, 6to4, Teredo, NAT64) is unwrapped."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


def _allow_private() -> bool:
    return bool(getattr(settings, "CALENDAR_IMPORT_ALLOW_PRIVATE", False))


def _guarded_create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kw):
    """``socket.create_connection`` that first resolves the host and refuses it if any address is not
    public, then connects to exactly the addresses it checked."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _fail("calendar_unreachable", f"The host name {host} could not be found. Check the calendar address.")
    if not _allow_private():
        for info in infos:
            ip = info[4][0]
            if not is_public_address(ip):
                raise _fail("calendar_forbidden_address",
                            f"The calendar address points to a private or local network address ({host} is {ip}). "
                            "Only calendars on the public internet can be imported.")
    error: OSError | None = None
    for family, socktype, proto, _canonname, sockaddr in infos:
        sock = socket.socket(family, socktype, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"no address for {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _LimitedRedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri") or ""
        if urllib.parse.urlsplit(location).scheme.lower() not in ("http", "https", ""):
            fp.close()
            raise _fail("calendar_forbidden_address", "The calendar address redirects to an address that is not http(s).")
        if sum(getattr(req, "redirect_dict", {}).values()) >= MAX_REDIRECTS:  # hops so far, loops included
            fp.close()
            raise _fail("calendar_unreachable",
                        f"The calendar at {host_of(req.full_url)} redirects too often (more than {MAX_REDIRECTS} times).")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """Only http(s), no proxies from the environment (the guard must see the real destination), no
    file:, ftp: or data: handlers that a redirect could reach."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.UnknownHandler(), _GuardedHTTPHandler(),
                    _GuardedHTTPSHandler(context=ssl.create_default_context()),
                    urllib.request.HTTPDefaultErrorHandler(), _LimitedRedirectHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def _reason(exc: BaseException, timeout: float) -> str:
    while isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"it did not answer within {timeout:g} seconds"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "its security certificate is not valid"
    if isinstance(exc, ssl.SSLError):
        return "a secure connection could not be made"
    if isinstance(exc, socket.gaierror):
        return "the host name could not be found"
    if isinstance(exc, http.client.HTTPException):
        return "it sent an incomplete or malformed answer"
    return "the connection failed"


def fetch_ics(url: str) -> bytes:
    """GET the calendar at ``url`` and return its bytes, or raise ``CalendarFetchError``.

    Settings: ``CALENDAR_IMPORT_TIMEOUT`` (seconds to connect and per read; the whole download gets
    three times that), ``CALENDAR_IMPORT_MAX_BYTES`` (larger files are refused, read in chunks so a
    huge answer is never held in memory) and ``CALENDAR_IMPORT_ALLOW_PRIVATE`` (tests and local dev only)."""
    url = normalize_url(url)
    host = host_of(url)
    timeout = float(getattr(settings, "CALENDAR_IMPORT_TIMEOUT", DEFAULT_TIMEOUT))
    max_bytes = int(getattr(settings, "CALENDAR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    deadline = time.monotonic() + TOTAL_TIME_FACTOR * timeout
    # normalize_url allows only http(s), and _opener() has no other handlers
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"})  # noqa: S310
    too_large = _fail("calendar_too_large",
                      f"The calendar at {host} is larger than {_size(max_bytes)}, the most Backline imports.")
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise too_large
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = response.read1(min(64 * 1024, max_bytes + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise too_large
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise _fail("calendar_unreachable",
                                f"The calendar at {host} took longer than {TOTAL_TIME_FACTOR * timeout:g} seconds to download.")
    except CalendarFetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        if urllib.request.HTTPRedirectHandler.inf_msg in str(exc.msg):
            detail = f"The calendar at {host} redirects too often (more than {MAX_REDIRECTS} times)."
        elif exc.code in (401, 403):
            detail = (f"The calendar at {host} refused access ({exc.code}). The secret address may have been reset; "
                      "copy it again from your calendar's settings.")
        elif exc.code in (404, 410):
            detail = (f"The calendar at {host} was not found ({exc.code}). The secret address may have been reset; "
                      "copy it again from your calendar's settings.")
        else:
            detail = f"The calendar at {host} answered with an error ({exc.code} {exc.reason})."
        raise _fail("calendar_unreachable", detail, http_status=exc.code)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _fail("calendar_unreachable", f"The calendar at {host} could not be reached: {_reason(exc, timeout)}.")
    return b"".join(chunks)


# --- the file -------------------------------------------------------------------------------------

class ParsedEvent(NamedTuple):
    starts_at: dt.datetime  # aware, UTC
    ends_at: dt.datetime  # aware, UTC, after starts_at
    all_day: bool
    title: str


class ParsedEvents(list):
    """The busy spans, earliest first; ``truncated`` when more than the limit were found."""

    truncated: bool = False


_FREQ_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
                 "MONTHLY": 31 * 86400, "YEARLY": 366 * 86400}
_DAY_FILTERS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS")


def _as_utc(value, tz: dt.tzinfo) -> dt.datetime:
    """A DATE (local midnight), floating (local wall clock) or zoned DATE-TIME as an aware UTC datetime."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _as_utc_clamped(value, tz: dt.tzinfo) -> dt.datetime:
    """``_as_utc``, except that a time at the very ends of the calendar (year 1 or 9999, where the shift
    to UTC overflows) becomes the first or last representable instant: the caller clamps to its horizon."""
    try:
        return _as_utc(value, tz)
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=UTC) if value.year < 5000 else dt.datetime.max.replace(tzinfo=UTC)


def _clamp_single_events(calendar, horizon_start: dt.datetime, horizon_end: dt.datetime, tz: dt.tzinfo) -> None:
    """Bring a one-off event that reaches far beyond the horizon (DTSTART in year 1, DTEND or DURATION
    to year 9999) within a couple of days of it, in place, before expansion: the rule engine widens its
    search by the event's length, which overflows the calendar. What lies in the horizon is unchanged."""
    low, high = horizon_start - dt.timedelta(days=2), horizon_end + dt.timedelta(days=2)
    for event in calendar.walk("VEVENT"):
        if "DTSTART" not in event or any(key in event for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
            continue
        try:
            raw_start = event.decoded("DTSTART")
            start = _as_utc_clamped(raw_start, tz)
            if "DTEND" in event:
                end = _as_utc_clamped(event.decoded("DTEND"), tz)
            elif "DURATION" in event:
                try:
                    end = start + event.decoded("DURATION")
                except OverflowError:
                    end = dt.datetime.max.replace(tzinfo=UTC)
            else:
                continue
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # malformed: left to the rule engine, which names the problem
        if low <= start and end <= high:
            continue
        start, end = max(start, low), min(end, high)
        for key in ("DTSTART", "DTEND", "DURATION"):
            event.pop(key, None)
        event.add("dtstart", start)
        event.add("dtend", max(end, start))  # wholly outside the horizon: no length, skipped below


def _order(event: ParsedEvent):
    return event.starts_at, event.ends_at, event.title


def _title(component) -> str:
    title = " ".join(str(component.get("SUMMARY", "")).split())
    return title[:TITLE_MAX] or "Busy"


def _expansion_steps(event, horizon_end: dt.datetime, tz: dt.tzinfo) -> float:
    """A generous estimate of how many candidate times expanding ``event``'s rules up to ``horizon_end``
    walks through. The rule engine always starts at DTSTART, so "every minute since 2015" costs millions
    of steps even though few of them fall in the horizon."""
    rules = event.get("RRULE")
    if rules is None:
        return 0
    start = _as_utc(event.decoded("DTSTART"), tz)
    steps = 0.0
    for rule in rules if isinstance(rules, list) else [rules]:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq not in _FREQ_SECONDS:
            continue  # the rule engine reports it
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        end = horizon_end
        until = (rule.get("UNTIL") or [None])[0]
        if isinstance(until, dt.date):
            end = min(end, _as_utc(until, tz))
        periods = max((end - start).total_seconds(), 0) / (_FREQ_SECONDS[freq] * interval) + 1
        per_period = 1
        for key, unit in (("BYSECOND", 1), ("BYMINUTE", 60), ("BYHOUR", 3600)):
            if _FREQ_SECONDS[freq] > unit and rule.get(key):
                per_period *= len(rule[key])
        filtered = any(rule.get(key) for key in _DAY_FILTERS)
        if filtered and _FREQ_SECONDS[freq] > 86400:
            per_period *= _FREQ_SECONDS[freq] // 86400
        count = (rule.get("COUNT") or [None])[0]
        if count and not filtered and per_period == 1:
            periods = min(periods, int(count))
        steps += periods * per_period
    return steps


def _check_expansion_cost(calendar, horizon_end: dt.datetime, tz: dt.tzinfo) -> None:
    total = 0.0
    for event in calendar.walk("VEVENT"):
        try:
            steps = _expansion_steps(event, horizon_end, tz)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue  # malformed: left to the rule engine, which names the problem
        if steps > MAX_RULE_STEPS:
            raise _fail("calendar_invalid",
                        f"The event “{_title(event)}” repeats too often (more than about once an hour for a long time) "
                        "to be imported. Change or delete it in your calendar.")
        total += steps
    if total > MAX_TOTAL_STEPS:
        raise _fail("calendar_invalid", "The calendar has too many frequently repeating events to be imported.")


def parse_busy(ics_bytes: bytes, *, horizon_start: dt.datetime, horizon_end: dt.datetime, time_zone: str = "UTC",
               limit: int = MAX_EVENTS) -> ParsedEvents:
    """The busy spans of ``ics_bytes`` that overlap ``[horizon_start, horizon_end)``, earliest first.

    * Recurring events are expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides).
    * Events with ``STATUS:CANCELLED`` or ``TRANSP:TRANSPARENT`` ("show me as free") are skipped.
    * DATE values (all-day events) run from local midnight to local midnight in ``time_zone``, the
      person's zone; floating DATE-TIMEs are read as wall-clock times in that zone too.
    * Without DTEND the end comes from DURATION, else (RFC 5545) one day for a DATE start and the start
      itself for a DATE-TIME start: such zero-length events take no time and are skipped.
    * At most ``limit`` spans are returned (the earliest); ``result.truncated`` tells if more were found.

    Raises ``CalendarFetchError`` (``calendar_invalid``) for anything that is not a readable iCalendar file.
    """
    if horizon_start.tzinfo is None or horizon_end.tzinfo is None:
        raise ValueError("horizon_start and horizon_end must be aware")
    tz = zone(time_zone)
    data = ics_bytes.removeprefix(b"\xef\xbb\xbf")
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise _fail("calendar_invalid", "The address did not return a calendar file (iCalendar). "
                                        "Check that you copied the calendar's secret iCal address.")
    start_local, end_local = horizon_start.astimezone(tz), horizon_end.astimezone(tz)
    found: list[ParsedEvent] = []
    truncated = False
    try:
        calendar = icalendar.Calendar.from_ical(data)
        _check_expansion_cost(calendar, horizon_end, tz)
        _clamp_single_events(calendar, horizon_start, horizon_end, tz)
        query = recurring_ical_events.of(calendar)
        # CalendarQuery.between() builds one list of every occurrence; walking each series lazily does the
        # same expansion without holding copies of all components at once.
        for series in query.series:
            for occurrence in series.between(start_local, end_local):
                component = occurrence.as_component(False)
                if str(component.get("STATUS", "")).strip().upper() == "CANCELLED":
                    continue
                if str(component.get("TRANSP", "")).strip().upper() == "TRANSPARENT":
                    continue
                starts_at, ends_at = _as_utc_clamped(occurrence.start, tz), _as_utc_clamped(occurrence.end, tz)
                if ends_at <= starts_at or ends_at <= horizon_start or starts_at >= horizon_end:
                    continue
                all_day = not isinstance(occurrence.start, dt.datetime)
                if starts_at < horizon_start or ends_at > horizon_end:
                    # Stored blocks stay within the horizon: an event from year 1 to 9999 is busy for the
                    # whole horizon, never a span no calendar can show.
                    starts_at, ends_at, all_day = max(starts_at, horizon_start), min(ends_at, horizon_end), False
                found.append(ParsedEvent(starts_at, ends_at, all_day, _title(component)))
                if len(found) > 2 * limit:  # keep memory bounded: only the earliest ``limit`` can survive
                    found.sort(key=_order)
                    del found[limit:]
                    truncated = True
    except CalendarFetchError:
        raise
    except Exception as exc:  # untrusted input: the parser and rule engine raise many kinds of errors
        log.info("unreadable calendar file", exc_info=True)
        message = " ".join(str(exc).split())[:200]
        raise _fail("calendar_invalid", f"The calendar file could not be read: {message}")
    found.sort(key=_order)
    result = ParsedEvents(found[:limit])
    result.truncated = truncated or len(found) > limit
    return result


def default_horizon(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - HORIZON_PAST, now + HORIZON_FUTURE
