"""The media picker in the press kit, rider and stage forms: cards, upload in place (htmx and plain post),
refusals in words, who may upload, and another workspace's file refused by the form."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backline.accounts.models import Role, WorkspaceKind
from backline.artists import riders
from backline.artists.epk_models import PressKit
from backline.media import services
from backline.media.models import Asset
from backline.media.picker import NOT_OURS, PickerSettings
from backline.venues.models import Venue

from .conftest import MINIMAL_PDF, picture

HTMX = {"HTTP_HX_REQUEST": "true"}
PHOTOS = PickerSettings(name="photos", id="id_photos", kinds="images", multiple=True)
HERO = PickerSettings(name="hero", id="id_hero", kinds="images", multiple=False, empty_label="No main photo")


def _photo(ws, user, name="p.jpg"):
    return services.asset_upload(actor=user, workspace_id=ws.pk, upload=picture(name, size=(120, 80)))


def _checked(html: str) -> set[int]:
    return {int(v) for v in re.findall(r'value="(\d+)" checked', html)}


def _upload(client, ws, picker, file, **fields):
    return client.post(f"/w/{ws.slug}/media/pick-upload/?next=/w/{ws.slug}/press-kit/",
                       {"picker_upload": picker.sign(), f"picker_file_{picker.name}": file, **fields}, **HTMX)


def test_upload_in_place_adds_the_file_to_this_workspace_and_returns_the_picker_with_it_selected(
        team, make_team, login_client):
    ws, people = team
    other, _ = make_team("act", "Other Band")
    kept = _photo(ws, people["owner"], "kept.jpg")
    services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture("unticked.jpg", size=(120, 80)),
                          credit="Mara Stein")
    response = _upload(login_client(people["member"]), ws, PHOTOS, picture("new.jpg"),
                       photos=[str(kept.pk)], short_bio="Typed but not saved")
    assert response.status_code == 200
    new = Asset.objects.get(title="new")
    assert new.workspace_id == ws.pk and new.kind == "photo" and not Asset.objects.filter(workspace=other).exists()
    html = response.content.decode()
    assert _checked(html) == {kept.pk, new.pk}  # what was ticked stays ticked, the new one joins it
    assert 'data-testid="picker-added"' in html and html.count('data-testid="picker-card"') == 3
    assert f'src="{new.thumb.url}"' in html and 'name="photos"' in html and 'id="id_photos_picker"' in html
    assert "© Mara Stein" in html
    # A single pick (the main photo) moves to the new file.
    one = _upload(login_client(people["owner"]), ws, HERO, picture("hero.jpg"), hero=str(kept.pk))
    assert _checked(one.content.decode()) == {Asset.objects.get(title="hero").pk}


def test_a_refused_upload_changes_nothing_and_says_why(team, login_client):
    ws, people = team
    kept = _photo(ws, people["owner"])
    client = login_client(people["member"])
    before = Asset.objects.count()
    bad = _upload(client, ws, PHOTOS, SimpleUploadedFile("notes.jpg", b"not a picture"), photos=[str(kept.pk)])
    html = bad.content.decode()
    assert bad.status_code == 200 and 'data-testid="picker-error"' in html and "notes.jpg" in html
    assert Asset.objects.count() == before and _checked(html) == {kept.pk}
    pdf = _upload(client, ws, PHOTOS, SimpleUploadedFile("plot.pdf", MINIMAL_PDF))
    assert "is a PDF document" in pdf.content.decode() and Asset.objects.count() == before
    with override_settings(MEDIA_QUOTA_BYTES=1000):
        full = _upload(client, ws, PHOTOS, picture("big.jpg"))
    assert "Your media library is full" in full.content.decode() and Asset.objects.count() == before
    empty = client.post(f"/w/{ws.slug}/media/pick-upload/", {"picker_upload": PHOTOS.sign()}, **HTMX)
    assert "Choose a file to upload first." in empty.content.decode()
    forged = client.post(f"/w/{ws.slug}/media/pick-upload/", {"picker_upload": "forged"}, **HTMX)
    assert forged.status_code == 400 and Asset.objects.count() == before


def test_without_javascript_the_upload_returns_to_the_form_with_a_message(team, login_client):
    ws, people = team
    client = login_client(people["owner"])
    back = client.post(f"/w/{ws.slug}/media/pick-upload/?next=/w/{ws.slug}/press-kit/",
                       {"picker_upload": PHOTOS.sign(), "picker_file_photos": picture("plain.jpg")})
    assert back.status_code == 302 and back["Location"] == f"/w/{ws.slug}/press-kit/"
    assert Asset.objects.filter(workspace=ws, title="plain").exists()
    page = client.get(back["Location"]).content.decode()
    assert "“plain” was added to your media library" in page
    away = client.post(f"/w/{ws.slug}/media/pick-upload/?next=https://evil.example/",
                       {"picker_upload": PHOTOS.sign()})
    assert away["Location"] == f"/w/{ws.slug}/media/"


def test_who_may_upload_in_place(team, make_team, login_client):
    ws, people = team
    stranger = make_team("act", "Strangers")[1]["owner"]
    for user, status in ((people["viewer"], 403), (stranger, 404)):
        response = _upload(login_client(user), ws, PHOTOS, picture("no.jpg"))
        assert response.status_code == status
    assert not Asset.objects.exists()


def test_the_picker_fragment_queries_stay_constant(team, login_client, django_assert_max_num_queries):
    ws, people = team
    client = login_client(people["member"])
    _photo(ws, people["owner"])
    with django_assert_max_num_queries(20) as few:
        _upload(client, ws, PHOTOS, picture("a.jpg"))
    for n in range(5):
        _photo(ws, people["owner"], f"more{n}.jpg")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _upload(client, ws, PHOTOS, picture("b.jpg"))
    assert response.content.decode().count('data-testid="picker-card"') == 8


def test_the_press_kit_editor_shows_cards_and_refuses_another_workspaces_file(team, make_team, login_client):
    ws, people = team
    other_ws, other_people = make_team("act", "Other Band")
    ours, theirs = _photo(ws, people["owner"]), _photo(other_ws, other_people["owner"])
    doc = services.asset_upload(actor=people["owner"], workspace_id=ws.pk,
                                upload=SimpleUploadedFile("Input list.pdf", MINIMAL_PDF))
    client = login_client(people["owner"])
    html = client.get(f"/w/{ws.slug}/press-kit/").content.decode()
    assert html.count('data-testid="asset-picker"') == 3 and 'data-testid="picker-upload"' in html
    assert f'src="{ours.thumb.url}"' in html and "Input list" in html and "PDF document" in html
    assert "No main photo" in html
    bad = client.post(f"/w/{ws.slug}/press-kit/save/", {
        "visibility": "unlisted", "short_bio": "Kept", "photos": [str(ours.pk), str(theirs.pk)],
        "documents": [str(doc.pk)], "quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0"})
    page = bad.content.decode()
    assert bad.status_code == 200 and NOT_OURS.replace("'", "&#x27;") in page and "Kept" in page
    assert not PressKit.objects.filter(act__workspace=ws, short_bio="Kept").exists()
    ok = client.post(f"/w/{ws.slug}/press-kit/save/", {
        "visibility": "unlisted", "hero": str(ours.pk), "photos": [str(ours.pk)], "documents": [str(doc.pk)],
        "quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0"})
    assert ok.status_code == 302 and PressKit.objects.get(act__workspace=ws).hero_id == ours.pk


def test_the_rider_and_stage_forms_use_the_same_picker(team, make_team, login_client):
    ws, people = team
    plot = services.asset_upload(actor=people["owner"], workspace_id=ws.pk,
                                 upload=SimpleUploadedFile("Stage plot.pdf", MINIMAL_PDF))
    draft = riders.rider_draft(actor=people["owner"], workspace_id=ws.pk, kind="technical")
    rider_page = login_client(people["owner"]).get(f"/w/{ws.slug}/riders/{draft.pk}/edit/").content.decode()
    assert 'data-testid="asset-picker"' in rider_page and "Stage plot" in rider_page and "No stage plot" in rider_page
    assert f'value="{plot.pk}"' in rider_page
    venue_ws, staff = make_team(WorkspaceKind.VENUE, "Lantern Hall")
    venue = Venue.objects.get(workspace=venue_ws)
    stage = venue.stages.get()
    theirs = _photo(ws, people["owner"])
    url = f"/w/{venue_ws.slug}/venues/{venue.pk}/stages/{stage.pk}/edit/"
    client = login_client(staff[Role.ADMIN])
    assert client.get(url).content.decode().count('data-testid="asset-picker"') == 2
    bad = client.post(url, {"name": "Main room", "capacity": "300", "photo_ids": [str(theirs.pk)]})
    assert bad.status_code == 200 and NOT_OURS.replace("'", "&#x27;") in bad.content.decode()
    assert not stage.photos.exists()
    ours = _photo(venue_ws, staff[Role.OWNER])
    assert client.post(url, {"name": "Main room", "capacity": "300", "photo_ids": [str(ours.pk)]}).status_code == 302
    assert list(stage.photos.values_list("pk", flat=True)) == [ours.pk]
