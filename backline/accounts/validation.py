"""Social and streaming link validation: a link must be an https URL on its platform's domain."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from backline.core.errors import Invalid

from .models import SocialPlatform

PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    SocialPlatform.SPOTIFY: ("open.spotify.com", "spotify.com"),
    SocialPlatform.APPLE_MUSIC: ("music.apple.com",),
    SocialPlatform.BANDCAMP: ("bandcamp.com",),
    SocialPlatform.SOUNDCLOUD: ("soundcloud.com",),
    SocialPlatform.YOUTUBE: ("youtube.com", "youtu.be"),
    SocialPlatform.INSTAGRAM: ("instagram.com",),
    SocialPlatform.TIKTOK: ("tiktok.com",),
    SocialPlatform.FACEBOOK: ("facebook.com", "fb.com"),
    SocialPlatform.X: ("x.com", "twitter.com"),
}


def validate_social_link(platform: str, url: str) -> tuple[str, str]:
    url = (url or "").strip()
    if platform not in SocialPlatform.values:
        raise Invalid(f"Unknown platform “{platform}”.")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise Invalid(f"“{url}” is not a valid web address.") from exc
    host = (urlsplit(url).hostname or "").lower()
    allowed = PLATFORM_HOSTS.get(platform)
    if allowed and not any(host == h or host.endswith("." + h) for h in allowed):
        label = SocialPlatform(platform).label
        raise Invalid(f"A {label} link must be on {' or '.join(allowed)}.")
    return platform, url
