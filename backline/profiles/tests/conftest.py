"""A press kit with pictures, for the public page's tests."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from backline.accounts.models import WorkspaceKind
from backline.artists import epk
from backline.artists.models import ActMember
from backline.media.models import Asset, AssetKind


def png(color=(200, 40, 40), size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def make_asset(workspace, kind=AssetKind.PRESS_PHOTO, title="Live", credit="Ana Foto") -> Asset:
    if kind == AssetKind.DOCUMENT:
        return Asset.objects.create(workspace=workspace, kind=kind, title=title, content_type="application/pdf",
                                    file=ContentFile(b"%PDF-1.4 stage plot", name="plot.pdf"))
    data = png()
    return Asset.objects.create(workspace=workspace, kind=kind, title=title, credit=credit, content_type="image/png",
                                file=ContentFile(data, name="a.png"), web=ContentFile(data, name="w.png"),
                                thumb=ContentFile(data, name="t.png"), width=64, height=48)


@pytest.fixture
def owls(make_team):
    """(workspace, people, press kit): a public press kit with photos, links, quotes and a document."""
    workspace, people = make_team(WorkspaceKind.ACT, name="The Velvet Owls")
    act = workspace.act
    ActMember.objects.create(act=act, name="Mara Quinn", email="mara@example.org", instruments="vocals")
    hero, photo, doc = make_asset(workspace), make_asset(workspace, title="Crowd"), make_asset(
        workspace, AssetKind.DOCUMENT, title="Stage plot")
    epk.press_kit_save(actor=people["owner"], workspace_id=workspace.pk, fields={
        "visibility": "public", "short_bio": "Dream pop from Berlin.", "long_bio": "Long story.", "hero": hero.pk,
        "achievements": "Played Fusion 2025\nSupport for Beach House", "booking_name": "Jo Booker",
        "booking_email": "booking@owls.example", "fee_min": "800", "fee_max": "1500"},
        media_links=["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy"],
        quotes=[{"quote": "A </script> triumph", "source": "The Quietus", "link": "https://thequietus.com/x"}],
        photos=[hero.pk, photo.pk], documents=[doc.pk])
    return workspace, people, act.press_kit
