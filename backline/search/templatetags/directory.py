"""``{% public_page kind slug as url %}``: the public page of an act or a venue, or "" where there is none."""

from django import template

from ..links import public_page_url

register = template.Library()


@register.simple_tag
def public_page(kind: str, slug: str) -> str:
    return public_page_url(kind, slug) or ""
