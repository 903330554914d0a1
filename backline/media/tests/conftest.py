import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(name="photo.jpg", size=(1200, 800), fmt="JPEG", color=(200, 80, 40), exif=None, mode="RGB"):
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
               b"trailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def team(make_team):
    return make_team("act", "The Velvet Owls")


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Each test its own storage folder, so "no file left behind" sees only its own files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
