"""The demo world's booking history, through the services: Lantern Hall's inquiries, ranked holds,
offers in negotiation, confirmed and played shows; a promoter's confirmed nights; the agency's clients,
packages, quotes and a wedding with performers assigned. Dates are relative to today.

Played shows are booked through the same services at a future date and then moved into the past
(the only way to have a history on a fresh install); everything else is exactly as people do it."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backline.accounts.models import User, Workspace
from backline.artists.models import Act, Performer
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Engagement, Offer
from backline.core.models import AuditEntry
from backline.core.timeutil import zone
from backline.notifications import receivers as notifications
from backline.notifications.models import Notification
from backline.scheduling import availability_cache
from backline.scheduling.models import Commitment
from backline.venues.models import Venue

DOMAIN = "demo.example.org"


def _at(day: dt.date, hour: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def _saturday(today: dt.date, weeks: int) -> dt.date:
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7 * weeks)


def _venue_side(today: dt.date) -> None:
    buyer = User.objects.get(email=f"owner.venue@{DOMAIN}")
    hall = Venue.objects.get(name="Lantern Hall", workspace__memberships__user=buyer)
    tz = zone(hall.time_zone)
    acts = list(Act.objects.select_related("workspace").order_by("workspace__name"))
    owls = next(a for a in acts if a.workspace.name == "The Velvet Owls")
    others = [a for a in acts if a.pk != owls.pk]

    def inquiry(act, title, **kw):
        return services.inquiry_create(actor=buyer, workspace_id=hall.workspace_id, title=title, act_id=act.pk,
                                       venue_id=hall.pk, **kw)

    def band_owner(act):
        return act.workspace.memberships.get(role="owner").user

    # The Velvet Owls: offer, counter-offer, accepted → confirmed in three weeks.
    show = _saturday(today, 3)
    b = inquiry(owls, "The Velvet Owls: album release", source="email", contact_name="Mara Berg",
                contact_email=f"owner.act@{DOMAIN}", budget="1200")
    services.hold_place(actor=buyer, booking_id=b.pk, starts_at=_at(show, 21, tz), ends_at=_at(show, 23, tz))
    services.offer_make(actor=buyer, booking_id=b.pk, deal_type="guarantee", guarantee="800", deposit_percent="50",
                        set_minutes=75, doors=dt.time(20), curfew=dt.time(23, 30), capacity=hall.capacity,
                        ticket_price="22")
    services.offer_make(actor=band_owner(owls), booking_id=b.pk, deal_type="versus", guarantee="800", percent="70",
                        basis="net", expenses="450", deposit_percent="50", set_minutes=75, doors=dt.time(20),
                        curfew=dt.time(23, 30), capacity=hall.capacity, ticket_price="22",
                        bonuses=[{"tickets": 250, "amount": "200"}], notes="Release night: we'd like the upside.")
    services.offer_accept(actor=buyer, booking_id=b.pk)
    _booked_days_ago(Booking.objects.get(pk=b.pk), 4)  # its thread (from three days ago) follows the contract

    # Three holds on one Saturday: 1st, 2nd (with a firm offer), 3rd.
    day = _saturday(today, 5)
    for rank, act in enumerate(others[:3], start=1):
        h = inquiry(act, f"{act.workspace.name} headline", source="referral" if rank == 2 else "email")
        services.hold_place(actor=buyer, booking_id=h.pk, starts_at=_at(day, 20, tz), ends_at=_at(day, 23, tz))
        if rank == 2:
            services.offer_make(actor=buyer, booking_id=h.pk, deal_type="door", percent="80", expenses="300")

    # An offer in negotiation; the act countered.
    n = inquiry(others[3], f"{others[3].workspace.name} + support", source="marketplace")
    services.hold_place(actor=buyer, booking_id=n.pk, starts_at=_at(today + dt.timedelta(days=50), 20, tz),
                        ends_at=_at(today + dt.timedelta(days=50), 23, tz))
    services.offer_make(actor=buyer, booking_id=n.pk, deal_type="guarantee", guarantee="400")
    services.offer_make(actor=band_owner(others[3]), booking_id=n.pk, deal_type="guarantee", guarantee="600",
                        notes="We are a five-piece travelling from Leipzig.")

    # Fresh and lost inquiries.
    inquiry(others[4], "Tour date?", source="email", date_from=today + dt.timedelta(days=120),
            date_to=today + dt.timedelta(days=150), budget="500")
    lost = inquiry(others[5], "Staff party", source="phone", date_from=today + dt.timedelta(days=25))
    services.inquiry_mark_lost(actor=buyer, booking_id=lost.pk, reason="They booked a bigger room across town.")

    # Played shows: booked like any other, then moved into the past.
    for weeks, act in ((6, others[6]), (10, others[7]), (14, owls)):
        p = inquiry(act, f"{act.workspace.name} live", source="email")
        later = today + dt.timedelta(days=200 + weeks)
        services.hold_place(actor=buyer, booking_id=p.pk, starts_at=_at(later, 20, tz), ends_at=_at(later, 22, tz))
        services.offer_make(actor=buyer, booking_id=p.pk, deal_type="guarantee", guarantee="500")
        services.offer_accept(actor=band_owner(act), booking_id=p.pk)
        p.refresh_from_db()
        _move_into_past(p, today - dt.timedelta(weeks=weeks), tz)
        p.refresh_from_db()
        services.booking_complete(actor=buyer, booking_id=p.pk)


def _move_into_past(booking: Booking, day: dt.date, tz) -> None:
    """Move a show booked at a future date (the services refuse a past one) to ``day``, with everything
    that recorded it (see ``_rewrite``): its notifications named the future date and are now dated, and
    read, before the show."""
    shift = _at(day, 20, tz) - booking.starts_at
    _rewrite(booking, show=shift, history=shift)


def _booked_days_ago(booking: Booking, days: float) -> None:
    """A show booked ``days`` ago rather than a moment ago: its hold, offers, confirmation and what people
    were told of them move back, so its thread (which starts after the contract is signed) follows them."""
    _rewrite(booking, show=dt.timedelta(0), history=-dt.timedelta(days=days))


SHOW_TIMES = ("starts_at", "ends_at")
HISTORY_TIMES = ("confirmed_at", "hold_expires_at", "offer_expires_at", "challenge_deadline")


def _rewrite(booking: Booking, *, show: dt.timedelta, history: dt.timedelta) -> None:
    """Move the show by ``show`` and what happened to it by ``history``, and everything that recorded
    either, so the demo tells one story: commitments and engagements, offers, its audit history, and the
    notifications people got along the way (their dates in words too; read two hours after they came)."""
    local = booking.time_zone
    words = {notifications.day(booking.starts_at, local): notifications.day(booking.starts_at + show, local)}
    booking_type = ContentType.objects.get_for_model(Booking)
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(**{name: F(name) + show for name in SHOW_TIMES},
                                                     **{name: F(name) + history for name in (*HISTORY_TIMES, "created_at")})
        Offer.objects.filter(booking=booking).update(created_at=F("created_at") + history,
                                                     expires_at=F("expires_at") + history)
        Engagement.objects.filter(booking=booking).update(starts_at=F("starts_at") + show, ends_at=F("ends_at") + show)
        commitments = Commitment.objects.filter(source_type="booking", source_id=booking.pk)
        commitments.update(starts_at=F("starts_at") + show, ends_at=F("ends_at") + show,
                           created_at=F("created_at") + history)
        availability_cache.changed(commitments.values_list("user_id", flat=True))  # update() sends no signal
        for entry in AuditEntry.objects.filter(object_type=booking_type, object_id=str(booking.pk)):
            expired = (entry.after or {}).get("hold_expires_at")
            if expired:  # "The hold runs until …" named it
                was = dt.datetime.fromisoformat(expired)
                with timezone.override(zone(local)):  # the words without a zone: a reader elsewhere has it after
                    words[notifications.moment(was, local)] = notifications.moment(was + history, local)
            AuditEntry.objects.filter(pk=entry.pk).update(
                at=entry.at + history, before=_shifted(entry.before, show, history),
                after=_shifted(entry.after, show, history))
        for note in Notification.objects.filter(url__endswith=f"/bookings/{booking.pk}/"):
            title, body = note.title, note.body
            for old, new in words.items():
                title, body = title.replace(old, new), body.replace(old, new)
            at = note.created_at + history
            Notification.objects.filter(pk=note.pk).update(title=title, body=body, created_at=at,
                                                           read_at=at + dt.timedelta(hours=2))


def _shifted(values: dict | None, show: dt.timedelta, history: dt.timedelta) -> dict | None:
    """An audit entry's before or after with the show's times moved by ``show``, the others by ``history``."""
    if not values:
        return values
    out = dict(values)
    for name in (*SHOW_TIMES, *HISTORY_TIMES):
        if isinstance(out.get(name), str):
            out[name] = (dt.datetime.fromisoformat(out[name]) + (show if name in SHOW_TIMES else history)).isoformat()
    return out


def _promoter_side(today: dt.date) -> None:
    owner = User.objects.get(email=f"owner.promoter@{DOMAIN}")
    ws = Workspace.objects.get(name="Night Shift Promotions")
    venue = Venue.objects.filter(workspace=ws).order_by("pk").first()
    tz = zone(venue.time_zone)
    for i, act in enumerate(Act.objects.select_related("workspace").order_by("-workspace__name")[:3]):
        day = _saturday(today, 2 + 2 * i)
        b = services.inquiry_create(actor=owner, workspace_id=ws.pk, title=f"Night Shift presents {act.workspace.name}",
                                    act_id=act.pk, venue_id=venue.pk, currency=ws.currency)
        services.hold_place(actor=owner, booking_id=b.pk, starts_at=_at(day, 20, tz), ends_at=_at(day, 22, tz))
        services.offer_make(actor=owner, booking_id=b.pk, deal_type="versus", guarantee="300", percent="65",
                            basis="net", expenses="250", currency=ws.currency)
        if i < 2:
            services.offer_accept(actor=act.workspace.memberships.get(role="owner").user, booking_id=b.pk)


def _agency_side(today: dt.date) -> None:
    owner = User.objects.get(email=f"owner.agency@{DOMAIN}")
    coordinator = User.objects.get(email=f"coordinator.agency@{DOMAIN}")
    ws = Workspace.objects.get(name="Silver Lining Entertainment")
    tz = zone(ws.time_zone)
    clients = [agency_services.client_create(actor=coordinator, workspace_id=ws.pk, name=name, company=company,
                                             email=email, city_name="Manchester")
               for name, company, email in [("Mia Jones", "", "mia.jones@example.org"),
                                            ("Tom Clarke", "Clarke & Sons Ltd", "events@clarkesons.example.org"),
                                            ("Aisha Rahman", "", "aisha.r@example.org"),
                                            ("Hotel Midland", "Midland Hotels", "events@midland.example.org"),
                                            ("Sam Porter", "Porter Tech", "sam@portertech.example.org")]]
    packages = [agency_services.package_create(actor=owner, workspace_id=ws.pk, name=name, duration_minutes=minutes,
                                               performer_count=count, price=price, currency="GBP", description=text)
                for name, minutes, count, price, text in [
                    ("Wedding trio", 180, 3, "1850", "Vocals, sax and keys for ceremony, drinks and first dance."),
                    ("Jazz duo, drinks reception", 120, 2, "750", "Sax and piano standards."),
                    ("Party band and DJ", 300, 5, "3400", "Two live sets with DJ between and after.")]]
    performers = list(Performer.objects.filter(workspace=ws).order_by("pk"))

    wedding_day = _saturday(today, 6)
    wedding = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Jones wedding", source="website",
                                      client_id=clients[0].pk, package_id=packages[0].pk, location="Hope Mill, Manchester",
                                      starts_at=_at(wedding_day, 15, tz), ends_at=_at(wedding_day, 18, tz),
                                      budget="2000", currency="GBP")
    services.offer_make(actor=coordinator, booking_id=wedding.pk, deal_type="flat", guarantee="1850", currency="GBP",
                        package_id=packages[0].pk, deposit_percent="25")
    services.offer_make(actor=coordinator, booking_id=wedding.pk, deal_type="flat", guarantee="1700", currency="GBP",
                        package_id=packages[0].pk, deposit_percent="25", notes="Friends-and-family rate, agreed by phone.")
    for performer, payout in zip(performers[:3], ("380", "380", "380"), strict=True):
        agency_services.performer_assign(actor=coordinator, booking_id=wedding.pk, performer_id=performer.pk, payout=payout)
    agency_services.inquiry_convert(actor=coordinator, booking_id=wedding.pk)
    # Advanced the week before: the call times and day sheet the performers read on their gig page.
    services.advance_update(
        actor=coordinator, booking_id=wedding.pk, load_in=dt.time(12, 30), soundcheck=dt.time(13, 30),
        doors=dt.time(14, 30), curfew=dt.time(18),
        set_times="15:00 Ceremony: vocals and sax (30 min)\n16:00 Drinks reception: vocals and sax (60 min)\n"
                  "17:30 First dance, then the DJ until 18:00",
        parking="Unload at the side door on Hewitt Street; park in the NCP on Store Street (ask for a ticket at the bar).",
        contacts="Owen Byrne, Silver Lining (coordinator): +44 161 555 0142\nLeah Grant, Hope Mill (events): +44 161 555 0199",
        hospitality="Hot meal at 14:00 in the green room; soft drinks all day.",
        backline="The venue's PA and a stage piano; bring your own stands and in-ears.",
        notes="Dress code: black tie. Mobiles off during the ceremony.")

    gala = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Midland gala dinner", source="email",
                                   client_id=clients[3].pk, package_id=packages[2].pk, location="The Midland, Manchester",
                                   starts_at=_at(_saturday(today, 4), 19, tz), ends_at=_at(_saturday(today, 4), 23, tz),
                                   currency="GBP")
    services.offer_make(actor=coordinator, booking_id=gala.pk, deal_type="flat", guarantee="3400", currency="GBP",
                        package_id=packages[2].pk, deposit_percent="30", expires_at=timezone.now() + dt.timedelta(days=10))
    services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Product launch drinks", source="referral",
                            client_id=clients[4].pk, date_from=today + dt.timedelta(days=70), budget="800", currency="GBP")


def build(today: dt.date | None = None) -> bool:
    """Add the booking history; ``False`` if it is there already."""
    if Booking.objects.filter(workspace__memberships__user__email__endswith=f"@{DOMAIN}").exists():
        return False
    today = today or dt.date.today()
    _venue_side(today)
    _promoter_side(today)
    _agency_side(today)
    return True
