"""Vouching after a show (bookings.vouches): the act for the venue it played, the buyer for the act. No
vouch without a confirmed show that happened; one per act and venue; the threshold makes the level;
withdrawing lowers it; only owners, admins and coordinators vouch; the booking page and the API."""

import datetime as dt
import itertools

import pytest
from django.db.models import F
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.trust import trust_of as act_trust
from backline.bookings import services, vouches
from backline.bookings.models import Booking
from backline.core.errors import Conflict, Forbidden
from backline.core.models import AuditEntry
from backline.venues.models import Venue
from backline.venues.trust import trust_of as venue_trust

_days = itertools.count(20, 3)  # each show on its own day: an act is never booked twice at once


def show(world, act_ws, band, *, days_ago: int | None = 3, confirm: bool = True) -> Booking:
    """A show of ``act_ws`` at the world's venue: confirmed (or only held), then moved ``days_ago`` into
    the past (the services refuse to book a past date); ``None`` leaves it in the future."""
    buyer = world["buyer"][Role.OWNER]
    ahead = next(_days)
    start = (timezone.now() + dt.timedelta(days=ahead)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer, workspace_id=world["venue_ws"].pk, title=f"{act_ws.name} live",
                                act_id=act_ws.act.pk, venue_id=world["venue"].pk)
    services.hold_place(actor=buyer, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    if confirm:
        services.offer_make(actor=buyer, booking_id=b.pk, deal_type="guarantee", guarantee="400")
        services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    if days_ago is not None:
        back = dt.timedelta(days=ahead + days_ago)
        Booking.objects.filter(pk=b.pk).update(starts_at=F("starts_at") - back, ends_at=F("ends_at") - back)
    return Booking.objects.get(pk=b.pk)


def test_no_vouch_before_the_show_or_for_a_show_that_was_not_confirmed(world):
    band = world["band"]
    future = show(world, world["act_ws"], band, days_ago=None)
    with pytest.raises(Conflict) as refused:
        vouches.booking_vouch(actor=band[Role.OWNER], booking_id=future.pk)
    assert refused.value.code == "show_not_played" and "after a confirmed show" in refused.value.detail
    only_held = show(world, world["act_ws"], band, confirm=False)
    with pytest.raises(Conflict):
        vouches.booking_vouch(actor=band[Role.OWNER], booking_id=only_held.pk)
    assert venue_trust(world["venue"]).vouches == 0


def test_one_vouch_per_act_and_venue(world):
    band = world["band"]
    first, second = show(world, world["act_ws"], band, days_ago=10), show(world, world["act_ws"], band, days_ago=3)
    vouches.booking_vouch(actor=band[Role.OWNER], booking_id=first.pk)
    with pytest.raises(Conflict) as refused:
        vouches.booking_vouch(actor=band[Role.ADMIN], booking_id=second.pk)
    assert refused.value.code == "already_vouched"
    assert venue_trust(world["venue"]).vouches == 1


def test_the_threshold_makes_the_venue_vouched_for_and_withdrawing_lowers_it(world, make_team, settings):
    settings.VENUE_VOUCHES_REQUIRED = 2
    band = world["band"]
    other_ws, other_band = make_team(WorkspaceKind.ACT, name="The Second Act")
    vouches.booking_vouch(actor=band[Role.COORDINATOR], booking_id=show(world, world["act_ws"], band).pk)
    assert venue_trust(world["venue"]).summary == "Not verified yet"
    other_show = show(world, other_ws, other_band)
    vouches.booking_vouch(actor=other_band[Role.OWNER], booking_id=other_show.pk)
    trust = venue_trust(world["venue"])
    assert trust.level == "vouched" and trust.summary == "Vouched for by 2 acts who played here"
    settings.VENUE_VOUCHES_REQUIRED = 3  # the setting moves the bar
    assert venue_trust(world["venue"]).level == "unverified"
    settings.VENUE_VOUCHES_REQUIRED = 2
    vouches.booking_vouch_withdraw(actor=other_band[Role.OWNER], booking_id=other_show.pk)
    assert venue_trust(world["venue"]).level == "unverified"
    assert AuditEntry.objects.filter(action="venue.vouch_withdrawn", workspace_id=other_ws.pk).count() == 1


def test_the_buyer_vouches_for_the_act(world, settings):
    settings.ACT_VOUCHES_REQUIRED = 1
    booking = show(world, world["act_ws"], world["band"])
    state = vouches.booking_vouch(actor=world["buyer"][Role.COORDINATOR], booking_id=booking.pk)
    assert state.target == "The Owls" and state.vouched
    trust = act_trust(world["act"])
    assert trust.level == "vouched" and trust.summary == "Vouched for by 1 venue that booked them"
    assert venue_trust(world["venue"]).vouches == 0  # the buyer's vouch is for the act, not its own venue


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_do_not_vouch(world, role):
    booking = show(world, world["act_ws"], world["band"])
    for people in (world["band"], world["buyer"]):
        with pytest.raises(Forbidden):
            vouches.booking_vouch(actor=people[role], booking_id=booking.pk)
    assert venue_trust(world["venue"]).vouches == 0 and act_trust(world["act"]).vouches == 0


def timeline(page: str) -> str:
    return page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]


def test_the_booking_page_offers_the_vouch_after_the_show(world, login_client):
    act_ws, band = world["act_ws"], world["band"]
    future = show(world, act_ws, band, days_ago=None)
    client = login_client(band[Role.COORDINATOR])
    assert 'data-testid="vouch-section"' not in client.get(f"/w/{act_ws.slug}/bookings/{future.pk}/").content.decode()
    played = show(world, act_ws, band)
    page = client.get(f"/w/{act_ws.slug}/bookings/{played.pk}/").content.decode()
    assert "Vouch for Lantern Hall" in page and "a real venue that looks after the acts it books" in page
    response = client.post(f"/w/{act_ws.slug}/bookings/{played.pk}/vouch/", follow=True)
    page = response.content.decode()
    assert "You vouched for Lantern Hall. Thank you!" in page and 'data-testid="vouch-withdraw"' in page
    assert "Vouched for Lantern Hall" in timeline(page)
    client.post(f"/w/{act_ws.slug}/bookings/{played.pk}/vouch/withdraw/")
    assert venue_trust(world["venue"]).vouches == 0
    buyer_page = login_client(world["buyer"][Role.VIEWER]).get(f"/w/{world['venue_ws'].slug}/bookings/{played.pk}/")
    assert "Vouched for Lantern Hall" in timeline(buyer_page.content.decode())  # both sides read it
    assert "Vouch for Lantern Hall withdrawn" in timeline(buyer_page.content.decode())
    # the buyer's side: "Vouch for The Owls"; a viewer reads why, without the button
    viewer_page = login_client(world["buyer"][Role.VIEWER]).get(
        f"/w/{world['venue_ws'].slug}/bookings/{played.pk}/").content.decode()
    assert "Vouch for The Owls" in viewer_page and 'data-testid="vouch-button"' not in viewer_page


def test_the_api_vouches_withdraws_and_refuses_clearly(world, client, bearer):
    band = world["band"]
    headers = bearer(band[Role.ADMIN])
    future = show(world, world["act_ws"], band, days_ago=None)
    refused = client.post(f"/api/v1/bookings/{future.pk}/vouch", **headers)
    assert refused.status_code == 409 and refused.json()["code"] == "show_not_played"
    played = show(world, world["act_ws"], band)
    made = client.post(f"/api/v1/bookings/{played.pk}/vouch", **headers)
    assert made.status_code == 201 and made.json()["for_name"] == "Lantern Hall" and made.json()["vouched"]
    assert client.post(f"/api/v1/bookings/{played.pk}/vouch", **headers).json()["code"] == "already_vouched"
    assert client.post(f"/api/v1/bookings/{played.pk}/vouch", **bearer(band[Role.MEMBER])).status_code == 403
    assert client.delete(f"/api/v1/bookings/{played.pk}/vouch", **headers).status_code == 204
    again = client.delete(f"/api/v1/bookings/{played.pk}/vouch", **headers)
    assert again.status_code == 409 and again.json()["code"] == "not_vouched"
    assert Venue.objects.get(pk=world["venue"].pk).vouches.count() == 0
