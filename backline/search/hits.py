"""What a search result shows: ``Hit``, and each type's hit made from the row the search query returned
(its id and a JSON object of the fields named by ``selectors``), seen from the viewer's side."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from backline.accounts.models import Membership, Workspace
from backline.accounts.permissions import ROSTER_MANAGE, capabilities_of
from backline.artists.models import Act
from backline.bookings.models import Client, Status
from backline.core.timeutil import day_words, zone
from backline.venues.models import Venue


@dataclass(frozen=True)
class Hit:
    """One result. ``url_args`` is ``(url name, args, query)`` for the viewer's page of the hit, or
    ``None`` where there is no page to go to; acts and venues link to their public pages where those
    routes exist (``search.links``)."""

    type: str
    id: int
    title: str
    subtitle: str
    url_args: tuple[str, tuple, dict] | None = None
    # Something to do with the hit besides opening it: (label, url name, args, query).
    action_args: tuple[str, str, tuple, dict] | None = None
    note: str = ""  # a word of warning beside the title (a venue not verified yet)

    @property
    def action(self) -> tuple[str, str] | None:
        """(label, url) of the hit's action, if it has one."""
        if self.action_args is None:
            return None
        label, name, args, query = self.action_args
        return label, reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")

    @property
    def url(self) -> str | None:
        if self.url_args is None:
            return None
        name, args, query = self.url_args
        try:
            return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")
        except NoReverseMatch:  # a public page whose route is not there (yet): plain text
            return None


def _joined(*parts) -> str:
    return " · ".join(p for p in parts if p)


def _instant(value: str) -> dt.datetime:
    """A stored instant as JSON gives it: ISO 8601 with its offset (PostgreSQL) or naive UTC (SQLite)."""
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def booking(kind: str, pk: int, row: dict, *, seen: dict[int, Membership]) -> Hit:
    """An inquiry or a booking: it opens from the buyer's workspace when the viewer is in it (``seen``:
    the workspaces whose bookings they see), else from the act's (which sees it from the hold on)."""
    when = ""
    if row["starts_at"]:
        when = day_words(timezone.localtime(_instant(row['starts_at']), zone(row['time_zone'])))
    elif row["date_from"]:
        when = day_words(dt.date.fromisoformat(row['date_from']))
    who = (row["act_name"] if row["act_id"] else
           str(Client(name=row["client_name"], company=row["client_company"])) if row["client_id"] else row["contact_name"])
    where = row["venue_name"] if row["venue_id"] else row["location"]
    slug = row["workspace_slug"] if row["workspace_id"] in seen else row["act_slug"]
    return Hit(kind, pk, row["title"], _joined(Status(row["status"]).label, when, who, where, row["reference"]),
               ("booking_detail", (slug, pk), {}))


def client(pk: int, row: dict, *, agencies: dict[int, Membership]) -> Hit:
    """An agency's client: it opens the client's page (details and booking history; a client with no
    bookings yet is not a dead end, as the filtered booking list was)."""
    where = _joined(row["email"], row["city_name"], row["workspace_name"], "archived" if row["archived_at"] else "")
    return Hit("clients", pk, str(Client(name=row["name"], company=row["company"])), where,
               ("client_detail", (agencies[row["workspace_id"]].workspace.slug, pk), {}))


def performer(pk: int, row: dict, *, agencies: dict[int, Membership]) -> Hit:
    """An agency's performer: those who manage the roster open the performer; the others see the
    agency's performer list."""
    m = agencies[row["workspace_id"]]
    url = (("performer_edit", (m.workspace.slug, pk), {}) if ROSTER_MANAGE in capabilities_of(m.role)
           else ("performer_list", (m.workspace.slug,), {}))
    about = _joined(row["skills"], row["workspace_name"], "" if row["is_active"] else "inactive")
    return Hit("performers", pk, row["name"], about, url)


def act(pk: int, row: dict) -> Hit:
    """A public act profile: its type, city and first three genres."""
    genres = ", ".join(g for g in (row["genre1"], row["genre2"], row["genre3"]) if g is not None)
    city = Workspace(city_name=row["city_name"], country_code=row["country_code"]).city_label
    about = _joined(Act(act_type=row["act_type"]).get_act_type_display(), city, genres)
    return Hit("acts", pk, row["name"], about, ("profiles:act", (row["slug"],), {}) if row.get("slug") else None)


def venue(pk: int, row: dict, *, asker: Workspace | None = None) -> Hit:
    """A public venue: its city, address and capacity; for an act that may send inquiries, or an agency
    asking for the acts it represents (``asker``), a way to ask it for a date."""
    city = Venue(city_name=row["city_name"], country_code=row["country_code"]).city_label
    ask = (("Ask for a date", "agency_ask" if asker.kind == "agency" else "inquiry_new", (asker.slug,), {"venue": pk})
           if asker is not None else None)
    page = ("profiles:venue", (row["slug"],), {}) if row.get("slug") else None
    return Hit("venues", pk, row["name"], _joined(city, row["address"], f"capacity {row['capacity']}"), page, ask,
               note="" if row.get("trusted") else "Not verified yet")
