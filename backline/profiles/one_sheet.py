"""What goes on an act's one-sheet PDF, cut to fit one A4 page: the long bio shortened at a sentence,
as many press quotes as fit (and a line saying where the rest are, so none is lost), links shown as
their host and the start of their path. ``sheets`` gives the content at decreasing lengths; the view
renders the first that fits (``core.pdf.render_pdf_fitting``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

LINK_CHARS = 36


@dataclass(frozen=True)
class Budget:
    bio_chars: int  # the long bio, in characters
    quote_chars: int  # all shown quotes together
    quote_each: int  # one quote at most
    highlights: int
    line_up: int
    links: int


BUDGETS = {  # per layout, from the roomiest to one that fits the longest kit allowed
    "classic": (Budget(1400, 1400, 320, 6, 10, 4), Budget(900, 900, 240, 5, 8, 4), Budget(300, 360, 130, 3, 6, 3)),
    "photo": (Budget(650, 520, 240, 5, 8, 4), Budget(380, 360, 180, 4, 6, 3), Budget(120, 130, 130, 2, 4, 2)),
}


def short_link(url: str, limit: int = LINK_CHARS) -> str:
    """open.spotify.com/album/4aawyAB9v… : host and path, without https:// and www., cut with an ellipsis."""
    parts = urlsplit(url or "")
    host = parts.netloc.removeprefix("www.") or url
    text = host + (parts.path.rstrip("/") if parts.path not in ("", "/") else "")
    if parts.query and len(text) < limit:
        text += "?" + parts.query
    return text if len(text) <= limit else text[:limit - 1].rstrip("/") + "…"


def paragraphs(text: str, most: int = 3) -> str:
    """At most ``most`` paragraphs (the rest joined to the last), each on one line: blank lines cost space."""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "\n\n".join(paras[:most - 1] + ([" ".join(paras[most - 1:])] if paras[most - 1:] else []))


def cut(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, ended at a sentence when one ends in its second half, else at a
    word, with an ellipsis."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    stop = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind(".\n"))
    if stop >= limit // 2:
        return head[:stop + 1]
    if not (text[limit].isspace() or head[-1].isspace()):  # cut inside a word: end before it
        head = head.rsplit(None, 1)[0]
    return head.rstrip().rstrip(",;:–-") + "…"


def _quotes(quotes, budget: Budget) -> list[dict]:
    shown, used = [], 0
    for q in quotes:
        text = cut(q.quote, budget.quote_each)
        if shown and used + len(text) > budget.quote_chars:
            break
        shown.append({"quote": text, "source": cut(q.source, 60)})
        used += len(text)
    return shown


def sheet(context: dict, budget: Budget) -> dict:
    """The one-sheet's share of the page context at ``budget``."""
    kit, quotes = context["kit"], context["quotes"]
    shown = _quotes(quotes, budget)
    whole = paragraphs(kit.long_bio)
    bio = cut(whole, budget.bio_chars)
    return {"sheet_short": cut(kit.short_bio, 300 if budget.bio_chars >= 300 else 180),
            "sheet_bio": bio, "sheet_bio_cut": bio != whole,
            "sheet_quotes": shown, "sheet_quotes_more": len(quotes) - len(shown),
            "sheet_highlights": [cut(a, 90) for a in kit.achievement_lines[:budget.highlights]],
            "sheet_line_up": context["line_up"][:budget.line_up],
            "sheet_line_up_more": max(0, len(context["line_up"]) - budget.line_up),
            "sheet_links": [(e.provider_name, short_link(e.url)) for e in context["embeds"][:budget.links]],
            "sheet_page": short_link(context["page_url"], 60)}


def sheets(context: dict, layout: str):
    """The page context at each budget of ``layout``, roomiest first."""
    for budget in BUDGETS[layout]:
        yield context | sheet(context, budget)
