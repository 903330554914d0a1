"""The contacts book in the browser: the searchable list (with tag chips and a selection to email,
merge or tag several contacts), a contact's page with its whole communication history, the form,
CSV import and export, possible duplicates and the merge. Thin adapters over ``services``,
``csv_files`` and ``selectors``: every change is a service call, every refusal a message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backline.accounts.permissions import CONTACTS_MANAGE, CONTACTS_VIEW, MESSAGES_VIEW, OUTREACH_SEND
from backline.accounts.ui import workspace_view
from backline.core.errors import Conflict, DomainError, Forbidden, Invalid

from . import selectors, services
from .csv_files import (
    ImportRefused,
    contacts_import,
    export_filename,
    export_lines,
    sample_lines,
)
from .forms import ContactForm, ImportForm, MergeForm
from .models import Contact, ContactRole
from .permissions import contact_in_workspace

PER_PAGE = 50
HISTORY_PER_PAGE = 25


def _filters(request) -> dict:
    g = request.GET
    role = g.get("role") if g.get("role") in ContactRole.values else ""
    sort = g.get("sort") if g.get("sort") in selectors.SORTS else "name"
    return {"q": g.get("q", "").strip()[:selectors.MAX_QUERY_LENGTH], "role": role,
            "tag": " ".join(g.get("tag", "").split()).lower()[:40], "sort": sort}


def _query(filters: dict, **changes) -> str:
    """The list's query string with ``changes`` (empty values dropped), for links that keep the filters."""
    merged = {**filters, **changes}
    return urlencode({k: v for k, v in merged.items() if v and not (k == "sort" and v == "name")})


def _compose_url(slug: str, **query) -> str:
    return f"{reverse('outreach_compose', args=[slug])}?{urlencode(query)}"


def _history_links(access, item) -> tuple[str, str]:
    """(the item's own page, its conversation's page): an email opens its tracking page for those who
    send outreach, else its conversation."""
    slug = access.workspace.slug
    thread = reverse("thread_detail", args=[slug, item.thread_id]) if item.thread_id else ""
    if item.kind == "email" and access.can(OUTREACH_SEND):
        return reverse("outreach_email_detail", args=[slug, item.email_id]), thread
    return thread, ""


@workspace_view(CONTACTS_VIEW)
def contact_list(request):
    """The workspace's contacts: search, role and tag filters, sorting, pages of 50; htmx requests get
    the results only."""
    ws, access = request.access.workspace, request.access
    filters = _filters(request)
    qs = selectors.contacts_for(ws.pk, **filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    tags = selectors.tag_counts(ws.pk, limit=40)
    context = {
        "page": page, "filters": filters, "query": _query(filters), "roles": ContactRole.choices,
        "role_label": ContactRole(filters["role"]).label if filters["role"] else "",
        "sorts": list(selectors.SORT_LABELS.items()), "tags": tags,
        "tag_links": [(t, n, _query(filters, tag="" if t == filters["tag"] else t)) for t, n in tags],
        "clear_role": _query(filters, role=""), "clear_tag": _query(filters, tag=""), "clear_q": _query(filters, q=""),
        "can_manage": access.can(CONTACTS_MANAGE), "can_email": access.can(OUTREACH_SEND),
        "filtered": any(filters[k] for k in ("q", "role", "tag")),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "contacts/list.html#results" if partial else "contacts/list.html", context)


@workspace_view(CONTACTS_VIEW)
@require_POST
def contact_selected(request):
    """What to do with the contacts ticked on the list: email them, merge two, add or remove a tag."""
    ws, access = request.access.workspace, request.access
    back = reverse("contact_list", args=[ws.slug]) + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()]
    chosen = list(Contact.objects.filter(workspace=ws, pk__in=ids).order_by("pk").values_list("pk", flat=True))
    action = request.POST.get("action", "")
    if not chosen:
        messages.error(request, "Tick the contacts first.")
        return redirect(back)
    if action == "email":
        if not access.can(OUTREACH_SEND):
            raise Forbidden("Your role does not allow sending outreach email.")
        return redirect(_compose_url(ws.slug, contacts=",".join(map(str, chosen))))
    if action == "merge":
        if not access.can(CONTACTS_MANAGE):
            raise Forbidden("Your role does not allow merging contacts.")
        if len(chosen) != 2:
            messages.error(request, "Tick exactly two contacts to merge.")
            return redirect(back)
        return redirect(reverse("contact_merge", args=[ws.slug, chosen[0]]) + f"?other={chosen[1]}")
    if action in ("tag", "untag"):
        tag = request.POST.get("tag", "")
        try:
            changed = services.contacts_tag(actor=request.user, workspace_id=ws.pk, contact_ids=chosen,
                                            **({"add": tag} if action == "tag" else {"remove": tag}))
        except Invalid as exc:
            messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs) or exc.detail)
        else:
            verb = "Tagged" if action == "tag" else "Untagged"
            messages.success(request, f"{verb} {changed} contact{'s' if changed != 1 else ''}.")
        return redirect(back)
    messages.error(request, "Choose what to do with the ticked contacts.")
    return redirect(back)


@workspace_view(CONTACTS_VIEW)
def contact_detail(request, contact_id):
    """One contact: every field, and its whole communication history with the workspace, newest first."""
    access = request.access
    contact = contact_in_workspace(access, contact_id)
    feed = selectors.contact_history(contact, with_bodies=access.can(MESSAGES_VIEW))
    page = Paginator(feed, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    slug = access.workspace.slug
    history = [(item, *_history_links(access, item), selectors.STATUS_STYLE.get(item.status, "secondary"))
               for item in page]
    can_email = access.can(OUTREACH_SEND) and bool(contact.email)
    return render(request, "contacts/detail.html", {
        "contact": contact, "page": page, "history": history, "can_manage": access.can(CONTACTS_MANAGE),
        "can_email": can_email, "compose_url": _compose_url(slug, contact=contact.pk) if can_email else "",
        "history_visible": access.can(MESSAGES_VIEW)})


def _save_form(request, form: ContactForm, *, contact: Contact | None):
    """Create or update from a valid form; a refusal is shown on the form. The saved contact or None."""
    ws = request.access.workspace
    try:
        if contact is None:
            data = form.changes()
            return services.contact_create(actor=request.user, workspace_id=ws.pk, **data)
        return services.contact_update(actor=request.user, contact_id=contact.pk, **form.changes(contact))
    except Conflict as exc:
        existing = exc.extra.get("conflicting") or {}
        form.add_error("email", exc.detail)
        form.existing = existing
    except DomainError as exc:
        form.add_domain_error(exc)
    return None


@workspace_view(CONTACTS_MANAGE)
def contact_new(request):
    ws = request.access.workspace
    initial = {"email": request.GET.get("email", "")[:254], "name": request.GET.get("name", "")[:200]}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = _save_form(request, form, contact=None)
        if contact is not None:
            messages.success(request, f"{contact.name} added to your contacts.")
            if request.POST.get("another"):
                return redirect("contact_new", ws.slug)
            return redirect("contact_detail", ws.slug, contact.pk)
    return render(request, "contacts/form.html", {"form": form, "contact": None})


@workspace_view(CONTACTS_MANAGE)
def contact_edit(request, contact_id):
    ws = request.access.workspace
    contact = contact_in_workspace(request.access, contact_id)
    form = ContactForm.for_contact(contact, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, contact=contact)
        if saved is not None:
            messages.success(request, f"{saved.name} saved.")
            return redirect("contact_detail", ws.slug, saved.pk)
    return render(request, "contacts/form.html", {"form": form, "contact": contact})


@workspace_view(CONTACTS_MANAGE)
@require_POST
def contact_delete(request, contact_id):
    ws = request.access.workspace
    contact = contact_in_workspace(request.access, contact_id)
    services.contact_delete(actor=request.user, contact_id=contact.pk)
    messages.success(request, f"{contact.name} deleted. Their conversations stay in the inbox.")
    return redirect("contact_list", ws.slug)


# --- CSV ------------------------------------------------------------------------------------------------

@workspace_view(CONTACTS_MANAGE)
def contact_import(request):
    """Upload a CSV file. Every row is checked first; any error and nothing is imported, and the page
    lists the errors row by row."""
    ws = request.access.workspace
    form = ImportForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = contacts_import(actor=request.user, workspace_id=ws.pk, file=upload, filename=upload.name,
                                     on_duplicate=form.cleaned_data["on_duplicate"])
        except ImportRefused as exc:
            refused = exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            parts = [f"{result.created} contact{'s' if result.created != 1 else ''} imported"]
            if result.updated:
                parts.append(f"{result.updated} updated")
            if result.skipped:
                parts.append(f"{result.skipped} already in your contacts skipped")
            note = f" Columns ignored: {', '.join(result.ignored_columns)}." if result.ignored_columns else ""
            messages.success(request, ", ".join(parts) + "." + note)
            return redirect("contact_list", ws.slug)
    return render(request, "contacts/import.html", {
        "form": form, "refused": refused, "errors": refused.rows if refused else [],
        "error_rows": len({e.row for e in refused.rows}) if refused else 0,
        "columns": ["name", "role", "organisation", "email", "phone", "city", "tags", "notes"],
        "roles": ContactRole.choices})


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view(CONTACTS_VIEW)
def contact_export(request):
    """The list as it is filtered, as CSV (streamed)."""
    ws = request.access.workspace
    return _csv_response(export_lines(selectors.contacts_for(ws.pk, **_filters(request))), export_filename(ws))


@workspace_view(CONTACTS_MANAGE)
def contact_import_sample(request):
    return _csv_response(sample_lines(), "contacts-sample.csv")


# --- duplicates and merging -------------------------------------------------------------------------------

@workspace_view(CONTACTS_VIEW)
def contact_duplicates(request):
    ws = request.access.workspace
    return render(request, "contacts/duplicates.html", {
        "groups": selectors.duplicate_groups(ws.pk), "can_manage": request.access.can(CONTACTS_MANAGE)})


@workspace_view(CONTACTS_MANAGE)
def contact_merge(request, contact_id):
    """Merge another contact into this one: choose it (possible duplicates first, or search), see what
    the merge will do field by field, then confirm."""
    ws = request.access.workspace
    keep = contact_in_workspace(request.access, contact_id)
    if request.method == "POST":
        form = MergeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the contact to merge into this one.")
            return redirect("contact_merge", ws.slug, keep.pk)
        other = Contact.objects.filter(pk=form.cleaned_data["other"], workspace=ws).first()
        services.contact_merge(actor=request.user, contact_id=keep.pk, other_id=form.cleaned_data["other"])
        messages.success(request, f"Merged {other.name if other else 'the contact'} into {keep.name}.")
        return redirect("contact_detail", ws.slug, keep.pk)
    other = None
    other_id = request.GET.get("other", "")
    if other_id.isdigit() and int(other_id) != keep.pk:
        other = Contact.objects.filter(pk=int(other_id), workspace=ws).first()
    q = request.GET.get("q", "").strip()[:selectors.MAX_QUERY_LENGTH]
    candidates = []
    if other is None:
        candidates = selectors.merge_candidates(keep)
        if q:
            candidates = list(selectors.contacts_for(ws.pk, q=q).exclude(pk=keep.pk)[:20])
    plan = services.merge_plan(keep, other) if other else None
    rows = []
    if plan:
        labels = {"name": "Name", "role": "Role", "organisation": "Organisation", "email": "Email", "phone": "Phone",
                  "city": "City", "tags": "Tags", "notes": "Notes"}
        for field, (mine, theirs, merged) in plan.fields.items():
            if field == "tags":
                mine, theirs, merged = (", ".join(t for t in v.split(",") if t) for v in (mine, theirs, merged))
            if field == "role":
                mine, theirs, merged = (ContactRole(v).label for v in (mine, theirs, merged))
            rows.append((labels[field], mine, theirs, merged, merged != mine))
    return render(request, "contacts/merge.html", {
        "keep": keep, "other": other, "plan": plan, "rows": rows, "candidates": candidates, "q": q})
