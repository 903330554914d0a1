"""The primitives every way into a conversation shares (written in the app, sent as outreach email, or
received by email): adding a message, and the email thread of a workspace with a contact. Callers run
them inside their own ``transaction.atomic`` and do their own access checks."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backline.accounts.models import Membership
from backline.accounts.permissions import MESSAGES_SEND, MESSAGES_VIEW, ROLE_CAPABILITIES

from .markdown import render_markdown
from .models import Message, MessageSource, NotificationType, Thread, ThreadKind, ThreadParty, ThreadRead
from .thread_permissions import current_workspace_parties

PREVIEW_CHARS = 160


def roles_with(capability: str) -> list[str]:
    return [str(role) for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def thread_url(thread: Thread, workspace_slug: str) -> str:
    """The thread's page as a member of ``workspace_slug`` sees it."""
    return reverse("thread_detail", args=[workspace_slug, thread.pk])


def add_message(*, thread: Thread, body: str, source: str = MessageSource.APP, author=None, author_workspace=None,
                author_contact=None, author_name: str = "", author_email: str = "", notify: bool = True) -> Message:
    """Post ``body`` (plain text or Markdown, stored as written and rendered sanitised) to ``thread``,
    move the thread to the top of its parties' inboxes, count it read for its author, and, after
    commit, tell every other member of the thread's workspaces who may read it (type ``message``)."""
    body = body.strip()
    now = timezone.now()
    if author is not None and not author_name:
        author_name = author.get_full_name() or author.email
    message = Message.objects.create(
        thread=thread, body=body, body_html=render_markdown(body), source=source, author=author,
        author_workspace=author_workspace, author_contact=author_contact, author_name=author_name[:200],
        author_email=author_email, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread.last_message_at = now
    if author is not None:
        ThreadRead.objects.update_or_create(thread=thread, user=author, defaults={"last_read_at": now})
    if notify:
        transaction.on_commit(lambda: notify_new_message(message))
    return message


def notify_new_message(message: Message) -> None:
    """One notification per reader of each current workspace party (``current_workspace_parties``: an
    act no longer on the booking hears nothing more), never the author."""
    from .services import notify

    thread = message.thread
    who = message.author_name or message.author_email or "Someone"
    text = message.body
    if not text:  # a message that is only files
        names = list(message.attachments.values_list("filename", flat=True))
        text = f"Sent {len(names)} file{'s' if len(names) != 1 else ''}: {', '.join(names)}" if names else ""
    preview = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS - 1] + "…"
    parties = current_workspace_parties(thread)
    readers = Membership.objects.filter(workspace_id__in=[p.workspace_id for p in parties],
                                        role__in=roles_with(MESSAGES_VIEW)).select_related("user")
    by_workspace: dict[int, list] = {}
    for membership in readers:
        if membership.user_id != message.author_id:
            by_workspace.setdefault(membership.workspace_id, []).append(membership.user)
    for party in parties:
        people = by_workspace.get(party.workspace_id)
        if people:
            notify(users=people, type=NotificationType.MESSAGE, title=f"{who} in “{thread.subject}”"[:200],
                   body=preview, url=thread_url(thread, party.workspace.slug), workspace_id=party.workspace_id)


def email_thread_for(*, workspace, subject: str, contact=None, booking=None, created_by=None) -> Thread:
    """The workspace's email conversation with ``contact`` (about ``booking``, if given): the latest
    one if there is one, else a new thread with the workspace and the contact as its parties."""
    existing = None
    if contact is not None:
        existing = (Thread.objects.filter(kind=ThreadKind.EMAIL, workspace=workspace, booking=booking,
                                          parties__contact=contact)
                    .order_by("-last_message_at", "-id").first())
    if existing is not None:
        return existing
    thread = Thread.objects.create(kind=ThreadKind.EMAIL, workspace=workspace, booking=booking, subject=subject[:200],
                                   created_by=created_by)
    ThreadParty.objects.create(thread=thread, workspace=workspace)
    if contact is not None:
        ThreadParty.objects.create(thread=thread, contact=contact)
    return thread


def thread_emails_of(thread: Thread) -> set[str]:
    """Every address that may write to the thread by email (lower-case): its contacts', those its
    outreach was sent to (even after the contact was deleted: they answer the email they got), and
    those of the active members of its current workspace parties whose role may send messages. Mail
    from these addresses is posted as received by email from the address, never as a Backline user."""
    from .models import OutboundEmail

    emails = {e.lower() for e in ThreadParty.objects.filter(thread=thread, contact__isnull=False)
              .exclude(contact__email="").values_list("contact__email", flat=True)}
    emails |= {e.lower() for e in OutboundEmail.objects.filter(thread=thread).values_list("to_email", flat=True)}
    workspace_ids = [p.workspace_id for p in current_workspace_parties(thread)]
    emails |= {e.lower() for e in Membership.objects.filter(workspace_id__in=workspace_ids, user__is_active=True,
                                                            role__in=roles_with(MESSAGES_SEND))
               .values_list("user__email", flat=True) if e}
    return emails
