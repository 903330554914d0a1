"""The one-sheet PDF fits one A4 page in both layouts, whatever the kit holds (up to every limit), says
where the press quotes it leaves out are, and shows links short."""

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from backline.artists import epk
from backline.artists.models import ActMember
from backline.profiles.one_sheet import cut, paragraphs, short_link

pytestmark = pytest.mark.django_db
SENTENCE = "We started in a basement in Neukölln and never left it, though the rooms got bigger every year. "


def _pdf(slug, layout):
    response = Client().get(f"/a/{slug}/one-sheet.pdf?layout={layout}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _fill(owls, *, quotes, long=True):
    workspace, people, kit = owls
    fields = {"short_bio": ("Loud and kind. " * 20)[:300], "long_bio": "\n\n".join(SENTENCE * 4 for _ in range(30))[:10000],
              "achievements": "\n".join(f"Highlight {n}: a festival with a long name indeed" for n in range(40))[:3000],
              "booking_name": "B" * 120, "booking_email": "bookings-for-everything@" + "long" * 10 + ".example.org"}
    links = [f"https://open.spotify.com/album/{'x' * 40}{n}?si={'a' * 30}" for n in range(12)]
    epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, fields=fields if long else {},
                       media_links=links if long else None, quotes=quotes)
    if long:
        ActMember.objects.bulk_create([ActMember(act=kit.act, name=f"Member {n} With A Long Name",
                                                 instruments="guitar, vocals, keys, synths, theremin") for n in range(20)])
    return workspace


@pytest.mark.parametrize("layout", ["classic", "photo"])
def test_the_longest_kit_allowed_fits_one_page_and_says_where_the_other_quotes_are(owls, layout):
    quotes = [{"quote": (f"Quote {n}: " + "A band that makes a small club feel like a cathedral. " * 12)[:600],
               "source": f"Paper {n}", "link": "https://example.org/" + "p" * 400} for n in range(12)]
    workspace = _fill(owls, quotes=quotes)
    pages, text = _pdf(workspace.slug, layout)
    assert pages == 1
    shown = len(set(re.findall(r"Quote (\d+):", text)))
    more = re.search(r"(\d+) more press quotes? on the press kit", text)
    assert shown >= 1 and more and shown + int(more.group(1)) == 12
    assert "The full story:" in text and "https://" not in text  # links as host and path
    assert "open.spotify.com/" in text and "x" * 40 not in text.replace(" ", "")


@pytest.mark.parametrize("layout", ["classic", "photo"])
def test_a_demo_sized_kit_shows_every_quote_on_one_page(owls, layout):
    quotes = [{"quote": text, "source": source} for text, source in (
        ("Hooks for days, and a rhythm section to die for.", "DIY Magazine"),
        ("A band that makes a small club feel like a cathedral.", "Clash"),
        ("Songs you hum for a week.", "Rolling Stone Germany"), ("The fourth quote is here too.", "The Quietus"))]
    workspace = _fill(owls, quotes=quotes, long=False)
    pages, text = _pdf(workspace.slug, layout)
    assert pages == 1 and "more press quote" not in text
    for q in quotes:
        assert q["quote"] in text and q["source"] in text


def test_links_show_their_host_and_path_cut_with_an_ellipsis():
    assert short_link("https://www.youtube.com/watch?v=dQw4w9WgXcQ") == "youtube.com/watch?v=dQw4w9WgXcQ"
    long = short_link("https://open.spotify.com/album/" + "x" * 80)
    assert long.startswith("open.spotify.com/album/x") and long.endswith("…") and len(long) == 36
    assert short_link("https://thequietus.com/") == "thequietus.com"


def test_bios_are_cut_at_a_sentence_or_a_word():
    text = "First sentence here. Second sentence is a bit longer than that. Third."
    assert cut(text, 36) == "First sentence here."
    assert cut("one two three four five six", 14) == "one two three…"
    assert paragraphs("a\n\nb\n\nc\n\nd\ne") == "a\n\nb\n\nc d e"
