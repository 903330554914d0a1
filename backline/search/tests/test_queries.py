"""Search makes a constant number of queries whatever the number of rows (ARCHITECTURE.md §4)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from backline.accounts.models import Role
from backline.artists.services import performer_create
from backline.bookings import agency_services, services
from backline.search.selectors import TYPES, search


def test_a_constant_number_of_queries_whatever_the_number_of_rows(world, django_assert_max_num_queries):
    owner = world["agency"][Role.OWNER]

    def count(q, **kw):
        with CaptureQueriesContext(connection) as ctx:
            search(owner, q, **kw)
        return len(ctx.captured_queries)

    before = {t: count("gig", type=t) for t in TYPES}
    everything = count("gig")
    for n in range(12):
        client = agency_services.client_create(actor=owner, workspace_id=world["agency_ws"].pk, name=f"Gig client {n}")
        services.inquiry_create(actor=owner, workspace_id=world["agency_ws"].pk, title=f"Gig {n}", client_id=client.pk)
        performer_create(actor=owner, workspace_id=world["agency_ws"].pk, name=f"Gig player {n}")
    assert {t: count("gig", type=t) for t in TYPES} == before
    assert count("gig") == everything
    with django_assert_max_num_queries(10):
        results = search(owner, "gig", limit=5)
    assert len(results["inquiries"]) == len(results["clients"]) == len(results["performers"]) == 5
    for t in TYPES:
        with django_assert_max_num_queries(3):
            search(owner, "gig", type=t)


