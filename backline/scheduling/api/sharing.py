"""Calendar feeds, public share links and imported personal calendars."""


import datetime as dt

from django.urls import reverse
from ninja import Field, Router, Schema

from backline.accounts.permissions import SCHEDULE_MANAGE
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import LocalTime

from .. import feeds, selectors
from ..models import CalendarFeed, ExternalCalendar
from ..permissions import access_act
from ..services import external_calendars, share_links
from .acts import zone_out
from .schemas import FeedOut, FeedPatchIn, GreenZoneOut

router = Router(tags=["calendar feeds and sharing"])


def feed_out(request, feed: CalendarFeed) -> dict:
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
    return {"id": feed.pk, "kind": feed.kind, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1],
            "include_green_zone": feed.include_green_zone}


@router.post("/me/feed", response={200: FeedOut, **ERROR_RESPONSES})
def my_feed(request):
    """Your secret iCal address for all your commitments (made on first call, then the same)."""
    return feed_out(request, feeds.feed_for_person(actor=request.auth))


@router.post("/me/feed/rotate", response={200: FeedOut, **ERROR_RESPONSES})
def my_feed_rotate(request):
    """A new secret address; the old one answers 404 from now on."""
    feed = feeds.feed_for_person(actor=request.auth)
    return feed_out(request, feeds.feed_rotate(actor=request.auth, feed_id=feed.pk))


@router.post("/acts/{workspace_id}/feed", response={200: FeedOut, **ERROR_RESPONSES})
def act_feed(request, workspace_id: int):
    """The act's iCal address: its events and, if switched on, its green-zone dates."""
    return feed_out(request, feeds.feed_for_act(actor=request.auth, workspace_id=workspace_id))


@router.patch("/acts/{workspace_id}/feed", response={200: FeedOut, **ERROR_RESPONSES})
def act_feed_update(request, workspace_id: int, payload: FeedPatchIn):
    feed = feeds.feed_for_act(actor=request.auth, workspace_id=workspace_id)
    return feed_out(request, feeds.feed_set_green_zone(actor=request.auth, feed_id=feed.pk,
                                                       include=payload.include_green_zone))


@router.post("/acts/{workspace_id}/feed/rotate", response={200: FeedOut, **ERROR_RESPONSES})
def act_feed_rotate(request, workspace_id: int):
    feed = feeds.feed_for_act(actor=request.auth, workspace_id=workspace_id)
    return feed_out(request, feeds.feed_rotate(actor=request.auth, feed_id=feed.pk))


@router.post("/venues/{venue_id}/feed", response={200: FeedOut, **ERROR_RESPONSES})
def venue_feed(request, venue_id: int):
    """The venue's public confirmed shows as an iCal address."""
    return feed_out(request, feeds.feed_for_venue(actor=request.auth, venue_id=venue_id))


@router.post("/venues/{venue_id}/feed/rotate", response={200: FeedOut, **ERROR_RESPONSES})
def venue_feed_rotate(request, venue_id: int):
    feed = feeds.feed_for_venue(actor=request.auth, venue_id=venue_id)
    return feed_out(request, feeds.feed_rotate(actor=request.auth, feed_id=feed.pk))


# --- share links ----------------------------------------------------------------------------------

class ShareLinkIn(Schema):
    starts_on: dt.date
    ends_on: dt.date
    label: str = Field("", max_length=120)
    min_hours: float = Field(0, ge=0, le=24)
    window_start: LocalTime | None = None
    window_end: LocalTime | None = None


class ShareLinkOut(Schema):
    id: int
    label: str
    starts_on: dt.date
    ends_on: dt.date
    min_hours: float
    window_start: LocalTime | None
    window_end: LocalTime | None
    url: str


def link_out(request, link) -> dict:
    return {"id": link.pk, "label": link.label, "starts_on": link.starts_on, "ends_on": link.ends_on,
            "min_hours": float(link.min_hours), "window_start": link.window_start, "window_end": link.window_end,
            "url": request.build_absolute_uri(reverse("public_availability", args=[link.token]))}


@router.get("/acts/{workspace_id}/share-links", response={200: list[ShareLinkOut], **ERROR_RESPONSES})
def share_link_list(request, workspace_id: int):
    _, act = access_act(user=request.auth, workspace_id=workspace_id, capability=SCHEDULE_MANAGE)
    return [link_out(request, link) for link in selectors.share_links_for_act(act)]


@router.post("/acts/{workspace_id}/share-links", response={201: ShareLinkOut, **ERROR_RESPONSES})
def share_link_create(request, workspace_id: int, payload: ShareLinkIn):
    """A public page (no login) with the act's green-zone dates in a range; no names or private data."""
    link = share_links.share_link_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())
    return 201, link_out(request, link)


@router.post("/share-links/{link_id}/revoke", response={204: None, **ERROR_RESPONSES})
def share_link_revoke(request, link_id: int):
    share_links.share_link_revoke(actor=request.auth, link_id=link_id)
    return 204, None


@router.get("/public/availability/{token}", auth=None, response={200: GreenZoneOut, 404: ERROR_RESPONSES[404]})
def public_availability(request, token: str):
    """What a share link shows, as JSON: the green-zone spans. Member lists are left empty."""
    link = share_links.share_link_by_token(token)
    window = (link.window_start, link.window_end) if link.window_start and link.window_end else None
    start, end = share_links.share_link_days(link)
    view = selectors.green_zone_for_act(link.act, start=start, end=end, window=window,
                                        min_hours=float(link.min_hours))
    out = zone_out(view)
    out.update(required=[], optional=[], unknown=[], all_but_one=[])
    return out


# --- imported personal calendars ------------------------------------------------------------------

class CalendarIn(Schema):
    name: str = Field("My calendar", min_length=1, max_length=120)
    url: str = Field(max_length=2000, description="the calendar's secret iCal address (https:// or webcal://)")


class CalendarOut(Schema):
    id: int
    name: str
    status: str
    last_attempt_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str
    event_count: int
    next_fetch_at: dt.datetime | None


@router.get("/me/calendars", response={200: list[CalendarOut], **ERROR_RESPONSES})
def calendar_list(request):
    """Your imported calendars (their addresses are secrets and are never shown again)."""
    return ExternalCalendar.objects.filter(user=request.auth)


@router.post("/me/calendars", response={201: CalendarOut, **ERROR_RESPONSES})
def calendar_add(request, payload: CalendarIn):
    """Import a calendar: its events become private busy time, refreshed on a schedule. A calendar that
    cannot be read is saved with its error and retried later."""
    calendar = external_calendars.external_calendar_add(actor=request.auth, name=payload.name, url=payload.url)
    calendar.refresh_from_db()
    return 201, calendar


@router.post("/me/calendars/{calendar_id}/refresh", response={200: CalendarOut, **ERROR_RESPONSES})
def calendar_refresh(request, calendar_id: int):
    return external_calendars.external_calendar_refresh(actor=request.auth, calendar_id=calendar_id)


@router.delete("/me/calendars/{calendar_id}", response={204: None, **ERROR_RESPONSES})
def calendar_remove(request, calendar_id: int):
    external_calendars.external_calendar_remove(actor=request.auth, calendar_id=calendar_id)
    return 204, None
