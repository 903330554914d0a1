"""Text for people: ``{% load words %}``.

* ``{{ text|marks }}`` — short text that may hold the two Markdown marks people type in messages
  (``**bold**`` and ``_italic_`` or ``*italic*``), escaped first and then shown as emphasis, so a
  notification's preview never shows raw asterisks and never lets markup through.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


@register.filter
def marks(text) -> str:
    if not text:
        return ""
    html = escape(str(text))
    html = _STRONG.sub(r"<strong>\2</strong>", html)
    html = _EM.sub(r"<em>\2</em>", html)
    return mark_safe(html.replace("**", ""))  # noqa: S308 - escaped above; only our own tags are added
