"""``{% load act_trust %}{% act_trust act as trust %}``: the act's ``artists.trust.Trust`` (level, label,
summary). Reads ``trust.with_trust`` annotations when present (no query), else asks."""

from django import template

from backline.artists.trust import trust_of

register = template.Library()


@register.simple_tag
def act_trust(act):
    return trust_of(act)
