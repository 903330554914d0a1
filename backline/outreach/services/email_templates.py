"""A workspace's outreach templates: seeded with good defaults, created, changed, archived and
duplicated; merge fields and follow-up chains are checked when a template is saved."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from backline.accounts.models import Workspace
from backline.accounts.permissions import OUTREACH_MANAGE, access_workspace
from backline.core import audit
from backline.core.errors import Invalid
from backline.core.text import breaks_line, control_error

from .. import merge_fields
from ..default_templates import FIRST_PITCH_FOLLOW_UP_DAYS, defaults_for
from ..models import EmailTemplate, TemplateKind
from ..permissions import access_template

FOLLOW_UP_MAX_DAYS = 90
TEMPLATE_FIELDS = ("name", "kind", "subject", "body", "follow_up_days", "follow_up_template_id", "is_archived")



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
    elif breaks_line(name):
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
    elif breaks_line(subject):
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


def refuse(errors: dict[str, list[str]]) -> None:
    """Raise ``Invalid`` naming the first problem, when there are any."""
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
        refuse(_template_errors(access.workspace.pk, data, None))
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
        refuse(_template_errors(template.workspace_id, data, template))
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
