"""Worlds: a workspace of each kind with a member per role and the objects its routes name, made
through the services as in real use (the same way as conftest's ``make_team``).

The matrix builds its worlds once per module, inside an outer transaction; every test runs in a
savepoint within it (pytest-django's ``db``) that is rolled back afterwards, so whatever a test
changes (members removed, invitations revoked, people leaving) is gone before the next test."""

from __future__ import annotations

import datetime as dt
import itertools

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.permissions import roles_for_kind
from tests.factories import UserFactory

from .table import ALL_KINDS, berlin_id, unique, unique_email

ANONYMOUS = "anonymous"
OUTSIDER = "outsider"  # the owner of another workspace of the same kind
INVITEE = "invitee"  # the person an invitation link was sent to

# The objects each kind of workspace has, made when the world is built.
OBJECTS_BY_KIND = {
    WorkspaceKind.ACT: ("member_id", "event_id", "poll_id", "link_id", "booking_id"),
    WorkspaceKind.AGENCY: ("performer_id", "client_id", "package_id", "booking_id"),
    WorkspaceKind.VENUE: ("venue_id", "stage_id", "booking_id"),
    WorkspaceKind.PROMOTER: ("venue_id", "stage_id", "booking_id"),
}
COMMON = ("slug", "workspace_id", "kind", "invitation_id", "membership_id", "action", "transition")


def build_team(kind: str, name: str):
    """(workspace, {role: user}) with one user per role valid for the kind, like ``make_team``."""
    from backline.artists.services import act_create
    from backline.venues.services import venue_workspace_create

    owner = UserFactory()
    if kind == WorkspaceKind.ACT:
        workspace = act_create(actor=owner, name=name, geoname_id=berlin_id()).workspace
    elif kind == WorkspaceKind.VENUE:
        workspace = venue_workspace_create(actor=owner, name=name, capacity=300, geoname_id=berlin_id()).workspace
    else:
        workspace = accounts.workspace_create(actor=owner, kind=kind, name=name, geoname_id=berlin_id())
    people = {Role.OWNER.value: owner}
    for role in roles_for_kind(kind):
        if role != Role.OWNER:
            person = UserFactory()
            invitation = accounts.invitation_create(actor=owner, workspace_id=workspace.pk, email=person.email, role=role)
            accounts.invitation_accept(user=person, token=invitation.token)
            people[role] = person
    return workspace, people


class World:
    def __init__(self, kind: str, label: str):
        self.kind = kind
        self.workspace, self.people = build_team(kind, unique(f"{label} {kind}"))
        self.owner = self.people[Role.OWNER]
        self.invitees: dict[str, object] = {}  # invitation token → the invited user
        # Made now, while the world is built: a value made during a test would be rolled back with it.
        self._values: dict[str, object] = {}
        for param in (*COMMON, *OBJECTS_BY_KIND[kind]):
            self._values[param] = getattr(self, f"_new_{param}")()

    def value(self, param: str, *, fresh: bool = False):
        """The URL parameter naming this world's object; ``fresh`` (or a token) makes a new one."""
        if fresh or param not in self._values:
            maker = getattr(self, f"_new_{param}", None)
            return maker() if maker is not None else EXTRA_MAKERS[param](self)
        return self._values[param]

    def kwargs(self, params, *, fresh=(), **overrides) -> dict:
        return {p: overrides[p] if p in overrides else self.value(p, fresh=p in fresh) for p in params}

    # one maker per URL parameter -------------------------------------------------------------------

    def _new_slug(self):
        return self.workspace.slug

    def _new_workspace_id(self):
        return self.workspace.pk

    def _new_kind(self):  # /workspaces/new/<kind>/
        return "promoter"

    def _new_action(self):  # /w/<slug>/schedule/polls/<poll_id>/<action>/
        return "close"

    def _new_transition(self):  # /w/<slug>/bookings/<booking_id>/<transition>/: every side may cancel
        return "cancel"

    def _new_day(self):  # /w/<slug>/schedule/dates/<day>/: a date a week ahead, nobody's object
        import datetime as dt

        return (dt.date.today() + dt.timedelta(days=7)).isoformat()

    def _new_type(self):  # /me/notification-preferences/{type}: a notification type, nobody's object
        return "offer"

    def _invite(self, email: str):
        return accounts.invitation_create(actor=self.owner, workspace_id=self.workspace.pk, email=email,
                                          role=Role.VIEWER)

    def _new_invitation_id(self):
        return self._invite(unique_email()).pk

    def _new_membership_id(self):
        """Another member: a viewer, whom every role holding members.manage may act on."""
        person = UserFactory()
        return accounts.invitation_accept(user=person, token=self._invite(person.email).token).pk

    def _new_token(self):
        invitee = UserFactory()
        token = str(self._invite(invitee.email).token)
        self.invitees[token] = invitee
        return token

    def _new_member_id(self):
        from backline.artists.services import act_member_add

        return act_member_add(actor=self.owner, workspace_id=self.workspace.pk, name=unique("Extra player")).pk

    def _new_performer_id(self):
        from backline.artists.services import performer_create

        return performer_create(actor=self.owner, workspace_id=self.workspace.pk, name=unique("Performer")).pk

    def _new_venue_id(self):
        from backline.venues.models import Venue
        from backline.venues.services import venue_create

        venue = Venue.objects.filter(workspace=self.workspace).first()
        if venue is None:
            venue = venue_create(actor=self.owner, workspace_id=self.workspace.pk, name=unique("Hall"), capacity=300,
                                 geoname_id=berlin_id())
        return venue.pk

    def _new_stage_id(self):
        """A second stage (the first, "Main room", stays: a venue keeps at least one)."""
        from backline.venues.services import stage_add

        return stage_add(actor=self.owner, venue_id=self.value("venue_id"), name=unique("Side stage"), capacity=10).pk


    def _new_event_id(self):
        from backline.scheduling.services.act_events import act_event_create

        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=6)
        return act_event_create(actor=self.owner, workspace_id=self.workspace.pk, title=unique("Rehearsal"),
                                starts_at=start, ends_at=start + dt.timedelta(hours=3)).pk

    def _new_poll_id(self):
        from backline.scheduling.services.polls import poll_create

        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=8)
        return poll_create(actor=self.owner, workspace_id=self.workspace.pk, title=unique("Poll"),
                           options=[(start, start + dt.timedelta(hours=3))]).pk

    def _new_link_id(self):
        from backline.scheduling.services.share_links import share_link_create

        today = dt.date.today()
        return share_link_create(actor=self.owner, workspace_id=self.workspace.pk, starts_on=today,
                                 ends_on=today + dt.timedelta(days=30)).pk

    def _new_client_id(self):
        from backline.bookings.agency.services import client_create

        return client_create(actor=self.owner, workspace_id=self.workspace.pk, name=unique("Client")).pk

    def _new_package_id(self):
        from backline.bookings.agency.services import package_create

        return package_create(actor=self.owner, workspace_id=self.workspace.pk, name=unique("Package"),
                              duration_minutes=120, price="1000").pk

    def _new_booking_id(self):
        """A booking this world's people see: their own inquiry (a venue's with its venue; an agency's with
        a date and its performer on it), or, for an act, a hold a venue made an offer on."""
        from backline.bookings import services
        from backline.bookings.agency import services as agency_services

        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=40 + next(_days))
        if self.kind == WorkspaceKind.ACT:
            buyer, venue = self._buyer()
            booking = services.inquiry_create(actor=buyer, workspace_id=venue.workspace_id, title=unique("Offer"),
                                              act_id=self.workspace.act.pk, venue_id=venue.pk)
            services.hold_place(actor=buyer, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
            services.offer_make(actor=buyer, booking_id=booking.pk, deal_type="guarantee", guarantee="500")
            return booking.pk
        venue_id = self.value("venue_id") if self.kind in (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER) else None
        booking = services.inquiry_create(actor=self.owner, workspace_id=self.workspace.pk, title=unique("Inquiry"),
                                          venue_id=venue_id, starts_at=start, ends_at=start + dt.timedelta(hours=3))
        if self.kind == WorkspaceKind.AGENCY:
            agency_services.performer_assign(actor=self.owner, booking_id=booking.pk,
                                             performer_id=self.value("performer_id"), payout="100")
        return booking.pk

    def _buyer(self):
        """A venue of its own that makes this act offers (made once per world)."""
        if not hasattr(self, "_buyer_cache"):
            from backline.venues.models import Venue
            from backline.venues.services import venue_workspace_create

            owner = UserFactory()
            ws = venue_workspace_create(actor=owner, name=unique("Buyer hall"), capacity=300, geoname_id=berlin_id()).workspace
            self._buyer_cache = (owner, Venue.objects.get(workspace=ws))
        return self._buyer_cache


_days = itertools.count()


def _merged(attribute: str) -> dict:
    from . import (
        makers_contacts,
        makers_email,
        makers_media,
        makers_network,
        makers_offer_files,
        makers_outbox,
        makers_outreach,
        makers_represent,
        makers_riders,
        makers_threads,
    )

    merged: dict = {}
    for part in (makers_threads, makers_contacts, makers_outreach, makers_email, makers_outbox, makers_represent,
                 makers_media, makers_riders, makers_network, makers_offer_files):
        merged.update(getattr(part, attribute))
    return merged


class _Lazy(dict):
    """The parts' makers, gathered on first use (the parts import this module)."""

    def __init__(self, attribute: str):
        super().__init__()
        self.attribute = attribute

    def __missing__(self, key):
        self.update(_merged(self.attribute))
        return dict.__getitem__(self, key)


EXTRA_MAKERS = _Lazy("MAKERS")
EXTRA_OWN_MAKERS = _Lazy("OWN_MAKERS")
EXTRA_SECRET_MAKERS = _Lazy("SECRET_MAKERS")


def own_object(param: str, user) -> int:
    """A person's own object for ``Own`` routes, made through the services where there is one."""
    from backline.scheduling.models import ExternalCalendar
    from backline.scheduling.services import availability

    if param == "rule_id":
        return availability.availability_rule_create(actor=user, state="free", starts_on=dt.date.today(),
                                                     start_time=dt.time(18), end_time=dt.time(23), rrule="FREQ=DAILY").pk
    if param == "block_id":
        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)
        return availability.availability_block_create(actor=user, state="busy", starts_at=start,
                                                      ends_at=start + dt.timedelta(hours=2)).pk
    if param == "notification_id":  # one notification for the person, as an event's receiver would write it
        from backline.notifications.services import notify

        return notify(users=[user], type="offer", title="Lantern Hall made an offer for The Owls on Sat 19 Dec",
                      url="/notifications/")[0].pk
    if param == "calendar_id":  # a saved import (adding one fetches it; this one is never fetched before the call)
        return ExternalCalendar.objects.create(user=user, name="Work", url="http://127.0.0.1:9/closed.ics").pk
    return EXTRA_OWN_MAKERS[param](user)


def secret_token(maker: str, world) -> str:
    from backline.scheduling import feeds
    from backline.scheduling.models import ShareLink

    if maker == "feed":
        return feeds.feed_for_person(actor=world.owner).token
    if maker == "share_link":
        return ShareLink.objects.get(pk=world.value("link_id")).token
    return EXTRA_SECRET_MAKERS[maker](world)


class Worlds:
    """For each kind, the ``home`` world whose roles are checked and an ``elsewhere`` world that
    gives the outsider and another workspace's objects."""

    LABELS = ("home", "elsewhere")

    def __init__(self):
        self._worlds = {(kind, label): World(kind, label) for kind in ALL_KINDS for label in self.LABELS}

    def __call__(self, kind: str, label: str = "home") -> World:
        return self._worlds[(kind, label)]


def callers(world: World, outsider) -> list[tuple[str, object]]:
    """(who, user) for an anonymous visitor, each role of the world's kind, and an outsider."""
    return [(ANONYMOUS, None), *((str(role), user) for role, user in world.people.items()), (OUTSIDER, outsider)]
