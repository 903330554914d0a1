import datetime as dt

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.network import services


@pytest.fixture
def circuit(make_team, django_capture_on_commit_callbacks):
    """A venue (founder and admin), a promoter and an act in one network, all sharing their shows;
    plus an agency outside it."""
    venue, venue_people = make_team(WorkspaceKind.VENUE, "Lantern Hall")
    promoter, promoter_people = make_team(WorkspaceKind.PROMOTER, "Nightjar Promotions")
    act, act_people = make_team(WorkspaceKind.ACT, "The Velvet Owls")
    outsider, outsider_people = make_team(WorkspaceKind.AGENCY, "Far Away Agency")
    vo, po, ao = venue_people[Role.OWNER], promoter_people[Role.OWNER], act_people[Role.OWNER]
    with django_capture_on_commit_callbacks(execute=True):
        network = services.network_create(actor=vo, workspace_id=venue.pk, name="Berlin Independent Circuit",
                                          region="Berlin")
        for ws, owner in ((promoter, po), (act, ao)):
            services.network_invite(actor=vo, workspace_id=venue.pk, network_id=network.pk, invitee_id=ws.pk)
            services.network_invite_answer(actor=owner, workspace_id=ws.pk, network_id=network.pk, accept=True)

    class C:
        pass

    c = C()
    c.network, c.venue, c.promoter, c.act, c.outsider = network, venue, promoter, act, outsider
    c.venue_people, c.promoter_people, c.act_people, c.outsider_people = (venue_people, promoter_people, act_people,
                                                                          outsider_people)
    return c


@pytest.fixture
def confirmed_show(circuit):
    """A confirmed show of the act at the venue in three days, with a guarantee of 800 EUR."""
    from backline.bookings import services as bookings
    from backline.venues.models import Venue

    def make(days: int = 3, title: str = "The Velvet Owls: album release"):
        hall = Venue.objects.filter(workspace=circuit.venue).first()
        buyer = circuit.venue_people[Role.OWNER]
        b = bookings.inquiry_create(actor=buyer, workspace_id=circuit.venue.pk, title=title,
                                    act_id=circuit.act.act.pk, venue_id=hall.pk)
        start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).replace(hour=20, minute=0, second=0, microsecond=0)
        bookings.hold_place(actor=buyer, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        bookings.offer_make(actor=buyer, booking_id=b.pk, deal_type="guarantee", guarantee="800")
        bookings.offer_accept(actor=circuit.act_people[Role.OWNER], booking_id=b.pk)
        b.refresh_from_db()
        assert b.status == "confirmed"
        return b

    return make
