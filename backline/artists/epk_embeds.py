"""Music and video links shown as their providers' official embeds. Only an allow-list of providers and
their real hosts, only https; the iframe address is built here from the parsed id, never taken from the
link (nor from any HTML the user gives)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from backline.core.errors import Invalid

PROVIDERS = {
    "youtube": "YouTube", "spotify": "Spotify", "vimeo": "Vimeo", "soundcloud": "SoundCloud",
    "bandcamp": "Bandcamp", "apple_music": "Apple Music",
}
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLUG = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
_SPOTIFY_KINDS = {"album", "track", "artist", "playlist", "episode", "show"}
_APPLE_KINDS = {"album", "playlist", "song", "artist"}


@dataclass(frozen=True)
class Embed:
    provider: str  # a key of PROVIDERS
    url: str  # the canonical link (shown as "open on …")
    src: str = ""  # the iframe address; empty: shown as a link card (Bandcamp without an album id)
    height: int = 152
    is_video: bool = False

    @property
    def provider_name(self) -> str:
        return PROVIDERS[self.provider]


def _refuse(why: str) -> Invalid:
    return Invalid(why, errors={"url": [why]})


def _youtube(host: str, parts: list[str], query: dict) -> str | None:
    if host == "youtu.be":
        return parts[0] if parts else None
    if host in _YOUTUBE_HOSTS:
        if parts == ["watch"]:
            return (query.get("v") or [None])[0]
        if len(parts) == 2 and parts[0] in ("embed", "shorts", "live"):
            return parts[1]
    return None


def parse(url: str) -> Embed:
    """The embed of a link, or ``Invalid`` saying why it is refused."""
    url = (url or "").strip()
    if not url or len(url) > 500:
        raise _refuse("Paste a link of at most 500 characters.")
    try:
        parts_ = urlsplit(url)
        host = (parts_.hostname or "").lower()
        port = parts_.port
    except ValueError:
        raise _refuse("That is not a web address.") from None
    if parts_.scheme.lower() != "https":
        raise _refuse("Use the https:// link the provider gives you.")
    if port not in (None, 443) or parts_.username or parts_.password:
        raise _refuse("That is not a provider's link.")
    path = [p for p in parts_.path.split("/") if p]
    query = parse_qs(parts_.query)
    names = ", ".join(PROVIDERS.values())

    video = _youtube(host, path, query)
    if host == "youtu.be" or host in _YOUTUBE_HOSTS:
        if not video or not _ID.match(video):
            raise _refuse("That YouTube link names no video: use the video's own link (watch?v=…).")
        return Embed("youtube", f"https://www.youtube.com/watch?v={video}",
                     f"https://www.youtube-nocookie.com/embed/{video}", 315, True)
    if host == "open.spotify.com":
        if path and path[0].startswith("intl-"):
            path = path[1:]
        if len(path) == 2 and path[0] in _SPOTIFY_KINDS and _ID.match(path[1]):
            kind, ident = path
            return Embed("spotify", f"https://open.spotify.com/{kind}/{ident}",
                         f"https://open.spotify.com/embed/{kind}/{ident}", 152 if kind == "track" else 352)
        raise _refuse("Use a Spotify album, track, artist or playlist link.")
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        ident = path[-1] if path else ""
        if ident.isdigit() and len(ident) <= 20:
            return Embed("vimeo", f"https://vimeo.com/{ident}", f"https://player.vimeo.com/video/{ident}", 315, True)
        raise _refuse("That Vimeo link names no video.")
    if host in ("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"):
        if 1 <= len(path) <= 3 and all(_SLUG.match(p) for p in path):
            canonical = "https://soundcloud.com/" + "/".join(path)
            return Embed("soundcloud", canonical,
                         "https://w.soundcloud.com/player/?url=" + quote(canonical, safe="") + "&visual=false",
                         166 if len(path) == 2 else 300)
        raise _refuse("Use the SoundCloud link of a track, a set or the artist.")
    if host == "bandcamp.com" or (host.endswith(".bandcamp.com") and host.count(".") == 2):
        sub = host.split(".")[0]
        if host != "bandcamp.com" and not _SLUG.match(sub):
            raise _refuse("That is not a Bandcamp link.")
        # The player's own address names the album: bandcamp.com/EmbeddedPlayer/album=<id>/…
        album = path[1].removeprefix("album=") if host == "bandcamp.com" and len(path) >= 2 \
            and path[0] == "EmbeddedPlayer" and path[1].startswith("album=") else ""
        if not album and path and not all(_SLUG.match(p) for p in path):
            raise _refuse("That is not a Bandcamp link.")
        canonical = f"https://{host}/" + "/".join(path)
        if album.isdigit() and len(album) <= 20:
            return Embed("bandcamp", canonical,
                         f"https://bandcamp.com/EmbeddedPlayer/album={album}/size=large/tracklist=false/artwork=small/",
                         120)
        return Embed("bandcamp", canonical)  # a link card: no album id can be derived from the address
    if host == "music.apple.com":
        if len(path) >= 3 and re.match(r"^[a-z]{2}$", path[0]) and path[1] in _APPLE_KINDS \
                and all(_SLUG.match(p) for p in path[2:]) and len(path) <= 4:
            rest = "/".join(path)
            song = (query.get("i") or [""])[0]
            suffix = f"?i={song}" if song.isdigit() else ""
            return Embed("apple_music", f"https://music.apple.com/{rest}{suffix}",
                         f"https://embed.music.apple.com/{rest}{suffix}", 175 if suffix else 450)
        raise _refuse("Use an Apple Music album, song or playlist link.")
    raise _refuse(f"Links from {host or 'that address'} can't be shown. Use {names}.")


def embed_or_none(url: str) -> Embed | None:
    try:
        return parse(url)
    except Invalid:
        return None
