"""Reads for outreach: a workspace's templates, its sent emails (filtered), one email with its tracking
events, the follow-up drafts waiting, a booking's emails. Callers have checked access to the workspace;
every list costs a constant number of queries whatever its length."""

from __future__ import annotations

from django.db.models import Count, Q

from backline.mail.models import EmailStatus, OutboundEmail

from .models import EmailTemplate

# The way an email normally goes, for the status tracker; the rest end it early.
PROGRESS = (EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.OPENED, EmailStatus.REPLIED)
TROUBLE = (EmailStatus.BOUNCED, EmailStatus.COMPLAINED, EmailStatus.FAILED)
BADGE = {
    EmailStatus.DRAFT: "text-bg-warning", EmailStatus.QUEUED: "text-bg-light border", EmailStatus.SENT: "text-bg-info",
    EmailStatus.DELIVERED: "text-bg-primary", EmailStatus.OPENED: "text-bg-success",
    EmailStatus.REPLIED: "text-bg-success", EmailStatus.BOUNCED: "text-bg-danger", EmailStatus.COMPLAINED: "text-bg-danger",
    EmailStatus.FAILED: "text-bg-danger", EmailStatus.CANCELLED: "text-bg-secondary",
}


def templates_for(workspace, *, archived: bool | None = False):
    """The workspace's templates by name (``archived``: True only archived, None all)."""
    qs = EmailTemplate.objects.filter(workspace=workspace).select_related("follow_up_template")
    if archived is not None:
        qs = qs.filter(is_archived=archived)
    return qs.order_by("is_archived", "name", "id")


def _unused_drafts():
    """Drafts thrown away or replaced by the email sent from them: working copies, not history."""
    return Q(status=EmailStatus.CANCELLED, message__isnull=True)


def emails_for(workspace, *, status: list[str] | None = None, template_id: int | None = None,
               recipient: str | None = None, booking_id: int | None = None, contact_id: int | None = None):
    """The workspace's outreach emails, newest first. ``recipient`` matches the address or name; by default
    used-up drafts are left out (ask for status ``cancelled`` to see them)."""
    qs = OutboundEmail.objects.filter(workspace=workspace)
    if status:
        qs = qs.filter(status__in=status)
    if not status or EmailStatus.CANCELLED not in status:
        qs = qs.exclude(_unused_drafts())
    if template_id:
        qs = qs.filter(template_id=template_id)
    if booking_id:
        qs = qs.filter(booking_id=booking_id)
    if contact_id:
        qs = qs.filter(contact_id=contact_id)
    if recipient:
        recipient = recipient.strip()
        qs = qs.filter(Q(to_email__icontains=recipient) | Q(to_name__icontains=recipient))
    return (qs.select_related("template", "booking", "created_by", "follow_up_of")
            .order_by("-created_at", "-id"))


def status_counts(workspace) -> dict[str, int]:
    """How many of the workspace's emails are in each status (one query)."""
    rows = (OutboundEmail.objects.filter(workspace=workspace).exclude(_unused_drafts()).order_by()
            .values_list("status").annotate(n=Count("id")))
    return dict(rows)


def email_detail(email: OutboundEmail) -> OutboundEmail:
    return (OutboundEmail.objects.select_related("template", "booking", "contact", "created_by", "thread",
                                                 "follow_up_of", "workspace")
            .prefetch_related("events", "follow_ups").get(pk=email.pk))


def follow_up_drafts_for(workspace):
    """The follow-up drafts waiting for someone to check and send, oldest first."""
    return (OutboundEmail.objects.filter(workspace=workspace, status=EmailStatus.DRAFT)
            .select_related("follow_up_of", "template", "booking", "created_by").order_by("created_at", "id"))


def booking_emails(workspace, booking, *, limit: int = 20):
    """The emails the workspace sent about ``booking`` (drafts included), newest first."""
    return list(OutboundEmail.objects.filter(workspace=workspace, booking=booking).exclude(_unused_drafts())
                .order_by("-created_at", "-id")[:limit])


def progress_of(email: OutboundEmail) -> list[tuple[str, str, bool]]:
    """(status, label, reached) along queued → sent → delivered → opened → replied."""
    reached = {EmailStatus.QUEUED: True, EmailStatus.SENT: bool(email.sent_at),
               EmailStatus.DELIVERED: bool(email.delivered_at), EmailStatus.OPENED: bool(email.opened_at),
               EmailStatus.REPLIED: bool(email.replied_at)}
    if email.status in PROGRESS:
        index = PROGRESS.index(email.status)
        for status in PROGRESS[:index + 1]:
            reached[status] = True
    return [(s.value, s.label, reached[s]) for s in PROGRESS]
