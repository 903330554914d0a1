"""A direct conversation between an act and a venue becomes an inquiry, and the two stay linked."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings.models import Booking
from backline.conversations import services as threads
from backline.conversations.models import Thread
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.venues.models import Venue


@pytest.fixture
def talk(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    thread = threads.direct_thread_start(actor=band[Role.OWNER], workspace_id=act_ws.pk, to_workspace_ids=[venue_ws.pk],
                                         subject="A Friday in spring?", body="Hi, any Fridays free in March?")
    return {"venue_ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": buyer, "other_ws": other_ws,
            "other_venue": Venue.objects.get(workspace=other_ws), "act_ws": act_ws, "band": band, "thread": thread}


def day(n=30):
    return timezone.localdate() + dt.timedelta(days=n)


def test_the_act_turns_the_conversation_into_an_inquiry_and_both_link(talk):
    booking = threads.thread_inquiry_send(actor=talk["band"][Role.COORDINATOR], thread_id=talk["thread"].pk,
                                          venue_id=talk["venue"].pk, date_from=day())
    thread = Thread.objects.get(pk=talk["thread"].pk)
    assert thread.booking == booking and booking.act_asked and booking.workspace == talk["venue_ws"]
    for who, ws in ((talk["band"][Role.OWNER], talk["act_ws"]), (talk["buyer"][Role.MEMBER], talk["venue_ws"])):
        client = Client()
        client.force_login(who)
        page = client.get(f"/w/{ws.slug}/inbox/{thread.pk}/").content.decode()
        assert f'href="/w/{ws.slug}/bookings/{booking.pk}/"' in page  # the conversation links to the booking
        detail = client.get(f"/w/{ws.slug}/bookings/{booking.pk}/").content.decode()
        assert f'href="/w/{ws.slug}/inbox/{thread.pk}/"' in detail  # and the booking to the conversation
        # … as the booking's conversation itself, with its messages: not a second, empty one beside it.
        assert f'class="btn btn-sm btn-primary" href="/w/{ws.slug}/inbox/{thread.pk}/" data-testid="open-conversation"' \
            in detail
        assert "any Fridays free in March?" in detail and 'data-testid="booking-origin-threads"' not in detail
    assert not Thread.objects.filter(booking=booking).exclude(pk=thread.pk).exists()
    with pytest.raises(Conflict) as exc:  # once linked, it is linked
        threads.thread_inquiry_send(actor=talk["band"][Role.OWNER], thread_id=thread.pk, venue_id=talk["venue"].pk,
                                    date_from=day(40))
    assert exc.value.code == "already_linked"


def test_only_the_conversations_venues_and_only_act_bookers(talk):
    with pytest.raises(Invalid) as exc:
        threads.thread_inquiry_send(actor=talk["band"][Role.OWNER], thread_id=talk["thread"].pk,
                                    venue_id=talk["other_venue"].pk, date_from=day())
    assert "venue_id" in exc.value.errors
    with pytest.raises(Forbidden):
        threads.thread_inquiry_send(actor=talk["band"][Role.MEMBER], thread_id=talk["thread"].pk,
                                    venue_id=talk["venue"].pk, date_from=day())
    with pytest.raises(NotFound):  # the venue's side logs inquiries on its board instead
        threads.thread_inquiry_send(actor=talk["buyer"][Role.OWNER], thread_id=talk["thread"].pk,
                                    venue_id=talk["venue"].pk, date_from=day())
    with pytest.raises(NotFound):  # strangers learn nothing
        threads.thread_inquiry_send(actor=talk["other_ws"].memberships.first().user,
                                    thread_id=talk["thread"].pk, venue_id=talk["venue"].pk, date_from=day())
    assert not Booking.objects.exists() and Thread.objects.get(pk=talk["thread"].pk).booking_id is None


def test_the_web_page_offers_it_only_where_it_applies(talk):
    owner, viewer = Client(), Client()
    owner.force_login(talk["band"][Role.OWNER])
    viewer.force_login(talk["band"][Role.VIEWER])
    slug, pk = talk["act_ws"].slug, talk["thread"].pk
    assert 'data-testid="thread-inquiry"' in owner.get(f"/w/{slug}/inbox/{pk}/").content.decode()
    assert 'data-testid="thread-inquiry"' not in viewer.get(f"/w/{slug}/inbox/{pk}/").content.decode()
    assert viewer.get(f"/w/{slug}/inbox/{pk}/inquiry/").status_code == 403
    form = owner.get(f"/w/{slug}/inbox/{pk}/inquiry/")
    assert form.status_code == 200 and form.context["form"].initial["to"] == f"v{talk['venue'].pk}"
    assert [c for c, _ in form.context["form"].fields["to"].choices[1][1]] == [f"v{talk['venue'].pk}"]
    sent = owner.post(f"/w/{slug}/inbox/{pk}/inquiry/", {"to": f"v{talk['venue'].pk}", "date_from": day().isoformat()})
    booking = Booking.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/w/{slug}/bookings/{booking.pk}/"
    assert "Inquiry sent to Lantern Hall; this conversation is linked to it." in owner.get(sent["Location"]).content.decode()
    assert 'data-testid="thread-inquiry"' not in owner.get(f"/w/{slug}/inbox/{pk}/").content.decode()
    buyer = Client()
    buyer.force_login(talk["buyer"][Role.OWNER])
    assert buyer.get(f"/w/{talk['venue_ws'].slug}/inbox/{pk}/inquiry/").status_code == 404
