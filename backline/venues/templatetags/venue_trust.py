"""``{% load venue_trust %}{% venue_trust venue as trust %}``: the venue's ``venues.trust.Trust`` (level,
label, summary). Reads ``trust.with_trust`` annotations when the list has them (no query), else asks."""

from django import template

from backline.venues.trust import trust_of

register = template.Library()


@register.simple_tag
def venue_trust(venue):
    return trust_of(venue)
