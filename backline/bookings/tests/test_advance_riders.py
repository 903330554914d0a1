"""The riders in force reach the advance and the day sheet: a summary beside the advance form, empty
advance fields prefilled from the riders (never a saved value), and a day sheet that prints the rider
essentials, the input list, what does not fit the stage, the stage plot and both workspaces' logos."""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from pypdf import PdfReader

from backline.accounts.models import Role
from backline.bookings import services
from backline.bookings.models import Booking
from backline.media.models import Asset, AssetKind
from backline.profiles.tests.conftest import make_asset, png
from backline.venues.models import Stage

from .test_riders_on_booking import ROWS, publish
from .test_services import GUARANTEE, held


def image(workspace, kind, title, color):
    data = png(color)
    return Asset.objects.create(workspace=workspace, kind=kind, title=title, content_type="image/png",
                                file=ContentFile(data, name="a.png"), web=ContentFile(data, name="w.png"))


def confirmed(w):
    booking = held(w)
    services.offer_make(actor=w["buyer"][Role.OWNER], booking_id=booking.pk, **GUARANTEE)
    services.offer_accept(actor=w["band"][Role.OWNER], booking_id=booking.pk)
    return booking


def with_riders(w, **technical):
    tech = publish(w, inputs=ROWS[:12], monitor_mixes=["Vocals", "", "", ""], backline_brings=["guitar_amp"],
                   backline_needs=["drum_kit"], power_outlets=6, changeover_minutes=25,
                   stage_width_m=Decimal(8), stage_depth_m=Decimal(5), **technical)
    hosp = publish(w, "hospitality", guest_list=6, parking=2, meals=5, meal_notes="two vegan",
                   drinks="Water and beer", rooms=3, room_type="twin", dressing_room="Lockable, with a mirror")
    return tech, hosp


def page(client, w, booking):
    return client.get(f"/w/{w['venue_ws'].slug}/bookings/{booking.pk}/").content.decode()


def advance_form(html: str) -> str:
    start = html.index('data-testid="advance-form"')
    return html[start:html.index("</form>", start)]


def test_the_advance_shows_the_riders_and_prefills_its_empty_fields(world, login_client):
    with_riders(world)
    booking = confirmed(world)
    html = page(login_client(world["buyer"][Role.OWNER]), world, booking)
    summary = html[html.index('data-testid="advance-riders"'):html.index('data-testid="advance-form"')]
    for words in ("12 channels", "Monitor mixes", "25 minutes", "6 outlets", "Guitar amp", "Drum kit", "8 × 5 m",
                  "6 places", "5 (two vegan)", "Water and beer", "3 (twin)", "2 places", "Lockable, with a mirror"):
        assert words in summary, words
    form = advance_form(html)
    assert "6 places on the guest list" in form and "2 parking places for the act" in form
    assert 'value="25"' in form  # changeover from the technical rider
    assert "From the act&#x27;s hospitality rider, version 1." in form
    assert "From the act&#x27;s technical rider, version 1." in form


def test_the_prefill_never_replaces_what_was_saved(world, login_client):
    with_riders(world)
    booking = confirmed(world)
    services.advance_update(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, parking="Loading bay, one van",
                            changeover_minutes=15)
    html = page(login_client(world["buyer"][Role.OWNER]), world, booking)
    form = advance_form(html)
    assert "Loading bay, one van" in form and "parking places for the act" not in form
    assert 'value="15"' in form and 'value="25"' not in form
    assert "6 places on the guest list" in form  # still empty there: prefilled
    assert form.count('data-testid="advance-prefilled"') == 3  # guest list, hospitality, backline


def test_no_riders_no_summary_and_nothing_prefilled(world, login_client):
    booking = confirmed(world)
    html = page(login_client(world["buyer"][Role.OWNER]), world, booking)
    assert 'data-testid="advance-form"' in html
    assert 'data-testid="advance-riders"' not in html and 'data-testid="advance-prefilled"' not in html


def test_the_advance_with_riders_costs_no_extra_queries(world, login_client, django_assert_max_num_queries):
    booking = confirmed(world)
    client = login_client(world["buyer"][Role.OWNER])
    with django_assert_max_num_queries(100) as bare:
        page(client, world, booking)
    with_riders(world)
    # the riders card already read the riders in force; the advance summary and prefill reuse them
    with django_assert_max_num_queries(len(bare.captured_queries) + 2):  # + the hospitality rider's card
        page(client, world, booking)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_day_sheet_prints_the_riders_the_misfits_the_plot_and_the_logos(world, login_client):
    plot = image(world["act_ws"], AssetKind.PHOTO, "Plot", (10, 10, 200))
    with_riders(world, stage_plot_id=plot.pk)
    booking = confirmed(world)
    stage = Stage.objects.create(venue=world["venue"], name="Back room", capacity=120, monitor_mixes=2,
                                 width_m=Decimal(6), depth_m=Decimal(4))
    Booking.objects.filter(pk=booking.pk).update(room=stage)
    image(world["venue_ws"], AssetKind.LOGO, "Old hall logo", (0, 0, 0))
    image(world["venue_ws"], AssetKind.LOGO, "Hall logo", (10, 200, 10))  # the newest one is printed
    image(world["act_ws"], AssetKind.LOGO, "Owls logo", (200, 10, 10))
    response = login_client(world["band"][Role.MEMBER]).get(
        f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/day-sheet.pdf")
    text = pdf_text(response)
    for words in ("Technical rider (version 1)", "12 channels", "Input list", "Channel 12", "Hospitality rider",
                  "6 places", "Lockable, with a mirror", "Does not fit Back room", "Stage plot"):
        assert words in text, words
    images = {i.data for p in PdfReader(io.BytesIO(response.content)).pages for i in p.images}
    assert len(images) == 3  # the two newest logos and the stage plot, all inline


def test_a_document_stage_plot_is_named_as_an_attachment(world, login_client):
    plot = make_asset(world["act_ws"], AssetKind.DOCUMENT, title="Stage plot 2026")
    with_riders(world, stage_plot_id=plot.pk)
    booking = confirmed(world)
    text = pdf_text(login_client(world["buyer"][Role.VIEWER]).get(
        f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/day-sheet.pdf"))
    assert "Attachment: Stage plot 2026" in text and "Does not fit" not in text  # no stage: nothing compared


def test_a_rider_line_never_splits_from_its_label_across_the_page_break(world, login_client):
    from backline.bookings.models import Advance

    drinks = "Still water, sparkling water, local beer, " * 10 + "and coffee at load-in"  # a tall row
    publish(world, "hospitality", guest_list=6, drinks=drinks, dressing_room="Lockable, with a mirror")
    booking = confirmed(world)
    client = login_client(world["band"][Role.MEMBER])
    split = []
    for lines in range(38, 46, 2):  # push the rider's lines down across the bottom of page 1
        Advance.objects.update_or_create(booking=booking, defaults={"notes": "\n".join(["filler"] * lines)})
        response = client.get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/day-sheet.pdf")
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
        label = next(i for i, text in enumerate(pages) if "Drinks" in text)
        value = [i for i, text in enumerate(pages) if "Still water" in text or "coffee at load-in" in text]
        heading = next(i for i, text in enumerate(pages) if "Hospitality rider" in text)
        if value != [label] or heading != next(i for i, text in enumerate(pages) if "Guest list" in text):
            split.append(lines)
    assert not split, f"split with {split} lines of notes"
