"""Demo press kits: every demo act gets a believable one (bio, photos from its media library, embeds,
press quotes, achievements); most are public, one is unlisted and one private. Deterministic.

Photos: the act's own media library (the media demo fills it). An act whose library has no images gets
two rendered with Pillow here (``_render_photos``): simple artwork, never downloaded."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from backline.accounts.models import Membership, Role, Workspace
from backline.artists import epk
from backline.media.models import Asset, AssetKind

PAPERS = ["The Quietus", "Loud and Quiet", "Musikexpress", "Rolling Stone Germany", "The Line of Best Fit", "Visions",
          "DIY Magazine", "Clash", "Spex", "Radio Eins"]
PRAISE = ["A band that makes a small club feel like a cathedral.", "Hooks for days, and a rhythm section to die for.",
          "The most exciting live act we saw all year.", "Tender, loud, and impossible to ignore.",
          "They played like the roof was on fire — and for a while it was.", "Songs you hum for a week."]
FEATS = ["Played Fusion Festival", "Support for Beach House on their European tour", "BBC 6 Music session",
         "Album of the week on Radio Eins", "Sold-out hometown release show", "Reeperbahn Festival showcase",
         "Spotify editorial playlist “Fresh Finds”", "Over 1 million streams"]
CREDITS = ["Lena Fischer", "Tomás Ruiz", "Ana Kowalska", "Jon Berg", "Mia Laurent"]
YOUTUBE_IDS = ["dQw4w9WgXcQ", "9bZkp7q19f0", "kJQP7kiw5Fk", "3JZ_D3ELwOQ", "L_jWHffIx5E", "fJ9rUzIMcZQ"]
SPOTIFY_IDS = ["4aawyAB9vmqN3uQ7FjRGTy", "1ATL5GLyefJaxhQzSPVrLX", "6dVIqQ8qmQ5GBnJ9shOYGE", "2noRn2Aes5aoNVsU6iWThc"]


def _png(rng: random.Random, size=(1200, 800)) -> bytes:
    """Simple artwork: a gradient sky, a stage and light beams, in the act's own colours."""
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    top, bottom = [rng.randint(0, 120) for _ in range(3)], [rng.randint(80, 255) for _ in range(3)]
    for y in range(size[1]):
        t = y / size[1]
        draw.line([(0, y), (size[0], y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(5):
        x = rng.randint(0, size[0])
        draw.polygon([(x, 0), (x - 120, size[1]), (x + 120, size[1])],
                     fill=tuple(min(255, c + 60) for c in bottom))
    draw.rectangle([0, int(size[1] * 0.8), size[0], size[1]], fill=(20, 20, 28))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _render_photos(workspace: Workspace, rng: random.Random, count: int = 2) -> list[Asset]:
    out = []
    for n in range(count):
        big, small = _png(rng), _png(random.Random(rng.random()), (480, 320))
        out.append(Asset.objects.create(
            workspace=workspace, kind=AssetKind.PRESS_PHOTO, title=f"{workspace.name} live {n + 1}",
            credit=rng.choice(CREDITS), content_type="image/jpeg", width=1200, height=800,
            file=ContentFile(big, name="photo.jpg"), web=ContentFile(big, name="web.jpg"),
            thumb=ContentFile(small, name="thumb.jpg"), stored_bytes=2 * len(big) + len(small)))
    return out


def _photos(workspace: Workspace, rng: random.Random) -> list[Asset]:
    images = list(Asset.objects.filter(workspace=workspace).exclude(kind=AssetKind.DOCUMENT).order_by("pk"))
    return images or _render_photos(workspace, rng)


def build() -> int:
    """Give every demo act without a press kit one; returns how many were made."""
    acts = list(Workspace.objects.filter(kind="act", act__isnull=False, act__press_kit__isnull=True).order_by("pk"))
    owners = {m.workspace_id: m.user for m in Membership.objects.filter(workspace__in=acts, role=Role.OWNER)
              .select_related("user")}
    made = 0
    for n, ws in enumerate(acts):
        owner = owners.get(ws.pk)
        if owner is None:
            continue
        rng = random.Random(f"epk-{ws.slug}")
        photos = _photos(ws, rng)
        documents = list(Asset.objects.filter(workspace=ws, kind=AssetKind.DOCUMENT).values_list("pk", flat=True)[:3])
        genres = ", ".join(g.name.lower() for g in ws.act.genres.all()) or "live music"
        city = ws.city_name or "the road"
        visibility = "private" if n == len(acts) - 1 and n > 2 else "unlisted" if n == 1 else "public"
        low = rng.choice([400, 600, 800, 1200])
        links = [f"https://www.youtube.com/watch?v={rng.choice(YOUTUBE_IDS)}",
                 f"https://open.spotify.com/album/{rng.choice(SPOTIFY_IDS)}",
                 f"https://{ws.slug.replace('-', '')[:30]}.bandcamp.com/album/live-at-home"]
        epk.press_kit_save(actor=owner, workspace_id=ws.pk, fields={
            "visibility": visibility,
            "short_bio": f"{ws.name} play {genres} from {city}: big choruses, a tight rhythm section and a show "
                         f"that wins over rooms that came for someone else."[:300],
            "long_bio": (ws.bio or f"{ws.name} formed in {city} and have been touring clubs and festivals ever since.")
                        + "\n\nTheir live show is the heart of it: no backing tracks, every night a little different.",
            "hero": photos[0].pk, "achievements": "\n".join(rng.sample(FEATS, 3)),
            "show_upcoming_shows": True, "booking_name": owner.get_full_name() or ws.name,
            "booking_email": ws.contact_email or owner.email, "booking_phone": ws.phone,
            "fee_min": str(low), "fee_max": str(low * 2), "fee_currency": ws.currency},
            media_links=links[: rng.randint(2, 3)], photos=[p.pk for p in photos], documents=documents,
            quotes=[{"quote": q, "source": s} for q, s in zip(rng.sample(PRAISE, 3), rng.sample(PAPERS, 3), strict=True)]
            [: rng.randint(2, 3)])
        made += 1
    return made
