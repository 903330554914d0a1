"""The workspace inbox and its conversations, on the web. Thin adapters over ``services`` (writes) and
``selectors`` (reads): one URL answers a full page or, to htmx, the fragment it needs.

Live updates: the thread page polls ``thread_messages`` every 4 s for messages after the last one it
shows and appends them; the inbox list and the nav badge refresh every 15 s. A poll from someone who
is logged out or lost access answers 286, which stops htmx polling."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, MESSAGES_SEND, MESSAGES_VIEW, OUTREACH_MANAGE, OUTREACH_SEND
from backline.accounts.ui import workspace_view
from backline.bookings.models import Booking
from backline.bookings.permissions import ACT_HIDDEN, act_sees, act_sees_q
from backline.bookings.selectors import asked_whom
from backline.core.errors import DomainError, Forbidden, Invalid, NotFound, RateLimited

from . import selectors
from . import services as threads
from .attachments import ACCEPT, NAMES
from .forms import DirectThreadForm, InternalThreadForm, MessageForm, PartyForm, SupportThreadForm
from .inbox_mail import inbox_mail
from .models import Attachment, ThreadKind
from .permissions import ThreadAccess, access_thread, booking_party_ids, internal_member_ids

STOP_POLLING = 286  # htmx stops polling an element that gets this status
LIST_SIZE = 30
KINDS = [("", "All"), *ThreadKind.choices]


def _poll(capability: str):
    """A polled fragment: like ``workspace_view``, but a logged-out visitor or a lost membership answers
    286 to htmx (polling stops) instead of a log-in page swapped into the fragment."""

    def decorator(view):
        checked = workspace_view(capability)(view)

        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if request.htmx and not request.user.is_authenticated:
                return HttpResponse(status=STOP_POLLING)
            try:
                return checked(request, slug, *args, **kwargs)
            except (NotFound, Forbidden):
                if request.htmx:
                    return HttpResponse(status=STOP_POLLING)
                raise

        return wrapper

    return decorator


def _access(request, thread_id: int, capability: str = MESSAGES_VIEW) -> ThreadAccess:
    """The thread as seen from the workspace in the URL (a thread it is not a party to is 404)."""
    return access_thread(user=request.user, thread_id=thread_id, capability=capability,
                         workspace_id=request.access.workspace.pk, memberships=request.my_memberships)


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _filters(request, *, default_kind: str = "") -> dict:
    g = request.GET
    kind = g.get("kind", default_kind)  # "kind=" (All) chosen on a page whose list defaults to one kind
    kind = kind if kind in ThreadKind.values else ""
    unread = g.get("unread") == "1"
    q = (g.get("q") or "").strip()[:100]
    return {"kind": kind, "unread": unread, "q": q}


def _thread_list(request, filters: dict, *, limit: int | None = None, page: str | None = None):
    qs = selectors.threads_for_workspace(user=request.user, workspace=request.access.workspace,
                                         kind=filters["kind"] or None, unread=True if filters["unread"] else None,
                                         q=filters["q"] or None)
    if limit is not None:
        return list(qs[:limit]), None
    paged = Paginator(qs, 50).get_page(page)
    return list(paged), paged


def _list_context(request, filters, threads_, paged, current=None) -> dict:
    query = {k: v for k, v in (("kind", filters["kind"]), ("unread", "1" if filters["unread"] else ""),
                               ("q", filters["q"])) if v}
    ws_pk = request.access.workspace.pk
    for t in threads_:
        t.others = ", ".join(p.workspace.name if p.workspace else (p.contact.name or p.contact.email)
                             for p in t.parties.all() if p.workspace_id != ws_pk)
        t.preview = selectors.plain_preview(t.last_body)
        t.email_status_label = inbox_mail().status_label(t.email_status) if t.email_status else ""
    return {"threads": threads_, "page": paged, "filters": filters, "kinds": KINDS, "current_thread": current,
            "current_id": _int(request.GET.get("current")), "today": timezone.localdate().strftime("%Y%m%d"),
            "query": urlencode(query), "can_send": request.access.can(MESSAGES_SEND)}


@workspace_view(MESSAGES_VIEW)
def thread_inbox(request):
    """Every conversation of the workspace, newest first: filter by kind and unread, search by subject
    or party. htmx gets the list alone (filters, search, and the 15 s refresh)."""
    filters = _filters(request)
    threads_, paged = _thread_list(request, filters, page=request.GET.get("page"))
    context = _list_context(request, filters, threads_, paged)
    if request.htmx and request.htmx.target in ("thread-list", "thread-list-items"):
        return render(request, "conversations/_list.html", context)
    if request.access.can(OUTREACH_MANAGE):  # incoming mail held for review is theirs to decide
        context["held"] = inbox_mail().held_count(request.access.workspace)
    return render(request, "conversations/inbox.html", context)


@_poll(MESSAGES_VIEW)
def thread_inbox_badge(request):
    """The Inbox nav item's unread badge (threads with something unread), refreshed by htmx."""
    count = selectors.unread_threads_count(user=request.user, workspace=request.access.workspace)
    return render(request, "conversations/_badge.html", {"count": count, "cap": selectors.BADGE_CAP})


def _detail_context(request, ta: ThreadAccess, *, form=None, before: int | None = None,
                    default_kind: str = "") -> dict:
    shown, earlier = selectors.latest_messages(ta, before=before)
    filters = _filters(request, default_kind=default_kind)
    others, _ = _thread_list(request, filters, limit=LIST_SIZE)
    thread = ta.thread
    booking = thread.booking if thread.booking_id else None
    return {
        **_list_context(request, filters, others, None, current=thread),
        "thread": thread, "ta": ta, "messages_shown": shown, "earlier": earlier,
        "last_id": shown[-1].pk if shown else 0, "first_id": shown[0].pk if shown else 0,
        "polling": before is None, "before": before,
        "parties": ta.parties, "booking": booking, "form": form or MessageForm(),
        "can_send": ta.can(MESSAGES_SEND), "accept": ACCEPT, "allowed_names": NAMES,
        "can_add_party": ta.can(MESSAGES_SEND) and thread.kind in (ThreadKind.DIRECT, ThreadKind.SUPPORT),
        "act_pending": bool(thread.kind == ThreadKind.BOOKING and booking and booking.act_id
                            and not act_sees(booking)),
        "party_form": PartyForm(),
        "booking_visible": bool(booking and ta.workspace.pk in booking_party_ids(booking)),
        "reply_url": _email_reply_url(ta),
        "inquiry_url": reverse("thread_inquiry", args=[ta.workspace.slug, thread.pk]) if _can_inquire(ta) else "",
        "internal_people": selectors.people_by_id(internal_member_ids(thread)) if thread.kind == ThreadKind.INTERNAL else [],
    }


def _buyer_parties(ta: ThreadAccess) -> list[int]:
    """The venues' and promoters' workspaces in the conversation, besides the person's own."""
    return [p.workspace_id for p in ta.parties if p.workspace_id and p.workspace_id != ta.workspace.pk
            and p.workspace.kind in (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)]


def _can_inquire(ta: ThreadAccess) -> bool:
    """An act's member who may send inquiries, in a direct conversation with a venue or promoter that is
    not about a booking yet."""
    return (ta.thread.kind == ThreadKind.DIRECT and not ta.thread.booking_id and ta.workspace.kind == WorkspaceKind.ACT
            and ta.can(BOOKINGS_MANAGE) and bool(_buyer_parties(ta)))


def _email_reply_url(ta: ThreadAccess) -> str:
    """An email thread: where to write the contact an email (outreach compose, the thread continues)."""
    contact = next((p.contact for p in ta.parties if p.contact_id), None)
    if ta.thread.kind != ThreadKind.EMAIL or contact is None or not ta.can(OUTREACH_SEND) or not contact.email:
        return ""
    url = reverse("outreach_compose", args=[ta.workspace.slug])
    query = {"contact": contact.pk, **({"booking": ta.thread.booking_id} if ta.thread.booking_id else {})}
    return f"{url}?{urlencode(query)}"


@workspace_view(MESSAGES_VIEW)
def thread_detail(request, thread_id):
    """One conversation: its messages (the latest 50; earlier ones on request), its parties, the
    composer. Opening it marks it read."""
    ta = _access(request, thread_id)
    before = _int(request.GET.get("before"))
    threads.thread_mark_read(actor=request.user, access=ta)
    context = _detail_context(request, ta, before=before)
    if request.htmx and request.htmx.target == "thread-list":
        return render(request, "conversations/_list.html", context)
    return render(request, "conversations/detail.html", context)


def _new_messages(request, ta: ThreadAccess, after: int | None) -> list:
    qs = selectors.messages_for(ta, after=after)
    return list(qs[:200])


def _email_statuses(ta: ThreadAccess, since: int | None) -> list[dict]:
    """An email thread's outreach emails shown on the page (messages from ``since`` on) and their status
    now, so the page's badges follow sent → delivered → opened → replied without a reload. One query."""
    if ta.thread.kind != ThreadKind.EMAIL or not since:
        return []
    label = inbox_mail().status_label
    return [{"message_id": m, "status": s, "label": label(s) or s}
            for m, s in inbox_mail().statuses(ta.thread, since, ta.party.joined_at)]


@_poll(MESSAGES_VIEW)
def thread_messages(request, thread_id):
    """The messages after ``after`` (a message id), for the thread page's 4-second poll: only the new
    ones, appended (and, in an email thread, the current status of the emails shown since ``since``);
    204 when there is nothing. Delivered messages count as read (the thread is open)."""
    ta = _access(request, thread_id)
    after = _int(request.GET.get("after")) or 0
    since = _int(request.GET.get("since"))
    rows = _new_messages(request, ta, after)
    statuses = _email_statuses(ta, since)
    if not rows and not statuses and request.htmx:
        return HttpResponse(status=204)
    if rows:
        threads.thread_mark_read(actor=request.user, access=ta)
    return render(request, "conversations/_poll.html", {
        "thread": ta.thread, "rows": rows, "last_id": rows[-1].pk if rows else after,
        "first_id": since or (rows[0].pk if rows else 0),
        "statuses": statuses, "oob": True})


@workspace_view(MESSAGES_SEND)
@require_POST
def thread_post(request, thread_id):
    """Write in the conversation. To htmx: the new messages (yours included), a fresh composer, the
    poller moved on; a refusal is 422 with the composer showing why, and nothing is written."""
    ta = _access(request, thread_id, MESSAGES_SEND)
    form = MessageForm(request.POST, request.FILES)
    after = _int(request.POST.get("after")) or 0
    status = 200
    if form.is_valid():
        try:
            threads.message_post(actor=request.user, thread_id=ta.thread.pk, body=form.cleaned_data["body"],
                                 files=request.FILES.getlist("files"), workspace_id=ta.workspace.pk)
        except Invalid as exc:
            form.add_domain_error(exc)
            status = 422
        else:
            form = MessageForm()
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            return redirect(reverse("thread_detail", args=[request.access.workspace.slug, ta.thread.pk]) + "#latest")
        return render(request, "conversations/detail.html", _detail_context(request, ta, form=form), status=status)
    rows = _new_messages(request, ta, after) if status == 200 else []
    return render(request, "conversations/_posted.html", {
        "thread": ta.thread, "rows": rows, "last_id": rows[-1].pk if rows else after, "form": form,
        "first_id": _int(request.POST.get("since")) or (rows[0].pk if rows else 0),
        "can_send": True, "accept": ACCEPT, "allowed_names": NAMES, "oob": True}, status=status)


@workspace_view(MESSAGES_VIEW)
def thread_attachment(request, thread_id, attachment_id):
    """A file of a message the workspace may see, as a download (never from /media/, never inline)."""
    from .attachments import download_response

    ta = _access(request, thread_id)
    attachment = (Attachment.objects.select_related("message")
                  .filter(pk=attachment_id, message__thread=ta.thread, message__created_at__gte=ta.party.joined_at)
                  .first())
    if attachment is None:
        raise NotFound("No such file.")
    return download_response(attachment)


@workspace_view(MESSAGES_VIEW)
@require_POST
def thread_unread(request, thread_id):
    """Mark the conversation unread again (its latest message from someone else)."""
    try:
        threads.thread_mark_unread(actor=request.user, thread_id=thread_id, workspace_id=request.access.workspace.pk)
    except NotFound as exc:
        if "nothing" not in exc.detail:
            raise
        flash.info(request, exc.detail)
        return redirect("thread_detail", request.access.workspace.slug, thread_id)
    flash.success(request, "Marked unread.")
    return redirect("thread_inbox", request.access.workspace.slug)


@workspace_view(MESSAGES_SEND)
@require_POST
def thread_party_add(request, thread_id):
    """Bring another workspace into a direct or support conversation."""
    form = PartyForm(request.POST)
    ws = request.access.workspace
    if not form.is_valid():
        flash.error(request, "Choose a workspace to add.")
        return redirect("thread_detail", ws.slug, thread_id)
    ta = _access(request, thread_id, MESSAGES_SEND)
    try:
        party = threads.party_add(actor=request.user, thread_id=ta.thread.pk, to_workspace_id=form.cleaned_data["workspace"],
                                  workspace_id=ws.pk)
    except DomainError as exc:
        if isinstance(exc, (NotFound, Forbidden)):
            raise
        flash.error(request, " ".join(m for ms in getattr(exc, "errors", {}).values() for m in ms) or exc.detail)
    else:
        flash.success(request, f"{party.workspace.name} joined the conversation.")
    return redirect("thread_detail", ws.slug, thread_id)


# --- starting conversations -------------------------------------------------------------------------

def _recipient_context(request, *, kind: str | None = None, exclude: tuple[int, ...] = ()) -> dict:
    ws = request.access.workspace
    chosen = selectors.workspaces_by_id(request.POST.getlist("to") or request.GET.getlist("to"))
    chosen = [w for w in chosen if w.pk != ws.pk and w.pk not in exclude and (kind is None or w.kind == kind)]
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    found = selectors.workspace_search(q, exclude=(ws.pk, *exclude, *[w.pk for w in chosen]), kind=kind)
    return {"chosen": chosen, "found": found, "q": q, "recipient_kind": kind or "", "exclude": exclude,
            "searched": len(q) >= 2, "pick_mode": "add" if request.GET.get("mode") == "add" else "pick"}


@workspace_view(MESSAGES_SEND)
def thread_recipients(request):
    """The recipient picker (htmx): the chosen workspaces stay ticked, and those matching the search are
    offered. ``kind=act`` limits it to acts (support acts); ``exclude`` leaves out the headliner."""
    kind = WorkspaceKind.ACT if request.GET.get("kind") == WorkspaceKind.ACT else None
    exclude = tuple(i for i in (_int(v) for v in request.GET.getlist("exclude")) if i)
    return render(request, "conversations/_recipients.html", _recipient_context(request, kind=kind, exclude=exclude))


@workspace_view(MESSAGES_SEND)
def thread_new(request):
    """Start a direct conversation with one or more workspaces (any kind), found by name."""
    ws = request.access.workspace
    form = DirectThreadForm(request.POST or None, request.FILES or None,
                            initial={"subject": request.GET.get("subject", "")})
    status = 200
    if request.method == "POST" and "search" not in request.POST:
        if form.is_valid():
            try:
                thread = threads.direct_thread_start(
                    actor=request.user, workspace_id=ws.pk, to_workspace_ids=request.POST.getlist("to"),
                    subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                    files=request.FILES.getlist("files"))
            except RateLimited as exc:
                form.add_error(None, exc.detail)
                status = 429
            except Invalid as exc:
                form.add_domain_error(exc)
            else:
                flash.success(request, "Conversation started.")
                return redirect("thread_detail", ws.slug, thread.pk)
        status = 429 if status == 429 else 422
    elif request.method == "POST":  # a search without JavaScript is not a send: keep what was typed
        form = DirectThreadForm(initial=request.POST.dict())
    context = {"form": form, "mode": "direct", "accept": ACCEPT, "allowed_names": NAMES,
               **_recipient_context(request), "recipient_url": reverse("thread_recipients", args=[ws.slug])}
    return render(request, "conversations/new.html", context, status=status)


@workspace_view(BOOKINGS_MANAGE)
def thread_inquiry(request, thread_id):
    """Turn this conversation into an inquiry: the act asks the venue or promoter it is talking to for a
    date; the conversation and the booking then link to each other."""
    from backline.bookings.forms import AskForm
    from backline.bookings.selectors import askable
    from backline.bookings.views import ask_initial, ask_request

    ws = request.access.workspace
    if ws.kind != WorkspaceKind.ACT:
        raise NotFound("Acts ask venues for dates.")
    ta = _access(request, thread_id)
    if ta.thread.booking_id:
        flash.info(request, "This conversation is about a booking already.")
        return redirect("thread_detail", ws.slug, ta.thread.pk)
    venues, promoters = askable(only_workspace_ids=_buyer_parties(ta))
    initial = {"currency": ws.currency, **ask_initial(request)}
    if len(venues) + len(promoters) == 1 and "to" not in initial:
        initial["to"] = f"v{venues[0][0]}" if venues else f"w{promoters[0][0]}"
    form = AskForm(request.POST or None, initial=initial, venues=venues, promoters=promoters)
    if request.method == "POST" and (ask := ask_request(request, form)) is not None:
        try:
            booking = threads.thread_inquiry_send(actor=request.user, thread_id=ta.thread.pk, workspace_id=ws.pk, **ask)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            flash.success(request, f"Inquiry sent to {asked_whom(booking)}; this conversation is linked to it.")
            return redirect("booking_detail", ws.slug, booking.pk)
    return render(request, "bookings/ask_form.html", {
        "form": form, "thread": ta.thread, "cancel_url": reverse("thread_detail", args=[ws.slug, ta.thread.pk])})


def _booking_from_workspace(request, booking_id) -> Booking:
    """The booking as the workspace in the URL sees it (its buyer, or its act from the hold on)."""
    ws = request.access.workspace
    booking = (Booking.objects.select_related("workspace", "act__workspace", "venue")
               .filter(pk=booking_id).filter(Q(workspace=ws) | (Q(act__workspace=ws) & act_sees_q())).first())
    if booking is None:
        raise NotFound("No such booking.")
    return booking


@workspace_view(MESSAGES_VIEW)
@require_POST
def booking_thread_open(request, booking_id):
    """Open (and, the first time, make) the booking's conversation among its parties."""
    booking = _booking_from_workspace(request, booking_id)
    ta = threads.booking_thread_get_or_create(actor=request.user, booking_id=booking.pk)
    return redirect("thread_detail", request.access.workspace.slug, ta.thread.pk)


@workspace_view(MESSAGES_SEND)
def support_thread_new(request, booking_id):
    """Start a conversation between the booking's headliner and its support acts (chosen by name)."""
    ws = request.access.workspace
    booking = _booking_from_workspace(request, booking_id)
    headliner = booking.act.workspace if booking.act_id else None
    ready = headliner is not None and booking.status not in ACT_HIDDEN
    form = SupportThreadForm(request.POST or None, request.FILES or None,
                             initial={"subject": f"{booking.title}: support"})
    status = 200
    if request.method == "POST" and "search" not in request.POST:
        if not ready:
            flash.error(request, "This booking has no headliner yet: support conversations start once the act "
                                 "holds the date.")
            return redirect("booking_detail", ws.slug, booking.pk)
        if form.is_valid():
            try:
                thread = threads.support_thread_start(
                    actor=request.user, booking_id=booking.pk, to_workspace_ids=request.POST.getlist("to"),
                    subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                    files=request.FILES.getlist("files"), include_buyer=form.cleaned_data["include_buyer"])
            except RateLimited as exc:
                form.add_error(None, exc.detail)
                status = 429
            except Invalid as exc:
                form.add_domain_error(exc)
            else:
                flash.success(request, "Support conversation started.")
                return redirect("thread_detail", ws.slug, thread.pk)
        status = 429 if status == 429 else 422
    elif request.method == "POST":
        form = SupportThreadForm(initial=request.POST.dict())
    exclude = (headliner.pk,) if headliner else ()
    context = {"form": form, "mode": "support", "booking": booking, "headliner": headliner, "ready": ready,
               "is_buyer": booking.workspace_id == ws.pk, "accept": ACCEPT, "allowed_names": NAMES,
               **_recipient_context(request, kind=WorkspaceKind.ACT, exclude=exclude),
               "recipient_url": reverse("thread_recipients", args=[ws.slug])}
    return render(request, "conversations/new.html", context, status=status)


# --- inside the workspace ------------------------------------------------------------------------------

@workspace_view(MESSAGES_VIEW)
def internal_channel(request):
    """The workspace's team channel (every member is in it, made the first time anyone opens it): its
    page at an address that never changes. Opening it marks it read. The list beside it shows the team's own
    conversations (the filter on Internal) unless another filter is chosen."""
    ws = request.access.workspace
    ta = threads.internal_channel_get(actor=request.user, workspace_id=ws.pk)
    threads.thread_mark_read(actor=request.user, access=ta)
    return render(request, "conversations/detail.html", _detail_context(request, ta, default_kind=ThreadKind.INTERNAL))


@workspace_view(MESSAGES_SEND)
def internal_thread_new(request):
    """Start a conversation only the workspace's members read: everyone, or the people ticked."""
    ws = request.access.workspace
    people = [p for p in selectors.internal_readers(ws) if p.pk != request.user.pk]
    form = InternalThreadForm(request.POST or None, request.FILES or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [] if form.cleaned_data["everyone"] else form.cleaned_data["members"]
            if not form.cleaned_data["everyone"] and not chosen:
                form.add_error("members", "Tick the people to include, or choose everyone.")
            else:
                try:
                    thread = threads.internal_thread_start(
                        actor=request.user, workspace_id=ws.pk, subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"], member_ids=chosen, files=request.FILES.getlist("files"))
                except Invalid as exc:
                    form.add_domain_error(exc)
                else:
                    flash.success(request, "Internal conversation started.")
                    return redirect("thread_detail", ws.slug, thread.pk)
        status = 422
    return render(request, "conversations/internal_new.html",
                  {"form": form, "accept": ACCEPT, "allowed_names": NAMES, "people": people}, status=status)
