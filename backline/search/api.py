"""One search box across inquiries, bookings, clients, acts, venues and performers, grouped by type
and scoped to what the caller may see."""

from typing import Literal

from ninja import Query, Router, Schema

from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id
from backline.core.openapi import keep_operation_ids

from . import selectors as finder

router = Router(tags=["search"])

SearchType = Literal["all", "inquiries", "bookings", "clients", "acts", "venues", "performers"]


class SearchFilters(Schema):
    q: str = ""
    type: SearchType = "all"
    workspace_id: Id | None = None


class HitOut(Schema):
    type: str
    id: int
    title: str
    subtitle: str
    url: str | None  # the web page of the hit from the caller's side; null where there is none


class GroupOut(Schema):
    type: str
    label: str
    hits: list[HitOut]


class SearchOut(Schema):
    query: str
    groups: list[GroupOut]


def groups_out(results: dict) -> list[dict]:
    return [{"type": t, "label": finder.LABELS[t],
             "hits": [{"type": h.type, "id": h.id, "title": h.title, "subtitle": h.subtitle, "url": h.url} for h in hits]}
            for t, hits in results.items() if hits]


@router.get("/search", response={200: SearchOut, **ERROR_RESPONSES})
def search(request, filters: Query[SearchFilters]):
    """Search what you may see: your workspaces' inquiries and bookings (an act's from the hold on),
    your agencies' clients and performers, and every act and venue on Backline. PostgreSQL matches
    full words with web-search syntax (`"a phrase"`, `-word`, `or`). Only groups with hits are listed;
    a query under 2 characters finds nothing, one over 100 is 422. `workspace_id` narrows the private
    groups to one of your workspaces."""
    results = finder.search(request.auth, filters.q, type=filters.type, workspace_id=filters.workspace_id)
    return {"query": " ".join(filters.q.split()), "groups": groups_out(results)}


keep_operation_ids(router, "backline.bookings.api.search")  # where search was first published
