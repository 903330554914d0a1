"""The press kit: the embed allow-list (every provider, every refusal), the service's checks, and the
workspace API."""

import pytest

from backline.accounts.models import WorkspaceKind
from backline.artists import epk, epk_embeds
from backline.artists.epk_models import MediaLink, PressKit, PressQuote
from backline.core.errors import Invalid

GOOD = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://m.youtube.com/watch?v=abc_DEF-123&t=4", "youtube", "https://www.youtube-nocookie.com/embed/abc_DEF-123"),
    ("https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy", "spotify",
     "https://open.spotify.com/embed/album/4aawyAB9vmqN3uQ7FjRGTy"),
    ("https://open.spotify.com/intl-de/track/11dFghVXANMlKmJXsNCbNl?si=x", "spotify",
     "https://open.spotify.com/embed/track/11dFghVXANMlKmJXsNCbNl"),
    ("https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF", "spotify",
     "https://open.spotify.com/embed/artist/0OdUWJ0sBjDrqHygGUXeCF"),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
    ("https://soundcloud.com/velvet-owls/night-drive", "soundcloud",
     "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fvelvet-owls%2Fnight-drive&visual=false"),
    ("https://bandcamp.com/EmbeddedPlayer/album=1234567890/size=large/", "bandcamp",
     "https://bandcamp.com/EmbeddedPlayer/album=1234567890/size=large/tracklist=false/artwork=small/"),
    ("https://velvetowls.bandcamp.com/album/night-drive", "bandcamp", ""),  # a link card
    ("https://music.apple.com/de/album/night-drive/1440857781", "apple_music",
     "https://embed.music.apple.com/de/album/night-drive/1440857781"),
]


@pytest.mark.parametrize(("url", "provider", "src"), GOOD)
def test_every_provider_gives_its_own_embed_built_from_the_id(url, provider, src):
    embed = epk_embeds.parse(url)
    assert embed.provider == provider and embed.src == src


@pytest.mark.parametrize("url", [
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://youtube.com.evil.org/watch?v=dQw4w9WgXcQ",  # lookalike hosts
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://open.spotify.com.evil.org/album/4aawyAB9vmqN3uQ7FjRGTy",
    "https://notbandcamp.com/album/x",
    "https://a.b.bandcamp.com/album/x",
    "https://example.org/song.mp3",  # another host
    "https://www.youtube.com@evil.org/watch?v=x",  # user info
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",  # another port
    "https://www.youtube.com/watch?v=<script>",
    "https://open.spotify.com/user/someone",
    "https://vimeo.com/channels/staffpicks",
    "https://music.apple.com/us/browse",
    "",
    "https://" + "a" * 600,
])
def test_everything_else_is_refused_with_a_reason(url):
    with pytest.raises(Invalid) as exc:
        epk_embeds.parse(url)
    assert exc.value.errors["url"][0]


@pytest.fixture
def act(make_team):
    return make_team(WorkspaceKind.ACT, name="The Velvet Owls")


def test_a_refused_link_saves_nothing(act):
    workspace, people = act
    with pytest.raises(Invalid) as exc:
        epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, fields={"short_bio": "New"},
                           media_links=["https://youtu.be/dQw4w9WgXcQ", "javascript:alert(1)"])
    assert "Link 2" in exc.value.errors["media_links"][0]
    assert not PressKit.objects.filter(short_bio="New").exists() and not MediaLink.objects.exists()


def test_short_bio_is_at_most_300_characters_and_fee_band_is_ordered(act):
    workspace, people = act
    with pytest.raises(Invalid) as exc:
        epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, fields={"short_bio": "x" * 301})
    assert "short_bio" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, fields={"fee_min": "900", "fee_max": "800"})
    assert "fee_max" in exc.value.errors


def test_a_kit_starts_private(act):
    workspace, people = act
    from backline.accounts.permissions import WORKSPACE_VIEW, access_workspace

    kit = epk.press_kit_for(access_workspace(user=people["viewer"], workspace_id=workspace.pk, capability=WORKSPACE_VIEW))
    assert kit.visibility == "private"


def test_another_workspaces_asset_cannot_be_picked(act, make_team):
    from backline.profiles.tests.conftest import make_asset

    workspace, people = act
    other, _ = make_team(WorkspaceKind.ACT, name="Others")
    theirs = make_asset(other)
    with pytest.raises(Invalid) as exc:
        epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, photos=[theirs.pk])
    assert exc.value.errors["photos"] == ["Choose images from your own media library."]


def test_api_put_then_get(act, client, bearer):
    workspace, people = act
    headers = bearer(people["admin"])
    body = {"visibility": "public", "short_bio": "Dream pop.", "media_links": ["https://vimeo.com/76979871"],
            "quotes": [{"quote": "Lovely", "source": "A paper", "date": "2025-03-01"}], "achievements": ["One", "Two"],
            "fee_min": "800", "fee_max": "1500"}
    response = client.put(f"/api/v1/acts/{workspace.pk}/epk", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    data = client.get(f"/api/v1/acts/{workspace.pk}/epk", **headers).json()
    assert data["visibility"] == "public" and data["embeds"][0]["embed_url"] == "https://player.vimeo.com/video/76979871"
    assert data["achievements"] == ["One", "Two"] and data["quotes"][0]["date"] == "2025-03-01"
    assert PressQuote.objects.count() == 1


def test_api_refuses_a_bad_link_with_422_field_errors(act, client, bearer):
    workspace, people = act
    response = client.put(f"/api/v1/acts/{workspace.pk}/epk", {"media_links": ["https://youtube.com.evil.org/x"]},
                          content_type="application/json", **bearer(people["owner"]))
    assert response.status_code == 422
    assert "media_links" in str(response.json())


def test_editor_page_saves_the_form(act, login_client):
    workspace, people = act
    client = login_client(people["owner"])
    assert client.get(f"/w/{workspace.slug}/press-kit/").status_code == 200
    response = client.post(f"/w/{workspace.slug}/press-kit/save/", {
        "visibility": "unlisted", "short_bio": "Hello", "media_links": "https://youtu.be/dQw4w9WgXcQ",
        "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "0", "quotes-0-quote": "Wow", "quotes-0-source": "Zine"})
    assert response.status_code == 302
    kit = PressKit.objects.get(act__workspace=workspace)
    assert kit.visibility == "unlisted" and kit.quotes.get().source == "Zine"
    bad = client.post(f"/w/{workspace.slug}/press-kit/save/", {
        "visibility": "public", "media_links": "https://evil.example/x", "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0"})
    assert bad.status_code == 200 and "can&#x27;t be shown" in bad.content.decode()
    assert PressKit.objects.get(act__workspace=workspace).visibility == "unlisted"
