"""Makers for the files sent with an offer: a document of the sending workspace's media library on an
offer of the world's booking (``booking_id``), so both sides reach it and everyone else gets 404. An
inquiry without an offer gets one (version 1, from its buyer) first."""

from __future__ import annotations

from django.core.files.base import ContentFile


def _file_id(world) -> int:
    from backline.bookings.models import Booking, Offer
    from backline.media.models import Asset

    booking = Booking.objects.get(pk=world.value("booking_id"))
    offer = booking.offers.order_by("-version").first() or Offer.objects.create(
        booking=booking, version=1, side="buyer", deal_type="guarantee", currency=booking.currency, guarantee=500)
    sender = booking.workspace_id if offer.side == "buyer" else booking.act.workspace_id
    asset = Asset.objects.create(workspace_id=sender, kind="document", title="Tech pack", content_type="application/pdf",
                                 file=ContentFile(b"%PDF-1.4 matrix", name="pack.pdf"))
    offer.attachments.add(asset)
    return asset.pk


MAKERS: dict = {"file_id": _file_id}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
