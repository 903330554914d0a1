"""Outreach email: a workspace's templates (seeded with good defaults), its sender identity, composing
an email from a template with merge fields for one recipient or a list, previewing it as each recipient
will get it, sending it through the outbox, and the follow-up reminders when nobody answers.

Sending is all or nothing: every recipient is checked first (a bad address, an unknown merge field or
one with no value refuses the whole send); addresses that bounced or opted out are listed with the
reason and skipped only when the sender says "send to the others"; the hourly limit is checked for the
whole batch (``RateLimited`` with when to retry). Each email is one ``outbox.email_queue_many`` row,
recorded in the workspace's email thread with the recipient.

A follow-up draft is an ``OutboundEmail`` in status ``draft`` (never in the outbox). Sending it queues
a new email (``follow_up_of`` the original) and the draft row becomes ``cancelled``: drafts are working
copies, the sent email is the record."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass, field
from email.utils import getaddresses, make_msgid
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from backline.accounts.models import Membership, Workspace
from backline.accounts.permissions import OUTREACH_MANAGE, OUTREACH_SEND, access_workspace
from backline.contacts.models import Contact
from backline.conversations.models import Message, MessageSource
from backline.conversations.services import roles_with
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.text import control_error
from backline.mail.models import EmailStatus, OutboundEmail, SenderIdentity
from backline.mail.services import outbox, suppressions
from backline.notifications.models import NotificationType

from . import merge_fields
from .default_templates import FIRST_PITCH_FOLLOW_UP_DAYS, defaults_for
from .models import EmailTemplate, TemplateKind
from .permissions import access_email, access_template, booking_of, contacts_of

log = logging.getLogger(__name__)

MAX_RECIPIENTS = 500  # per send; the hourly limit usually bites first
NO_RECIPIENTS = "Add at least one recipient."
FOLLOW_UP_MAX_DAYS = 90
TEMPLATE_FIELDS = ("name", "kind", "subject", "body", "follow_up_days", "follow_up_template_id", "is_archived")
SENDER_FIELDS = ("from_name", "from_email", "signature", "hourly_limit")
REMINDABLE = (EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.OPENED)


def _has_control(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)


# --- templates --------------------------------------------------------------------------------------

def templates_seed(*, workspace: Workspace) -> list[EmailTemplate]:
    """Give ``workspace`` the default templates the first time its templates are listed or used; a
    workspace that has any template (archived ones too) keeps what it has. Idempotent and safe when two
    requests race (the workspace row is locked)."""
    if EmailTemplate.objects.filter(workspace_id=workspace.pk).exists():
        return []
    try:
        with transaction.atomic():
            Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
            if EmailTemplate.objects.filter(workspace_id=workspace.pk).exists():
                return []
            made = {}
            for default in defaults_for(workspace.kind):
                made[default.kind] = EmailTemplate.objects.create(
                    workspace_id=workspace.pk, name=default.name, kind=default.kind, subject=default.subject,
                    body=default.body)
            pitch, follow_up = made.get(TemplateKind.FIRST_PITCH), made.get(TemplateKind.FOLLOW_UP)
            if pitch and follow_up:
                pitch.follow_up_days, pitch.follow_up_template = FIRST_PITCH_FOLLOW_UP_DAYS, follow_up
                pitch.save(update_fields=["follow_up_days", "follow_up_template", "updated_at"])
            for template in made.values():
                audit.record(actor=None, action="email_template.seeded", obj=template, workspace_id=workspace.pk,
                             after=audit.snapshot(template, ("name", "kind", "follow_up_days")))
            return list(made.values())
    except IntegrityError:  # another request seeded it between our check and our insert
        return []


def _template_errors(workspace_id: int, data: dict, template: EmailTemplate | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = data["name"]
    if not name:
        errors["name"] = ["Give the template a name."]
    elif _has_control(name):
        errors["name"] = ["The name must be one line, without control characters."]
    elif len(name) > 100:
        errors["name"] = ["At most 100 characters."]
    elif EmailTemplate.objects.filter(workspace_id=workspace_id, name__iexact=name).exclude(
            pk=template.pk if template else None).exists():
        errors["name"] = [f"There is already a template called “{name}”."]
    if data["kind"] not in TemplateKind.values:
        errors["kind"] = [f"Choose one of {', '.join(TemplateKind.values)}."]
    subject, body = data["subject"], data["body"]
    if not subject:
        errors["subject"] = ["Write a subject."]
    elif _has_control(subject):
        errors["subject"] = ["The subject must be one line, without control characters."]
    elif len(subject) > 200:
        errors["subject"] = ["At most 200 characters."]
    if not body:
        errors["body"] = ["Write the email."]
    elif problem := control_error(body):
        errors["body"] = [problem]
    elif len(body) > 10000:
        errors["body"] = ["At most 10,000 characters."]
    for key, text in (("subject", subject), ("body", body)):
        if key not in errors and (unknown := merge_fields.unknown_in(text)):
            errors[key] = [merge_fields.unknown_message(unknown)]
    days, next_id = data["follow_up_days"], data["follow_up_template_id"]
    if days is not None and not 1 <= days <= FOLLOW_UP_MAX_DAYS:
        errors["follow_up_days"] = [f"Between 1 and {FOLLOW_UP_MAX_DAYS} days."]
    elif days is not None and next_id is None:
        errors["follow_up_template_id"] = ["Choose the template the follow-up draft is written from."]
    elif days is None and next_id is not None:
        errors["follow_up_days"] = ["Say after how many days without a reply to follow up."]
    if next_id is not None and "follow_up_template_id" not in errors:
        chain = EmailTemplate.objects.filter(workspace_id=workspace_id, pk=next_id).first()
        if chain is None:
            errors["follow_up_template_id"] = ["Choose one of this workspace's templates."]
        elif chain.is_archived:
            errors["follow_up_template_id"] = [f"“{chain.name}” is archived."]
        elif template is not None and _leads_back(chain, template.pk):
            errors["follow_up_template_id"] = ["That would follow up forever: the chain of follow-ups comes back "
                                               "to this template."]
    return errors


def _leads_back(start: EmailTemplate, target_id: int) -> bool:
    """Whether following ``start``'s follow-up chain reaches ``target_id`` (a cycle)."""
    seen, current = set(), start
    while current is not None and current.pk not in seen:
        if current.pk == target_id:
            return True
        seen.add(current.pk)
        current = EmailTemplate.objects.filter(pk=current.follow_up_template_id).first() \
            if current.follow_up_template_id else None
    return False


def _template_data(values: dict, template: EmailTemplate | None = None) -> dict:
    base = {f: getattr(template, f) for f in TEMPLATE_FIELDS} if template else {
        "name": "", "kind": TemplateKind.CUSTOM, "subject": "", "body": "", "follow_up_days": None,
        "follow_up_template_id": None, "is_archived": False}
    data = {**base, **{k: v for k, v in values.items() if k in TEMPLATE_FIELDS}}
    for key in ("name", "subject", "body"):
        data[key] = (data[key] or "").strip()
    data["kind"] = data["kind"] or TemplateKind.CUSTOM
    return data


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors))
        unknown = any(m.startswith("Unknown merge field") for msgs in errors.values() for m in msgs)
        raise Invalid(f"{first.replace('_', ' ').capitalize()}: {errors[first][0]}", errors=errors,
                      code="unknown_merge_field" if unknown else None)


def template_create(*, actor, workspace_id: int, name: str, subject: str, body: str, kind: str = TemplateKind.CUSTOM,
                    follow_up_days: int | None = None, follow_up_template_id: int | None = None) -> EmailTemplate:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=OUTREACH_MANAGE)
    data = _template_data({"name": name, "subject": subject, "body": body, "kind": kind,
                           "follow_up_days": follow_up_days, "follow_up_template_id": follow_up_template_id})
    with transaction.atomic():
        _raise(_template_errors(access.workspace.pk, data, None))
        template = EmailTemplate.objects.create(workspace=access.workspace, created_by=actor,
                                                **{k: v for k, v in data.items() if k != "is_archived"})
        audit.record(actor=actor, action="email_template.created", obj=template, workspace_id=access.workspace.pk,
                     after=audit.snapshot(template, TEMPLATE_FIELDS[:-1]))
    return template


def template_update(*, actor, template_id: int, **changes) -> EmailTemplate:
    """Change a template (any of name, kind, subject, body, follow_up_days, follow_up_template_id)."""
    unknown = set(changes) - set(TEMPLATE_FIELDS[:-1])
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        template = access_template(user=actor, template_id=template_id, capability=OUTREACH_MANAGE, lock=True).template
        data = _template_data(changes, template)
        _raise(_template_errors(template.workspace_id, data, template))
        before = audit.snapshot(template, TEMPLATE_FIELDS[:-1])
        for key in TEMPLATE_FIELDS[:-1]:
            setattr(template, key, data[key])
        after = audit.snapshot(template, TEMPLATE_FIELDS[:-1])
        if before != after:
            template.save()
            audit.record(actor=actor, action="email_template.changed", obj=template,
                         workspace_id=template.workspace_id, before=before, after=after)
    return template


def template_archive(*, actor, template_id: int, archived: bool = True) -> EmailTemplate:
    """Archive a template (it leaves the choices; emails sent from it keep their history) or restore it."""
    with transaction.atomic():
        template = access_template(user=actor, template_id=template_id, capability=OUTREACH_MANAGE, lock=True).template
        if template.is_archived != archived:
            template.is_archived = archived
            template.save(update_fields=["is_archived", "updated_at"])
            audit.record(actor=actor, action="email_template.archived" if archived else "email_template.restored",
                         obj=template, workspace_id=template.workspace_id, before={"is_archived": not archived},
                         after={"is_archived": archived})
    return template


def template_duplicate(*, actor, template_id: int) -> EmailTemplate:
    """A copy named "<name> (copy)" (or "(copy 2)"…), to vary a template without touching the original."""
    source = access_template(user=actor, template_id=template_id, capability=OUTREACH_MANAGE).template
    taken = {n.lower() for n in EmailTemplate.objects.filter(workspace_id=source.workspace_id)
             .values_list("name", flat=True)}
    stem = source.name[:90]
    name = f"{stem} (copy)"
    number = 2
    while name.lower() in taken:
        name = f"{stem} (copy {number})"
        number += 1
    return template_create(actor=actor, workspace_id=source.workspace_id, name=name, subject=source.subject,
                           body=source.body, kind=source.kind, follow_up_days=source.follow_up_days,
                           follow_up_template_id=source.follow_up_template_id
                           if source.follow_up_template_id != source.pk else None)


# --- the sender identity ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SenderView:
    from_name: str
    from_email: str
    signature: str
    hourly_limit: int | None  # the workspace's own limit (None: the site's)
    site_limit: int
    is_default: bool  # no identity set: the workspace's name at the site's address

    @property
    def effective_limit(self) -> int:
        return self.hourly_limit if self.hourly_limit is not None else self.site_limit


def sender_identity_of(workspace: Workspace) -> SenderView:
    identity = SenderIdentity.objects.filter(workspace=workspace).first()
    from_name, from_email = outbox.sender_for(workspace)
    return SenderView(from_name=from_name, from_email=from_email, signature=identity.signature if identity else "",
                      hourly_limit=identity.hourly_limit if identity else None,
                      site_limit=settings.OUTREACH_HOURLY_LIMIT, is_default=identity is None)


def sender_identity_set(*, actor, workspace_id: int, from_name: str, from_email: str, signature: str = "",
                        hourly_limit: int | None = None) -> SenderIdentity:
    """Who the workspace's outreach comes from: a name and address (no line breaks: they become headers),
    a signature (Markdown, added under every email) and an hourly limit no higher than the site's."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=OUTREACH_MANAGE)
    from_name, from_email, signature = (from_name or "").strip(), (from_email or "").strip(), (signature or "").strip()
    errors: dict[str, list[str]] = {}
    if not from_name:
        errors["from_name"] = ["Give the name your emails come from."]
    elif _has_control(from_name) or any(unicodedata.category(c) == "Cf" for c in from_name):
        errors["from_name"] = ["The name must be one line, without control characters."]
    elif len(from_name) > 100:
        errors["from_name"] = ["At most 100 characters."]
    if _has_control(from_email):
        errors["from_email"] = ["The address must be one line, without control characters."]
    else:
        try:
            from_email = validate_email(from_email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["from_email"] = [f"Not a valid email address: {exc}"]
    if problem := control_error(signature):
        errors["signature"] = [problem]
    elif len(signature) > 2000:
        errors["signature"] = ["At most 2,000 characters."]
    site = settings.OUTREACH_HOURLY_LIMIT
    if hourly_limit is not None and not 1 <= hourly_limit <= site:
        errors["hourly_limit"] = [f"Between 1 and {site} emails an hour (this site's limit); leave it empty for {site}."]
    _raise(errors)
    with transaction.atomic():
        identity = SenderIdentity.objects.select_for_update().filter(workspace=access.workspace).first()
        before = audit.snapshot(identity, SENDER_FIELDS) if identity else None
        if identity is None:
            identity = SenderIdentity(workspace=access.workspace)
        identity.from_name, identity.from_email, identity.signature, identity.hourly_limit = (
            from_name, from_email, signature, hourly_limit)
        identity.save()
        after = audit.snapshot(identity, SENDER_FIELDS)
        if before != after:
            audit.record(actor=actor, action="sender_identity.changed", obj=identity, workspace_id=access.workspace.pk,
                         before=before, after=after)
    access.workspace.sender_identity = identity
    return identity


# --- composing and sending ------------------------------------------------------------------------------

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
        if _has_control(r.name or ""):
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
    _raise(control)
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
            OutboundEmail.objects.filter(pk=draft.pk, status=EmailStatus.DRAFT).update(status=EmailStatus.CANCELLED)
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
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.DRAFT).update(status=EmailStatus.CANCELLED)
        email.status = EmailStatus.CANCELLED
        audit.record(actor=actor, action="outbound_email.draft_discarded", obj=email, workspace_id=email.workspace_id,
                     before={"status": EmailStatus.DRAFT}, after={"status": EmailStatus.CANCELLED})
    return email


# --- follow-ups -------------------------------------------------------------------------------------------

def compose_url(workspace_slug: str, **query) -> str:
    url = reverse("outreach_compose", args=[workspace_slug])
    pairs = urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return f"{url}?{pairs}" if pairs else url


def _re(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"[:200]


def _who_to_tell(email: OutboundEmail) -> list:
    """The email's sender if they may still send for the workspace; else its owners and admins."""
    senders = roles_with(OUTREACH_SEND)
    if email.created_by_id and Membership.objects.filter(user_id=email.created_by_id, workspace_id=email.workspace_id,
                                                         role__in=senders).exists():
        return [email.created_by]
    return [m.user for m in Membership.objects.select_related("user")
            .filter(workspace_id=email.workspace_id, role__in=roles_with(OUTREACH_MANAGE))]


def _close(email: OutboundEmail, now: dt.datetime, why: str) -> None:
    """End the email's sequence without a reminder (``follow_up_reminded_at`` marks it handled)."""
    OutboundEmail.objects.filter(pk=email.pk).update(follow_up_reminded_at=now)
    audit.record(actor=None, action="outbound_email.follow_up_closed", obj=email, workspace_id=email.workspace_id,
                 after={"reason": why})


def _remind_one(email_id: int, now: dt.datetime) -> OutboundEmail | None:
    from backline.notifications.services import notify

    with transaction.atomic():
        email = (OutboundEmail.objects.select_for_update(of=("self",))
                 .select_related("workspace", "template__follow_up_template", "created_by", "contact")
                 .filter(pk=email_id, follow_up_reminded_at__isnull=True, replied_at__isnull=True,
                         follow_up_due_at__lte=now, status__in=REMINDABLE).first())
        if email is None:  # replied, bounced or handled since the list was read
            return None
        answered = Message.objects.filter(thread_id=email.thread_id, source=MessageSource.EMAIL_IN,
                                          created_at__gt=email.created_at).exists() if email.thread_id else False
        if answered:
            _close(email, now, "a reply arrived in the thread")
            return None
        if suppressions.sendable(workspace_id=email.workspace_id, emails=[email.to_email]):
            _close(email, now, "the address bounced or opted out")
            return None
        later = OutboundEmail.objects.filter(thread_id=email.thread_id, to_email__iexact=email.to_email,
                                             created_at__gt=email.created_at).exclude(pk=email.pk).exclude(
            status__in=(EmailStatus.DRAFT, EmailStatus.CANCELLED)).exists() if email.thread_id else False
        if later:
            _close(email, now, "a later email to the same person continues the conversation")
            return None
        follow_up = email.template.follow_up_template if email.template_id else None
        if follow_up is None:
            _close(email, now, "no follow-up template")
            return None
        try:
            booking = booking_of(email.workspace, email.booking_id) if email.booking_id else None
        except NotFound:  # the booking is no longer the workspace's to see
            booking = None
        source = merge_fields.MergeSource(workspace=email.workspace, sender=email.created_by, booking=booking,
                                          texts=(follow_up.body,))
        values = source.for_recipient(contact=email.contact, name=email.to_name)
        from_name, from_email = outbox.sender_for(email.workspace)
        draft = OutboundEmail.objects.create(
            workspace=email.workspace, thread_id=email.thread_id, booking_id=email.booking_id, contact=email.contact,
            template=follow_up, follow_up_of=email, created_by=email.created_by, to_email=email.to_email,
            to_name=email.to_name, from_email=from_email, from_name=from_name, reply_to=email.reply_to,
            subject=_re(email.subject), body_text=merge_fields.render_body(follow_up.body, values),
            status=EmailStatus.DRAFT, header_message_id=make_msgid(domain=from_email.rpartition("@")[2] or "backline"),
            created_at=now)
        OutboundEmail.objects.filter(pk=email.pk).update(follow_up_reminded_at=now)
        audit.record(actor=None, action="outbound_email.follow_up_drafted", obj=draft, workspace_id=email.workspace_id,
                     after={"follow_up_of": email.pk, "template": follow_up.pk})
        days = max(1, (now - email.created_at).days)
        people = _who_to_tell(email)
        if people:
            notify(users=people, type=NotificationType.FOLLOW_UP,
                   title=f"No reply from {email.to_name or email.to_email} in {days} day{'s' if days != 1 else ''}",
                   body=f"“{email.subject}”: a follow-up draft is ready for you to check and send.",
                   url=compose_url(email.workspace.slug, draft=draft.pk), workspace_id=email.workspace_id)
    return draft


def follow_ups_remind(*, now: dt.datetime | None = None) -> int:
    """For every sent email whose follow-up is due with no reply (and not bounced or opted out): a
    follow-up draft from its template's follow-up template, and a ``follow_up`` notification to its
    sender linking to the draft. Each email is handled in its own transaction, once. Answers how many
    drafts were made."""
    now = now or timezone.now()
    due = list(OutboundEmail.objects.filter(follow_up_due_at__lte=now, follow_up_reminded_at__isnull=True,
                                            replied_at__isnull=True, status__in=REMINDABLE)
               .order_by("follow_up_due_at", "id").values_list("pk", flat=True))
    made = 0
    for email_id in due:
        try:
            if _remind_one(email_id, now) is not None:
                made += 1
        except Exception:  # one broken email must not stop everyone else's reminders
            log.exception("follow-up reminder for outbound email %s failed", email_id)
    return made
