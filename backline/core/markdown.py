"""Message text → safe HTML: Markdown rendered by Python-Markdown, then cleaned by nh3 (an allow-list:
no raw HTML, scripts, styles, event handlers or images survive; links get rel="noopener noreferrer
nofollow"). Plain text is Markdown without markup, so both read the same."""

from __future__ import annotations

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
                "h3", "h4", "h5", "h6", "del", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> str:
    """Sanitised HTML for a message body. Raw HTML in the input is not parsed as HTML (it shows as
    text), then the rendering is cleaned by nh3 as a second wall."""
    renderer = md.Markdown(extensions=["fenced_code", "tables", "sane_lists", "nl2br"], output_format="html")
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    html = renderer.convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow")
