"""Reads of mail: a workspace's held mail and how much of it waits for review."""

from __future__ import annotations

from .models import QuarantinedEmail, QuarantineStatus


def quarantine_list_for(workspace, *, status: str | None = QuarantineStatus.PENDING):
    """The workspace's held mail, newest first (pending only, unless another status is asked for)."""
    qs = QuarantinedEmail.objects.filter(workspace=workspace).select_related("thread", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-id")


def pending_count(workspace) -> int:
    return QuarantinedEmail.objects.filter(workspace=workspace, status=QuarantineStatus.PENDING).count()
