"""Internal conversations: a workspace's team channel (every member, now and later) and internal
threads among chosen members. Never an outside party, never email; in the inbox with an "Internal"
marker; members are told through the usual notifications; a foreign workspace's internal thread is 404."""

import pytest

from backline.accounts import services as accounts
from backline.accounts.models import Membership, Role
from backline.conversations import selectors as sel
from backline.conversations import services as threads
from backline.conversations.models import Thread, ThreadKind, ThreadMember, ThreadParty
from backline.conversations.permissions import access_thread
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from tests.communication import EVERY_ROLE, ids, told
from tests.factories import UserFactory
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db


def _band(world):
    return world["act_ws"], world["band"]


# --- the channel ----------------------------------------------------------------------------------

def test_the_channel_is_made_once_with_the_workspace_as_its_only_party(world):
    ws, band = _band(world)
    first = threads.internal_channel_get(actor=band[Role.MEMBER], workspace_id=ws.pk).thread
    again = threads.internal_channel_get(actor=band[Role.VIEWER], workspace_id=ws.pk).thread
    assert first.pk == again.pk and first.kind == ThreadKind.INTERNAL and first.is_channel
    assert list(ThreadParty.objects.filter(thread=first).values_list("workspace_id", "contact_id")) == [(ws.pk, None)]
    assert Thread.objects.filter(workspace=ws, is_channel=True).count() == 1


def test_every_member_is_told_of_a_channel_message_but_no_other_workspace(world, fire):
    ws, band = _band(world)
    channel = threads.internal_channel_for(ws)
    with fire():
        threads.message_post(actor=band[Role.OWNER], thread_id=channel.pk, body="Van leaves at **nine**.")
    notified = told("message")
    assert ids(band, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER) <= notified.keys()
    assert band[Role.OWNER].pk not in notified
    assert notified.keys().isdisjoint(ids(world["buyer"], *EVERY_ROLE))


def test_someone_who_joins_later_reads_the_channel_history_and_leaving_ends_it(world, fire):
    ws, band = _band(world)
    channel = threads.internal_channel_for(ws)
    threads.message_post(actor=band[Role.OWNER], thread_id=channel.pk, body="Setlist for Friday is in the folder.")
    newcomer = UserFactory()
    Membership.objects.create(user=newcomer, workspace=ws, role=Role.MEMBER)
    ta = access_thread(user=newcomer, thread_id=channel.pk)
    assert [m.body for m in sel.messages_for(ta)] == ["Setlist for Friday is in the folder."]
    with fire():
        accounts.membership_leave(actor=newcomer, workspace_id=ws.pk)
    with pytest.raises(NotFound):
        access_thread(user=newcomer, thread_id=channel.pk)


def test_viewers_read_the_channel_but_may_not_write(world):
    ws, band = _band(world)
    channel = threads.internal_channel_for(ws)
    assert access_thread(user=band[Role.VIEWER], thread_id=channel.pk).thread == channel
    with pytest.raises(Forbidden):
        threads.message_post(actor=band[Role.VIEWER], thread_id=channel.pk, body="Can I?")


def test_another_workspace_never_reaches_the_channel(world, outsider):
    ws, _ = _band(world)
    channel = threads.internal_channel_for(ws)
    for stranger in (outsider, world["buyer"][Role.OWNER]):
        with pytest.raises(NotFound):
            access_thread(user=stranger, thread_id=channel.pk)
        with pytest.raises(NotFound):
            threads.internal_channel_get(actor=stranger, workspace_id=ws.pk)


# --- internal threads ---------------------------------------------------------------------------------

def test_an_internal_thread_among_chosen_members_is_theirs_alone(world, fire):
    ws, band = _band(world)
    owner, member, coordinator = band[Role.OWNER], band[Role.MEMBER], band[Role.COORDINATOR]
    with fire():
        thread = threads.internal_thread_start(actor=owner, workspace_id=ws.pk, subject="Fee for the Hamburg show",
                                               body="Shall we go down to 900?", member_ids=[member.pk])
    assert set(ThreadMember.objects.filter(thread=thread).values_list("user_id", flat=True)) == {owner.pk, member.pk}
    assert set(told("message").keys()) == {member.pk}
    assert access_thread(user=member, thread_id=thread.pk).thread == thread
    with pytest.raises(NotFound):  # in the workspace, but not in this conversation: it does not exist
        access_thread(user=coordinator, thread_id=thread.pk)
    listed = {t.pk for t in sel.threads_for_workspace(user=coordinator, workspace=ws)}
    assert thread.pk not in listed
    assert sel.unread_threads_count(user=coordinator, workspace=ws) == 0
    assert sel.unread_threads_count(user=member, workspace=ws) == 1
    assert sel.unread_summary(coordinator)["count"] == 0


def test_an_internal_thread_for_everyone_is_read_by_every_member(world, fire):
    ws, band = _band(world)
    with fire():
        thread = threads.internal_thread_start(actor=band[Role.ADMIN], workspace_id=ws.pk, subject="Merch order",
                                               body="Shirts or tote bags this time?")
    assert not ThreadMember.objects.filter(thread=thread).exists()
    assert ids(band, Role.OWNER, Role.COORDINATOR, Role.MEMBER, Role.VIEWER) <= told("message").keys()
    listed = [t for t in sel.threads_for_workspace(user=band[Role.VIEWER], workspace=ws) if t.pk == thread.pk]
    assert listed and listed[0].kind == ThreadKind.INTERNAL and listed[0].unread == 1


def test_choosing_everyone_by_name_makes_a_thread_for_everyone(world):
    ws, band = _band(world)
    everyone = [band[r].pk for r in EVERY_ROLE]
    thread = threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="All hands",
                                           body="Rehearsal moved to Thursday.", member_ids=everyone)
    assert not ThreadMember.objects.filter(thread=thread).exists()


def test_outsiders_cannot_be_chosen_and_nothing_is_written(world, outsider):
    ws, band = _band(world)
    before = Thread.objects.count()
    for people in ([outsider.pk], [world["buyer"][Role.OWNER].pk], ["nobody"], [band[Role.OWNER].pk]):
        with pytest.raises(Invalid) as refused:
            threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="Secret",
                                          body="Just us", member_ids=people)
        assert "members" in refused.value.errors
    assert Thread.objects.count() == before


def test_viewers_cannot_start_internal_threads_and_strangers_get_404(world, outsider):
    ws, band = _band(world)
    with pytest.raises(Forbidden):
        threads.internal_thread_start(actor=band[Role.VIEWER], workspace_id=ws.pk, subject="Hi", body="Hello")
    with pytest.raises(NotFound):
        threads.internal_thread_start(actor=outsider, workspace_id=ws.pk, subject="Hi", body="Hello")


def test_leaving_the_workspace_leaves_its_internal_threads(world, fire):
    ws, band = _band(world)
    member = band[Role.MEMBER]
    thread = threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="Fees",
                                           body="Numbers attached soon.", member_ids=[member.pk])
    with fire():
        accounts.membership_leave(actor=member, workspace_id=ws.pk)
    assert not ThreadMember.objects.filter(thread=thread, user=member).exists()


def test_internal_threads_never_take_an_outside_party_or_email(world):
    from backline.contacts.models import Contact
    from backline.mail.services import outbox

    ws, band = _band(world)
    thread = threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="Inside",
                                           body="Only us.")
    with pytest.raises(Conflict):
        threads.party_add(actor=band[Role.OWNER], thread_id=thread.pk, to_workspace_id=world["venue_ws"].pk)
    contact = Contact.objects.create(workspace=ws, name="Pat Promoter", email="pat@example.org")
    with pytest.raises(Conflict):
        threads.thread_contact_add(thread=thread, contact=contact)
    with pytest.raises(Conflict):
        outbox.email_queue(actor=band[Role.OWNER], workspace_id=ws.pk, to_email="pat@example.org",
                           subject="Inside", body="Only us.", thread=thread)
    assert not thread.messages.exclude(source="app").exists()


# --- web ----------------------------------------------------------------------------------------------

def test_the_inbox_marks_internal_threads_and_offers_the_channel(world, login_client):
    ws, band = _band(world)
    threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="Merch order",
                                  body="Shirts or totes?")
    page = login_client(band[Role.MEMBER]).get(url(ws, "inbox/")).content.decode()
    assert 'data-testid="internal-marker">Internal</span>Merch order' in page
    assert url(ws, "inbox/internal/") in page


def test_the_channel_page_and_posting_in_it(world, login_client):
    ws, band = _band(world)
    client = login_client(band[Role.MEMBER])
    page = client.get(url(ws, "inbox/internal/"))
    assert page.status_code == 200
    assert "It never goes out by email." in page.content.decode()
    channel = Thread.objects.get(workspace=ws, is_channel=True)
    response = client.post(url(ws, f"inbox/{channel.pk}/post/"), {"body": "Soundcheck at five."})
    assert response.status_code == 302
    assert channel.messages.get().body == "Soundcheck at five."


def test_the_channel_page_lists_only_the_teams_conversations_with_the_filter_on_internal(world, login_client, fire):
    ws, band = _band(world)
    owner = band[Role.OWNER]
    with fire():
        threads.internal_thread_start(actor=owner, workspace_id=ws.pk, subject="Merch order", body="Shirts or totes?")
        threads.direct_thread_start(actor=owner, workspace_id=ws.pk, to_workspace_ids=[world["venue_ws"].pk],
                                    subject="Load-in times", body="When can we load in?")
    client = login_client(owner)
    page = client.get(url(ws, "inbox/internal/")).content.decode()
    listed = page.split('id="thread-list"', 1)[1]
    assert "Merch order" in listed and "Load-in times" not in listed
    assert '<option value="internal" selected>Internal</option>' in page
    assert '<option value="" selected>' not in page
    # Choosing "All" there lists everything again.
    everything = client.get(url(ws, "inbox/internal/?kind=")).content.decode().split('id="thread-list"', 1)[1]
    assert "Merch order" in everything and "Load-in times" in everything


def test_starting_an_internal_thread_from_the_page(world, login_client):
    ws, band = _band(world)
    client = login_client(band[Role.OWNER])
    assert "Or untick that and choose people" in client.get(url(ws, "inbox/internal/new/")).content.decode()
    refused = client.post(url(ws, "inbox/internal/new/"), {"subject": "Fees", "body": "Numbers"})
    assert refused.status_code == 422 and "Tick the people to include" in refused.content.decode()
    assert not Thread.objects.filter(kind=ThreadKind.INTERNAL).exists()
    response = client.post(url(ws, "inbox/internal/new/"),
                           {"subject": "Fees", "body": "Numbers", "members": [band[Role.ADMIN].pk]})
    thread = Thread.objects.get(kind=ThreadKind.INTERNAL)
    assert response.status_code == 302 and response["Location"].endswith(f"/inbox/{thread.pk}/")
    detail = client.get(response["Location"]).content.decode()
    assert "Internal: only" in detail and band[Role.ADMIN].display_name in detail


def test_a_foreign_workspaces_internal_thread_is_404_on_the_web(world, login_client):
    ws, band = _band(world)
    thread = threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject="Inside",
                                           body="Only us.")
    buyer = login_client(world["buyer"][Role.OWNER])
    assert buyer.get(url(world["venue_ws"], f"inbox/{thread.pk}/")).status_code == 404
    assert buyer.get(url(ws, f"inbox/{thread.pk}/")).status_code == 404


def test_the_channel_page_is_constant_in_queries(world, login_client, django_assert_max_num_queries):
    ws, band = _band(world)
    client = login_client(band[Role.MEMBER])
    channel = threads.internal_channel_for(ws)
    threads.message_post(actor=band[Role.OWNER], thread_id=channel.pk, body="First")  # files load once there are messages

    def add_rows():
        for i in range(15):
            threads.message_post(actor=band[Role.OWNER], thread_id=channel.pk, body=f"Note {i}")
            threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject=f"Topic {i}",
                                          body="More", member_ids=[band[Role.MEMBER].pk])

    assert_constant_queries(client, {url(ws, "inbox/internal/"): 20}, add_rows, django_assert_max_num_queries)


# --- API ------------------------------------------------------------------------------------------------

def test_the_api_lists_creates_and_posts_in_internal_threads(world, client, bearer):
    ws, band = _band(world)
    owner_h = bearer(band[Role.OWNER])
    channel = client.get(f"/api/v1/workspaces/{ws.pk}/internal-channel", **owner_h)
    assert channel.status_code == 200 and channel.json()["is_channel"] and channel.json()["kind"] == "internal"
    made = client.post(f"/api/v1/workspaces/{ws.pk}/internal-threads", {"subject": "Fees", "body": "Let's talk",
                       "members": [band[Role.MEMBER].pk]}, content_type="application/json", **owner_h)
    assert made.status_code == 201, made.content
    thread_id = made.json()["id"]
    posted = client.post(f"/api/v1/threads/{thread_id}/messages", {"body": "900 is fine"},
                         content_type="application/json", **bearer(band[Role.MEMBER]))
    assert posted.status_code == 201
    listed = client.get(f"/api/v1/workspaces/{ws.pk}/internal-threads", **owner_h).json()
    assert {t["id"] for t in listed["items"]} == {channel.json()["id"], thread_id}
    coordinator = client.get(f"/api/v1/workspaces/{ws.pk}/internal-threads", **bearer(band[Role.COORDINATOR])).json()
    assert {t["id"] for t in coordinator["items"]} == {channel.json()["id"]}
    assert client.get(f"/api/v1/threads/{thread_id}", **bearer(band[Role.COORDINATOR])).status_code == 404
    refused = client.post(f"/api/v1/workspaces/{ws.pk}/internal-threads", {"subject": "", "body": "x"},
                          content_type="application/json", **owner_h)
    assert refused.status_code == 422


def test_a_foreign_workspaces_internal_thread_is_404_in_the_api(world, client, bearer, outsider):
    ws, band = _band(world)
    channel = threads.internal_channel_for(ws)
    headers = bearer(world["buyer"][Role.OWNER])
    assert client.get(f"/api/v1/threads/{channel.pk}", **headers).status_code == 404
    assert client.post(f"/api/v1/threads/{channel.pk}/messages", {"body": "hi"}, content_type="application/json",
                       **headers).status_code == 404
    assert client.get(f"/api/v1/workspaces/{ws.pk}/internal-channel", **bearer(outsider)).status_code == 404


# --- the dashboard's unread panel ------------------------------------------------------------------------

def test_the_dashboard_lists_unread_conversations_internal_ones_marked(world, login_client):
    ws, band = _band(world)
    for i in range(7):
        threads.internal_thread_start(actor=band[Role.OWNER], workspace_id=ws.pk, subject=f"Topic {i}", body="Hi")
    count, rows = sel.unread_threads(user=band[Role.MEMBER].pk, workspace=ws, limit=5)
    assert count == 7 and [t.subject for t in rows] == [f"Topic {i}" for i in (6, 5, 4, 3, 2)]
    page = login_client(band[Role.MEMBER]).get(url(ws)).content.decode()
    assert 'data-testid="unread-count" aria-label="7 unread">7<' in page
    assert page.count('data-testid="unread-thread"') == 5 and "All 7 unread conversations" in page
    assert '<span class="badge text-bg-warning fw-normal me-1">Internal</span>Topic 6' in page
    owner_page = login_client(band[Role.OWNER]).get(url(ws)).content.decode()  # wrote them: nothing unread
    assert "You are all caught up: nothing unread." in owner_page
