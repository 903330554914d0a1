"""Composing an email from a template with merge fields for one recipient or a list, previewing it as each recipient
will get it, sending it through the outbox, and discarding follow-up drafts.

Sending is all or nothing: every recipient is checked first (a bad address, an unknown merge field or
one with no value refuses the whole send); addresses that bounced or opted out are listed with the
reason and skipped only when the sender says "send to the others"; the hourly limit is checked for the
whole batch (``RateLimited`` with when to retry). Each email is one ``outbox.email_queue_many`` row,
recorded in the workspace's email thread with the recipient.

A follow-up draft is an ``OutboundEmail`` in status ``draft`` (never in the outbox). Sending it queues
a new email (``follow_up_of`` the original) and the draft row becomes ``cancelled``: drafts are working
copies, the sent email is the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import getaddresses
from urllib.parse import urlencode

from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from email_validator import EmailNotValidError, validate_email

from backline.accounts.models import Workspace
from backline.accounts.permissions import OUTREACH_SEND, access_workspace
from backline.contacts.models import Contact
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.text import breaks_line, control_error
from backline.mail.models import EmailStatus, OutboundEmail
from backline.mail.services import outbox, suppressions
from backline.mail.services.senders import SenderView, sender_identity_of

from .. import merge_fields
from ..models import EmailTemplate
from ..permissions import access_email, access_template, booking_of, contacts_of
from .email_templates import refuse

MAX_RECIPIENTS = 500  # per send; the hourly limit usually bites first
NO_RECIPIENTS = "Add at least one recipient."



@dataclass(frozen=True)
class Recipient:
    """Who an email goes to: a contact of the workspace, or an address typed in (with a name)."""

    email: str = ""
    name: str = ""
    contact_id: int | None = None


def parse_addresses(text: str) -> list[Recipient]:
    """Addresses typed in, separated by commas, semicolons or lines, each ``a@b.org`` or ``Name <a@b.org>``;
    ``Invalid`` naming every one that is not an address."""
    text = (text or "").replace(";", ",").replace("\r", "\n")
    lines = [part.strip() for line in text.split("\n") for part in [line] if line.strip()]
    pairs = getaddresses(lines)
    bad, out = [], []
    for name, address in pairs:
        if not address or "@" not in address:
            if name or address:
                bad.append(name or address)
            continue
        out.append(Recipient(email=address.strip(), name=" ".join(name.split())))
    if bad:
        raise Invalid(f"Not email addresses: {', '.join(bad)}", errors={"to": [f"“{b}” is not an email address." for b in bad]})
    return out


@dataclass
class Outgoing:
    """One recipient's email as it will be sent."""

    to_email: str
    to_name: str
    contact: Contact | None
    subject: str
    body: str
    values: merge_fields.Values
    missing: dict[str, str] = field(default_factory=dict)  # field → why it has no value
    refused: str = ""  # why this address may not be written to (bounced, opted out…)
    thread_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.missing and not self.refused

    @property
    def display(self) -> str:
        return f"{self.to_name} <{self.to_email}>" if self.to_name else self.to_email

    def preview_html(self, raw_body: str) -> str:
        return merge_fields.preview_html(raw_body, self.values)


@dataclass
class Composition:
    """A prepared send: what each recipient gets, who it is from, and how many more fit this hour."""

    workspace: Workspace
    sender: SenderView
    subject: str  # as written, with merge fields
    body: str
    booking: object | None
    template: EmailTemplate | None
    draft: OutboundEmail | None
    outgoing: list[Outgoing]
    remaining: int
    retry_after: int
    warnings: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Outgoing]:
        return [o for o in self.outgoing if o.refused]

    @property
    def missing(self) -> list[Outgoing]:
        """Recipients who would get an email with a field left empty (refused ones are not sent anyway)."""
        return [o for o in self.outgoing if o.missing and not o.refused]

    @property
    def sendable(self) -> list[Outgoing]:
        return [o for o in self.outgoing if not o.refused]

    @property
    def over_limit(self) -> bool:
        return len(self.sendable) > self.remaining

    @property
    def follow_up_days(self) -> int | None:
        t = self.template
        return t.follow_up_days if t is not None and t.follow_up_days and t.follow_up_template_id else None


def _normal(address: str) -> str:
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid(f"Not a valid email address: {address}", errors={"to": [f"{address}: {exc}"]}) from None


def _resolve_recipients(workspace: Workspace, recipients: list[Recipient]) -> list[tuple[str, str, Contact | None]]:
    """(address, name, contact) for each recipient, once per address; a typed address that belongs to
    one of the workspace's contacts is sent as that contact (so it shows in the contact's history)."""
    contacts = contacts_of(workspace, [r.contact_id for r in recipients if r.contact_id])
    errors: list[str] = []
    entries: list[tuple[str, str, Contact | None]] = []
    for r in recipients:
        if r.contact_id:
            contact = contacts[int(r.contact_id)]
            if not contact.email:
                errors.append(f"{contact.name} has no email address: add one to the contact.")
                continue
            entries.append((contact.email, contact.name, contact))
            continue
        if breaks_line(r.name or ""):
            errors.append(f"The name given for {r.email} may not contain line breaks or other control characters.")
            continue
        try:
            entries.append((_normal(r.email), " ".join((r.name or "").split()), None))
        except Invalid as exc:
            errors.extend(exc.errors["to"])
    typed = [address.lower() for address, _, contact in entries if contact is None]
    by_address = {c.email.lower(): c for c in Contact.objects.annotate(low=Lower("email"))
                  .filter(workspace=workspace, low__in=typed)} if typed else {}
    out: dict[str, tuple[str, str, Contact | None]] = {}
    for address, name, contact in entries:
        if contact is None:
            contact = by_address.get(address.lower())
            name = name or (contact.name if contact else "")
        out.setdefault(address.lower(), (address, name, contact))
    if errors:
        raise Invalid(errors[0] if len(errors) == 1 else f"{len(errors)} recipients cannot be used.",
                      errors={"recipients": errors})
    if not out:
        raise Invalid(NO_RECIPIENTS, errors={"recipients": [NO_RECIPIENTS]})
    if len(out) > MAX_RECIPIENTS:
        raise Invalid(f"At most {MAX_RECIPIENTS} recipients at once.", errors={"recipients": [
            f"{len(out)} recipients: send to at most {MAX_RECIPIENTS} at once."]})
    return list(out.values())


def _draft_of(workspace: Workspace, draft_id: int | None, *, lock: bool = False) -> OutboundEmail | None:
    if draft_id is None:
        return None
    qs = OutboundEmail.objects.select_for_update(of=("self",)) if lock else OutboundEmail.objects
    draft = qs.filter(pk=draft_id, workspace=workspace).first()
    if draft is None:
        raise NotFound("No such draft.")
    if draft.status != EmailStatus.DRAFT:
        raise Conflict("This draft has already been sent or discarded.", code="draft_used")
    return draft


def _threads_by_address(workspace: Workspace, booking, addresses: list[str]) -> dict[str, int]:
    """The workspace's latest email thread (about the same booking, or about none) with each address it
    has written to before, so that a new email continues the conversation."""
    qs = (OutboundEmail.objects.annotate(low=Lower("to_email"))
          .filter(workspace=workspace, low__in=[a.lower() for a in addresses], thread__isnull=False,
                  booking=booking).exclude(status=EmailStatus.DRAFT).order_by("created_at", "id")
          .values_list("low", "thread_id"))
    return dict(qs)


def outreach_prepare(*, actor, workspace_id: int, recipients: list[Recipient], subject: str | None = None,
                     body: str | None = None, booking_id: int | None = None, template_id: int | None = None,
                     draft_id: int | None = None) -> Composition:
    """Everything a send would do, without sending: each recipient's subject and body with the merge
    fields filled in, the fields with no value (and why), the addresses refused (and why), who it comes
    from and how many more emails fit this hour. Unknown merge fields and bad addresses are ``Invalid``."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=OUTREACH_SEND)
    workspace = access.workspace
    draft = _draft_of(workspace, draft_id)
    template = None
    if template_id is None and draft is not None:
        template_id = draft.template_id
    if template_id is not None:
        template = access_template(user=actor, template_id=template_id, workspace_id=workspace.pk).template
        if template.is_archived and (draft is None or draft.template_id != template.pk):
            raise Invalid(f"The template “{template.name}” is archived.", errors={"template_id": ["It is archived."]})
    if booking_id is None and draft is not None:
        booking_id = draft.booking_id
    booking = booking_of(workspace, booking_id)
    subject = (subject if subject is not None and subject.strip() else
               (draft.subject if draft else template.subject if template else "")).strip()
    body = (body if body is not None and body.strip() else
            (draft.body_text if draft else template.body if template else "")).strip()
    control = {key: [problem] for key, text in (("subject", subject), ("body", body)) if (problem := control_error(text))}
    refuse(control)
    merge_fields.check_known(subject=subject, body=body)
    resolved = _resolve_recipients(workspace, recipients)
    source = merge_fields.MergeSource(workspace=workspace, sender=actor, booking=booking, texts=(subject, body))
    refused = suppressions.sendable(workspace_id=workspace.pk, emails=[a for a, _, _ in resolved])
    threads = {} if draft is not None else _threads_by_address(workspace, booking, [a for a, _, _ in resolved])
    outgoing = []
    for address, name, contact in resolved:
        values = source.for_recipient(contact=contact, name=name)
        outgoing.append(Outgoing(
            to_email=address, to_name=name, contact=contact, subject=merge_fields.render_subject(subject, values),
            body=merge_fields.render_body(body, values), values=values, missing=values.missing_in(subject, body),
            refused=refused.get(address.lower(), ""),
            thread_id=draft.thread_id if draft is not None else threads.get(address.lower())))
    remaining, wait = outbox.hourly_allowance(workspace_id=workspace.pk)
    return Composition(workspace=workspace, sender=sender_identity_of(workspace), subject=subject, body=body,
                       booking=booking, template=template, draft=draft, outgoing=outgoing, remaining=remaining,
                       retry_after=wait, warnings=source.shared.warnings)


def _missing_error(composition: Composition) -> Invalid:
    messages: dict[str, list[str]] = {}
    for out in composition.missing:
        for name, why in out.missing.items():
            where = "subject" if name in merge_fields.fields_in(composition.subject) else "body"
            messages.setdefault(where, []).append(f"{{{{ {name} }}}} has no value for {out.to_email}: {why}.")
    first = next(iter(messages.values()))[0]
    return Invalid(f"Not sent: {first}" + (" (and more)" if sum(map(len, messages.values())) > 1 else ""),
                   errors=messages, code="merge_field_missing")


def outreach_send(*, actor, workspace_id: int, recipients: list[Recipient], subject: str | None = None,
                  body: str | None = None, booking_id: int | None = None, template_id: int | None = None,
                  draft_id: int | None = None, skip_refused: bool = False) -> list[OutboundEmail]:
    """Send one email per recipient, all or nothing (see the module's docstring). Refused addresses
    (bounced, opted out) are skipped only with ``skip_refused``; otherwise ``Invalid`` (code
    ``recipients_refused``) lists them and nothing is sent. Over the hourly limit: ``RateLimited``."""
    composition = outreach_prepare(actor=actor, workspace_id=workspace_id, recipients=recipients, subject=subject,
                                   body=body, booking_id=booking_id, template_id=template_id, draft_id=draft_id)
    if composition.missing:
        raise _missing_error(composition)
    refused = composition.refused
    if refused and not skip_refused:
        listed = [f"{o.to_email} {o.refused}." for o in refused]
        others = len(composition.outgoing) - len(refused)
        raise Invalid(f"Not sent: {'; '.join(listed)}" + (f" Send to the {others} others?" if others else ""),
                      errors={"recipients": listed}, code="recipients_refused",
                      refused=[{"email": o.to_email, "reason": o.refused} for o in refused])
    ready = composition.sendable
    if not ready:
        raise Invalid("Nobody left to send to: every recipient is refused.",
                      errors={"recipients": [f"{o.to_email} {o.refused}." for o in refused]}, code="recipients_refused")
    draft, template, booking = composition.draft, composition.template, composition.booking
    thread_ids = {o.thread_id for o in ready if o.thread_id}
    from backline.conversations.models import Thread

    threads = {t.pk: t for t in Thread.objects.filter(pk__in=thread_ids)} if thread_ids else {}
    items = [{"to_email": o.to_email, "to_name": o.to_name, "subject": o.subject, "body": o.body,
              "thread": threads.get(o.thread_id), "booking_id": booking.pk if booking else None,
              "contact_id": o.contact.pk if o.contact else None, "template_id": template.pk if template else None,
              "follow_up_of_id": draft.follow_up_of_id if draft else None,
              "follow_up_days": composition.follow_up_days} for o in ready]
    with transaction.atomic():
        if draft is not None:
            draft = _draft_of(composition.workspace, draft.pk, lock=True)
        emails = outbox.email_queue_many(actor=actor, workspace_id=composition.workspace.pk, emails=items)
        if draft is not None:
            outbox.draft_cancel(draft=draft)
            audit.record(actor=actor, action="outbound_email.draft_sent", obj=draft, workspace_id=draft.workspace_id,
                         before={"status": EmailStatus.DRAFT},
                         after={"status": EmailStatus.CANCELLED, "sent_as": [e.pk for e in emails]})
    return emails


def draft_discard(*, actor, email_id: int, workspace_id: int | None = None) -> OutboundEmail:
    """Throw a follow-up draft away (it becomes ``cancelled``); the original email's sequence ends."""
    with transaction.atomic():
        email = access_email(user=actor, email_id=email_id, workspace_id=workspace_id, lock=True).email
        if email.status != EmailStatus.DRAFT:
            raise Conflict("Only a draft can be discarded; this email has been sent.", code="not_a_draft")
        outbox.draft_cancel(draft=email)
        email.status = EmailStatus.CANCELLED
        audit.record(actor=actor, action="outbound_email.draft_discarded", obj=email, workspace_id=email.workspace_id,
                     before={"status": EmailStatus.DRAFT}, after={"status": EmailStatus.CANCELLED})
    return email


def compose_url(workspace_slug: str, **query) -> str:
    url = reverse("outreach_compose", args=[workspace_slug])
    pairs = urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return f"{url}?{pairs}" if pairs else url
