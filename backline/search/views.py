"""The search page: one box across everything the person may see, live as they type (htmx gets just
the results). A thin adapter over ``selectors.search``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backline.core.errors import Invalid

from .selectors import LABELS, MAX_LENGTH, MIN_LENGTH, TYPES, memberships_of, search


@login_required
@require_GET
def search_page(request):
    q = request.GET.get("q", "")
    chosen = request.GET.get("type", "all")
    error = ""
    # One query serves both the search and the page's workspace switcher.
    request.my_memberships = memberships_of(request.user)
    try:
        results = search(request.user, q, type=chosen if chosen in TYPES else "all", memberships=request.my_memberships)
    except Invalid as exc:
        error = " ".join(m for msgs in exc.errors.values() for m in msgs) or exc.detail
        results = {}
    groups = [(t, LABELS[t], hits) for t, hits in results.items() if hits]
    context = {"q": q, "chosen": chosen if chosen in TYPES else "all", "types": [(t, LABELS[t]) for t in TYPES],
               "groups": groups, "error": error, "searched": len(" ".join(q.split())) >= MIN_LENGTH,
               "max_length": MAX_LENGTH}
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "search/search.html#results" if partial else "search/search.html", context)
