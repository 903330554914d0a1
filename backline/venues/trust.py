"""How far a venue is trusted, read in one place: unverified, vouched for by acts that played a confirmed
show there on Backline (``settings.VENUE_VOUCHES_REQUIRED`` of them), or verified by Backline's staff.

For lists (the directory, search): ``with_trust(queryset)`` annotates ``trust_level``,
``trust_vouches`` and ``trust_verified_at`` in the same query; ``verified_venue_q()`` filters
"verified only" (verified by Backline or vouched for). ``trust_of(venue)`` answers a ``Trust`` with the
badge's words, from those annotations when present, else with two small queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, DateTimeField, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import dateformat, timezone

from .models import TrustLevel, VenueVouch, VerificationRequest, VerificationStatus


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
        trust_level=Case(When(trust_verified_at__isnull=False, then=Value(TrustLevel.VERIFIED)),
                         When(trust_vouches__gte=vouches_required(), then=Value(TrustLevel.VOUCHED)),
                         default=Value(TrustLevel.UNVERIFIED), output_field=CharField()))


@dataclass(frozen=True)
class Trust:
    level: str
    vouches: int
    required: int
    verified_at: object = None

    @property
    def label(self) -> str:
        return TrustLevel(self.level).label

    @property
    def is_trusted(self) -> bool:
        return self.level != TrustLevel.UNVERIFIED

    @property
    def summary(self) -> str:
        """How it was earned, in words: the badge's sentence."""
        if self.level == TrustLevel.VERIFIED:
            return f"Verified by Backline on {dateformat.format(timezone.localtime(self.verified_at), 'j M Y')}"
        if self.level == TrustLevel.VOUCHED:
            return f"Vouched for by {self.vouches} {'act' if self.vouches == 1 else 'acts'} who played here"
        return "Not verified yet"

    @property
    def progress(self) -> str:
        """For the venue itself: how far it is from being vouched for."""
        return f"{self.vouches} of {self.required} vouches from acts that played here"


def trust_of(venue) -> Trust:
    if hasattr(venue, "trust_level"):
        return Trust(venue.trust_level, venue.trust_vouches, vouches_required(), venue.trust_verified_at)
    approved = (VerificationRequest.objects.filter(venue_id=venue.pk, status=VerificationStatus.APPROVED)
                .order_by("reviewed_at").values_list("reviewed_at", flat=True).first())
    vouches = VenueVouch.objects.filter(venue_id=venue.pk).count()
    level = (TrustLevel.VERIFIED if approved else TrustLevel.VOUCHED if vouches >= vouches_required()
             else TrustLevel.UNVERIFIED)
    return Trust(str(level), vouches, vouches_required(), approved)
