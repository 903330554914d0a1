"""The booking page's "Vouch for …" card (a booking section) and its two buttons."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.accounts.ui import Panel, workspace_view
from backline.core.errors import DomainError

from . import vouches
from .permissions import BookingAccess, representative


def vouch_section(request, booking, side):
    """After a confirmed show has happened: vouch for the venue (the act) or for the act (the buyer)."""
    access = getattr(request, "access", None)
    if access is None or not vouches.show_played(booking):
        return None
    state = vouches.vouch_state(BookingAccess(booking=booking, access=access, side=side,
                                              on_behalf=representative(booking, access.workspace.pk)))
    if state is None:
        return None
    args = [access.workspace.slug, booking.pk]
    return Panel(template="bookings/_vouch_section.html", order=6, context={
        "state": state, "vouch_url": reverse("booking_vouch", args=args),
        "withdraw_url": reverse("booking_vouch_withdraw", args=args)})


def _vouch_action(request, booking_id, call, success: str):
    from .views import _booking

    booking, _ = _booking(request, booking_id)  # 404 outside the workspace in the URL
    try:
        state = call(actor=request.user, booking_id=booking.pk)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, success.format(name=state.target if state else ""))
    return redirect("booking_detail", request.access.workspace.slug, booking.pk)


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_vouch(request, booking_id):
    return _vouch_action(request, booking_id, vouches.booking_vouch, "You vouched for {name}. Thank you!")


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_vouch_withdraw(request, booking_id):
    return _vouch_action(request, booking_id, vouches.booking_vouch_withdraw, "Your vouch for {name} is withdrawn.")
