"""The act's public press kit: visibility for every public route and its API, markup (Open Graph,
JSON-LD), the PDF one-sheet, the press pack, request a date, and view tracking."""

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache
from django.test import Client

from backline.accounts.models import WorkspaceKind
from backline.artists import epk
from backline.artists.epk_models import PressKit, PressKitView, ViewSource
from backline.bookings.models import Booking
from backline.mail.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SOON = (dt.date.today() + dt.timedelta(days=60)).isoformat()
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari/604.1"}


def _routes(slug):
    return [f"/a/{slug}/", f"/a/{slug}/one-sheet.pdf", f"/a/{slug}/one-sheet.pdf?layout=photo",
            f"/a/{slug}/press-pack.zip"]


def _set(kit, visibility):
    PressKit.objects.filter(pk=kit.pk).update(visibility=visibility)


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private"])
def test_visibility_of_every_public_route_for_anonymous_stranger_and_member(owls, login_client, visibility):
    workspace, people, kit = owls
    _set(kit, visibility)
    callers = {"anonymous": Client(), "stranger": login_client(UserFactory()), "member": login_client(people["viewer"])}
    for who, client in callers.items():
        expected = 404 if visibility == "private" and who != "member" else 200
        for route in _routes(workspace.slug):
            response = client.get(route, **BROWSER)
            assert response.status_code == expected, (who, route, response.status_code)
        # The public API: a private kit is 404 for everyone (members read it through the workspace API).
        api = client.get(f"/api/v1/public/acts/{workspace.slug}")
        assert api.status_code == (404 if visibility == "private" else 200), (who, api.status_code)


def test_unlisted_page_is_not_indexed_and_public_is(owls):
    workspace, _, kit = owls
    assert b'name="robots" content="noindex"' not in Client().get(f"/a/{workspace.slug}/").content
    _set(kit, "unlisted")
    response = Client().get(f"/a/{workspace.slug}/")
    assert b'<meta name="robots" content="noindex">' in response.content
    assert response["X-Robots-Tag"] == "noindex"


def test_members_see_a_preview_banner_on_a_private_kit(owls, login_client):
    workspace, people, kit = owls
    _set(kit, "private")
    page = login_client(people["member"]).get(f"/a/{workspace.slug}/").content.decode()
    assert "nobody else can open it" in page


def test_an_act_without_a_press_kit_is_404(make_team):
    workspace, _ = make_team(WorkspaceKind.ACT, name="No Kit")
    assert Client().get(f"/a/{workspace.slug}/").status_code == 404
    assert Client().get(f"/api/v1/public/acts/{workspace.slug}").status_code == 404


def test_page_shows_what_the_act_published_and_never_member_emails(owls):
    workspace, _, _ = owls
    page = Client().get(f"/a/{workspace.slug}/").content.decode()
    assert "Dream pop from Berlin." in page and "Mara Quinn" in page and "vocals" in page
    assert "mara@example.org" not in page
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page and 'loading="lazy"' in page
    assert "https://open.spotify.com/embed/album/4aawyAB9vmqN3uQ7FjRGTy" in page
    assert "Photo: Ana Foto" in page and "Stage plot" in page and "€800–€1,500" in page
    assert '<meta property="og:title" content="The Velvet Owls">' in page


def test_json_ld_is_valid_json_music_group_and_escapes_script(owls):
    workspace, _, kit = owls
    PressKit.objects.filter(pk=kit.pk).update(short_bio="Bad </script><script>alert(1)</script> & co")
    page = Client().get(f"/a/{workspace.slug}/").content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "MusicGroup" and data["name"] == "The Velvet Owls"
    assert data["description"] == "Bad </script><script>alert(1)</script> & co"
    assert "<script>alert" not in page
    assert {"@type": "Person", "name": "Mara Quinn"} in data["member"]


@pytest.mark.parametrize("layout", ["classic", "photo"])
def test_one_sheet_pdf_in_both_layouts(owls, layout):
    workspace, _, _ = owls
    response = Client().get(f"/a/{workspace.slug}/one-sheet.pdf?layout={layout}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_press_pack_zip_holds_the_photos_documents_and_credits(owls):
    workspace, _, _ = owls
    response = Client().get(f"/a/{workspace.slug}/press-pack.zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "bio.txt" in names and "credits.txt" in names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".pdf") for n in names)


def test_public_api_shows_the_kit(owls):
    workspace, _, _ = owls
    data = Client().get(f"/api/v1/public/acts/{workspace.slug}").json()
    assert data["name"] == "The Velvet Owls" and data["embeds"][0]["embed_url"].startswith("https://www.youtube-nocookie")
    assert {"name": "Mara Quinn", "instruments": "vocals"} in data["line_up"]
    assert data["quotes"][0]["source"] == "The Quietus"


def test_public_page_and_api_use_a_constant_number_of_queries(owls, django_assert_max_num_queries):
    from backline.media.models import AssetKind
    from backline.profiles.tests.conftest import make_asset

    workspace, people, kit = owls
    client = Client()

    def count(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, **BROWSER).status_code == 200
        return len(ctx)

    few = [count(r) for r in (f"/a/{workspace.slug}/", f"/api/v1/public/acts/{workspace.slug}")]
    photos = [make_asset(workspace, title=f"P{n}").pk for n in range(5)]
    epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, photos=photos, quotes=[
        {"quote": f"Great {n}", "source": f"Paper {n}"} for n in range(6)])
    many = [count(r) for r in (f"/a/{workspace.slug}/", f"/api/v1/public/acts/{workspace.slug}")]
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(f"/a/{workspace.slug}/", **BROWSER)
    assert AssetKind.PHOTO


# --- view tracking --------------------------------------------------------------------------------------

def test_every_open_is_counted_but_bots_and_members_are_not(owls, login_client):
    workspace, people, kit = owls
    Client().get(f"/a/{workspace.slug}/", **BROWSER)
    Client().get(f"/a/{workspace.slug}/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    login_client(people["owner"]).get(f"/a/{workspace.slug}/", **BROWSER)
    views = list(PressKitView.objects.filter(press_kit=kit))
    assert len(views) == 1 and views[0].source == ViewSource.DIRECT


def test_an_outreach_token_attributes_the_recipient_and_a_forged_one_is_ignored(owls, login_client):
    workspace, people, kit = owls
    token = epk.recipient_token(act_workspace_id=workspace.pk, contact_id=7, label="Lantern Hall")
    for _ in range(3):
        Client().get(f"/a/{workspace.slug}/?r={token}", **BROWSER)
    Client().get(f"/a/{workspace.slug}/?r={token[:-3]}xyz", **BROWSER)  # forged
    other = epk.recipient_token(act_workspace_id=workspace.pk + 1000, contact_id=8, label="Elsewhere")
    Client().get(f"/a/{workspace.slug}/?r={other}", **BROWSER)  # another act's token
    stats = epk.view_stats(kit)
    assert stats.total == 5 and stats.by_recipient == [("Lantern Hall", 3)]
    assert PressKitView.objects.filter(recipient_contact_id=7).count() == 3
    page = login_client(people["owner"]).get(f"/w/{workspace.slug}/press-kit/").content.decode()
    assert "Opened 5 times in 30 days" in page and "Lantern Hall (3×)" in page


# --- request a date --------------------------------------------------------------------------------------

def _ask(client, slug, **data):
    body = {"name": "Kim Promo", "email": "kim@example.org", "date": SOON, "where": "Lantern Hall, Berlin",
            "message": "Friday slot?", "website": ""} | data
    return client.post(f"/a/{slug}/request/", body)


def test_anonymous_request_queues_an_email_to_the_booking_contact(owls, django_capture_on_commit_callbacks):
    workspace, _, _ = owls
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False):
        response = _ask(Client(), workspace.slug)
    assert response.status_code == 302
    email = OutboundEmail.objects.get(workspace=workspace)
    assert email.to_email == "booking@owls.example" and "kim@example.org" in email.body_text


def test_honeypot_sends_nothing(owls):
    workspace, _, _ = owls
    cache.clear()
    assert _ask(Client(), workspace.slug, website="http://spam.example").status_code == 302
    assert not OutboundEmail.objects.filter(workspace=workspace).exists()


def test_bad_request_input_shows_errors_and_sends_nothing(owls):
    workspace, _, _ = owls
    cache.clear()
    response = _ask(Client(), workspace.slug, email="not-an-email", date="2001-01-01")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a valid email address." in page and "That date has passed" in page
    assert not OutboundEmail.objects.filter(workspace=workspace).exists()
    # the answer opens at the form, with what to fix on top of it, focused and linked to each field
    assert f'action="/a/{workspace.slug}/request/#request"' in page
    summary = page.split('data-testid="request-errors"')[1]
    assert summary.index('href="#id_email"') < summary.index('name="name"')
    assert 'tabindex="-1" autofocus data-testid="request-errors"' in page


def test_requests_are_rate_limited_with_a_clear_429(owls, django_capture_on_commit_callbacks):
    workspace, _, _ = owls
    cache.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(5):
            assert _ask(client, workspace.slug).status_code == 302
        response = _ask(client, workspace.slug)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert OutboundEmail.objects.filter(workspace=workspace).count() == 5


def test_a_logged_in_venue_member_logs_a_real_inquiry_with_the_act(owls, make_team, login_client):
    workspace, _, kit = owls
    venue, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    response = login_client(people["coordinator"]).post(f"/a/{workspace.slug}/request/", {
        "buyer": venue.pk, "date": SOON, "message": "Friday?", "website": ""})
    booking = Booking.objects.get(workspace=venue)
    assert response.status_code == 302 and booking.act_id == kit.act_id and booking.notes == "Friday?"
    assert not OutboundEmail.objects.filter(workspace=workspace).exists()


def test_a_venue_member_cannot_log_an_inquiry_in_a_workspace_not_theirs(owls, make_team, login_client):
    workspace, _, _ = owls
    venue, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other, _ = make_team(WorkspaceKind.VENUE, name="Other Hall")
    response = login_client(people["owner"]).post(f"/a/{workspace.slug}/request/", {
        "buyer": other.pk, "date": SOON, "message": "", "website": ""})
    assert response.status_code == 422 and not Booking.objects.exists()


# --- request a date: stage, duplicates, the act is told ----------------------------------------------------

def _hall(make_team, stages=("Main room", "Small room"), name="Lantern Hall"):
    """(workspace, people, venue, its stages): the venue comes with a "Main room"."""
    from backline.venues.models import Stage

    buyer, people = make_team(WorkspaceKind.VENUE, name=name)
    venue = buyer.venues.get()
    rooms = [venue.stages.get()] + [Stage.objects.create(venue=venue, name=n, capacity=200) for n in stages[1:]]
    return buyer, people, venue, rooms


def _buyer_asks(client, slug, buyer, **data):
    return client.post(f"/a/{slug}/request/", {"buyer": buyer.pk, "date": SOON, "message": "Friday?",
                                               "website": ""} | data)


def test_a_buyer_chooses_the_stage_and_the_inquiry_records_it(owls, make_team, login_client):
    workspace, _, _ = owls
    buyer, people, venue, rooms = _hall(make_team)
    client = login_client(people["owner"])
    page = client.get(f"/a/{workspace.slug}/").content.decode()
    assert "Lantern Hall — Main room" in page and "Lantern Hall — Small room" in page and 'name="stage"' in page
    assert 'data-options-of="venue"' in page and f'value="{rooms[1].pk}" data-parent="{venue.pk}"' in page
    response = _buyer_asks(client, workspace.slug, buyer, venue=venue.pk, stage=rooms[1].pk)
    booking = Booking.objects.get(workspace=buyer)
    assert response.status_code == 302 and booking.venue_id == venue.pk and booking.room_id == rooms[1].pk


def test_a_venue_with_one_stage_gets_it_preselected_and_recorded(owls, make_team, login_client):
    workspace, _, _ = owls
    buyer, people, venue, (room,) = _hall(make_team, stages=("Main room",))
    client = login_client(people["owner"])
    form = client.get(f"/a/{workspace.slug}/").context["form"]
    assert form.initial == {"venue": venue.pk, "stage": room.pk}
    assert _buyer_asks(client, workspace.slug, buyer, venue=venue.pk).status_code == 302
    assert Booking.objects.get(workspace=buyer).room_id == room.pk


def test_a_stage_of_another_venue_is_refused_clearly_and_nothing_is_created(owls, make_team, login_client):
    from backline.venues.models import Stage, Venue

    workspace, _, _ = owls
    buyer, people, venue, rooms = _hall(make_team)
    other_venue = Venue.objects.create(workspace=buyer, name="Annex", city_name="Berlin", capacity=80)
    annex = Stage.objects.create(venue=other_venue, name="Annex floor", capacity=80)
    stranger_stage = _hall(make_team, name="Elsewhere")[3][0]  # someone else's stage altogether
    client = login_client(people["owner"])
    response = _buyer_asks(client, workspace.slug, buyer, venue=venue.pk, stage=annex.pk)
    assert response.status_code == 422
    assert "Annex floor is a stage of Annex, not of Lantern Hall" in response.content.decode()
    response = _buyer_asks(client, workspace.slug, buyer, venue=venue.pk, stage=stranger_stage.pk)
    assert response.status_code == 422 and "Choose one of the stages of your venues." in response.content.decode()
    assert not Booking.objects.exists()


def test_the_service_refuses_a_stage_of_another_venue(owls, make_team):
    from backline.bookings.services import inquiries
    from backline.core.errors import Invalid

    workspace, _, kit = owls
    buyer, people, venue, _ = _hall(make_team)
    foreign = _hall(make_team, name="Elsewhere")[3][0]
    with pytest.raises(Invalid) as exc:
        inquiries.inquiry_create(actor=people["owner"], workspace_id=buyer.pk, title="x", act_id=kit.act_id,
                                 venue_id=venue.pk, stage_id=foreign.pk, date_from=dt.date.fromisoformat(SOON))
    assert exc.value.errors == {"stage_id": ["Choose one of the stages of Lantern Hall."]}
    assert not Booking.objects.exists()


def test_asking_again_for_the_same_day_warns_then_sends_when_confirmed(owls, make_team, login_client):
    workspace, _, _ = owls
    buyer, people, venue, rooms = _hall(make_team)
    client = login_client(people["owner"])
    assert _buyer_asks(client, workspace.slug, buyer).status_code == 302
    first = Booking.objects.get(workspace=buyer)
    response = _buyer_asks(client, workspace.slug, buyer)
    page = response.content.decode()
    assert response.status_code == 200 and "Before you send this again" in page and first.reference in page
    assert page.index("Before you send this again") < page.index('name="message"')  # the warning above the form
    assert 'id="request-clash" tabindex="-1" autofocus' in page
    assert f"/w/{buyer.slug}/bookings/{first.pk}/" in page and "Send it anyway" in page
    assert Booking.objects.filter(workspace=buyer).count() == 1
    assert f'name="confirm" value="{SOON}"' in page
    later = (dt.date.fromisoformat(SOON) + dt.timedelta(days=1)).isoformat()
    assert _buyer_asks(client, workspace.slug, buyer, confirm=later).status_code == 200  # another day: asked again
    assert _buyer_asks(client, workspace.slug, buyer, confirm=SOON).status_code == 302
    assert Booking.objects.filter(workspace=buyer).count() == 2


def test_a_day_the_act_is_booked_says_only_not_available(owls, make_team, login_client):
    from backline.bookings.models import Status

    workspace, _, kit = owls
    other, _ = make_team(WorkspaceKind.PROMOTER, name="Secret Promoter")
    Booking.objects.create(workspace=other, reference="SECRET-1", title="Private gig", act_id=kit.act_id,
                           status=Status.CONFIRMED, date_from=dt.date.fromisoformat(SOON),
                           date_to=dt.date.fromisoformat(SOON))
    buyer, people, _, _ = _hall(make_team)
    page = _buyer_asks(login_client(people["owner"]), workspace.slug, buyer).content.decode()
    assert "The Velvet Owls is not available that day." in page
    assert "Secret Promoter" not in page and "SECRET-1" not in page and "Private gig" not in page
    assert not Booking.objects.filter(workspace=buyer).exists()


def test_the_acts_bookers_are_told_of_a_buyers_request_and_others_are_not(owls, make_team, login_client,
                                                                          django_capture_on_commit_callbacks):
    from backline.notifications.models import Notification

    workspace, act_people, _ = owls
    buyer, people, venue, rooms = _hall(make_team)
    with django_capture_on_commit_callbacks(execute=True):
        _buyer_asks(login_client(people["owner"]), workspace.slug, buyer, venue=venue.pk, stage=rooms[0].pk)
    told = Notification.objects.filter(workspace=workspace, title__contains="through your press kit")
    users = set(told.values_list("user_id", flat=True))
    assert act_people["owner"].pk in users and act_people["coordinator"].pk in users
    assert act_people["viewer"].pk not in users and act_people["member"].pk not in users
    note = told.first()
    assert "Lantern Hall asks for" in note.title and "Main room" in note.body and "Friday?" in note.body


def test_the_acts_bookers_are_told_of_an_email_request_with_a_link_to_its_thread(
        owls, django_capture_on_commit_callbacks):
    from backline.notifications.models import Notification

    workspace, act_people, _ = owls
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask(Client(), workspace.slug)
    for callback in callbacks:
        if getattr(callback, "__name__", "") == "send":
            callback()
    from backline.conversations.models import Thread

    thread = Thread.objects.get(workspace=workspace, parties__contact__email="kim@example.org")
    told = Notification.objects.filter(workspace=workspace, title__contains="through your press kit")
    assert set(told.values_list("user_id", flat=True)) >= {act_people["owner"].pk}
    assert act_people["viewer"].pk not in set(told.values_list("user_id", flat=True))
    assert told.first().url == f"/w/{workspace.slug}/inbox/{thread.pk}/"
    assert "Kim Promo asks for" in told.first().title


def test_an_emailed_request_is_a_conversation_with_the_person_the_act_answers_by_email(
        owls, login_client, django_capture_on_commit_callbacks):
    """Someone without an account becomes a contact (tagged press-kit), their request opens an email
    conversation with them, and the act's answer from there is an email to them; the booking address
    gets a copy that says where to answer. Asking again continues the same conversation."""
    from backline.contacts.models import Contact
    from backline.conversations.models import Thread

    workspace, act_people, _ = owls
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False):
        _ask(Client(), workspace.slug)
        _ask(Client(), workspace.slug, message="Or a Saturday?")
    contact = Contact.objects.get(workspace=workspace, email="kim@example.org")
    assert contact.name == "Kim Promo" and ",press-kit," in contact.tags
    thread = Thread.objects.get(workspace=workspace, parties__contact=contact)
    bodies = list(thread.messages.order_by("id").values_list("body", "author_contact_id", "author_email"))
    assert [b[1:] for b in bodies] == [(contact.pk, "kim@example.org")] * 2
    assert "Friday slot?" in bodies[0][0] and "Lantern Hall, Berlin" in bodies[0][0] and "Or a Saturday?" in bodies[1][0]
    copies = OutboundEmail.objects.filter(workspace=workspace).order_by("id")
    assert [c.to_email for c in copies] == ["booking@owls.example"] * 2
    assert f"/w/{workspace.slug}/inbox/{thread.pk}/" in copies[0].body_text and "kim@example.org" in copies[0].body_text
    page = login_client(act_people["owner"]).get(f"/w/{workspace.slug}/inbox/{thread.pk}/").content.decode()
    assert "Friday slot?" in page and f"contact={contact.pk}" in page  # "write them an email" goes to Kim


def test_a_buyers_request_is_the_acts_to_open_and_answer_from_the_start(owls, make_team, login_client,
                                                                          django_capture_on_commit_callbacks):
    """The request is addressed to the act: it sees the inquiry at once (an inquiry a venue logs about an
    act by itself stays the venue's own), with the buyer's message opening the booking's conversation."""
    from backline.bookings.models import Source, Status
    from backline.conversations.models import Thread
    from backline.notifications.models import Notification

    workspace, act_people, _ = owls
    buyer, people, venue, rooms = _hall(make_team)
    with django_capture_on_commit_callbacks(execute=True):
        _buyer_asks(login_client(people["owner"]), workspace.slug, buyer, venue=venue.pk, stage=rooms[0].pk)
    booking = Booking.objects.get(workspace=buyer)
    assert booking.source == Source.PRESS_KIT and booking.status == Status.INQUIRY
    own = Booking.objects.create(workspace=buyer, reference="OWN-1", title="Our own idea", act=booking.act,
                                 status=Status.INQUIRY, date_from=booking.date_from, date_to=booking.date_to)
    note = Notification.objects.filter(workspace=workspace, user=act_people["owner"],
                                       title__contains="through your press kit").get()
    assert note.url == f"/w/{workspace.slug}/bookings/{booking.pk}/"
    act = login_client(act_people["owner"])
    page = act.get(note.url)
    assert page.status_code == 200 and "Lantern Hall" in page.content.decode()
    assert "Turn the request down" in page.content.decode() and "Withdraw the inquiry" not in page.content.decode()
    assert act.get(f"/w/{workspace.slug}/bookings/{own.pk}/").status_code == 404
    listed = act.get(f"/w/{workspace.slug}/bookings/").content.decode()
    assert booking.reference in listed and "OWN-1" not in listed
    thread = Thread.objects.get(booking=booking)
    first = thread.messages.get()
    assert first.body == "Friday?" and first.author_id == people["owner"].pk and first.author_workspace_id == buyer.pk
    assert set(thread.parties.values_list("workspace_id", flat=True)) == {buyer.pk, workspace.pk}
    dashboard = act.get(f"/w/{workspace.slug}/").content.decode()
    answer = dashboard.split('data-testid="attention-inquiries"', 1)[1].split('data-testid="attention-to_answer"', 1)[0]
    assert 'aria-label="1 in all"' in answer  # among the inquiries the act is to answer
