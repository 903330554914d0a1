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
