"""Who may not be written to: suppressed addresses (bounced, complained, opted out) and the signed
opt-out link every outreach email carries."""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from backline.core import audit
from backline.core.email import absolute_url
from backline.core.timeutil import day_words

from ..models import OutboundEmail, Suppression, SuppressionReason

OPT_OUT_SALT = "backline.optout"  # never change: every sent email's link is signed with it


def opt_out_token(*, workspace_id: int, email: str) -> str:
    """A signed (not encrypted, never expiring) token naming the workspace and the address; the same
    for the same pair, so every email to an address carries the same link."""
    return signing.Signer(salt=OPT_OUT_SALT).sign_object({"w": workspace_id, "e": email.strip().lower()}, compress=True)


def opt_out_read(token: str) -> tuple[int, str] | None:
    """(workspace_id, email) a genuine opt-out token names, or None for a forged or broken one. Opt-out
    links never expire: an old email's link must keep working."""
    try:
        data = signing.Signer(salt=OPT_OUT_SALT).unsign_object(token)
        return int(data["w"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def opt_out_url(*, workspace_id: int, email: str) -> str:
    """The absolute address at which the recipient stops the workspace's email (a signed token)."""
    return absolute_url(reverse("email_opt_out", args=[opt_out_token(workspace_id=workspace_id, email=email)]))


def _suppression_reason(suppression: Suppression) -> str:
    day = day_words(timezone.localtime(suppression.created_at))
    if suppression.reason == SuppressionReason.BOUNCED:
        return f"bounced on {day}"
    if suppression.reason == SuppressionReason.COMPLAINED:
        return f"marked our email as spam on {day}"
    return f"opted out on {day}"


def sendable(*, workspace_id: int, emails: list[str]) -> dict[str, str]:
    """address (lower-case) → why the workspace may not write to it ("bounced on <date>", "opted out on
    <date>", "marked our email as spam on <date>"), for those it may not; empty when all may. One query."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    rows = (Suppression.objects.filter(email__in=wanted).filter(Q(workspace__isnull=True) | Q(workspace_id=workspace_id))
            .order_by("created_at", "id"))
    for suppression in rows:
        found.setdefault(suppression.email, _suppression_reason(suppression))  # the first reason wins
    return found


def suppress(*, workspace_id: int | None, email: str, reason: str, source_email: OutboundEmail | None = None,
             actor=None) -> tuple[Suppression, bool]:
    """Stop mail to ``email`` (from one workspace, or from every one when ``workspace_id`` is None);
    idempotent: (the suppression, whether it is new). Queued mail to the address is cancelled when its
    delivery comes round."""
    address = email.strip().lower()
    with transaction.atomic():
        existing = Suppression.objects.filter(email=address, workspace_id=workspace_id).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                suppression = Suppression.objects.create(workspace_id=workspace_id, email=address, reason=reason,
                                                         source_email=source_email)
        except IntegrityError:  # a concurrent request suppressed it first
            return Suppression.objects.get(email=address, workspace_id=workspace_id), False
        audit.record(actor=actor, action="suppression.created", obj=suppression, workspace_id=workspace_id,
                     after={"email": address, "reason": reason})
    return suppression, True


def opt_in_again(*, workspace_id: int, email: str, actor=None) -> bool:
    """Undo the address's own opt-out from the workspace (the recipient changed their mind on the
    opt-out page). Bounces and complaints stay. Answers whether an opt-out was removed."""
    address = email.strip().lower()
    with transaction.atomic():
        suppression = (Suppression.objects.select_for_update()
                       .filter(workspace_id=workspace_id, email=address, reason=SuppressionReason.OPTED_OUT).first())
        if suppression is None:
            return False
        audit.record(actor=actor, action="suppression.removed", obj=suppression, workspace_id=workspace_id,
                     before={"email": address, "reason": suppression.reason})
        suppression.delete()
    return True
