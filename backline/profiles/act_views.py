"""The act's public press kit page (``/a/<slug>/``), its PDF one-sheet, its press pack and the
"request a date" form. Visibility: public and unlisted open for anyone with the address (unlisted is
not indexed); private is 404 for everyone but the act's members, who see a preview."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW, capabilities_of
from backline.artists import epk
from backline.artists.epk_models import Visibility
from backline.bookings import selectors as bookings
from backline.bookings.models import Source
from backline.bookings.services import inquiries
from backline.core.errors import DomainError
from backline.core.pdf import image_data_uri, render_pdf_fitting
from backline.media.selectors import press_pack_filename, press_pack_zip

from . import act_notify as notify_act
from . import one_sheet
from .act_forms import DateRequestForm
from .email_request import email_request
from .stage_fit import buyer_venues, stage_fits

REQUEST_RATE = "5/h"  # anonymous date requests per client address (nothing about the address is stored)
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
PDF_LAYOUTS = {"classic": "Classic", "photo": "Big photo"}


def _visible_kit(request, slug: str):
    kit = epk.press_kit_by_slug(slug)
    if not epk.can_see(kit, request.user):
        raise Http404("No such press kit.")
    return kit


def _buyers(user, capability=BOOKINGS_MANAGE) -> list:
    """The venue and promoter workspaces in which the person may do ``capability`` (ask for dates, by
    default; see the bookings, for the stage fit)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.workspace for m in user.memberships.select_related("workspace").order_by("workspace__name")
            if m.workspace.kind in (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)
            and capability in capabilities_of(m.role)]


def json_ld(kit, request) -> str:
    """schema.org MusicGroup, safe inside a <script> element."""
    ws = kit.act.workspace
    data = {"@context": "https://schema.org", "@type": "MusicGroup", "name": ws.name,
            "url": request.build_absolute_uri(reverse("profiles:act", args=[ws.slug])),
            "description": kit.short_bio or ws.bio[:300],
            "genre": [g.name for g in kit.act.genres.all()],
            "member": [{"@type": "Person", "name": m.name} for m in kit.act.members.all()],
            "sameAs": [s.url for s in ws.social_links.all()] + ([ws.website] if ws.website else [])}
    if ws.city_name:
        data["foundingLocation"] = {"@type": "Place", "name": ws.city_name}
    if kit.hero and kit.hero.web:
        data["image"] = request.build_absolute_uri(kit.hero.web.url)
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


def _context(request, kit, buyers=()) -> dict:
    ws = kit.act.workspace
    has_rider, fits = stage_fits(kit.act_id, buyers)  # buyers: who may see bookings (and so riders)
    shows = (bookings.public_shows_for_act(act_id=kit.act_id, today=timezone.localdate())
             if kit.show_upcoming_shows else [])
    photos = epk.photos_of(kit)
    return {"kit": kit, "act": kit.act, "workspace": ws, "photos": [p for p in photos if p.pk != kit.hero_id],
            "hero": kit.hero, "embeds": epk.embeds_of(kit), "quotes": list(kit.quotes.all()), "shows": shows,
            "line_up": list(kit.act.members.all()), "documents": epk.documents_of(kit),
            "genres": list(kit.act.genres.all()), "socials": list(ws.social_links.all()),
            "fee_band": epk.fee_band(kit), "layouts": PDF_LAYOUTS,
            "has_rider": has_rider, "fits": fits, "fit_shown": bool(buyers),
            "page_url": request.build_absolute_uri(reverse("profiles:act", args=[ws.slug]))}


def act(request, slug):
    kit = _visible_kit(request, slug)
    member = epk.is_member(kit, request.user)
    if not member:
        epk.press_kit_view_record(press_kit_id=kit.pk, act_workspace_id=kit.act.workspace_id,
                                  token=request.GET.get("r", ""), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    buyers = _buyers(request.user)
    context = _context(request, kit, _buyers(request.user, BOOKINGS_VIEW)) | {
        "is_member": member, "json_ld": json_ld(kit, request),
        "form": DateRequestForm(buyers=buyers, venues=buyer_venues(buyers))}
    return _page(request, context)


def _page(request, context, status=200):
    response = render(request, "profiles/act.html", context, status=status)
    if context["kit"].visibility != Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request, retry: int):
    response = render(request, "429.html", {"retry_minutes": max(1, retry // 60)}, status=429)
    response["Retry-After"] = str(max(1, retry))
    return response


@require_POST
def act_request(request, slug):
    """Request a date: a logged-in venue or promoter logs a real inquiry with the act in its own
    workspace; anyone else sends an email to the act's booking contact (through the outbox)."""
    kit = _visible_kit(request, slug)
    buyers = _buyers(request.user)
    form = DateRequestForm(request.POST, buyers=buyers, venues=buyer_venues(buyers))
    if not buyers:
        usage = get_usage(request, group="epk-date-request", key="ip", rate=REQUEST_RATE, method=["POST"],
                          increment=True)
        if usage and usage["should_limit"]:
            return _too_many(request, int(usage["time_left"]))
    clash = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("website"):  # the honeypot: answer as if sent, send nothing
            messages.success(request, "Thank you: your request was sent.")
            return redirect("profiles:act", slug)
        if buyers and data.get("confirm") != data["date"]:  # warn first; "Send it anyway" confirms that day
            clash = bookings.date_request_clash(workspace_id=data["buyer"], act_id=kit.act_id, day=data["date"])
        if not clash:
            try:
                return _send(request, kit, data, logged=bool(buyers))
            except DomainError as exc:
                form.add_domain_error(exc)
    context = _context(request, kit, _buyers(request.user, BOOKINGS_VIEW)) | {"is_member": epk.is_member(kit, request.user),
                                        "json_ld": json_ld(kit, request), "form": form, "form_open": True,
                                        "clash": clash}
    return _page(request, context, status=200 if clash else 422)


def _send(request, kit, data, *, logged: bool):
    """A buyer's inquiry in its own bookings, or an email to the act; the act's bookers are told."""
    ws = kit.act.workspace
    if logged:
        booking = inquiries.inquiry_create(
            actor=request.user, workspace_id=data["buyer"], title=f"{ws.name}: date request"[:160],
            source=Source.PRESS_KIT, act_id=kit.act_id, venue_id=data.get("venue"), stage_id=data.get("stage"),
            date_from=data["date"], notes=data["message"])
        notify_act.buyer_asked(kit, booking, actor=request.user)
        messages.success(request, f"Inquiry {booking.reference} logged in your bookings.")
        return redirect("booking_detail", booking.workspace.slug, booking.pk)
    notify_act.someone_emailed(kit, data, email_request(request, kit, data))
    messages.success(request, f"Thank you: {ws.name} will answer you by email.")
    return redirect("profiles:act", ws.slug)


# --- the PDF one-sheet and the press pack ---------------------------------------------------------------

def act_one_sheet(request, slug):
    kit = _visible_kit(request, slug)
    layout = request.GET.get("layout", "classic")
    if layout not in PDF_LAYOUTS:
        layout = "classic"
    context = _context(request, kit)
    context |= {"layout": layout, "hero_src": image_data_uri(kit.hero.web if kit.hero else None),
                "photo_srcs": [s for p in context["photos"][:3] if (s := image_data_uri(p.thumb or p.web))]}
    pdf = render_pdf_fitting(f"profiles/act_one_sheet_{layout}.html", one_sheet.sheets(context, layout), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(kit.act.workspace.name)}-one-sheet.pdf"'
    if kit.visibility != Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


def act_press_pack(request, slug):
    """The press pack: the act's files marked for it in the media library (with their credits) and its bio,
    as one zip."""
    kit = _visible_kit(request, slug)
    ws = kit.act.workspace
    bio = f"{ws.name}\n\n{kit.short_bio}\n\n{kit.long_bio}\n"
    data = press_pack_zip(ws.pk, title=f"{ws.name}: press pack", texts={"bio.txt": bio})
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{press_pack_filename(ws.name)}"'
    return response
