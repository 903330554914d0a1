"""A performer's gig page: an agency performer opens each gig of their list and sees when and where (in
their own time zone), directions, call times, the day sheet, who else plays and their own payout; only
the performer assigned to it and the agency's coordinators, admins and owners may open it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.venues.models import Venue
from tests.pages import assert_constant_queries, url


@pytest.fixture
def gig(make_team):
    """A confirmed agency show at a Berlin venue, advanced, with Ana (a performer with an account, in
    New York time) and Ben on it."""
    venue_ws, _ = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    venue = Venue.objects.get(workspace=venue_ws)
    venue.address, venue.postal_code = "Karl-Marx-Allee 33", "10178"
    venue.save()
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner, coordinator = people[Role.OWNER], people[Role.COORDINATOR]
    player = people[Role.PERFORMER]
    player.time_zone = "America/New_York"
    player.save()
    ana = performer_create(actor=owner, workspace_id=ws.pk, name="Ana Sax")
    performer_link_user(actor=owner, performer_id=ana.pk, user_id=player.pk)
    ben = performer_create(actor=owner, workspace_id=ws.pk, name="Ben Keys")
    start = (timezone.now() + dt.timedelta(days=20)).replace(hour=19, minute=0, second=0, microsecond=0)
    booking = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Gala night", venue_id=venue.pk,
                                      starts_at=start, ends_at=start + dt.timedelta(hours=3))
    agency_services.performer_assign(actor=coordinator, booking_id=booking.pk, performer_id=ana.pk, payout="380",
                                     role="vocals")
    agency_services.performer_assign(actor=coordinator, booking_id=booking.pk, performer_id=ben.pk, payout="420",
                                     role="keys")
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", guarantee="2000",
                        load_in=dt.time(16, 0), set_minutes=90)
    agency_services.inquiry_convert(actor=coordinator, booking_id=booking.pk)
    services.advance_update(actor=coordinator, booking_id=booking.pk, soundcheck=dt.time(17, 30), doors=dt.time(18, 30),
                            parking="Loading bay on Koppenstraße", contacts="Jo (stage manager) +49 30 1234")
    booking.refresh_from_db()
    return ws, people, booking, ana, ben


def test_the_assigned_performer_sees_everything_they_need_for_the_gig(gig, login_client):
    ws, people, booking, *_ = gig
    client = login_client(people[Role.PERFORMER])
    dashboard = client.get(url(ws)).content.decode()
    assert f'href="/w/{ws.slug}/gigs/{booking.pk}/"' in dashboard  # each gig in their list opens
    assert dashboard.index('data-testid="gigs-panel"') < dashboard.index("Your performer profile")  # gigs first
    page = client.get(url(ws, f"gigs/{booking.pk}/")).content.decode()
    local = booking.starts_at.astimezone(ZoneInfo("America/New_York"))
    when = page.split('data-testid="gig-when"')[1].split("</p>")[0]
    assert f"{local:%H:%M}" in when  # in the performer's own zone...
    assert "Europe/Berlin" in page.split('data-testid="gig-local"')[1].split("</p>")[0]  # ...and the venue's named
    assert "Karl-Marx-Allee 33" in page and "10178 Berlin" in page
    directions = re.search(r'href="([^"]+)"[^>]*data-testid="gig-directions"', page).group(1)
    assert directions.startswith("https://www.google.com/maps/dir/?api=1&amp;destination=Lantern+Hall")
    calls = page.split('data-testid="gig-calls"')[1].split("</section>")[0]
    for label, time in (("Load-in", "16:00"), ("Soundcheck", "17:30"), ("Doors", "18:30"), ("Show starts", "")):
        assert label in calls and time in calls
    assert "90 min" in calls
    assert "Loading bay on Koppenstraße" in page and "Jo (stage manager)" in page
    line_up = page.split('data-testid="gig-line-up"')[1].split("</section>")[0]
    assert "Ana Sax" in line_up and "Ben Keys" in line_up and "keys" in line_up
    assert "€380" in page.split('data-testid="gig-payout"')[1] and "€420" not in page  # their own payout only


def test_only_the_assigned_performer_and_coordinators_open_a_gig(gig, make_team, login_client):
    ws, people, booking, ana, ben = gig
    path = url(ws, f"gigs/{booking.pk}/")
    for role in (Role.OWNER, Role.ADMIN, Role.COORDINATOR):
        page = login_client(people[role]).get(path)
        assert page.status_code == 200 and "€420" in page.content.decode()  # staff see every payout
    for role in (Role.MEMBER, Role.VIEWER):
        assert login_client(people[role]).get(path).status_code == 404
    performer_link_user(actor=people[Role.OWNER], performer_id=ana.pk, user_id=None)
    assert login_client(people[Role.PERFORMER]).get(path).status_code == 404  # no longer on the gig
    _, others = make_team(WorkspaceKind.AGENCY, name="Other Agency")
    assert login_client(others[Role.OWNER]).get(path).status_code == 404


def test_the_gig_page_uses_constant_queries(gig, login_client, django_assert_max_num_queries):
    ws, people, booking, *_ = gig
    n = iter(range(100))

    def add_rows():
        for _ in range(4):
            extra = performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name=f"Extra {next(n)}")
            agency_services.performer_assign(actor=people[Role.OWNER], booking_id=booking.pk, performer_id=extra.pk,
                                             payout="100")

    assert_constant_queries(login_client(people[Role.PERFORMER]), {url(ws, f"gigs/{booking.pk}/"): 5}, add_rows,
                            django_assert_max_num_queries)


def test_who_plays_names_each_performers_instrument_from_their_role_or_their_skills(gig, login_client):
    ws, people, booking, ana, ben = gig
    ben.skills = "keys, synth"
    ben.save(update_fields=["skills"])
    cleo = performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Cleo Drums", skills="drums")
    agency_services.performer_assign(actor=people[Role.COORDINATOR], booking_id=booking.pk, performer_id=cleo.pk,
                                     payout="300")
    page = login_client(people[Role.PERFORMER]).get(url(ws, f"gigs/{booking.pk}/")).content.decode()
    players = {re.sub(r"<[^>]+>|\s+", " ", li).split("·")[0].replace(" you ", " ").strip(): li
               for li in re.findall(r'data-testid="player">(.*?)</li>', page)}
    assert "· vocals" in players["Ana Sax"] and "· keys<" in players["Ben Keys"]  # the role given for this gig
    assert "· drums" in players["Cleo Drums"]  # none given: what they play, from their performer record
