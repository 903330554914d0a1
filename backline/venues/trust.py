"""How far a venue is trusted, read in one place: unverified, vouched for by acts that played a confirmed
show there on Backline (``settings.VENUE_VOUCHES_REQUIRED`` of them), or verified by Backline's staff.

For lists (the directory, search): ``with_trust(queryset)`` annotates ``trust_level``,
``trust_vouches`` and ``trust_verified_at`` in the same query; ``verified_venue_q()`` filters
"verified only" (verified by Backline or vouched for). ``trust_of(venue)`` answers a ``Trust`` with the
badge's words, from those annotations when present, else with two small queries."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, DateTimeField, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from backline.core.trust import Trust, TrustLevel, level_case, level_of, plural

from .models import VenueVouch, VerificationRequest, VerificationStatus

__all__ = ["Trust", "TrustLevel", "trust_of", "verified_venue_q", "vouches_required", "with_trust"]


def vouches_required() -> int:
    return max(1, int(settings.VENUE_VOUCHES_REQUIRED))


def _vouch_count(ref: str):
    counted = (VenueVouch.objects.filter(venue_id=OuterRef(ref)).order_by().values("venue_id")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _approved(ref: str):
    return VerificationRequest.objects.filter(venue_id=OuterRef(ref), status=VerificationStatus.APPROVED)


def verified_venue_q(prefix: str = "") -> Q:
    """Venues verified by Backline or vouched for, as a condition on a venue reached through ``prefix``
    ("" on venues, "venue__" on bookings…): the directory's "verified only"."""
    ref = f"{prefix}pk" if prefix else "pk"
    return Q(Exists(_approved(ref))) | Q(GreaterThanOrEqual(_vouch_count(ref), vouches_required()))


def with_trust(queryset, prefix: str = ""):
    """``queryset`` with ``trust_level`` (a ``TrustLevel`` value), ``trust_vouches`` and ``trust_verified_at``."""
    ref = f"{prefix}pk" if prefix else "pk"
    verified_at = Subquery(_approved(ref).order_by("reviewed_at").values("reviewed_at")[:1], output_field=DateTimeField())
    return queryset.annotate(trust_vouches=_vouch_count(ref), trust_verified_at=verified_at).annotate(
        trust_level=level_case(vouches_required()))


def _trust(verified_at, vouches: int) -> Trust:
    required = vouches_required()
    return Trust(level_of(verified_at=verified_at, vouches=vouches, required=required), vouches, required, verified_at,
                 vouched_by=f"{plural(vouches, 'act', 'acts')} who played here", from_whom="acts that played here")


def trust_of(venue) -> Trust:
    if hasattr(venue, "trust_level"):
        return _trust(venue.trust_verified_at, venue.trust_vouches)
    approved = (VerificationRequest.objects.filter(venue_id=venue.pk, status=VerificationStatus.APPROVED)
                .order_by("reviewed_at").values_list("reviewed_at", flat=True).first())
    return _trust(approved, VenueVouch.objects.filter(venue_id=venue.pk).count())
