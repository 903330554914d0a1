"""The demo world's media libraries: artwork rendered with Pillow (never downloaded), seeded so every
run draws the same pictures. Every act gets a logo and three press photos with credits; every venue
two photos of its room. Small pictures, so the whole library takes a couple of seconds."""

from __future__ import annotations

import io
import math
import random
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from backline.accounts.models import Membership, Role, Workspace, WorkspaceKind
from backline.media.models import Asset
from backline.media.services import asset_upload
from backline.venues.models import Venue

SIZE = (720, 480)
PHOTOGRAPHERS = ["Mara Stein", "Jonas Vogt", "Aiko Tanaka", "Lena Brandt", "Tomás Reyes", "Sophie Laurent",
                 "Kwame Mensah", "Ines Duarte", "Paul Hartmann", "Noor Haddad"]
PALETTES = [((32, 18, 77), (224, 86, 120)), ((10, 40, 60), (60, 200, 190)), ((60, 20, 10), (250, 170, 60)),
            ((15, 15, 20), (150, 150, 170)), ((40, 60, 20), (210, 230, 120)), ((70, 10, 40), (120, 160, 250))]
PHOTO_TITLES = ["Live at the club", "Promo shot", "Backstage", "On tour", "Soundcheck"]


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _gradient(a, b, size=SIZE) -> Image.Image:
    top = Image.new("RGB", (1, 2))
    top.putpixel((0, 0), a)
    top.putpixel((0, 1), b)
    return top.resize(size, Image.Resampling.BILINEAR)


def _jpeg(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _centered(draw: ImageDraw.ImageDraw, text: str, y: int, font, fill) -> None:
    width = draw.textlength(text, font=font)
    draw.text(((SIZE[0] - width) / 2, y), text, font=font, fill=fill)


def _press_photo(rng: random.Random, name: str, palette) -> Image.Image:
    """A stage in coloured light: a gradient, light beams, haze and the band's silhouettes."""
    dark, light = palette
    image = _gradient(dark, tuple(int(c * 0.6) for c in light))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(rng.randint(3, 5)):  # beams from the rig
        x = rng.randint(0, SIZE[0])
        spread = rng.randint(80, 220)
        draw.polygon([(x, 0), (x - spread, SIZE[1]), (x + spread, SIZE[1])], fill=(*light, rng.randint(30, 60)))
    people = rng.randint(2, 5)
    for i in range(people):  # silhouettes: head and body
        cx = int(SIZE[0] * (i + 1) / (people + 1)) + rng.randint(-30, 30)
        h = rng.randint(150, 210)
        draw.ellipse([cx - 24, SIZE[1] - h - 60, cx + 24, SIZE[1] - h - 12], fill=(8, 8, 12, 255))
        draw.rounded_rectangle([cx - 50, SIZE[1] - h, cx + 50, SIZE[1]], radius=30, fill=(8, 8, 12, 255))
    draw = ImageDraw.Draw(image)
    draw.text((24, 20), name.upper(), font=_font(24), fill=(255, 255, 255))
    return image


def _logo(rng: random.Random, name: str, palette) -> Image.Image:
    dark, light = palette
    image = Image.new("RGB", SIZE, dark)
    draw = ImageDraw.Draw(image)
    cx, cy, r = SIZE[0] // 2, SIZE[1] // 2 - 40, 110
    sides = rng.choice([0, 3, 5, 6])
    if sides:
        points = [(cx + r * math.cos(2 * math.pi * k / sides - math.pi / 2),
                   cy + r * math.sin(2 * math.pi * k / sides - math.pi / 2)) for k in range(sides)]
        draw.polygon(points, outline=light, width=10)
    else:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=light, width=10)
    initials = "".join(w[0] for w in name.replace("The ", "").split()[:2]).upper()
    font = _font(90)
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text((cx - (box[2] - box[0]) / 2 - box[0], cy - (box[3] - box[1]) / 2 - box[1]), initials, font=font,
              fill=light)
    _centered(draw, name, SIZE[1] - 100, _font(36), (255, 255, 255))
    return image


def _room(rng: random.Random, name: str, palette, stage: bool) -> Image.Image:
    """A venue's room: floor, walls, a lit stage or rows of seats, in perspective."""
    dark, light = palette
    image = _gradient((20, 20, 26), dark)
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = SIZE
    draw.polygon([(0, h), (w, h), (w * 0.75, h * 0.55), (w * 0.25, h * 0.55)], fill=(40, 30, 28, 255))  # floor
    if stage:
        draw.rectangle([w * 0.22, h * 0.42, w * 0.78, h * 0.58], fill=(25, 22, 22, 255))
        for k in range(6):  # lamps on the truss
            x = w * (0.25 + 0.1 * k)
            draw.ellipse([x - 10, h * 0.12 - 10, x + 10, h * 0.12 + 10], fill=(*light, 255))
            draw.polygon([(x, h * 0.12), (x - 70, h * 0.5), (x + 70, h * 0.5)], fill=(*light, 35))
    else:
        for row in range(7):  # the crowd from the back
            y = h * 0.62 + row * 26
            for _col in range(rng.randint(10, 16)):
                x = rng.randint(0, w)
                draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=(10, 10, 14, 230))
    draw.text((28, 24), name, font=_font(30), fill=(255, 255, 255))
    return image


def _seed(text: str) -> random.Random:
    return random.Random(zlib.crc32(text.encode()))


def _owners(kinds) -> dict[int, object]:
    rows = Membership.objects.filter(role=Role.OWNER, workspace__kind__in=kinds).select_related("user")
    return {m.workspace_id: m.user for m in rows}


def build() -> None:
    """Fill the media library of every demo act and venue workspace that has none yet."""
    filled = set(Asset.objects.values_list("workspace_id", flat=True).distinct())
    owners = _owners([WorkspaceKind.ACT, WorkspaceKind.VENUE, WorkspaceKind.PROMOTER])
    for ws in Workspace.objects.filter(kind=WorkspaceKind.ACT).exclude(pk__in=filled).order_by("pk"):
        rng = _seed(ws.name)
        palette = rng.choice(PALETTES)
        owner = owners.get(ws.pk)
        if owner is None:
            continue
        asset_upload(actor=owner, workspace_id=ws.pk, upload=_jpeg(_logo(rng, ws.name, palette), "logo.jpg"),
                     kind="logo", title=f"{ws.name} logo", credit="")
        for title in rng.sample(PHOTO_TITLES, 3):
            photo = _press_photo(rng, ws.name, palette)
            asset_upload(actor=owner, workspace_id=ws.pk, upload=_jpeg(photo, "photo.jpg"), kind="press_photo",
                         title=title, credit=rng.choice(PHOTOGRAPHERS))
    venues = Venue.objects.exclude(workspace_id__in=filled).order_by("pk")
    for venue in venues:
        owner = owners.get(venue.workspace_id)
        if owner is None:
            continue
        rng = _seed(venue.name)
        palette = rng.choice(PALETTES)
        for stage, title in ((True, "The stage"), (False, "The room on a show night")):
            asset_upload(actor=owner, workspace_id=venue.workspace_id, kind="photo",
                         upload=_jpeg(_room(rng, venue.name, palette, stage), "room.jpg"),
                         title=f"{venue.name}: {title.lower()}", credit=rng.choice(PHOTOGRAPHERS))
