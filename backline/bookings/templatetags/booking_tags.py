"""How bookings look wherever they are listed: the status badge (one colour per stage, everywhere), the
fee in words, money, and sortable column headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html

from backline.accounts.models import WorkspaceKind

from .. import deals
from ..models import Booking, Status
from ..selectors import fee_deal, sort_key

register = template.Library()

# One colour per stage: open stages in the pipeline's colours, a confirmed or played show green, a
# cancelled show red, the other ways a booking ends grey.
STATUS_TONES = {
    Status.INQUIRY: "text-bg-info",
    Status.HOLD: "text-bg-warning",
    Status.OFFER: "text-bg-primary",
    Status.CONFIRMED: "text-bg-success",
    Status.COMPLETED: "text-bg-success bg-opacity-75",
    Status.CANCELLED: "text-bg-danger",
}
ENDED_TONE = "text-bg-light border"


def _is_quote(booking, workspace) -> bool:
    """An agency's booking without an act, told without a query: the workspace is the one on the page,
    or one already loaded; otherwise it is not taken for a quote."""
    if getattr(booking, "act_id", True) is not None:
        return False
    if workspace is not None and booking.workspace_id == workspace.pk:
        return workspace.kind == WorkspaceKind.AGENCY
    return Booking.workspace.is_cached(booking) and booking.workspace.kind == WorkspaceKind.AGENCY


@register.simple_tag(takes_context=True)
def status_words(context, booking_or_status) -> str:
    """The stage in words; an agency's quote to its client that is out reads "Quote sent" (stored as an
    offer, as any other)."""
    status = getattr(booking_or_status, "status", booking_or_status)
    if status == Status.OFFER and not isinstance(booking_or_status, str) and _is_quote(
            booking_or_status, context.get("current_workspace")):
        return "Quote sent"
    return Status(status).label if status in Status.values else str(status)


@register.simple_tag(takes_context=True)
def status_badge(context, booking_or_status, testid: str = "status-badge"):
    """``{% status_badge booking %}`` or ``{% status_badge "hold" %}``: the stage in words, coloured."""
    status = getattr(booking_or_status, "status", booking_or_status)
    label = status_words(context, booking_or_status)
    return format_html('<span class="badge {}" data-status="{}" data-testid="{}">{}</span>',
                       STATUS_TONES.get(status, ENDED_TONE), status, testid, label)


@register.simple_tag
def fee(booking):
    """The booking's current deal in words ("€500 guarantee"); before any offer, its budget; else a dash."""
    deal = fee_deal(booking)
    if deal is not None:
        return deals.headline(deal)
    if getattr(booking, "budget", None) is not None:
        return format_html('<span class="text-body-secondary">budget {}</span>',
                           deals.format_money(booking.budget, booking.currency))
    return format_html('<span class="text-body-secondary">{}</span>', "—")


@register.filter
def money(amount, currency):
    """``{{ package.price|money:package.currency }}`` → "€1,200"."""
    if amount is None:
        return "—"
    return deals.format_money(amount if isinstance(amount, Decimal) else Decimal(str(amount)), currency)


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css: str = ""):
    """A column header that sorts the list by ``key`` (server side, ``?sort=``), keeping the filters;
    a second click reverses it. ``aria-sort`` tells screen readers the current order."""
    request = context["request"]
    current = sort_key(request.GET.get("sort"))
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = key if descending or not active else f"-{key}"
    aria = ("descending" if descending else "ascending") if active else "none"
    icon = ("bi-caret-down-fill" if descending else "bi-caret-up-fill") if active else "bi-arrow-down-up opacity-25"
    return format_html('<th scope="col" class="{}" aria-sort="{}"><a class="text-reset text-decoration-none" '
                       'href="?{}" data-sort="{}">{} <i class="bi {}" aria-hidden="true"></i></a></th>',
                       css, aria, query.urlencode(), key, label, icon)


@register.simple_tag
def time_span(start, end):
    """"15:00–18:00" in the current time zone; an end at midnight is "24:00"; one on a later day says so."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    last = end - dt.timedelta(microseconds=1)
    close = "24:00" if end.time() == dt.time(0) and end > start else f"{end:%H:%M}"
    later = "" if last.date() <= start.date() else f" ({end:%-d %b})" if (last.date() - start.date()).days > 1 else " (next day)"
    return f"{start:%H:%M}–{close}{later}"
