"""The press kit editor in the act's workspace (``/w/<slug>/press-kit/``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backline.accounts.permissions import WORKSPACE_EDIT, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError
from backline.media.picker import offer_library

from . import epk
from .epk_forms import PressKitForm, QuoteFormSet


def _initial(kit) -> dict:
    return {"visibility": kit.visibility, "short_bio": kit.short_bio, "long_bio": kit.long_bio,
            "achievements": kit.achievements, "media_links": "\n".join(m.url for m in kit.media_links.all()),
            "hero": kit.hero_id, "photos": [a.pk for a in epk.photos_of(kit)],
            "documents": [a.pk for a in epk.documents_of(kit)], "show_upcoming_shows": kit.show_upcoming_shows,
            "booking_name": kit.booking_name, "booking_email": kit.booking_email, "booking_phone": kit.booking_phone,
            "fee_min": kit.fee_min, "fee_max": kit.fee_max, "fee_currency": kit.fee_currency}


def _page(request, kit, form=None, quotes=None):
    access = request.access
    can_edit = access.can(WORKSPACE_EDIT)
    if form is None:
        form = PressKitForm(initial=_initial(kit), currency=access.workspace.currency)
        offer_library(form, request)
    quotes = quotes or QuoteFormSet(prefix="quotes", initial=[
        {"quote": q.quote, "source": q.source, "link": q.link, "date": q.date} for q in kit.quotes.all()])
    return render(request, "artists/epk/editor.html", {
        "kit": kit, "form": form, "quotes": quotes, "can_edit": can_edit,
        "public_url": request.build_absolute_uri(reverse("profiles:act", args=[access.workspace.slug])),
        "stats": epk.view_stats(kit), "embeds": epk.embeds_of(kit), "fee_band": epk.fee_band(kit),
    })


@workspace_view(WORKSPACE_VIEW)
def press_kit(request):
    return _page(request, epk.press_kit_view_for(request.access))


@workspace_view(WORKSPACE_EDIT)
@require_POST
def press_kit_save(request):
    access = request.access
    kit = epk.press_kit_for(access)
    form = PressKitForm(request.POST, currency=access.workspace.currency)
    offer_library(form, request)
    quotes = QuoteFormSet(request.POST, prefix="quotes")
    if form.is_valid() and quotes.is_valid():
        data = dict(form.cleaned_data)
        links = [line.strip() for line in data.pop("media_links").splitlines() if line.strip()]
        photos, docs = data.pop("photos"), data.pop("documents")
        kept = [q for q in quotes.cleaned_data if q and not q.get("DELETE") and q.get("quote")]
        try:
            epk.press_kit_save(actor=request.user, workspace_id=access.workspace.pk, fields=data, media_links=links,
                               photos=photos, documents=docs, quotes=[
                                   {k: q.get(k) for k in ("quote", "source", "link", "date")} for q in kept])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Press kit saved.")
            return redirect("press_kit", access.workspace.slug)
    return _page(request, kit, form=form, quotes=quotes)
