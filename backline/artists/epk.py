"""The press kit: reads (selectors) and writes (services) of an act's EPK, and view tracking.

Everything here is shown on a public page only if the act publishes it (``visibility``). The outreach
app signs a per-recipient token with :data:`RECIPIENT_SALT`; the public page verifies it with
:func:`recipient_from_token` and records the view with :func:`press_kit_view_record`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from backline.accounts.models import Workspace
from backline.accounts.permissions import WORKSPACE_EDIT, WORKSPACE_VIEW, access_workspace
from backline.core import audit
from backline.core.errors import Invalid, NotFound
from backline.core.validation import validate_model
from backline.media.models import Asset, AssetKind

from . import epk_embeds
from .epk_models import MediaLink, PressKit, PressKitPick, PressKitView, PressQuote, ViewSource, Visibility
from .models import Act, ActMember

RECIPIENT_SALT = "backline.epk.recipient"
RECIPIENT_MAX_AGE = 400 * 24 * 3600  # a pitch may be opened a year later
MAX_QUOTES, MAX_LINKS, MAX_PHOTOS, MAX_DOCUMENTS = 12, 12, 12, 8
STATS_DAYS = 30
FIELDS = ("short_bio", "long_bio", "visibility", "hero", "achievements", "show_upcoming_shows", "booking_name",
          "booking_email", "booking_phone", "fee_min", "fee_max", "fee_currency")
_BOTS = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|curl|wget|python-requests|"
                   r"httpclient|headless", re.I)


# --- reads ---------------------------------------------------------------------------------------------

def _assets_qs():
    return Asset.objects.only("id", "workspace_id", "kind", "title", "credit", "file", "web", "thumb", "width",
                              "height", "content_type", "in_press_pack")


def press_kit_query():
    """Press kits with everything the public page shows, in a constant number of queries."""
    return (PressKit.objects.select_related("act__workspace", "hero")
            .prefetch_related("act__genres", "act__workspace__social_links",
                              Prefetch("act__members", ActMember.objects.order_by("is_optional", "name")),
                              "quotes", "media_links",
                              Prefetch("picks", PressKitPick.objects.select_related("asset").order_by("position", "id"))))


def press_kit_by_slug(slug: str) -> PressKit | None:
    """The act's press kit by its public address (the workspace slug), whatever its visibility: the
    caller decides who may see it (:func:`can_see`). An act without one has none."""
    return press_kit_query().filter(act__workspace__slug=slug).first()


def can_see(press_kit: PressKit | None, user) -> bool:
    """Public and unlisted: anyone with the address; private: only the act's members."""
    if press_kit is None:
        return False
    if press_kit.visibility != Visibility.PRIVATE:
        return True
    return is_member(press_kit, user)


def is_member(press_kit: PressKit, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and \
        user.memberships.filter(workspace_id=press_kit.act.workspace_id).exists()


def press_kit_for(access) -> PressKit:
    """The act's press kit for its editor; made (private, empty) on first use."""
    act = Act.objects.filter(workspace=access.workspace).first()
    if act is None:
        raise NotFound("This workspace is not an act.")
    kit = press_kit_query().filter(act=act).first()
    if kit is None:
        PressKit.objects.get_or_create(act=act, defaults={"booking_email": access.workspace.contact_email,
                                                          "booking_phone": access.workspace.phone})
        kit = press_kit_query().get(act=act)
    return kit


def photos_of(kit: PressKit) -> list[Asset]:
    return [p.asset for p in kit.picks.all() if p.role == PressKitPick.Role.PHOTO]


def documents_of(kit: PressKit) -> list[Asset]:
    return [p.asset for p in kit.picks.all() if p.role == PressKitPick.Role.DOCUMENT]


def embeds_of(kit: PressKit) -> list[epk_embeds.Embed]:
    return [e for link in kit.media_links.all() if (e := epk_embeds.embed_or_none(link.url))]


def fee_band(kit: PressKit) -> str:
    if kit.fee_min is None and kit.fee_max is None:
        return ""
    cur = kit.fee_currency or kit.act.workspace.currency
    if kit.fee_min is not None and kit.fee_max is not None:
        return f"{format_money(kit.fee_min, cur)}–{format_money(kit.fee_max, cur)}"
    if kit.fee_min is not None:
        return f"from {format_money(kit.fee_min, cur)}"
    return f"up to {format_money(kit.fee_max, cur)}"


_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def format_money(amount: Decimal, currency: str) -> str:
    """"€1,500" (whole amounts without cents, as a fee band reads)."""
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


@dataclass(frozen=True)
class ViewStats:
    total: int
    days: int
    by_recipient: list[tuple[str, int]]


def view_stats(kit: PressKit, *, days: int = STATS_DAYS, now: dt.datetime | None = None) -> ViewStats:
    since = (now or timezone.now()) - dt.timedelta(days=days)
    views = PressKitView.objects.filter(press_kit=kit, viewed_at__gte=since)
    rows = (views.filter(source=ViewSource.OUTREACH).values("recipient_label").annotate(n=Count("id"))
            .order_by("-n", "recipient_label")[:10])
    return ViewStats(total=views.count(), days=days,
                     by_recipient=[(r["recipient_label"] or "a recipient", r["n"]) for r in rows])


# --- tracking ------------------------------------------------------------------------------------------

def recipient_token(*, act_workspace_id: int, contact_id: int | None, label: str) -> str:
    """A signed, per-recipient token for links sent in outreach (made by the outreach app)."""
    return signing.dumps({"w": act_workspace_id, "c": contact_id, "n": (label or "")[:160]}, salt=RECIPIENT_SALT,
                         compress=True)


def recipient_from_token(token: str, *, act_workspace_id: int) -> dict | None:
    """The recipient a token names, or None for a forged, expired or other act's token."""
    if not token or len(token) > 600:
        return None
    try:
        data = signing.loads(token, salt=RECIPIENT_SALT, max_age=RECIPIENT_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != act_workspace_id:
        return None
    return data


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(_BOTS.search(user_agent))


def press_kit_view_record(*, press_kit_id: int, act_workspace_id: int, token: str = "",
                          user_agent: str = "") -> PressKitView | None:
    """Count one opening of the public page (bots are not counted; no address is kept)."""
    if is_bot(user_agent):
        return None
    recipient = recipient_from_token(token, act_workspace_id=act_workspace_id) if token else None
    contact = recipient.get("c") if recipient else None
    return PressKitView.objects.create(
        press_kit_id=press_kit_id, source=ViewSource.OUTREACH if recipient else ViewSource.DIRECT,
        recipient_contact_id=contact if isinstance(contact, int) and contact > 0 else None,
        recipient_label=str(recipient.get("n") or "")[:160] if recipient else "")


# --- writes --------------------------------------------------------------------------------------------

def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise Invalid("Not an amount.", errors={field: ["Enter an amount, e.g. 800."]}) from None
    if not out.is_finite() or out < 0 or out > Decimal("99999999"):
        raise Invalid("Not an amount.", errors={field: ["Enter an amount between 0 and 99,999,999."]})
    return out


def _picks(workspace: Workspace, ids: list[int], *, documents: bool, field: str, limit: int) -> list[Asset]:
    if len(ids) > limit:
        raise Invalid("Too many.", errors={field: [f"Choose at most {limit}."]})
    ids = list(dict.fromkeys(int(i) for i in ids))
    found = {a.pk: a for a in Asset.objects.filter(workspace=workspace, pk__in=ids)}
    wrong = [i for i in ids if i not in found or (found[i].kind == AssetKind.DOCUMENT) != documents]
    if wrong:
        what = "documents" if documents else "images"
        raise Invalid("Not in your library.", errors={field: [f"Choose {what} from your own media library."]})
    return [found[i] for i in ids]


def _clean_links(urls: list[str]) -> list[str]:
    if len(urls) > MAX_LINKS:
        raise Invalid("Too many links.", errors={"media_links": [f"Add at most {MAX_LINKS} links."]})
    out, errors = [], []
    for n, url in enumerate(urls, 1):
        try:
            out.append(epk_embeds.parse(url).url if epk_embeds.parse(url).src else url.strip())
        except Invalid as exc:
            errors.append(f"Link {n}: {exc.errors['url'][0]}")
    if errors:
        raise Invalid("Some links can't be shown.", errors={"media_links": errors})
    return out


def _clean_quotes(quotes: list[dict]) -> list[PressQuote]:
    if len(quotes) > MAX_QUOTES:
        raise Invalid("Too many quotes.", errors={"quotes": [f"Add at most {MAX_QUOTES} quotes."]})
    out = []
    for n, q in enumerate(quotes):
        link = (q.get("link") or "").strip()
        if link and not link.lower().startswith("https://") and not link.lower().startswith("http://"):
            raise Invalid("Bad link.", errors={"quotes": [f"Quote {n + 1}: the link must start with https://."]})
        quote = PressQuote(quote=(q.get("quote") or "").strip(), source=(q.get("source") or "").strip(), link=link,
                           date=q.get("date") or None, position=n)
        try:
            validate_model(quote, exclude=["press_kit"])
        except Invalid as exc:
            raise Invalid("Please correct the quotes.", errors={"quotes": [
                f"Quote {n + 1}: {field.replace('_', ' ')}: {msgs[0]}" for field, msgs in exc.errors.items()]}) from None
        out.append(quote)
    return out


def press_kit_save(*, actor, workspace_id: int, fields: dict | None = None, quotes: list[dict] | None = None,
                   media_links: list[str] | None = None, photos: list[int] | None = None,
                   documents: list[int] | None = None) -> PressKit:
    """Change the press kit (``workspace.edit``): the given fields, and each given list replaced as a
    whole. All or nothing; the change is audited."""
    fields = dict(fields or {})
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise Invalid("Unknown fields.", errors={k: ["Not a press kit field."] for k in sorted(unknown)})
    links = _clean_links(media_links) if media_links is not None else None
    new_quotes = _clean_quotes(quotes) if quotes is not None else None
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_EDIT)
        press_kit_for(access)  # made on first use
        kit = PressKit.objects.select_for_update().select_related("act__workspace").get(act__workspace=access.workspace)
        before = audit.snapshot(kit, FIELDS)
        if "hero" in fields:
            hero = fields.pop("hero")
            hero_id = hero.pk if isinstance(hero, Asset) else hero
            kit.hero = _picks(access.workspace, [hero_id], documents=False, field="hero", limit=1)[0] if hero_id else None
        for name in ("fee_min", "fee_max"):
            if name in fields:
                fields[name] = _decimal(fields[name], name)
        if "fee_currency" in fields:
            fields["fee_currency"] = (fields["fee_currency"] or "").strip().upper()
        for name, value in fields.items():
            setattr(kit, name, value.strip() if isinstance(value, str) and name != "visibility" else value)
        if kit.visibility not in Visibility.values:
            raise Invalid("Unknown visibility.", errors={"visibility": ["Choose public, unlisted or private."]})
        if kit.fee_min is not None and kit.fee_max is not None and kit.fee_min > kit.fee_max:
            raise Invalid("The fee band is upside down.", errors={"fee_max": ["The highest fee is below the lowest."]})
        if (kit.fee_min is not None or kit.fee_max is not None) and not kit.fee_currency:
            kit.fee_currency = access.workspace.currency
        validate_model(kit, exclude=["act", "hero"])
        kit.save()
        if new_quotes is not None:
            kit.quotes.all().delete()
            for q in new_quotes:
                q.press_kit = kit
            PressQuote.objects.bulk_create(new_quotes)
        if links is not None:
            kit.media_links.all().delete()
            MediaLink.objects.bulk_create([MediaLink(press_kit=kit, url=u, position=n) for n, u in enumerate(links)])
        for ids, role, docs, field, limit in ((photos, PressKitPick.Role.PHOTO, False, "photos", MAX_PHOTOS),
                                              (documents, PressKitPick.Role.DOCUMENT, True, "documents",
                                               MAX_DOCUMENTS)):
            if ids is not None:
                assets = _picks(access.workspace, ids, documents=docs, field=field, limit=limit)
                kit.picks.filter(role=role).delete()
                PressKitPick.objects.bulk_create([PressKitPick(press_kit=kit, asset=a, role=role, position=n)
                                                  for n, a in enumerate(assets)])
        after = audit.snapshot(kit, FIELDS)
        changed = [k for k in (quotes, media_links, photos, documents) if k is not None]
        if after != before or changed:
            audit.record(actor=actor, action="press_kit.updated", obj=kit, before=before, after=after,
                         workspace_id=access.workspace.pk)
    return kit


def press_kit_view_for(access) -> PressKit:
    """The editor's read (``workspace.view``)."""
    if not access.can(WORKSPACE_VIEW):
        raise NotFound("No such workspace.")
    return press_kit_for(access)
