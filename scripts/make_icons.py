"""Draw Backline's app icons from the one SVG source, backline/static/brand/backline.svg.

The logo is made of rounded rectangles only, so Pillow draws it exactly (no SVG renderer needed):
this reads each <rect> (x, y, width, height, rx, fill) and paints it at four times the size, then
scales down for smooth edges. Run after changing the SVG and commit what it writes:

    PYTHONPATH=. .venv/bin/python scripts/make_icons.py
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parents[1] / "backline" / "static" / "brand"
SOURCE = BRAND / "backline.svg"
SIZES = {"favicon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
SUPERSAMPLE = 4
NS = "{http://www.w3.org/2000/svg}"


def shapes(svg: Path) -> tuple[float, list[dict]]:
    root = ET.parse(svg).getroot()  # noqa: S314 - our own committed file, not untrusted input
    _, _, width, _ = (float(v) for v in root.get("viewBox").split())
    rects = [{k: r.get(k) for k in ("x", "y", "width", "height", "rx", "fill")} for r in root.iter(f"{NS}rect")]
    return width, rects


def draw(size: int, width: float, rects: list[dict], *, opaque: bool = False) -> Image.Image:
    big = size * SUPERSAMPLE
    scale = big / width
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for i, r in enumerate(rects):
        x, y, w, h = (float(r[k]) * scale for k in ("x", "y", "width", "height"))
        # iOS draws its own rounded corners on an apple-touch icon: give it a full square background.
        radius = 0 if (opaque and i == 0) else float(r.get("rx") or 0) * scale
        pen.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=radius, fill=r["fill"])
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    width, rects = shapes(SOURCE)
    for name, size in SIZES.items():
        draw(size, width, rects, opaque=name == "apple-touch-icon.png").save(BRAND / name, optimize=True)
    manifest = {
        "name": "Backline", "short_name": "Backline", "start_url": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#c2410c",
        "icons": [{"src": "/static/brand/icon-192.png", "sizes": "192x192", "type": "image/png"},
                  {"src": "/static/brand/icon-512.png", "sizes": "512x512", "type": "image/png"},
                  {"src": "/static/brand/backline.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    (BRAND / "site.webmanifest").write_text(json.dumps(manifest, indent=2) + "\n")
    print("wrote", ", ".join([*SIZES, "site.webmanifest"]), "in", BRAND)


if __name__ == "__main__":
    main()
