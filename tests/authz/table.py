"""The declaration table: who may use each route. One entry per web route (by URL name) and per API
operation (method and path); third-party route groups (allauth, Django admin) are declared as groups.

A workspace route names the capability it needs; which roles pass is derived from
``ROLE_CAPABILITIES`` (backline.accounts.permissions), never written out per role here."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import (
    AUDIT_VIEW,
    BOOKINGS_MANAGE,
    BOOKINGS_VIEW,
    MEMBERS_MANAGE,
    MEMBERS_VIEW,
    ROSTER_MANAGE,
    SCHEDULE_MANAGE,
    SCHEDULE_VIEW,
    WORKSPACE_EDIT,
    WORKSPACE_VIEW,
)

ALL_KINDS = tuple(WorkspaceKind.values)
ACTS = (WorkspaceKind.ACT.value,)
AGENCIES = (WorkspaceKind.AGENCY.value,)
VENUE_KEEPERS = (WorkspaceKind.VENUE.value, WorkspaceKind.PROMOTER.value)
BUYERS = (WorkspaceKind.VENUE.value, WorkspaceKind.PROMOTER.value, WorkspaceKind.AGENCY.value)
GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")
LINE_UP_ONLY = ("viewer",)  # answering a date poll is for the line-up; an act's viewers are not in it

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix} {next(_seq)}"


def unique_email() -> str:
    return f"matrix-invitee-{next(_seq)}@example.org"


def berlin_id() -> int:
    from backline.core.places import find_city

    return find_city("Berlin", "DE").geoname_id


# --- access rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Public:
    """Anyone, anonymous included: an anonymous GET (or the route's own call) answers ``status``."""

    status: int = 200


@dataclass(frozen=True)
class Placeholder:
    """Answers 404 to everyone (Ninja's API root, which only exists so the API can reverse its URLs)."""


@dataclass(frozen=True)
class DevOnly:
    """Public in development; closed in production. ``gate`` names what closes it."""

    gate: str


@dataclass(frozen=True)
class LoggedIn:
    """Any logged-in person (about themselves: profile, their workspaces, creating a workspace)."""

    methods: tuple[str, ...] = GET
    body: dict | Callable[[], dict] | None = None  # POST form data (web) or JSON body (API)
    query: dict | Callable[[], dict] | None = None


@dataclass(frozen=True)
class InviteeOnly:
    """An invitation link: log-in required; only the invited address may answer it (others 403).
    On the web a GET shows the invitation to any logged-in holder of the link (naming the address)."""

    methods: tuple[str, ...] = POST
    body: dict | None = None


@dataclass(frozen=True)
class Member:
    """A workspace route: members whose role holds ``capability`` pass; other members 403;
    non-members 404; on a workspace of a kind not in ``kinds``, 404 for those holding the capability.
    ``fresh`` names the objects a request consumes (a new one is made for every request);
    ``body`` is the request body: form data (web) or a *valid* JSON body (API), so that the request
    reaches the permission check instead of stopping at schema validation."""

    capability: str
    methods: tuple[str, ...] = GET
    kinds: tuple[str, ...] = ALL_KINDS
    fresh: tuple[str, ...] = ()
    body: dict | Callable[[], dict] | None = None
    query: dict | Callable[[], dict] | None = None  # a valid query string, so validation passes
    not_for: tuple[str, ...] = ()  # roles refused (403) despite the capability, e.g. not in the line-up


@dataclass(frozen=True)
class AssignedOrStaff:
    """A gig's performer page: members whose role holds ``capability`` (owners, admins, coordinators)
    pass, and so does the performer assigned to the gig; every other member gets 404, as for a missing
    gig (a performer not on it, a member, a viewer). Only agencies have gigs."""

    capability: str
    kinds: tuple[str, ...] = AGENCIES
    methods: tuple[str, ...] = GET
    fresh: tuple[str, ...] = ()
    body: dict | None = None
    query: dict | None = None


@dataclass(frozen=True)
class Own:
    """A person's own object (an availability pattern or block, an imported calendar): the person who
    made it passes; any other logged-in person gets 404, exactly as for a missing one."""

    param: str
    methods: tuple[str, ...] = GET
    body: dict | Callable[[], dict] | None = None


@dataclass(frozen=True)
class SecretLink:
    """A public address whose secret token is the key (a calendar feed, a share link): anyone with a
    live token gets 200; an unknown, rotated or revoked token is 404."""

    maker: str  # what makes a live token: "feed" or "share_link"


@dataclass(frozen=True)
class PublicPage:
    """A public page at a readable address (a venue's /v/<slug>/, its JSON twin): a public or unlisted
    page opens for anyone, anonymous included; a private one is 404 for everyone but the owner's team
    (who preview it); an unknown address is 404. ``maker`` names the page maker in makers_*.PAGE_MAKERS."""

    maker: str


def body_of(rule) -> dict | None:
    body = getattr(rule, "body", None)
    return body() if callable(body) else body


def with_query(rule, url: str) -> str:
    from urllib.parse import urlencode

    query = getattr(rule, "query", None)
    query = query() if callable(query) else query
    return f"{url}?{urlencode(query)}" if query else url


# --- scheduling bodies ----------------------------------------------------------------------------

def _soon(days: int = 7, hour: int = 19) -> str:
    import datetime as dt

    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


RULE_FORM = lambda: {"state": "free", "start_time": "18:00", "end_time": "23:00", "repeat": "weekly",  # noqa: E731
                     "days": "MO", "starts_on": _today()}
RULE_JSON = lambda: {"state": "free", "start_time": "18:00", "end_time": "23:00",  # noqa: E731
                     "rrule": "FREQ=WEEKLY;BYDAY=MO", "starts_on": _today()}
BLOCK_JSON = lambda: {"state": "busy", "starts_at": _soon(3, 10), "ends_at": _soon(3, 12)}  # noqa: E731
SPAN_QUERY = lambda: {"starts_at": _soon(3, 10), "ends_at": _soon(3, 12)}  # noqa: E731
RANGE_QUERY = lambda: {"start": _soon(0, 0), "end": _soon(14, 0)}  # noqa: E731
ZONE_QUERY = lambda: {"start": _today(), "end": _today()}  # noqa: E731
EVENT_FORM = lambda: {"title": unique("Rehearsal"), "kind": "rehearsal", "starts_at": _soon(5, 18)[:16],  # noqa: E731
                      "ends_at": _soon(5, 21)[:16]}
EVENT_JSON = lambda: {"title": unique("Rehearsal"), "starts_at": _soon(5, 18), "ends_at": _soon(5, 21)}  # noqa: E731
POLL_FORM = lambda: {"title": unique("Poll"), "kind": "rehearsal", "slots": f"{_soon(9)[:10]} 19:00-22:00"}  # noqa: E731
POLL_JSON = lambda: {"title": unique("Poll"), "options": [{"starts_at": _soon(9, 19), "ends_at": _soon(9, 22)}]}  # noqa: E731
SHARE_FORM = lambda: {"starts_on": _today(), "ends_on": _today(), "min_hours": "1"}  # noqa: E731
INQUIRY_JSON = lambda: {"title": unique("Matrix inquiry"), "source": "email", "budget": "500"}  # noqa: E731
def ask_json() -> dict:
    """An act's valid inquiry: any venue on Backline (one is made if there is none yet), a date of its own."""
    import datetime as dt

    from backline.venues.models import Venue

    venue = Venue.objects.filter(workspace__kind="venue").order_by("pk").first()
    if venue is None:
        from backline.venues.services import venue_workspace_create
        from tests.factories import UserFactory

        ws = venue_workspace_create(actor=UserFactory(), name=unique("Asked hall"), capacity=300,
                                    geoname_id=berlin_id()).workspace
        venue = Venue.objects.get(workspace=ws)
    day = dt.date.today() + dt.timedelta(days=30 + next(_seq) % 3000)
    return {"venue_id": venue.pk, "date_from": day.isoformat(), "message": "Matrix"}


HOLD_JSON = lambda: {"starts_at": _soon(40, 20), "ends_at": _soon(40, 22)}  # noqa: E731
HOLD_FORM = lambda: {"starts_at": _soon(40, 20)[:16], "ends_at": _soon(40, 22)[:16]}  # noqa: E731
GUARANTEE_JSON = {"deal_type": "guarantee", "guarantee": "500", "deposit_percent": "50"}
REASON = {"reason": "Matrix"}
def _notification_types() -> list[str]:
    from backline.notifications.models import NotificationType

    return list(NotificationType.values)


CALENDAR_BODY = {"name": "Work", "url": "http://127.0.0.1:9/closed.ics"}  # a closed port: fails fast, saved with its error


# --- web routes, by URL name ----------------------------------------------------------------------

WEB = {
    "home": Public(200),  # the landing page; logged-in people are sent on to their workspace
    "health": Public(200),
    "api:openapi-json": Public(200),
    "api:openapi-view": Public(200),
    "api:api-root": Placeholder(),
    # development only; open to anyone on loopback, to staff only from elsewhere (backline/core/mailbox.py)
    "dev_mailbox": DevOnly("DEV_MAILBOX_ENABLED"),
    "dev_mailbox_message": DevOnly("DEV_MAILBOX_ENABLED"),
    "media": DevOnly("PRODUCTION"),  # the pattern is only installed outside production
    "profile": LoggedIn(GET_POST),
    "workspace_list": LoggedIn(),
    "workspace_new": LoggedIn(),
    "workspace_new_organisation": LoggedIn(GET_POST),
    "act_new": LoggedIn(GET_POST),
    "venue_workspace_new": LoggedIn(GET_POST),
    "invitation_detail": InviteeOnly(GET_POST, body={"answer": "decline"}),
    "workspace_dashboard": Member(WORKSPACE_VIEW),
    "workspace_profile": Member(WORKSPACE_EDIT, GET_POST),
    "workspace_members": Member(MEMBERS_VIEW),
    "workspace_history": Member(AUDIT_VIEW),
    "workspace_leave": Member(WORKSPACE_VIEW, POST),  # each caller leaves once; the last owner is refused
    "invitation_create": Member(MEMBERS_MANAGE, POST),
    "invitation_resend": Member(MEMBERS_MANAGE, POST, fresh=("invitation_id",)),
    "invitation_revoke": Member(MEMBERS_MANAGE, POST, fresh=("invitation_id",)),
    "member_role": Member(MEMBERS_MANAGE, POST, fresh=("membership_id",), body={"role": "viewer"}),
    "member_remove": Member(MEMBERS_MANAGE, POST, fresh=("membership_id",)),
    "line_up": Member(MEMBERS_VIEW, kinds=ACTS),
    "act_details": Member(WORKSPACE_EDIT, POST, kinds=ACTS),
    "act_member_add": Member(ROSTER_MANAGE, POST, kinds=ACTS),
    "act_member_edit": Member(ROSTER_MANAGE, GET_POST, kinds=ACTS),
    "act_member_remove": Member(ROSTER_MANAGE, POST, kinds=ACTS, fresh=("member_id",)),
    "performer_list": Member(MEMBERS_VIEW, kinds=AGENCIES),
    "performer_new": Member(ROSTER_MANAGE, GET_POST, kinds=AGENCIES),
    "performer_edit": Member(ROSTER_MANAGE, GET_POST, kinds=AGENCIES),
    "venue_list": Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),
    "venue_new": Member(ROSTER_MANAGE, GET_POST, kinds=VENUE_KEEPERS),
    "venue_edit": Member(ROSTER_MANAGE, GET_POST, kinds=VENUE_KEEPERS),
    "stage_add": Member(ROSTER_MANAGE, POST, kinds=VENUE_KEEPERS),
    "stage_remove": Member(ROSTER_MANAGE, POST, kinds=VENUE_KEEPERS, fresh=("stage_id",)),
    # scheduling: a person's own availability, imports and feed
    "availability": LoggedIn(),
    "availability_default": LoggedIn(POST, body={"default_state": "free"}),
    "availability_rule_new": LoggedIn(POST, body=RULE_FORM),
    "availability_rule_summary": LoggedIn(GET, query=RULE_FORM),
    "availability_rule_edit": Own("rule_id", GET_POST, body=RULE_FORM),
    "availability_rule_delete": Own("rule_id", POST),
    "my_feed": LoggedIn(POST),
    "calendar_import_add": LoggedIn(POST, body=CALENDAR_BODY),
    "calendar_import_refresh": Own("calendar_id", POST),
    "calendar_import_remove": Own("calendar_id", POST),
    # scheduling: an act's schedule
    "act_schedule": Member(SCHEDULE_VIEW, kinds=ACTS),
    "green_date": Member(SCHEDULE_VIEW, kinds=ACTS),  # one date and what can be done with it
    "act_event_new": Member(SCHEDULE_MANAGE, GET_POST, kinds=ACTS, body=EVENT_FORM),
    "act_event_detail": Member(SCHEDULE_VIEW, kinds=ACTS),
    "act_event_edit": Member(SCHEDULE_MANAGE, GET_POST, kinds=ACTS, body=EVENT_FORM),
    "act_event_cancel": Member(SCHEDULE_MANAGE, POST, kinds=ACTS, fresh=("event_id",), body={"reason": "Matrix"}),
    "act_event_delete": Member(SCHEDULE_MANAGE, POST, kinds=ACTS, fresh=("event_id",)),
    "poll_new": Member(SCHEDULE_MANAGE, GET_POST, kinds=ACTS, body=POLL_FORM),
    "poll_detail": Member(SCHEDULE_VIEW, kinds=ACTS),
    "poll_answer": Member(SCHEDULE_VIEW, POST, kinds=ACTS, body={"option-0": "yes"}, not_for=LINE_UP_ONLY),
    "poll_action": Member(SCHEDULE_MANAGE, POST, kinds=ACTS, fresh=("poll_id",)),
    "act_feed": Member(SCHEDULE_VIEW, POST, kinds=ACTS),
    "share_link_new": Member(SCHEDULE_MANAGE, POST, kinds=ACTS, body=SHARE_FORM),
    "share_link_revoke": Member(SCHEDULE_MANAGE, POST, kinds=ACTS, fresh=("link_id",)),
    "public_availability": SecretLink("share_link"),
    # bookings (web)
    # the directory: any logged-in person (not anonymous: only public pages are); under a workspace for the sidebar
    "directory_acts": LoggedIn(),
    "directory_venues": LoggedIn(),
    "workspace_directory_acts": Member(WORKSPACE_VIEW, kinds=BUYERS),
    "workspace_directory_venues": Member(WORKSPACE_VIEW, kinds=(WorkspaceKind.ACT.value, WorkspaceKind.AGENCY.value)),
    "search": LoggedIn(),  # one search box; what it finds is scoped inside (backline/search/selectors.py)
    "booking_board": Member(BOOKINGS_VIEW),
    "booking_list": Member(BOOKINGS_VIEW),
    # buyers log an inquiry; acts ask a venue for a date (that body is not an act's: the form answers 200 with errors)
    "inquiry_new": Member(BOOKINGS_MANAGE, GET_POST, body=lambda: {"title": unique("Inquiry"), "source": "email"}),
    "booking_detail": Member(BOOKINGS_VIEW),
    "booking_edit": Member(BOOKINGS_MANAGE, GET_POST, kinds=BUYERS, fresh=("booking_id",),  # the buyer's record
                           body={"title": "Matrix edit", "source": "email", "notes": "Edited by the matrix"}),
    "booking_offer_form": Member(BOOKINGS_MANAGE, query={"deal_type": "versus", "guarantee": "500"}),  # htmx
    # venues and promoters hold dates (an agency's bookings have no venue; an act answers): a valid form
    "booking_hold": Member(BOOKINGS_MANAGE, POST, kinds=VENUE_KEEPERS, fresh=("booking_id",), body=HOLD_FORM),
    "booking_offer": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",), body={"deal_type": "guarantee", "guarantee": "500"}),
    # from Who's free, so an empty assignment is answered with a redirect there (on the booking page, 422)
    "booking_assign": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",), body={"back": "whos-free"}),
    "booking_unassign": Member(BOOKINGS_MANAGE, POST, kinds=AGENCIES, fresh=("booking_id",)),
    "booking_contract": Member(BOOKINGS_VIEW, kinds=ACTS),  # only the act's world booking has an offer (world.py)
    "booking_action": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",), body={"reason": "Matrix"}),
    "booking_calendar": Member(BOOKINGS_VIEW),
    "gig_detail": AssignedOrStaff(BOOKINGS_MANAGE),
    "whos_free": Member(BOOKINGS_MANAGE, kinds=AGENCIES),
    "client_list": Member(BOOKINGS_VIEW, kinds=AGENCIES),
    "client_new": Member(BOOKINGS_MANAGE, POST, kinds=AGENCIES, body=lambda: {"name": unique("Client")}),
    "client_detail": Member(BOOKINGS_VIEW, kinds=AGENCIES),
    "client_archive": Member(BOOKINGS_MANAGE, POST, kinds=AGENCIES, fresh=("client_id",)),
    "package_list": Member(BOOKINGS_VIEW, kinds=AGENCIES),
    "package_new": Member(BOOKINGS_MANAGE, GET_POST, kinds=AGENCIES,
                          body=lambda: {"name": unique("Package"), "duration_minutes": "60", "performer_count": "1",
                                        "price": "500"}),
    "package_edit": Member(BOOKINGS_MANAGE, GET_POST, kinds=AGENCIES,
                           body=lambda: {"name": unique("Package"), "duration_minutes": "60", "performer_count": "1",
                                         "price": "500", "is_active": "on"}),
    "booking_advance": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",)),  # refused politely before confirmation
    "booking_day_sheet": Member(BOOKINGS_VIEW),  # a draft until the show is confirmed
    "booking_offer_file": Member(BOOKINGS_VIEW),  # a file sent with an offer: both sides (makers_offer_files)
    "public_availability_pdf": SecretLink("share_link"),
    "calendar_feed": SecretLink("feed"),
    # notifications: a person's own notifications and settings
    "notification_list": LoggedIn(),
    "notification_bell": LoggedIn(),  # the navbar bell, polled by htmx
    "notification_read_all": LoggedIn(POST),
    "notification_read": Own("notification_id", POST),
    "notification_delete": Own("notification_id", POST),
    "notification_preferences": LoggedIn(GET_POST, body=lambda: dict.fromkeys(_notification_types(), "digest")),
}

# --- third-party groups ---------------------------------------------------------------------------

# allauth (/accounts/): every route is public or part of the login flow (an anonymous GET answers
# below 400 and is not sent to log in) except these, which send anonymous visitors to log in.
ALLAUTH_LOGIN_REQUIRED = frozenset({
    "account_reauthenticate", "account_email", "account_change_password", "account_set_password",
})

# Django admin (/admin/): staff only. Anonymous and non-staff callers are sent to the admin login
# (with ``next``), except the login page itself (public) and logout (sends them to the admin index).
ADMIN_PUBLIC = frozenset({"admin:login"})
ADMIN_LOGOUT = "admin:logout"


# --- API operations, by method and path -----------------------------------------------------------

def _venue_body():
    return {"name": unique("Matrix Hall"), "capacity": 200, "geoname_id": berlin_id()}


API = {
    ("POST", "/api/v1/auth/login"): Public(200),  # with valid credentials
    ("POST", "/api/v1/auth/refresh"): Public(200),  # with a refresh cookie
    ("POST", "/api/v1/auth/logout"): Public(204),
    ("GET", "/api/v1/auth/me"): LoggedIn(),
    ("GET", "/api/v1/me"): LoggedIn(),
    ("PATCH", "/api/v1/me"): LoggedIn(("PATCH",), body={}),
    ("POST", "/api/v1/me/avatar"): LoggedIn(POST),  # multipart; a request without the file is a 422
    ("DELETE", "/api/v1/me/avatar"): LoggedIn(("DELETE",)),
    ("GET", "/api/v1/me/invitations"): LoggedIn(),
    ("GET", "/api/v1/genres"): LoggedIn(),
    ("GET", "/api/v1/places/cities"): LoggedIn(),
    ("GET", "/api/v1/workspaces"): LoggedIn(),
    ("POST", "/api/v1/workspaces"): LoggedIn(POST, body=lambda: {"kind": "promoter", "name": unique("Matrix Org")}),
    ("POST", "/api/v1/acts"): LoggedIn(POST, body=lambda: {"name": unique("Matrix Act")}),
    ("POST", "/api/v1/venues"): LoggedIn(POST, body=_venue_body),
    ("POST", "/api/v1/invitations/by-token/{token}/accept"): InviteeOnly(),
    ("POST", "/api/v1/invitations/by-token/{token}/decline"): InviteeOnly(),
    ("GET", "/api/v1/workspaces/{workspace_id}"): Member(WORKSPACE_VIEW),
    ("PATCH", "/api/v1/workspaces/{workspace_id}"): Member(WORKSPACE_EDIT, body={}),
    ("PUT", "/api/v1/workspaces/{workspace_id}/social-links"): Member(WORKSPACE_EDIT, body={"links": []}),
    ("POST", "/api/v1/workspaces/{workspace_id}/leave"): Member(WORKSPACE_VIEW),
    ("GET", "/api/v1/workspaces/{workspace_id}/audit"): Member(AUDIT_VIEW),
    ("GET", "/api/v1/workspaces/{workspace_id}/members"): Member(MEMBERS_VIEW),
    ("PATCH", "/api/v1/workspaces/{workspace_id}/members/{membership_id}"):
        Member(MEMBERS_MANAGE, fresh=("membership_id",), body={"role": "viewer"}),
    ("DELETE", "/api/v1/workspaces/{workspace_id}/members/{membership_id}"):
        Member(MEMBERS_MANAGE, fresh=("membership_id",)),
    ("GET", "/api/v1/workspaces/{workspace_id}/invitations"): Member(MEMBERS_MANAGE),
    ("POST", "/api/v1/workspaces/{workspace_id}/invitations"):
        Member(MEMBERS_MANAGE, body=lambda: {"email": unique_email(), "role": "viewer"}),
    ("POST", "/api/v1/invitations/{invitation_id}/resend"): Member(MEMBERS_MANAGE, fresh=("invitation_id",)),
    ("POST", "/api/v1/invitations/{invitation_id}/revoke"): Member(MEMBERS_MANAGE, fresh=("invitation_id",)),
    ("GET", "/api/v1/acts/{workspace_id}"): Member(WORKSPACE_VIEW, kinds=ACTS),
    ("PATCH", "/api/v1/acts/{workspace_id}"): Member(WORKSPACE_EDIT, kinds=ACTS, body={}),
    ("GET", "/api/v1/acts/{workspace_id}/members"): Member(MEMBERS_VIEW, kinds=ACTS),
    ("POST", "/api/v1/acts/{workspace_id}/members"):
        Member(ROSTER_MANAGE, kinds=ACTS, body=lambda: {"name": unique("Matrix Player")}),
    ("PATCH", "/api/v1/acts/{workspace_id}/members/{member_id}"): Member(ROSTER_MANAGE, kinds=ACTS, body={}),
    ("DELETE", "/api/v1/acts/{workspace_id}/members/{member_id}"):
        Member(ROSTER_MANAGE, kinds=ACTS, fresh=("member_id",)),
    ("GET", "/api/v1/agencies/{workspace_id}/performers"): Member(MEMBERS_VIEW, kinds=AGENCIES),
    ("POST", "/api/v1/agencies/{workspace_id}/performers"):
        Member(ROSTER_MANAGE, kinds=AGENCIES, body=lambda: {"name": unique("Matrix Performer")}),
    ("PATCH", "/api/v1/agencies/{workspace_id}/performers/{performer_id}"):
        Member(ROSTER_MANAGE, kinds=AGENCIES, body={}),
    ("PUT", "/api/v1/agencies/{workspace_id}/performers/{performer_id}/user"):
        Member(ROSTER_MANAGE, kinds=AGENCIES, body={"user_id": None}),
    # The API lists a workspace's venues for every kind (an empty list where there are none), while
    # the web page /w/<slug>/venues/ is 404 outside venue and promoter workspaces.
    ("GET", "/api/v1/workspaces/{workspace_id}/venues"): Member(WORKSPACE_VIEW),
    ("POST", "/api/v1/workspaces/{workspace_id}/venues"): Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, body=_venue_body),
    ("GET", "/api/v1/venues/{venue_id}"): Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),
    ("PATCH", "/api/v1/venues/{venue_id}"): Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, body={}),
    ("POST", "/api/v1/venues/{venue_id}/stages"):
        Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, body=lambda: {"name": unique("Stage"), "capacity": 10}),
    ("DELETE", "/api/v1/venues/{venue_id}/stages/{stage_id}"):
        Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, fresh=("stage_id",)),
    # scheduling: the caller's own availability, calendar, imports and feed
    ("GET", "/api/v1/me/schedule"): LoggedIn(),
    ("PUT", "/api/v1/me/schedule"): LoggedIn(("PUT",), body={"default_state": "free"}),
    ("GET", "/api/v1/me/availability/rules"): LoggedIn(),
    ("POST", "/api/v1/me/availability/rules"): LoggedIn(POST, body=RULE_JSON),
    ("GET", "/api/v1/me/availability/rules/{rule_id}"): Own("rule_id"),
    ("PATCH", "/api/v1/me/availability/rules/{rule_id}"): Own("rule_id", ("PATCH",), body={}),
    ("DELETE", "/api/v1/me/availability/rules/{rule_id}"): Own("rule_id", ("DELETE",)),
    ("GET", "/api/v1/me/availability/blocks"): LoggedIn(),
    ("POST", "/api/v1/me/availability/blocks"): LoggedIn(POST, body=BLOCK_JSON),
    ("GET", "/api/v1/me/availability/blocks/{block_id}"): Own("block_id"),
    ("PATCH", "/api/v1/me/availability/blocks/{block_id}"): Own("block_id", ("PATCH",), body={}),
    ("DELETE", "/api/v1/me/availability/blocks/{block_id}"): Own("block_id", ("DELETE",)),
    ("POST", "/api/v1/me/availability/clear"): LoggedIn(POST, body=SPAN_QUERY),
    ("GET", "/api/v1/me/calendar"): LoggedIn(query=RANGE_QUERY),
    ("GET", "/api/v1/me/free-time"): LoggedIn(query=RANGE_QUERY),
    ("GET", "/api/v1/me/commitments"): LoggedIn(),
    ("GET", "/api/v1/me/conflicts"): LoggedIn(query=SPAN_QUERY),
    ("POST", "/api/v1/me/feed"): LoggedIn(POST),
    ("POST", "/api/v1/me/feed/rotate"): LoggedIn(POST),
    ("GET", "/api/v1/me/calendars"): LoggedIn(),
    ("POST", "/api/v1/me/calendars"): LoggedIn(POST, body=CALENDAR_BODY),
    ("POST", "/api/v1/me/calendars/{calendar_id}/refresh"): Own("calendar_id", POST),
    ("DELETE", "/api/v1/me/calendars/{calendar_id}"): Own("calendar_id", ("DELETE",)),
    # scheduling: acts
    ("GET", "/api/v1/acts/{workspace_id}/green-zone"): Member(SCHEDULE_VIEW, kinds=ACTS, query=ZONE_QUERY),
    ("GET", "/api/v1/acts/{workspace_id}/conflicts"): Member(SCHEDULE_VIEW, kinds=ACTS, query=SPAN_QUERY),
    ("GET", "/api/v1/acts/{workspace_id}/events"): Member(SCHEDULE_VIEW, kinds=ACTS),
    ("POST", "/api/v1/acts/{workspace_id}/events"): Member(SCHEDULE_MANAGE, kinds=ACTS, body=EVENT_JSON),
    ("GET", "/api/v1/events/{event_id}"): Member(SCHEDULE_VIEW, kinds=ACTS),
    ("PATCH", "/api/v1/events/{event_id}"): Member(SCHEDULE_MANAGE, kinds=ACTS, body={}),
    ("POST", "/api/v1/events/{event_id}/cancel"):
        Member(SCHEDULE_MANAGE, kinds=ACTS, fresh=("event_id",), body={"reason": "Matrix"}),
    ("DELETE", "/api/v1/events/{event_id}"): Member(SCHEDULE_MANAGE, kinds=ACTS, fresh=("event_id",)),
    ("GET", "/api/v1/acts/{workspace_id}/polls"): Member(SCHEDULE_VIEW, kinds=ACTS),
    ("POST", "/api/v1/acts/{workspace_id}/polls"): Member(SCHEDULE_MANAGE, kinds=ACTS, body=POLL_JSON),
    ("GET", "/api/v1/polls/{poll_id}"): Member(SCHEDULE_VIEW, kinds=ACTS),
    ("PUT", "/api/v1/polls/{poll_id}/answers"):
        Member(SCHEDULE_VIEW, kinds=ACTS, body={"answers": [{"option_id": 0, "answer": "yes"}]}, not_for=LINE_UP_ONLY),
    ("POST", "/api/v1/polls/{poll_id}/close"): Member(SCHEDULE_MANAGE, kinds=ACTS, fresh=("poll_id",)),
    ("POST", "/api/v1/polls/{poll_id}/reopen"): Member(SCHEDULE_MANAGE, kinds=ACTS),
    ("POST", "/api/v1/polls/{poll_id}/decide"): Member(SCHEDULE_MANAGE, kinds=ACTS, body={"option_id": 0}),
    ("POST", "/api/v1/acts/{workspace_id}/feed"): Member(SCHEDULE_VIEW, kinds=ACTS),
    ("PATCH", "/api/v1/acts/{workspace_id}/feed"): Member(WORKSPACE_EDIT, kinds=ACTS, body={"include_green_zone": True}),
    ("POST", "/api/v1/acts/{workspace_id}/feed/rotate"): Member(WORKSPACE_EDIT, kinds=ACTS),
    ("POST", "/api/v1/venues/{venue_id}/feed"): Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),
    ("POST", "/api/v1/venues/{venue_id}/feed/rotate"): Member(WORKSPACE_EDIT, kinds=VENUE_KEEPERS),
    ("GET", "/api/v1/acts/{workspace_id}/share-links"): Member(SCHEDULE_MANAGE, kinds=ACTS),
    ("POST", "/api/v1/acts/{workspace_id}/share-links"): Member(SCHEDULE_MANAGE, kinds=ACTS, body=SHARE_FORM),
    ("POST", "/api/v1/share-links/{link_id}/revoke"): Member(SCHEDULE_MANAGE, kinds=ACTS, fresh=("link_id",)),
    ("GET", "/api/v1/public/availability/{token}"): SecretLink("share_link"),
    # bookings: the pipeline. Each world's booking is its own (venue, promoter, agency) or, for an act,
    # one a venue offered it (so the act sees it and may answer).
    ("GET", "/api/v1/bookings"): LoggedIn(),
    ("GET", "/api/v1/search"): LoggedIn(query={"q": "matrix"}),
    ("GET", "/api/v1/directory/acts"): LoggedIn(query={"radius_km": 100}),
    ("GET", "/api/v1/directory/venues"): LoggedIn(query={"capacity_min": 10}),  # scoped inside, like the booking list
    ("POST", "/api/v1/workspaces/{workspace_id}/inquiries"): Member(BOOKINGS_MANAGE, kinds=BUYERS, body=INQUIRY_JSON),
    ("POST", "/api/v1/acts/{workspace_id}/inquiries"): Member(BOOKINGS_MANAGE, kinds=ACTS, body=ask_json),
    ("POST", "/api/v1/inquiries/{booking_id}/lost"): Member(BOOKINGS_MANAGE, kinds=BUYERS, fresh=("booking_id",), body=REASON),
    ("POST", "/api/v1/inquiries/{booking_id}/convert-to-booking"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, fresh=("booking_id",), body={}),
    ("GET", "/api/v1/bookings/{booking_id}"): Member(BOOKINGS_VIEW),
    ("PATCH", "/api/v1/bookings/{booking_id}"):  # the buyer's side edits (the act's answers 403: test_edit.py)
        Member(BOOKINGS_MANAGE, kinds=BUYERS, fresh=("booking_id",), body={"notes": "Edited by the matrix"}),
    ("GET", "/api/v1/bookings/{booking_id}/history"): Member(BOOKINGS_VIEW),
    ("GET", "/api/v1/bookings/{booking_id}/offers"): Member(BOOKINGS_VIEW),
    ("GET", "/api/v1/bookings/{booking_id}/files/{file_id}"): Member(BOOKINGS_VIEW),
    ("POST", "/api/v1/bookings/{booking_id}/hold"): Member(BOOKINGS_MANAGE, kinds=BUYERS, fresh=("booking_id",), body=HOLD_JSON),
    ("POST", "/api/v1/bookings/{booking_id}/release"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body=REASON),
    ("POST", "/api/v1/bookings/{booking_id}/challenge"): Member(BOOKINGS_MANAGE, kinds=BUYERS, fresh=("booking_id",)),
    ("POST", "/api/v1/bookings/{booking_id}/offers"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body=GUARANTEE_JSON),
    ("POST", "/api/v1/bookings/{booking_id}/confirm"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body={}),
    ("POST", "/api/v1/bookings/{booking_id}/withdraw-offer"): Member(BOOKINGS_MANAGE, fresh=("booking_id",)),
    ("POST", "/api/v1/bookings/{booking_id}/decline"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body=REASON),
    ("POST", "/api/v1/bookings/{booking_id}/cancel"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body=REASON),
    ("POST", "/api/v1/bookings/{booking_id}/complete"): Member(BOOKINGS_MANAGE, fresh=("booking_id",)),
    ("GET", "/api/v1/bookings/{booking_id}/advance"): Member(BOOKINGS_VIEW),
    ("PUT", "/api/v1/bookings/{booking_id}/advance"): Member(BOOKINGS_MANAGE, fresh=("booking_id",), body={}),
    ("GET", "/api/v1/me/assignments"): LoggedIn(),
    # bookings: agencies' books
    ("GET", "/api/v1/agencies/{workspace_id}/clients"): Member(BOOKINGS_VIEW, kinds=AGENCIES),
    ("POST", "/api/v1/agencies/{workspace_id}/clients"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, body=lambda: {"name": unique("Client")}),
    ("GET", "/api/v1/clients/{client_id}"): Member(BOOKINGS_VIEW, kinds=AGENCIES),
    ("PATCH", "/api/v1/clients/{client_id}"): Member(BOOKINGS_MANAGE, kinds=AGENCIES, body={}),
    ("POST", "/api/v1/clients/{client_id}/archive"): Member(BOOKINGS_MANAGE, kinds=AGENCIES, fresh=("client_id",)),
    ("GET", "/api/v1/agencies/{workspace_id}/packages"): Member(BOOKINGS_VIEW, kinds=AGENCIES),
    ("POST", "/api/v1/agencies/{workspace_id}/packages"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, body=lambda: {"name": unique("Package"), "duration_minutes": 60, "price": "900"}),
    ("PATCH", "/api/v1/packages/{package_id}"): Member(BOOKINGS_MANAGE, kinds=AGENCIES, body={}),
    ("GET", "/api/v1/bookings/{booking_id}/performers"): Member(BOOKINGS_VIEW, kinds=BUYERS),
    ("POST", "/api/v1/bookings/{booking_id}/performers"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, fresh=("booking_id",), body={"performer_id": 0, "payout": "100"}),
    ("DELETE", "/api/v1/bookings/{booking_id}/performers/{performer_id}"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, fresh=("booking_id",)),
    ("GET", "/api/v1/agencies/{workspace_id}/performer-availability"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, query=lambda: {"date": _today()}),
    # notifications: a person's own notifications (another person's answer 404) and settings
    ("GET", "/api/v1/notifications"): LoggedIn(query={"type": "offer", "unread": "true"}),
    ("GET", "/api/v1/notifications/unread"): LoggedIn(),
    ("PATCH", "/api/v1/notifications/mark-all-read"): LoggedIn(("PATCH",), body={}),
    ("PATCH", "/api/v1/notifications/{notification_id}/read"): Own("notification_id", ("PATCH",)),
    ("DELETE", "/api/v1/notifications/{notification_id}"): Own("notification_id", ("DELETE",)),
    ("GET", "/api/v1/me/notification-preferences"): LoggedIn(),
    ("PUT", "/api/v1/me/notification-preferences/{type}"): LoggedIn(("PUT",), body={"channel": "digest"}),
}


# --- the communication apps: each declares its routes in its own table module -------------------------------

def _merge_parts() -> None:
    from . import (
        table_contacts,
        table_email,
        table_epk,
        table_media,
        table_network,
        table_outbox,
        table_outreach,
        table_represent,
        table_riders,
        table_stages,
        table_threads,
        table_verify,
    )

    for part in (table_threads, table_contacts, table_outreach, table_email, table_outbox, table_represent,
                 table_epk, table_stages, table_media, table_verify, table_riders, table_network):
        for own, theirs in ((WEB, part.WEB), (API, part.API)):
            clash = set(own) & set(theirs)
            assert not clash, f"{part.__name__} declares routes twice: {clash}"
            own.update(theirs)


_merge_parts()
