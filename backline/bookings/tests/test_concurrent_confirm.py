"""50 confirmations at once, over HTTP on separate database connections, that would put one singer in
overlapping shows: exactly one succeeds, 49 answer 409, none answers 5xx, and one commitment remains."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from backline.accounts import services as accounts
from backline.accounts.models import WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import act_create
from backline.bookings import services
from backline.core.places import find_city
from backline.scheduling.models import Commitment
from backline.venues.services import venue_create
from tests.factories import UserFactory

RACERS = 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's concurrent writers "
                    "(CI runs this suite on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions)")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_make_exactly_one_show():
    berlin = find_city("Berlin", "DE").geoname_id
    singer = UserFactory()
    act = act_create(actor=singer, name="The Racers", geoname_id=berlin)
    promoter = UserFactory()
    ws = accounts.workspace_create(actor=promoter, kind=WorkspaceKind.PROMOTER, name="Many Rooms", geoname_id=berlin)
    start = (timezone.now() + dt.timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    booking_ids = []
    for n in range(RACERS):
        venue = venue_create(actor=promoter, workspace_id=ws.pk, name=f"Room {n}", capacity=100, geoname_id=berlin)
        b = services.inquiry_create(actor=promoter, workspace_id=ws.pk, title=f"Show {n}", act_id=act.pk, venue_id=venue.pk)
        begins = start + dt.timedelta(minutes=n)  # every one overlaps every other
        services.hold_place(actor=promoter, booking_id=b.pk, starts_at=begins, ends_at=begins + dt.timedelta(hours=2))
        services.offer_make(actor=promoter, booking_id=b.pk, deal_type="guarantee", guarantee="300")
        booking_ids.append(b.pk)
    token = issue_access_token(singer)[0]
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    errors: list[str] = []

    def confirm(booking_id):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
            barrier.wait()
            response = client.post(f"/api/v1/bookings/{booking_id}/confirm", {}, content_type="application/json")
            statuses.append(response.status_code)
            if response.status_code == 409:
                assert response.json()["code"] == "double_booked", response.content
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(pk,)) for pk in booking_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == [200] + [409] * (RACERS - 1), statuses
    assert Commitment.objects.filter(user=singer, status="confirmed", exclusive=True).count() == 1
