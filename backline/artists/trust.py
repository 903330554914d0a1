"""How far an act is trusted: unverified, vouched for by the venues, promoters and agencies that booked it
for a show that happened (``settings.ACT_VOUCHES_REQUIRED`` of them), or verified by Backline's staff.

``with_trust(acts)`` annotates ``trust_level``, ``trust_vouches``, ``trust_agency_vouches`` and
``trust_verified_at``; ``verified_act_q()`` filters "verified only"; ``trust_of(act)`` answers a ``Trust``."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import dateformat, timezone

from .models import ActVerification, ActVouch


class Level:
    UNVERIFIED, VOUCHED, VERIFIED = "unverified", "vouched", "verified"
    LABELS = {UNVERIFIED: "Not verified yet", VOUCHED: "Vouched for", VERIFIED: "Verified by Backline"}


def vouches_required() -> int:
    return max(1, int(settings.ACT_VOUCHES_REQUIRED))


def _count(ref: str, **only):
    counted = (ActVouch.objects.filter(act_id=OuterRef(ref), **only).order_by().values("act_id")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def verified_act_q(prefix: str = "") -> Q:
    """Acts verified by Backline or vouched for, on an act reached through ``prefix`` ("" on acts)."""
    ref = f"{prefix}pk" if prefix else "pk"
    return (Q(Exists(ActVerification.objects.filter(act_id=OuterRef(ref))))
            | Q(GreaterThanOrEqual(_count(ref), vouches_required())))


def with_trust(queryset, prefix: str = ""):
    ref = f"{prefix}pk" if prefix else "pk"
    verified_at = Subquery(ActVerification.objects.filter(act_id=OuterRef(ref)).values("verified_at")[:1])
    return queryset.annotate(trust_vouches=_count(ref), trust_agency_vouches=_count(ref, workspace__kind="agency"),
                             trust_verified_at=verified_at).annotate(
        trust_level=Case(When(trust_verified_at__isnull=False, then=Value(Level.VERIFIED)),
                         When(trust_vouches__gte=vouches_required(), then=Value(Level.VOUCHED)),
                         default=Value(Level.UNVERIFIED), output_field=CharField()))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Trust:
    level: str
    vouches: int
    agency_vouches: int
    required: int
    verified_at: object = None

    @property
    def label(self) -> str:
        return Level.LABELS[self.level]

    @property
    def is_trusted(self) -> bool:
        return self.level != Level.UNVERIFIED

    @property
    def summary(self) -> str:
        if self.level == Level.VERIFIED:
            return f"Verified by Backline on {dateformat.format(timezone.localtime(self.verified_at), 'j M Y')}"
        if self.level == Level.VOUCHED:
            venues = self.vouches - self.agency_vouches
            who = " and ".join(w for w in (venues and _plural(venues, "venue", "venues"),
                                           self.agency_vouches and _plural(self.agency_vouches, "agency", "agencies")) if w)
            return f"Vouched for by {who} that booked them"
        return "Not verified yet"

    @property
    def progress(self) -> str:
        return f"{self.vouches} of {self.required} vouches from those who booked them"


def trust_of(act) -> Trust:
    if hasattr(act, "trust_level"):
        return Trust(act.trust_level, act.trust_vouches, act.trust_agency_vouches, vouches_required(), act.trust_verified_at)
    verified_at = ActVerification.objects.filter(act_id=act.pk).values_list("verified_at", flat=True).first()
    kinds = list(ActVouch.objects.filter(act_id=act.pk).values_list("workspace__kind", flat=True))
    level = (Level.VERIFIED if verified_at else Level.VOUCHED if len(kinds) >= vouches_required() else Level.UNVERIFIED)
    return Trust(level, len(kinds), kinds.count("agency"), vouches_required(), verified_at)
