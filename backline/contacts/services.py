"""The contacts book: create, edit, delete, tag and merge contacts. Every write checks the caller's
capability (``contacts.manage``), runs in one transaction, locks what it changes and is audited.

The rules for a contact's fields live here once (``clean_contact``) and serve the forms, the API and
the CSV import alike: a name is required; an email must be valid and is unique in the workspace
(case-insensitively; stored lower-case); a phone holds digits, spaces and ``+ - ( ) . /`` only; the
role is one of ``ContactRole``; tags are lower-cased, trimmed, deduplicated and sorted, at most
``MAX_TAGS`` of at most ``MAX_TAG_LENGTH`` characters each, never containing a comma; no field holds a
control character (NUL and the other C0 controls: the notes keep tabs and line breaks, the other
fields fold them into spaces)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backline.accounts.permissions import CONTACTS_MANAGE, access_workspace
from backline.conversations import services as conversations
from backline.conversations.models import Message, ThreadParty
from backline.core import audit
from backline.core.errors import Conflict, Invalid
from backline.core.text import control_error
from backline.mail.models import OutboundEmail
from backline.mail.services import outbox

from .models import Contact, ContactRole
from .permissions import access_contact

CONTACT_FIELDS = ("name", "role", "organisation", "email", "phone", "city", "tags", "notes")
MAX_LENGTHS = {"name": 200, "organisation": 200, "email": 254, "phone": 50, "city": 100, "notes": 5000}
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_TAGS_CHARS = 500  # the stored ",a,b," form (the column's size)
PHONE_CHARS = re.compile(r"^[0-9 +\-().\/]*$")
MIN_PHONE_DIGITS = 3


# --- field rules ------------------------------------------------------------------------------------

def parse_role(value) -> str | None:
    """A role from its value or its label, case-insensitively ("talent_buyer", "Talent buyer",
    "TALENT BUYER"); blank is ``other``; ``None`` when it names no role."""
    text = " ".join(str(value or "").replace("_", " ").split()).lower()
    if not text:
        return ContactRole.OTHER.value
    for choice in ContactRole:
        if text in (choice.value.replace("_", " "), choice.label.lower()):
            return choice.value
    return None


def parse_tags(value) -> tuple[list[str], list[str]]:
    """(tags, errors) from a comma-separated string or a list of tag names."""
    errors: list[str] = []
    if value is None:
        raw: list[str] = []
    elif isinstance(value, str):
        raw = value.split(",")
    else:
        raw = [str(v) for v in value]
        if any("," in v for v in raw):
            errors.append("A tag cannot contain a comma.")
    tags: list[str] = []
    for item in raw:
        if problem := control_error(item):
            errors.append(problem)
            continue
        tag = " ".join(item.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            errors.append(f"The tag “{tag[:MAX_TAG_LENGTH]}…” is longer than {MAX_TAG_LENGTH} characters.")
        elif "," in tag:
            continue  # reported above
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors.append(f"At most {MAX_TAGS} tags ({len(tags)} given).")
    tags.sort()
    if not errors and len(stored_tags(tags)) > MAX_TAGS_CHARS:
        errors.append(f"The tags together are longer than {MAX_TAGS_CHARS} characters.")
    return tags, errors


def stored_tags(tags: Iterable[str]) -> str:
    """The stored form: ",a,b," (sorted), or "" for no tags."""
    tags = sorted(set(tags))
    return f",{','.join(tags)}," if tags else ""


def tag_filter(tag: str) -> Q:
    """Contacts carrying ``tag`` (exactly), on every database."""
    return Q(tags__contains=f",{' '.join(tag.split()).lower()},")


def clean_contact(data: dict, *, partial: bool = False) -> tuple[dict, dict[str, list[str]]]:
    """(cleaned fields, errors by field) for ``data`` (any of ``CONTACT_FIELDS``). Strings are
    trimmed; ``partial`` checks only the fields given (an edit), otherwise a name is required."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in CONTACT_FIELDS:
        if field not in data:
            if not partial and field != "name":
                cleaned[field] = ContactRole.OTHER.value if field == "role" else ""
            elif not partial:
                fail("name", "A name is required.")
            continue
        value = data[field]
        if field == "tags":
            tags, tag_errors = parse_tags(value)
            for message in tag_errors:
                fail("tags", message)
            cleaned["tags"] = stored_tags(tags)
            continue
        text = "" if value is None else str(value)
        if problem := control_error(text):  # NUL cannot be stored (PostgreSQL); no one types the others
            fail(field, problem)
            continue
        text = text.strip() if field == "notes" else " ".join(text.split())
        if field in MAX_LENGTHS and len(text) > MAX_LENGTHS[field]:
            fail(field, f"At most {MAX_LENGTHS[field]} characters ({len(text)} given).")
        if field == "name" and not text:
            fail("name", "A name is required.")
        elif field == "role":
            role = parse_role(text)
            if role is None:
                fail("role", f"“{text[:40]}” is not a role. Use one of: "
                             f"{', '.join(c.label.lower() for c in ContactRole)}.")
            text = role or ""
        elif field == "email" and text:
            text = text.lower()
            try:
                validate_email(text)
            except ValidationError:
                fail("email", f"“{text[:80]}” is not a valid email address.")
        elif field == "phone" and text:
            if not PHONE_CHARS.match(text):
                fail("phone", "A phone number may hold digits, spaces and + - ( ) . / only.")
            elif sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
                fail("phone", f"A phone number needs at least {MIN_PHONE_DIGITS} digits.")
        cleaned[field] = text
    return cleaned, errors


def _checked(data: dict, *, partial: bool = False) -> dict:
    cleaned, errors = clean_contact(data, partial=partial)
    if errors:
        raise Invalid("Please correct the contact's details.", errors=errors)
    return cleaned


def duplicate_of(workspace_id: int, email: str, *, exclude: int | None = None) -> Contact | None:
    """The workspace's contact with this email (case-insensitively), other than ``exclude``."""
    if not email:
        return None
    qs = Contact.objects.filter(workspace_id=workspace_id, email__iexact=email)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("pk").first()


def duplicate_conflict(existing: Contact) -> Conflict:
    return Conflict(f"{existing.email} is already in your contacts as “{existing.name}”.", code="contact_duplicate",
                    conflicting={"type": "contact", "id": existing.pk, "name": existing.name,
                                 "email": existing.email})


def _refuse_duplicate(workspace_id: int, email: str, *, exclude: int | None = None) -> None:
    existing = duplicate_of(workspace_id, email, exclude=exclude)
    if existing is not None:
        raise duplicate_conflict(existing)


def _save(contact: Contact, **kwargs) -> None:
    """Save; a concurrent insert of the same email (the unique constraint) becomes the 409."""
    try:
        with transaction.atomic():
            contact.save(**kwargs)
    except IntegrityError:
        existing = duplicate_of(contact.workspace_id, contact.email, exclude=contact.pk)
        if existing is None:
            raise
        raise duplicate_conflict(existing) from None


def _snapshot(contact: Contact) -> dict:
    return audit.snapshot(contact, CONTACT_FIELDS)


# --- services -----------------------------------------------------------------------------------------

def contact_create(*, actor, workspace_id: int, name: str, **fields) -> Contact:
    """Add a contact to the workspace's book. A contact with the same email already there is a 409
    naming it."""
    audit.check_known_fields(fields, CONTACT_FIELDS)
    with transaction.atomic():
        ws = access_workspace(user=actor, workspace_id=workspace_id, capability=CONTACTS_MANAGE).workspace
        cleaned = _checked({"name": name, **fields})
        _refuse_duplicate(ws.pk, cleaned["email"])
        contact = Contact(workspace=ws, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                          **cleaned)
        _save(contact)
        audit.record(actor=actor, action="contact.created", obj=contact, after=_snapshot(contact), workspace_id=ws.pk)
    return contact


def contact_from_request(*, workspace_id: int, name: str, email: str, tag: str, note: str) -> Contact:
    """The workspace's contact for someone who wrote to it through a public form (no account, so no
    actor): the one with that email if there is one (left as it is), else a new one tagged ``tag`` with
    ``note``. The caller rate-limits the form. Audited with no actor."""
    with transaction.atomic():
        cleaned = _checked({"name": name, "email": email, "tags": [tag], "notes": note})
        existing = duplicate_of(workspace_id, cleaned["email"])
        if existing is not None:
            return existing
        contact = Contact(workspace_id=workspace_id, **cleaned)
        try:
            _save(contact)
        except Conflict:  # the same person a moment ago, in another request
            return duplicate_of(workspace_id, cleaned["email"])
        audit.record(actor=None, action="contact.created", obj=contact, after=_snapshot(contact),
                     workspace_id=workspace_id)
    return contact


def contact_update(*, actor, contact_id: int, **changes) -> Contact:
    """Change some of a contact's fields (only those given); audited with before and after."""
    audit.check_known_fields(changes, CONTACT_FIELDS)
    with transaction.atomic():
        contact = access_contact(user=actor, contact_id=contact_id, capability=CONTACTS_MANAGE, lock=True)
        cleaned = _checked(changes, partial=True)
        if cleaned.get("email"):
            _refuse_duplicate(contact.workspace_id, cleaned["email"], exclude=contact.pk)
        before = _snapshot(contact)
        for field, value in cleaned.items():
            setattr(contact, field, value)
        after = _snapshot(contact)
        if after != before:
            _save(contact)
            audit.record(actor=actor, action="contact.updated", obj=contact, before=before, after=after,
                         workspace_id=contact.workspace_id)
    return contact


def contact_delete(*, actor, contact_id: int) -> None:
    """Delete a contact. Its conversations stay in the workspace's inbox (messages keep the author's
    name and address); it is no longer a party to them."""
    with transaction.atomic():
        contact = access_contact(user=actor, contact_id=contact_id, capability=CONTACTS_MANAGE, lock=True)
        audit.record(actor=actor, action="contact.deleted", obj=contact, before=_snapshot(contact),
                     workspace_id=contact.workspace_id)
        contact.delete()


def contacts_tag(*, actor, workspace_id: int, contact_ids: Iterable[int], add=(), remove=()) -> int:
    """Add and/or remove tags on several of the workspace's contacts at once; answers how many
    changed. Ids of other workspaces' contacts are ignored (they are not in this book)."""
    add_tags, add_errors = parse_tags(add)
    remove_tags, remove_errors = parse_tags(remove)
    if add_errors or remove_errors:
        raise Invalid("Please correct the tags.", errors={k: v for k, v in (("add", add_errors),
                                                                            ("remove", remove_errors)) if v})
    if not add_tags and not remove_tags:
        raise Invalid("Name a tag to add or remove.", errors={"add": ["Name a tag to add or remove."]})
    with transaction.atomic():
        ws = access_workspace(user=actor, workspace_id=workspace_id, capability=CONTACTS_MANAGE).workspace
        contacts = list(Contact.objects.select_for_update().filter(workspace=ws, pk__in=list(contact_ids)).order_by("pk"))
        changed = []
        for contact in contacts:
            tags = (set(contact.tag_list) | set(add_tags)) - set(remove_tags)
            if len(tags) > MAX_TAGS or len(stored_tags(tags)) > MAX_TAGS_CHARS:
                raise Invalid(f"“{contact.name}” would have more than {MAX_TAGS} tags.",
                              errors={"add": [f"“{contact.name}” would have more than {MAX_TAGS} tags."]})
            if stored_tags(tags) != contact.tags:
                contact.tags = stored_tags(tags)
                contact.updated_at = timezone.now()
                changed.append(contact)
        if changed:
            Contact.objects.bulk_update(changed, ["tags", "updated_at"])
            audit.record(actor=actor, action="contacts.tagged", obj=ws, workspace_id=ws.pk,
                         after={"contacts": [c.pk for c in changed], "added": add_tags, "removed": remove_tags})
    return len(changed)


@dataclass(frozen=True)
class MergePlan:
    """What merging ``other`` into ``keep`` does, field by field (shown before the merge)."""

    fields: dict  # field → (keep's value, other's value, the merged value)
    threads: int  # conversations that move
    shared_threads: int  # conversations both are in (the other's place in them goes)
    messages: int
    emails: int


def _merged_fields(keep: Contact, other: Contact) -> tuple[dict, dict[str, list[str]]]:
    merged = {}
    for field in ("name", "organisation", "email", "phone", "city"):
        merged[field] = getattr(keep, field) or getattr(other, field)
    merged["role"] = other.role if keep.role == ContactRole.OTHER and other.role != ContactRole.OTHER else keep.role
    tags, errors = parse_tags([*keep.tag_list, *other.tag_list])
    merged["tags"] = stored_tags(tags)
    notes = [n.strip() for n in (keep.notes, other.notes) if n.strip()]
    if len(notes) == 2 and notes[1] in notes[0]:
        notes = notes[:1]
    # What the other contact knew that does not fit (a second phone, another address) is kept in the notes.
    dropped = [f"{label} {getattr(other, field)}" for field, label in (
        ("name", "name"), ("organisation", "organisation"), ("email", "email"), ("phone", "phone"), ("city", "city"))
        if getattr(other, field) and getattr(keep, field) and getattr(other, field).casefold() != getattr(keep, field).casefold()]
    if dropped:
        notes.append(f"Merged from “{other.name}”: {'; '.join(dropped)}.")
    merged["notes"] = "\n\n".join(notes)
    problems = {"tags": errors} if errors else {}
    if len(merged["notes"]) > MAX_LENGTHS["notes"]:
        problems["notes"] = [f"The notes together are longer than {MAX_LENGTHS['notes']} characters; shorten "
                             "one contact's notes first."]
    return merged, problems


def merge_plan(keep: Contact, other: Contact) -> MergePlan:
    merged, _ = _merged_fields(keep, other)
    shared = set(ThreadParty.objects.filter(contact=keep).values_list("thread_id", flat=True))
    other_threads = set(ThreadParty.objects.filter(contact=other).values_list("thread_id", flat=True))
    return MergePlan(
        fields={f: (getattr(keep, f), getattr(other, f), merged[f]) for f in CONTACT_FIELDS},
        threads=len(other_threads - shared), shared_threads=len(other_threads & shared),
        messages=Message.objects.filter(author_contact=other).count(),
        emails=OutboundEmail.objects.filter(contact=other).count())


def contact_merge(*, actor, contact_id: int, other_id: int) -> Contact:
    """Merge contact ``other_id`` into ``contact_id`` and delete it: fields this contact lacks are
    filled from the other, tags are united, notes joined; the other's conversations, messages and
    emails move here (where both are in one conversation, the other's place in it goes). One
    transaction, audited with both contacts before and the result after."""
    with transaction.atomic():
        keep = access_contact(user=actor, contact_id=contact_id, capability=CONTACTS_MANAGE)
        try:
            other_id = int(other_id)
        except (TypeError, ValueError):
            raise Invalid("Choose the contact to merge.", errors={"other_id": ["Choose the contact to merge."]}) from None
        if other_id == keep.pk:
            raise Invalid("A contact cannot be merged into itself.",
                          errors={"other_id": ["A contact cannot be merged into itself."]})
        # Both rows locked, in id order (two people merging the same pair either way cannot deadlock).
        locked = {c.pk: c for c in Contact.objects.select_for_update().filter(
            pk__in=[keep.pk, other_id], workspace_id=keep.workspace_id).order_by("pk")}
        if other_id not in locked:
            raise Invalid("There is no such contact in this workspace.",
                          errors={"other_id": ["There is no such contact in this workspace."]})
        keep, other = locked[keep.pk], locked[other_id]
        merged, problems = _merged_fields(keep, other)
        if problems:
            raise Invalid("These two contacts cannot be merged as they are.", errors=problems)
        before = {"contact": {"id": keep.pk, **_snapshot(keep)}, "merged": {"id": other.pk, **_snapshot(other)}}

        # each app moves its own rows (ADR 0009); whatever else points at a contact follows it below
        moved = conversations.contact_merged(keep=keep, other=other)
        moved["emails"] = outbox.contact_merged(keep=keep, other=other)
        handled = {(ThreadParty, "contact"), (Message, "author_contact"), (OutboundEmail, "contact")}
        for relation in Contact._meta.related_objects:  # whatever else points at a contact follows it
            if relation.one_to_many and (relation.related_model, relation.field.name) not in handled:
                relation.related_model._base_manager.filter(**{relation.field.name: other}).update(
                    **{relation.field.name: keep})

        other.delete()  # first: the email may move to ``keep`` (unique in the workspace)
        for field, value in merged.items():
            setattr(keep, field, value)
        _save(keep)
        audit.record(actor=actor, action="contact.merged", obj=keep, before=before, workspace_id=keep.workspace_id,
                     after={"contact": {"id": keep.pk, **_snapshot(keep)},
                            "moved": moved})
    return keep


class MailContactBook:
    """The book mail looks senders and recipients up in (``backline.mail.contact_book``, registered in
    ``ContactsConfig.ready``): mail sits below contacts and cannot import it."""

    def get(self, *, workspace_id: int, contact_id: int) -> Contact | None:
        return Contact.objects.filter(workspace_id=workspace_id, pk=contact_id).first()

    def find(self, *, workspace_id: int, email: str) -> Contact | None:
        return Contact.objects.filter(workspace_id=workspace_id, email__iexact=email).order_by("id").first()

    def add(self, *, actor, workspace_id: int, name: str, email: str, notes: str) -> Contact:
        return contact_create(actor=actor, workspace_id=workspace_id, name=name, email=email, notes=notes)
