"""How far an act is trusted: unverified, vouched for by the venues, promoters and agencies that booked it
for a show that happened (``settings.ACT_VOUCHES_REQUIRED`` of them), or verified by Backline's staff.

``with_trust(acts)`` annotates ``trust_level``, ``trust_vouches``, ``trust_agency_vouches`` and
``trust_verified_at``; ``verified_act_q()`` filters "verified only"; ``trust_of(act)`` answers a ``Trust``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from backline.core.trust import Trust, level_case, level_of, plural

from .models import ActVerification, ActVouch


def vouches_required() -> int:
    return max(1, int(settings.ACT_VOUCHES_REQUIRED))


def _count(ref: str, **only):
    counted = (ActVouch.objects.filter(act_id=OuterRef(ref), **only).order_by().values("act_id")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _verified(ref: str):
    """The act's verification by Backline, unless staff withdrew it."""
    return ActVerification.objects.filter(act_id=OuterRef(ref), revoked_at__isnull=True)


def verified_act_q(prefix: str = "") -> Q:
    """Acts verified by Backline or vouched for, on an act reached through ``prefix`` ("" on acts)."""
    ref = f"{prefix}pk" if prefix else "pk"
    return (Q(Exists(_verified(ref)))
            | Q(GreaterThanOrEqual(_count(ref), vouches_required())))


def with_trust(queryset, prefix: str = ""):
    ref = f"{prefix}pk" if prefix else "pk"
    verified_at = Subquery(_verified(ref).values("verified_at")[:1])
    return queryset.annotate(trust_vouches=_count(ref), trust_agency_vouches=_count(ref, workspace__kind="agency"),
                             trust_verified_at=verified_at).annotate(trust_level=level_case(vouches_required()))


def _trust(verified_at, vouches: int, agency_vouches: int) -> Trust:
    required = vouches_required()
    venues = vouches - agency_vouches
    who = " and ".join(w for w in (venues and plural(venues, "venue", "venues"),
                                   agency_vouches and plural(agency_vouches, "agency", "agencies")) if w)
    return Trust(level_of(verified_at=verified_at, vouches=vouches, required=required), vouches, required, verified_at,
                 vouched_by=f"{who} that booked them", from_whom="those who booked them")


def trust_of(act) -> Trust:
    if hasattr(act, "trust_level"):
        return _trust(act.trust_verified_at, act.trust_vouches, act.trust_agency_vouches)
    verified_at = (ActVerification.objects.filter(act_id=act.pk, revoked_at__isnull=True)
                   .values_list("verified_at", flat=True).first())
    kinds = list(ActVouch.objects.filter(act_id=act.pk).values_list("workspace__kind", flat=True))
    return _trust(verified_at, len(kinds), kinds.count("agency"))
