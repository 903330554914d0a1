"""Simultaneous holds at one venue on one local day, in-process (Django's test client on threads, each
with its own database connection): ranks stay 1..n, and release and confirmation still close the gaps.
The same race over real HTTP at a multi-worker server is in ``tests/concurrency``."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from backline.accounts.tokens import issue_access_token
from backline.artists.services import act_create
from backline.bookings import services
from backline.bookings.models import Booking, Status
from backline.core.places import find_city
from backline.venues.services import venue_workspace_create
from tests.factories import UserFactory

HOLDS = 12


def race(token: str, paths_and_bodies) -> tuple[list[int], list[str]]:
    barrier = threading.Barrier(len(paths_and_bodies))
    statuses, errors = [], []

    def send(path, body):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
            barrier.wait(timeout=30)
            statuses.append(client.post(path, body, content_type="application/json").status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pb) for pb in paths_and_bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the test database on SQLite is one in-memory database "
                    "whose shared cache refuses a second writer at once instead of queueing it (a file database, as "
                    "deployed, queues writers with IMMEDIATE transactions); CI runs this on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_holds_get_ranks_1_to_n_and_releases_close_the_gaps():
    berlin = find_city("Berlin", "DE").geoname_id
    owner = UserFactory()
    venue = venue_workspace_create(actor=owner, name="Lantern Hall", capacity=300, geoname_id=berlin)
    act = act_create(actor=UserFactory(), name="The Owls", geoname_id=berlin)
    ids = [services.inquiry_create(actor=owner, workspace_id=venue.workspace_id, title=f"Night {n}", act_id=act.pk,
                                   venue_id=venue.pk).pk for n in range(HOLDS)]
    start = (timezone.now() + dt.timedelta(days=30)).replace(hour=18, minute=0, second=0, microsecond=0)
    statuses, errors = race(issue_access_token(owner)[0], [
        (f"/api/v1/bookings/{pk}/hold", {"starts_at": (start + dt.timedelta(minutes=n)).isoformat(),
                                         "ends_at": (start + dt.timedelta(minutes=n, hours=2)).isoformat()})
        for n, pk in enumerate(ids)])
    assert errors == []
    assert statuses == [200] * HOLDS

    def ranks():
        return dict(Booking.objects.filter(pk__in=ids, status__in=(Status.HOLD, Status.OFFER))
                    .values_list("pk", "hold_rank"))

    assert sorted(ranks().values()) == list(range(1, HOLDS + 1))
    by_rank = {rank: pk for pk, rank in ranks().items()}
    services.hold_release(actor=owner, booking_id=by_rank[1], reason="Band split")
    services.hold_release(actor=owner, booking_id=by_rank[5], reason="Changed plans")
    assert sorted(ranks().values()) == list(range(1, HOLDS - 1))
    second = by_rank[2]
    assert ranks()[second] == 1  # the 2nd hold moved up
    services.offer_make(actor=owner, booking_id=second, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=act.workspace.memberships.get().user, booking_id=second)
    assert sorted(ranks().values()) == list(range(1, HOLDS - 2))
