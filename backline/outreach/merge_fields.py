"""Merge fields in outreach templates: ``{{ act }}``, ``{{ venue }}``, ``{{ green_zone_dates }}``…

A tiny renderer of its own, never Django's template engine on text people type: the only syntax is
``{{ name }}`` (spaces optional) with a name from ``FIELDS``. No tags, no filters, no attribute access:
``{% load %}``, ``{{ act|upper }}`` or ``{{ x.__class__ }}`` are unknown fields, refused when a template
is saved and when an email is sent, with the list of known fields.

Values are plain text about the booking, the act, the venue and the recipient. A field with no value
for a recipient (``{{ venue }}`` in an email that is about no booking) is refused at send, naming the
field and why, and is highlighted in the preview.

The body of an email is Markdown (rendered safely by the outbox), so a value is escaped before it goes
into a body: ``\\ ` * { } [ ]`` get a backslash (and ``_`` at a word's edge), so a value can never
become a link, code, emphasis or a merge field; ``< >`` become entities (so ``<https://…>`` cannot
become an autolink and nothing becomes HTML); line breaks become spaces (a value cannot start a list,
a heading or a code block); and a value that starts a line cannot start a block (``#``, ``-``, ``+``,
``>``, ``1.``). Whatever a contact's name or an organisation says, it stays text. Subjects are plain
text headers: values go in unescaped, on one line, without control characters.
``epk_link`` is our own absolute URL and goes into a body as a Markdown autolink ``<https://…>``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape

from backline.core.errors import Invalid

# --- the fields ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str
    example: str
    needs: str = ""  # "booking", "contact", "act" (what the email must be about to have a value)


FIELDS: tuple[Field, ...] = (
    Field("act", "Act", "The act's name (the booking's act, or your act).", "The Velvet Owls", "act"),
    Field("act_genres", "Act genres", "The act's genres, comma-separated.", "indie rock, dream pop", "act"),
    Field("act_city", "Act city", "Where the act is based.", "Berlin", "act"),
    Field("venue", "Venue", "The booking's venue (or your venue).", "Lantern Hall", "booking"),
    Field("venue_city", "Venue city", "The venue's city.", "Berlin", "booking"),
    Field("date", "Date", "The booking's date in its time zone.", "Saturday 12 December 2026", "booking"),
    Field("dates", "Dates", "The booking's date, or the requested date range.",
          "Friday 4 – Sunday 6 December 2026", "booking"),
    Field("green_zone_dates", "Green-zone dates",
          "Your act's next free evenings (everyone available) in the next 90 days, up to 5.",
          "Fri 4 Dec, Sat 5 Dec, Thu 10 Dec, Fri 11 Dec, Sat 19 Dec", "act"),
    Field("epk_link", "EPK link", "A link to the act's press kit page; each recipient's opens are counted for the act.",
          "https://backline.example/a/the-velvet-owls/", "act"),
    Field("deal_summary", "Deal summary", "The booking's current deal, as bookers write it.",
          "€800 vs 70% of net, 50% deposit", "booking"),
    Field("contact_name", "Contact name", "The recipient's name.", "Mara Berg", "contact"),
    Field("contact_first_name", "Contact first name", "The recipient's first name.", "Mara", "contact"),
    Field("organisation", "Organisation", "The recipient's organisation.", "Night Shift Promotions", "contact"),
    Field("sender_name", "Your name", "The name of the person sending.", "Alex Novak"),
    Field("workspace", "Workspace", "Your workspace's name.", "Lantern Hall"),
    Field("booking_reference", "Booking reference", "The booking's reference.", "BK-2026-0042", "booking"),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
BY_NAME = {f.name: f for f in FIELDS}

GREEN_ZONE_DAYS = 90
GREEN_ZONE_LISTED = 5
EVENING = (dt.time(18), dt.time(2))  # as on the act's schedule page: a show needs the evening free
SHOW_HOURS = 3

# ``{{ … }}`` (anything inside, checked afterwards), template tags and comments of any engine, and an
# opening brace pair left unclosed.
_FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_UNCLOSED = re.compile(r"\{\{(?![^{}]*\}\})|\{%(?!.*?%\})", re.S)


def fields_in(text: str) -> list[str]:
    """The known field names ``text`` uses, in order of first use."""
    seen: dict[str, None] = {}
    for match in _FIELD.finditer(text or ""):
        name = match.group(1).strip()
        if name in BY_NAME:
            seen.setdefault(name, None)
    return list(seen)


def unknown_in(text: str) -> list[str]:
    """Everything in ``text`` that looks like template syntax but is not a known field, as written
    (``x.__class__``, ``act|upper``, ``{% load %}``, an unclosed ``{{``)."""
    text = text or ""
    found: dict[str, None] = {}
    for match in _FIELD.finditer(text):
        name = match.group(1).strip()
        if name not in BY_NAME:
            found.setdefault(name or "(empty)", None)
    for match in _TAG.finditer(text):
        found.setdefault(" ".join(match.group(0).split()), None)
    stripped = _TAG.sub("", _FIELD.sub("", text))
    if _UNCLOSED.search(stripped):
        found.setdefault("an unclosed “{{” or “{%”", None)
    return list(found)


def unknown_message(unknown: list[str]) -> str:
    names = ", ".join(f"“{u}”" for u in unknown)
    return (f"Unknown merge field{'s' if len(unknown) != 1 else ''}: {names}. Use {{{{ name }}}} with one of: "
            f"{', '.join(FIELD_NAMES)}. Tags, filters and attributes are not supported.")


def check_known(**texts: str) -> None:
    """``Invalid`` (422) naming each text (subject, body) with unknown fields, and the known ones."""
    errors = {name: [unknown_message(unknown)] for name, text in texts.items() if (unknown := unknown_in(text))}
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first, errors=errors, code="unknown_merge_field")


# --- escaping and rendering --------------------------------------------------------------------------

# Backslash-escaped: what makes links, images, code and emphasis (an underscore only at a word's edge:
# inside a word it is text in Markdown, and "Jean_Luc" should read the same in the plain-text part).
_MD_BACKSLASH = re.compile(r"([\\`*{}\[\]]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_MD_LINE_START = re.compile(r"^([#>+\-=]|\d+[.)])")


def one_line(value: str) -> str:
    """``value`` on one line, without control or format characters (they have no place in a header)."""
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else " " for c in str(value))
    return " ".join(text.split())


def markdown_escape(value: str, *, line_start: bool = False) -> str:
    """A plain-text value made inert in Markdown (see the module's docstring). ``line_start``: the value
    begins a line of the body, where ``#``, ``-``, ``>`` or ``1.`` would start a block."""
    text = one_line(value)
    text = _MD_BACKSLASH.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if line_start:
        text = _MD_LINE_START.sub(lambda m: "\\" + m.group(1), text)
    return text


@dataclass
class Values:
    """One recipient's values: ``values[name]`` is the text ('' when there is none), ``why[name]`` says
    why a field has no value, ``links`` names the fields that are our own URLs."""

    values: dict[str, str] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    links: frozenset[str] = frozenset({"epk_link"})

    def missing_in(self, *texts: str) -> dict[str, str]:
        """name → why, for every field the texts use that has no value here."""
        used: dict[str, None] = {}
        for text in texts:
            for name in fields_in(text):
                used.setdefault(name, None)
        return {name: self.why.get(name) or "it has no value here" for name in used if not self.values.get(name)}


def _sub(text: str, replace) -> str:
    """``text`` with each known field replaced by ``replace(name, line_start)``; unknown ones stay."""
    text = text or ""

    def one(match):
        name = match.group(1).strip()
        if name not in BY_NAME:
            return match.group(0)
        line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        return replace(name, not line.strip())

    return _FIELD.sub(one, text)


def _body_value(values: Values, name: str, line_start: bool) -> str:
    raw = values.values.get(name, "")
    return f"<{raw}>" if name in values.links else markdown_escape(raw, line_start=line_start)


def render_subject(text: str, values: Values) -> str:
    """The subject with values filled in (plain text, one line); a field with no value stays as written."""
    return _sub(text, lambda name, _: one_line(values.values.get(name, "")) or f"{{{{ {name} }}}}")


def render_body(text: str, values: Values) -> str:
    """The Markdown body with values filled in, escaped; a field with no value stays as written."""
    return _sub(text, lambda name, start: _body_value(values, name, start) if values.values.get(name)
                else f"{{{{ {name} }}}}")


MISSING_MARK = "MERGEFIELDMISSING{}X"


def preview_html(text: str, values: Values) -> str:
    """The body as the recipient's mail program shows it (Markdown rendered and sanitised), fields with
    no value marked up for the preview."""
    from backline.core.markdown import render_markdown

    names: list[str] = []

    def value(name: str, line_start: bool) -> str:
        if values.values.get(name):
            return _body_value(values, name, line_start)
        names.append(name)
        return MISSING_MARK.format(len(names) - 1)

    html = render_markdown(_sub(text, value))
    for index, name in enumerate(names):
        why = escape(values.why.get(name, "no value"))
        html = html.replace(MISSING_MARK.format(index), f'<mark class="merge-missing" title="{why}">'
                                                        f'{{{{ {escape(name)} }}}}</mark>', 1)
    return html


def sample_values(*, workspace: str = "", sender: str = "") -> Values:
    """Example values for every field (the template editor's preview), with the workspace's own name
    and the person's own when given."""
    values = {f.name: f.example for f in FIELDS} | {"epk_link": "https://backline.example/a/example/"}
    values.update({k: v for k, v in (("workspace", workspace), ("sender_name", sender)) if v})
    return Values(values=values)


# --- where the values come from ----------------------------------------------------------------------

def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def date_range(start: dt.date, end: dt.date | None) -> str:
    """"Saturday 12 December 2026"; "Friday 4 – Sunday 6 December 2026"; "Monday 30 November –
    Wednesday 2 December 2026"; across years both in full."""
    if end is None or end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%A} {start.day} – {long_date(end)}"
    if start.year == end.year:
        return f"{start:%A} {start.day} {start:%B} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


class MergeSource:
    """Everything an email's values come from: the sending workspace and person, the booking it is
    about (if any), and per recipient the contact (or just a name). Booking- and act-wide values are
    worked out once for all recipients, and only those the texts use (the green zone reads schedules)."""

    def __init__(self, *, workspace, sender=None, booking=None, act=None, venue=None, texts: tuple[str, ...] = ()):
        self.workspace = workspace
        self.sender = sender
        self.booking = booking
        self.act = act if act is not None else self._act()
        self.venue = venue if venue is not None else self._venue()
        used: dict[str, None] = {}
        for text in texts:
            for name in fields_in(text):
                used.setdefault(name, None)
        self.used = list(used) if texts else list(FIELD_NAMES)
        self.shared = Values()
        self._fill_shared()

    # the booking's act and venue, or the workspace's own
    def _act(self):
        from backline.artists.models import Act

        if self.booking is not None and self.booking.act_id:
            return self.booking.act
        if self.workspace.kind == "act":
            return Act.objects.select_related("workspace").filter(workspace=self.workspace).first()
        return None

    def _venue(self):
        from backline.venues.models import Venue

        if self.booking is not None and self.booking.venue_id:
            return self.booking.venue
        if self.booking is None and self.workspace.kind == "venue":
            return Venue.objects.filter(workspace=self.workspace).order_by("name", "id").first()
        return None

    def _own_act(self) -> bool:
        return self.act is not None and self.act.workspace_id == self.workspace.pk

    def _set(self, name: str, value: str, why: str = "") -> None:
        value = (value or "").strip()
        self.shared.values[name] = value
        if not value:
            self.shared.why[name] = why or "it has no value here"

    def _fill_shared(self) -> None:
        wanted = set(self.used)
        booking, act, venue = self.booking, self.act, self.venue
        no_booking = "this email is not about a booking"
        no_act = ("this booking has no act" if booking is not None else
                  "this email is about no act: start it from a booking with an act")
        if "workspace" in wanted:
            self._set("workspace", self.workspace.name)
        if "sender_name" in wanted:
            self._set("sender_name", self.sender.get_full_name() if self.sender is not None else "",
                      "nobody is sending it")
        if wanted & {"act", "act_genres", "act_city"}:
            self._set("act", act.workspace.name if act else "", no_act)
            genres = ", ".join(g.name.lower() for g in act.genres.all()) if act else ""
            self._set("act_genres", genres, f"{act.workspace.name} has no genres on its profile" if act else no_act)
            self._set("act_city", act.workspace.city_name if act else "",
                      f"{act.workspace.name} has no city on its profile" if act else no_act)
        if "venue" in wanted or "venue_city" in wanted:
            why = no_booking if booking is None else "this booking has no venue"
            self._set("venue", venue.name if venue else "", why)
            self._set("venue_city", venue.city_name if venue else "",
                      f"{venue.name} has no city" if venue else why)
        if wanted & {"date", "dates"}:
            self._fill_dates()
        if "booking_reference" in wanted:
            self._set("booking_reference", booking.reference if booking else "", no_booking)
        if "deal_summary" in wanted:
            self._set("deal_summary", self._deal_summary(), no_booking if booking is None else
                      "no offer has been made on this booking yet")
        if "green_zone_dates" in wanted:
            self._fill_green_zone(no_act)
        if "epk_link" in wanted:
            self._fill_epk_link(no_act)

    def _fill_dates(self) -> None:
        from backline.core.timeutil import zone

        booking = self.booking
        if booking is None:
            self._set("date", "", "this email is not about a booking")
            self._set("dates", "", "this email is not about a booking")
            return
        day = booking.starts_at.astimezone(zone(booking.time_zone)).date() if booking.starts_at else None
        if day is None and booking.date_from and (booking.date_to in (None, booking.date_from)):
            day = booking.date_from
        self._set("date", long_date(day) if day else "",
                  "the booking has a date range, not one date: use {{ dates }}" if booking.date_from else
                  "the booking has no date yet")
        if day is not None:
            self._set("dates", long_date(day))
        else:
            self._set("dates", date_range(booking.date_from, booking.date_to) if booking.date_from else "",
                      "the booking has no date or date range yet")

    def _deal_summary(self) -> str:
        from backline.bookings import deals
        from backline.bookings import services as booking_services
        from backline.bookings.models import OfferStatus

        if self.booking is None:
            return ""
        offers = list(self.booking.offers.all())
        current = next((o for o in reversed(offers) if o.status == OfferStatus.PROPOSED), None) or \
            next((o for o in reversed(offers) if o.status == OfferStatus.ACCEPTED), None)
        return deals.summary(booking_services.deal_of(current)) if current else ""

    def _fill_green_zone(self, no_act: str) -> None:
        from django.utils import timezone

        from backline.core.timeutil import zone
        from backline.scheduling import selectors as scheduling

        act = self.act
        if act is None:
            self._set("green_zone_dates", "", no_act)
            return
        if not self._own_act():
            self._set("green_zone_dates", "", f"only {act.workspace.name} can share its own green-zone dates")
            return
        today = timezone.localdate(timezone=zone(act.workspace.time_zone))
        view = scheduling.green_zone_for_act(act, start=today, end=today + dt.timedelta(days=GREEN_ZONE_DAYS - 1),
                                             window=EVENING, min_hours=SHOW_HOURS)
        days = [d for d in view.days if d >= today][:GREEN_ZONE_LISTED]
        self._set("green_zone_dates", ", ".join(short_date(d) for d in days),
                  f"{act.workspace.name} has no evening when everyone is free in the next {GREEN_ZONE_DAYS} days")

    def _fill_epk_link(self, no_act: str) -> None:
        from django.urls import reverse

        from backline.artists.epk_models import PressKit, Visibility
        from backline.core.email import absolute_url

        act = self.act
        if act is None:
            self._set("epk_link", "", no_act)
            return
        if not self._own_act():
            self._set("epk_link", "", f"only {act.workspace.name} can share its own press kit")
            return
        kit = PressKit.objects.filter(act=act).only("visibility").first()
        if kit is None or kit.visibility == Visibility.PRIVATE:
            why = (f"the press kit of {act.workspace.name} is not published yet: make it public or unlisted on "
                   f"the Press kit page")
            self._set("epk_link", "", why)
            self.shared.warnings.append(f"{{{{ epk_link }}}} is empty: {why}.")
            return
        self._set("epk_link", absolute_url(reverse("profiles:act", args=[act.workspace.slug])))

    def _tracked_epk_link(self, values: Values, *, contact, label: str) -> None:
        """The press kit link of one recipient: signed with who it was sent to, so that the act sees
        which recipient opened it (``artists.epk.recipient_token``; verified by the public page)."""
        from urllib.parse import urlencode

        from backline.artists.epk import recipient_token

        link = values.values.get("epk_link")
        if not link or self.act is None:
            return
        token = recipient_token(act_workspace_id=self.act.workspace_id,
                                contact_id=contact.pk if contact is not None else None, label=label)
        values.values["epk_link"] = f"{link}?{urlencode({'r': token})}"

    def for_recipient(self, *, contact=None, name: str = "") -> Values:
        """The values for one recipient: the shared ones and the recipient's name and organisation."""
        values = Values(values=dict(self.shared.values), why=dict(self.shared.why), warnings=list(self.shared.warnings))
        full = (contact.name if contact is not None else "") or name or ""
        full = one_line(full)
        values.values["contact_name"] = full
        values.values["contact_first_name"] = full.split(" ")[0] if full else ""
        organisation = contact.organisation if contact is not None else ""
        if not organisation and self.booking is not None and self.booking.client_id and contact is None:
            organisation = self.booking.client.company
        values.values["organisation"] = one_line(organisation or "")
        for key, why in (("contact_name", "the recipient has no name: add one (Name <address>) or pick a contact"),
                         ("contact_first_name", "the recipient has no name"),
                         ("organisation", "the recipient has no organisation (add it to the contact)")):
            if not values.values[key]:
                values.why[key] = why
        if "epk_link" in self.used:
            self._tracked_epk_link(values, contact=contact,
                                   label=values.values["organisation"] or values.values["contact_name"] or "")
        return values
