"""Outreach pages: the sent emails with their live status, one email's timeline, composing with a
preview of what each recipient gets, the templates, and the sender identity. Thin adapters: every rule
is in ``outreach`` and comes back as a message or a form error."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from backline.accounts.permissions import OUTREACH_MANAGE, OUTREACH_SEND
from backline.accounts.ui import workspace_view
from backline.contacts.models import Contact
from backline.core.errors import DomainError, Invalid, NotFound, RateLimited
from backline.core.markdown import render_markdown
from backline.mail.models import EmailStatus
from backline.mail.services import outbox, senders

from . import merge_fields, selectors
from .forms import ComposeForm, SenderForm, TemplateForm
from .permissions import access_email, access_template, booking_of
from .services import email_templates, sending

PER_PAGE = 50
POLL_SECONDS = 7
FINAL = {EmailStatus.REPLIED, EmailStatus.BOUNCED, EmailStatus.COMPLAINED, EmailStatus.FAILED, EmailStatus.CANCELLED}
CONTACT_CHOICES_MAX = 2000


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _ids(value: str) -> list[int]:
    return [int(v) for v in (value or "").replace(" ", "").split(",") if v.isdigit()][:sending.MAX_RECIPIENTS]


def _minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _thread_link(slug: str, thread_id: int | None) -> str:
    if not thread_id:
        return ""
    try:
        return reverse("thread_detail", args=[slug, thread_id])
    except NoReverseMatch:  # the conversations pages are not installed
        return ""


def _page(request, template: str, context: dict, status: int = 200):
    context.setdefault("can_manage_outreach", request.access.can(OUTREACH_MANAGE))
    return render(request, template, context, status=status)


def _badged(emails):
    for e in emails:
        e.badge = selectors.BADGE.get(e.status, "")
    return emails


def _errors_text(exc: DomainError) -> str:
    errors = getattr(exc, "errors", None) or {}
    return " ".join(m for msgs in errors.values() for m in msgs) or exc.detail


# --- sent emails ---------------------------------------------------------------------------------------

def _list_filters(request) -> dict:
    g = request.GET
    status = [s for s in g.getlist("status") if s in EmailStatus.values]
    return {"status": status, "template_id": _int(g.get("template")), "recipient": g.get("q", "").strip()[:100],
            "booking_id": _int(g.get("booking"))}


def _with_rows(request) -> str:
    pairs = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "rows"]
    return urlencode([*pairs, ("rows", "1")])


@workspace_view(OUTREACH_SEND)
def email_list(request):
    """Every outreach email of the workspace with its status; htmx polls the rows while any can change."""
    ws = request.access.workspace
    filters = _list_filters(request)
    page = Paginator(selectors.emails_for(ws, **filters), PER_PAGE).get_page(request.GET.get("page"))
    rows = _badged(list(page))
    context = {
        "page": page, "rows": rows, "filters": filters, "badge": selectors.BADGE,
        "live": any(e.status not in FINAL and e.status != EmailStatus.DRAFT for e in rows), "poll_seconds": POLL_SECONDS,
        "query": urlencode([(k, v) for k in request.GET for v in request.GET.getlist(k) if k not in ("page", "rows")]),
        "rows_url": f"{request.path}?{_with_rows(request)}",
    }
    counts = selectors.status_counts(ws)
    context.update({
        "counts": [(value, label, counts.get(value, 0)) for value, label in EmailStatus.choices
                   if counts.get(value) or value in filters["status"]],
        "total": sum(counts.values()), "drafts": counts.get(EmailStatus.DRAFT, 0),
    })
    if request.htmx and not request.htmx.history_restore_request and request.GET.get("rows"):
        return _page(request, "outreach/_email_poll.html", context)
    email_templates.templates_seed(workspace=ws)
    context.update({
        "templates": list(selectors.templates_for(ws, archived=None).values_list("pk", "name")),
        "can_manage": request.access.can(OUTREACH_MANAGE),
        "allowance": outbox.hourly_allowance(workspace_id=ws.pk),
    })
    return _page(request, "outreach/emails.html", context)


@workspace_view(OUTREACH_SEND)
def email_detail(request, email_id):
    ws = request.access.workspace
    email = selectors.email_detail(access_email(user=request.user, email_id=email_id, workspace_id=ws.pk).email)
    _badged([email])
    body_html = email.message.body_html if email.message_id else render_markdown(email.body_text)
    context = {
        "email": email, "badge": selectors.BADGE, "progress": selectors.progress_of(email), "body_html": body_html,
        "events": list(email.events.all()), "follow_ups": list(email.follow_ups.exclude(status=EmailStatus.CANCELLED)),
        "thread_url": _thread_link(ws.slug, email.thread_id), "live": email.status not in FINAL,
        "poll_seconds": POLL_SECONDS,
        "compose_draft_url": sending.compose_url(ws.slug, draft=email.pk) if email.status == EmailStatus.DRAFT else "",
        "booking_url": reverse("booking_detail", args=[ws.slug, email.booking_id]) if email.booking_id else "",
    }
    if request.htmx and not request.htmx.history_restore_request and request.GET.get("status"):
        return _page(request, "outreach/email_detail.html#status", context)
    return _page(request, "outreach/email_detail.html", context)


@workspace_view(OUTREACH_SEND)
@require_POST
def draft_discard(request, email_id):
    ws = request.access.workspace
    try:
        sending.draft_discard(actor=request.user, email_id=email_id, workspace_id=ws.pk)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.detail)
        return redirect("outreach_email_detail", ws.slug, email_id)
    messages.success(request, "Draft discarded: no follow-up for this email.")
    return redirect(reverse("outreach_email_list", args=[ws.slug]) + "?status=draft")


# --- compose -----------------------------------------------------------------------------------------------

def _compose_choices(ws, *, chosen_contacts: list[int], draft=None):
    templates = list(selectors.templates_for(ws))
    if draft is not None and draft.template_id and all(t.pk != draft.template_id for t in templates):
        templates += [draft.template]
    contacts = list(Contact.objects.filter(workspace=ws).exclude(email="").order_by("name", "id")
                    .values_list("pk", "name", "email", "organisation")[:CONTACT_CHOICES_MAX])
    have = {c[0] for c in contacts}
    missing = [i for i in chosen_contacts if i not in have]
    if missing:
        contacts += list(Contact.objects.filter(workspace=ws, pk__in=missing)
                         .values_list("pk", "name", "email", "organisation"))
    return ([(t.pk, t.name) for t in templates],
            [(pk, f"{name} <{email}>" + (f" · {org}" if org else "") if email else f"{name} (no email)")
             for pk, name, email, org in contacts], templates)


def _initial(request, ws) -> tuple[dict, object, object]:
    """The compose form's starting values from the query: ?template, ?contact, ?contacts, ?booking, ?draft."""
    g = request.GET
    draft = None
    if _int(g.get("draft")):
        draft = access_email(user=request.user, email_id=_int(g.get("draft")), workspace_id=ws.pk).email
        if draft.status != EmailStatus.DRAFT:
            raise Invalid("That draft has already been sent or discarded.")
    booking = booking_of(ws, _int(g.get("booking")) or (draft.booking_id if draft else None))
    contacts = [i for value in g.getlist("contacts") for i in _ids(value)]
    contacts += [i for i in (_int(v) for v in g.getlist("contact")) if i]
    contacts = list(dict.fromkeys(contacts))[:sending.MAX_RECIPIENTS]
    template = None
    chosen = _int(g.get("template"))
    template_id = chosen or (draft.template_id if draft else None)
    if template_id:
        template = access_template(user=request.user, template_id=template_id, workspace_id=ws.pk).template
    initial = {"booking": booking.pk if booking else None, "draft": draft.pk if draft else None,
               "template": template.pk if template else None, "contacts": contacts, "to": g.get("to", "")}
    if draft is not None and not contacts and not initial["to"]:
        if draft.contact_id:
            initial["contacts"] = [draft.contact_id]
        else:
            initial["to"] = f"{draft.to_name} <{draft.to_email}>" if draft.to_name else draft.to_email
    if draft is not None and (not chosen or chosen == draft.template_id):
        initial.update(subject=draft.subject, body=draft.body_text)
    elif template is not None:
        initial.update(subject=template.subject, body=template.body)
    else:  # a blank email started elsewhere with words of its own (a green date's pitch)
        initial.update(subject=g.get("subject", "")[:200], body=g.get("body", "")[:10000])
    if booking is not None and not initial["contacts"] and not initial["to"] and booking.contact_email:
        initial["to"] = f"{booking.contact_name} <{booking.contact_email}>" if booking.contact_name else booking.contact_email
    return initial, booking, draft


def _recipients(form) -> list[sending.Recipient]:
    d = form.cleaned_data
    return [sending.Recipient(contact_id=c) for c in d.get("contacts") or []] + sending.parse_addresses(d.get("to", ""))


def _service_args(form) -> dict:
    d = form.cleaned_data
    return {"subject": d.get("subject") or "", "body": d.get("body") or "", "booking_id": d.get("booking"),
            "template_id": d.get("template"), "draft_id": d.get("draft")}


PREVIEWS_SHOWN = 10


def _compose_context(request, ws, form, *, booking, draft, templates, composition=None, preview_error=None,
                     no_recipients=False) -> dict:
    previews, signature_html = [], ""
    if composition is not None:
        previews = [{"out": o, "html": merge_fields.preview_html(composition.body, o.values)}
                    for o in composition.outgoing[:PREVIEWS_SHOWN]]
        signature_html = render_markdown(composition.sender.signature) if composition.sender.signature else ""
    return {
        "form": form, "booking": booking, "draft": draft, "fields": merge_fields.FIELDS,
        "composition": composition, "preview_error": preview_error, "no_recipients": no_recipients,
        "previews": previews, "hidden_previews": max(0, len(composition.outgoing) - PREVIEWS_SHOWN) if composition else 0,
        "signature_html": signature_html, "retry_minutes": max(1, math.ceil(composition.retry_after / 60))
        if composition else 0, "templates": templates,
        "booking_url": reverse("booking_detail", args=[ws.slug, booking.pk]) if booking else "",
        "refused_shown": bool(composition and composition.refused) or bool(form.data.get("skip_refused")),
        "sample": None if composition is not None else _compose_sample(request, ws, form),
    }


def _compose_sample(request, ws, form) -> dict | None:
    """Before there is a recipient: the email with example values, so its merge fields read as they will
    (each recipient gets their own); the act's own name where the workspace is an act."""
    data = form.data if form.is_bound else form.initial
    subject, body = data.get("subject", "") or "", data.get("body", "") or ""
    if not (subject or body) or merge_fields.unknown_in(subject) or merge_fields.unknown_in(body):
        return None
    values = merge_fields.sample_values(workspace=ws.name, sender=request.user.get_full_name())
    if ws.kind == "act":
        values.values["act"] = ws.name
    return {"subject": merge_fields.render_subject(subject, values), "html": merge_fields.preview_html(body, values),
            "has_fields": bool(merge_fields.fields_in(subject + body))}


def _bound_form(request, ws):
    """The compose form bound to the POST, with its choices (and the booking and draft it names)."""
    post = request.POST
    contact_ids = [i for i in (_int(v) for v in post.getlist("contacts")) if i]
    draft = None
    if _int(post.get("draft")):
        draft = access_email(user=request.user, email_id=_int(post.get("draft")), workspace_id=ws.pk).email
    template_choices, contact_choices, templates = _compose_choices(ws, chosen_contacts=contact_ids, draft=draft)
    form = ComposeForm(post, template_choices=template_choices, contact_choices=contact_choices)
    booking = booking_of(ws, _int(post.get("booking")))
    return form, booking, draft, templates


@workspace_view(OUTREACH_SEND)
def compose(request):
    """Write an email from a template (or blank) to contacts, a booking's contact or typed addresses;
    preview it; send it. After sending: the conversation (one recipient) or the sent list."""
    ws = request.access.workspace
    email_templates.templates_seed(workspace=ws)
    if request.method != "POST":
        try:
            initial, booking, draft = _initial(request, ws)
        except Invalid as exc:
            messages.error(request, exc.detail)
            return redirect(reverse("outreach_email_list", args=[ws.slug]) + "?status=draft")
        template_choices, contact_choices, templates = _compose_choices(ws, chosen_contacts=initial["contacts"],
                                                                        draft=draft)
        form = ComposeForm(initial=initial, template_choices=template_choices, contact_choices=contact_choices)
        return _page(request, "outreach/compose.html",
                     _compose_context(request, ws, form, booking=booking, draft=draft, templates=templates))
    form, booking, draft, templates = _bound_form(request, ws)
    status = 200
    composition = None
    if form.is_valid():
        try:
            recipients = _recipients(form)
            emails = sending.outreach_send(actor=request.user, workspace_id=ws.pk, recipients=recipients,
                                            skip_refused=form.cleaned_data.get("skip_refused", False),
                                            **_service_args(form))
        except RateLimited as exc:
            form.add_error(None, f"{exc.detail} Nothing was sent.")
            status = 429
        except Invalid as exc:
            form.add_domain_error(_for_form(exc))
            status = 422
            if exc.code == "recipients_refused":
                try:
                    composition = sending.outreach_prepare(actor=request.user, workspace_id=ws.pk,
                                                            recipients=recipients, **_service_args(form))
                except DomainError:
                    composition = None
        else:
            count = len(emails)
            messages.success(request, f"Sent {count} email{'s' if count != 1 else ''}. "
                                      "Their status updates here as the provider reports it.")
            if count == 1:
                thread = _thread_link(ws.slug, emails[0].thread_id)
                if thread:
                    return redirect(thread)
                return redirect("outreach_email_detail", ws.slug, emails[0].pk)
            return redirect("outreach_email_list", ws.slug)
    else:
        status = 422
    return _page(request, "outreach/compose.html",
                 _compose_context(request, ws, form, booking=booking, draft=draft, templates=templates,
                                  composition=composition), status=status)


def _for_form(exc: Invalid) -> Invalid:
    """Service field names onto the compose form's: recipients → to, template_id → template."""
    rename = {"recipients": "to", "template_id": "template", "to_email": "to"}
    errors = {}
    for key, msgs in (exc.errors or {}).items():
        target = rename.get(key.split(".")[-1], key.split(".")[-1])
        errors.setdefault(target, []).extend(msgs)
    return Invalid(exc.detail, errors=errors, code=exc.code)


@workspace_view(OUTREACH_SEND)
@require_POST
def preview(request):
    """The email as each recipient will get it (htmx: the preview pane alone; otherwise the compose page
    with the preview filled in)."""
    ws = request.access.workspace
    form, booking, draft, templates = _bound_form(request, ws)
    composition, error, no_recipients = None, None, False
    if form.is_valid():
        try:
            composition = sending.outreach_prepare(actor=request.user, workspace_id=ws.pk, recipients=_recipients(form),
                                                    **_service_args(form))
        except Invalid as exc:
            no_recipients = exc.errors.get("recipients") == [sending.NO_RECIPIENTS]
            error = "Add a recipient to see the email as they will get it." if no_recipients else _errors_text(exc)
    else:
        error = " ".join(m for msgs in form.errors.values() for m in msgs)
    context = _compose_context(request, ws, form, booking=booking, draft=draft, templates=templates,
                               composition=composition, preview_error=error, no_recipients=no_recipients)
    if request.htmx and not request.htmx.history_restore_request:
        return _page(request, "outreach/_preview.html", context)
    return _page(request, "outreach/compose.html", context)


# --- templates ---------------------------------------------------------------------------------------------

@workspace_view(OUTREACH_SEND)
def template_list(request):
    ws = request.access.workspace
    email_templates.templates_seed(workspace=ws)
    archived = request.GET.get("archived") == "1"
    templates = list(selectors.templates_for(ws, archived=archived).annotate(sent=Count("emails")))
    return _page(request, "outreach/templates.html", {
        "templates": templates, "archived": archived, "can_manage": request.access.can(OUTREACH_MANAGE),
        "archived_count": selectors.templates_for(ws, archived=True).count() if not archived else len(templates)})


def _follow_up_choices(ws, template=None):
    qs = selectors.templates_for(ws).exclude(pk=template.pk if template else None)
    return [(t.pk, t.name) for t in qs]


def _template_page(request, form, template=None, status=200):
    ws = request.access.workspace
    return _page(request, "outreach/template_form.html", {
        "form": form, "template": template, "fields": merge_fields.FIELDS,
        "sample": _sample_preview(request, form), "compose_url": sending.compose_url(ws.slug, template=template.pk)
        if template else ""}, status)


def _sample_preview(request, form) -> dict:
    """The template filled with example values, and its unknown fields (the editor's preview)."""
    data = form.data if form.is_bound else form.initial
    subject, body = data.get("subject", "") or "", data.get("body", "") or ""
    values = merge_fields.sample_values(workspace=request.access.workspace.name, sender=request.user.get_full_name())
    unknown = merge_fields.unknown_in(subject) + merge_fields.unknown_in(body)
    return {"subject": merge_fields.render_subject(subject, values), "html": merge_fields.preview_html(body, values),
            "unknown": merge_fields.unknown_message(list(dict.fromkeys(unknown))) if unknown else ""}


@workspace_view(OUTREACH_MANAGE)
def template_new(request):
    ws = request.access.workspace
    form = TemplateForm(request.POST or None, follow_up_choices=_follow_up_choices(ws), initial={"kind": "custom"})
    if request.method == "POST" and form.is_valid():
        try:
            template = email_templates.template_create(actor=request.user, workspace_id=ws.pk, **form.service_values())
        except Invalid as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Template “{template.name}” saved.")
            return redirect("outreach_template_list", ws.slug)
    return _template_page(request, form, status=422 if request.method == "POST" else 200)


@workspace_view(OUTREACH_MANAGE)
def template_edit(request, template_id):
    ws = request.access.workspace
    template = access_template(user=request.user, template_id=template_id, workspace_id=ws.pk,
                               capability=OUTREACH_MANAGE).template
    initial = {"name": template.name, "kind": template.kind, "subject": template.subject, "body": template.body,
               "follow_up_days": template.follow_up_days, "follow_up_template": template.follow_up_template_id}
    form = TemplateForm(request.POST or None, initial=initial, follow_up_choices=_follow_up_choices(ws, template))
    if request.method == "POST" and form.is_valid():
        try:
            template = email_templates.template_update(actor=request.user, template_id=template.pk, **form.service_values())
        except Invalid as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Template “{template.name}” saved.")
            return redirect("outreach_template_list", ws.slug)
    return _template_page(request, form, template, status=422 if request.method == "POST" else 200)


@workspace_view(OUTREACH_MANAGE)
@require_POST
def template_preview(request):
    """The editor's live preview with example values (htmx)."""
    form = TemplateForm(request.POST)
    return render(request, "outreach/_template_sample.html", {"sample": _sample_preview(request, form)})


@workspace_view(OUTREACH_MANAGE)
@require_POST
def template_archive(request, template_id):
    ws = request.access.workspace
    access_template(user=request.user, template_id=template_id, workspace_id=ws.pk, capability=OUTREACH_MANAGE)
    restore = request.POST.get("restore") == "1"
    template = email_templates.template_archive(actor=request.user, template_id=template_id, archived=not restore)
    messages.success(request, f"“{template.name}” {'restored' if restore else 'archived'}.")
    return redirect(reverse("outreach_template_list", args=[ws.slug]) + ("" if restore else "?archived=0"))


@workspace_view(OUTREACH_MANAGE)
@require_POST
def template_duplicate(request, template_id):
    ws = request.access.workspace
    access_template(user=request.user, template_id=template_id, workspace_id=ws.pk, capability=OUTREACH_MANAGE)
    copy = email_templates.template_duplicate(actor=request.user, template_id=template_id)
    messages.success(request, f"Copied as “{copy.name}”.")
    return redirect("outreach_template_edit", ws.slug, copy.pk)


# --- sender identity -----------------------------------------------------------------------------------------

@workspace_view(OUTREACH_MANAGE)
def sender(request):
    ws = request.access.workspace
    current = senders.sender_identity_of(ws)
    form = SenderForm(request.POST or None, initial={
        "from_name": current.from_name, "from_email": current.from_email, "signature": current.signature,
        "hourly_limit": current.hourly_limit})
    if request.method == "POST" and form.is_valid():
        try:
            senders.sender_identity_set(actor=request.user, workspace_id=ws.pk, **form.cleaned_data)
        except Invalid as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Sender identity saved: new emails go out with it.")
            return redirect("outreach_sender", ws.slug)
    remaining, wait = outbox.hourly_allowance(workspace_id=ws.pk)
    return _page(request, "outreach/sender.html", {
        "form": form, "current": current, "remaining": remaining, "wait": _minutes(wait) if wait else "",
        "signature_html": render_markdown(current.signature) if current.signature else ""},
        422 if request.method == "POST" and form.errors else 200)

