"""Files from the media library sent with an offer: only the sender's own documents and photos, refused
whole otherwise (422, nothing written); both sides see and download them, on the page and through the
API; any other workspace gets 404, as for a missing file."""

import json

import pytest
from django.core.files.base import ContentFile

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.bookings.models import Offer
from backline.core.errors import Invalid
from backline.media.models import Asset, AssetKind

from .test_api import api  # noqa: F401  (the token client fixture)
from .test_services import GUARANTEE, held


def document(workspace, title="Tech pack", kind=AssetKind.DOCUMENT):
    return Asset.objects.create(workspace=workspace, kind=kind, title=title, content_type="application/pdf",
                                file=ContentFile(b"%PDF-1.4 tech pack", name="pack.pdf"))


def test_an_offer_carries_the_senders_files_and_refuses_anyone_elses(world):
    pack, plot = document(world["venue_ws"]), document(world["venue_ws"], "Stage plot", AssetKind.PHOTO)
    foreign = document(world["act_ws"], "The act's own")
    logo = document(world["venue_ws"], "Logo", AssetKind.LOGO)
    booking = held(world)
    buyer = world["buyer"][Role.OWNER]
    for bad in ([foreign.pk], [pack.pk, foreign.pk], [logo.pk], [999999]):
        with pytest.raises(Invalid) as refused:
            services.offer_make(actor=buyer, booking_id=booking.pk, attachment_ids=bad, **GUARANTEE)
        assert "attachment_ids" in refused.value.errors
    assert not Offer.objects.filter(booking=booking).exists()  # nothing written
    offer = services.offer_make(actor=buyer, booking_id=booking.pk, attachment_ids=[pack.pk, plot.pk], **GUARANTEE)
    assert set(offer.attachments.all()) == {pack, plot}
    # the act counters with its own file; the venue's are not the act's to send
    with pytest.raises(Invalid):
        services.offer_make(actor=world["band"][Role.OWNER], booking_id=booking.pk, attachment_ids=[pack.pk],
                            deal_type="guarantee", guarantee="700")
    counter = services.offer_make(actor=world["band"][Role.OWNER], booking_id=booking.pk, attachment_ids=[foreign.pk],
                                  deal_type="guarantee", guarantee="700")
    assert list(counter.attachments.all()) == [foreign]


def test_both_sides_download_on_the_page_and_others_get_404(world, login_client, make_team,
                                                            django_assert_max_num_queries):
    pack = document(world["venue_ws"])
    booking = held(world)
    services.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, attachment_ids=[pack.pk], **GUARANTEE)
    act = login_client(world["band"][Role.VIEWER])
    page = act.get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/").content.decode()
    url = f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/files/{pack.pk}/"
    assert 'data-testid="offer-files"' in page and url in page and "Tech pack" in page
    response = act.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"] and 'filename="tech-pack.pdf"' in response["Content-Disposition"]
    # a file of the library that was not sent with an offer of this booking
    unsent = document(world["venue_ws"], "Not sent")
    assert login_client(world["buyer"][Role.OWNER]).get(
        f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/files/{unsent.pk}/").status_code == 404
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Other hall")
    assert login_client(other[Role.OWNER]).get(
        f"/w/{other_ws.slug}/bookings/{booking.pk}/files/{pack.pk}/").status_code == 404


def test_a_download_is_named_by_a_clean_slug_of_its_title():
    photo = Asset(title="Lantern Hall: the stage", kind=AssetKind.PHOTO, file="media/x/IMG_01.JPG")
    assert services.download_name(photo) == "lantern-hall-the-stage.jpg"
    assert services.download_name(Asset(title="?!", kind=AssetKind.DOCUMENT, file="plain")) == "file.bin"


def test_the_offer_form_lists_the_library_and_sends_the_chosen_files(world, login_client):
    pack = document(world["venue_ws"])
    document(world["act_ws"], "Not ours")
    booking = held(world)
    client = login_client(world["buyer"][Role.OWNER])
    page = client.get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/").content.decode()
    form = page[page.index('data-testid="offer-form"'):]
    assert "Files to send with it" in form and "Tech pack (document)" in form and "Not ours" not in form
    client.post(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/offer/",
                {"deal_type": "guarantee", "guarantee": "500", "currency": "EUR", "attachments": [pack.pk]})
    assert list(booking.offers.get().attachments.all()) == [pack]


def test_the_api_lists_files_with_download_urls_and_refuses_foreign_ids(world, api):  # noqa: F811
    pack, foreign = document(world["venue_ws"]), document(world["act_ws"], "The act's own")
    booking = held(world)
    client = api(world["buyer"][Role.OWNER])
    url = f"/api/v1/bookings/{booking.pk}/offers"
    refused = client.post(url, json.dumps({**GUARANTEE, "attachment_ids": [foreign.pk]}), content_type="application/json")
    assert refused.status_code == 422 and "attachment_ids" in refused.content.decode()
    assert client.post(url, json.dumps({**GUARANTEE, "attachment_ids": [1] * 11}),
                       content_type="application/json").status_code == 422  # at most ten
    made = client.post(url, json.dumps({**GUARANTEE, "attachment_ids": [pack.pk]}), content_type="application/json")
    assert made.status_code == 201, made.content
    files = made.json()["offers"][-1]["attachments"]
    assert [(f["title"], f["kind"]) for f in files] == [("Tech pack", "document")]
    act = api(world["band"][Role.VIEWER])
    assert act.get(url).json()[-1]["attachments"] == files
    download = act.get(files[0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert api(world["buyer"][Role.OWNER]).get(f"/api/v1/bookings/{booking.pk}/files/{foreign.pk}").status_code == 404


def test_more_files_cost_no_more_queries_on_the_booking_page(world, login_client, django_assert_max_num_queries):
    booking = held(world)
    buyer = world["buyer"][Role.OWNER]
    services.offer_make(actor=buyer, booking_id=booking.pk, attachment_ids=[document(world["venue_ws"]).pk], **GUARANTEE)
    client = login_client(world["band"][Role.VIEWER])
    url = f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/"
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    files = [document(world["venue_ws"], f"Annex {n}").pk for n in range(4)]
    services.offer_make(actor=buyer, booking_id=booking.pk, attachment_ids=files, deal_type="guarantee", guarantee="600")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="offer-files"') == 2 and "Annex 3" in page
