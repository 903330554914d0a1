"""An act's riders: versions, drafts, publishing, and what a technical rider asks of a stage.

A rider version is a draft until published; publishing puts it in force and replaces the previous one;
a published version is never edited again (editing starts a new draft, a copy of the one in force)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW, WorkspaceAccess, access_workspace
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.stagefit import BacklineItem, StageNeeds

from .models import MAX_INPUT_CHANNELS, MAX_MONITOR_MIXES, Act, InputChannel, Rider, RiderKind, RiderStatus
from .workflow import rider_transition

# What each kind of rider holds, and the bounds of its counts (0 up to the number given).
TECHNICAL_COUNTS = {"power_outlets": 200, "changeover_minutes": 600}
HOSPITALITY_COUNTS = {"guest_list": 500, "meals": 200, "rooms": 100, "parking": 50}
TECHNICAL_TEXTS = {"notes": 4000}
HOSPITALITY_TEXTS = {"meal_notes": 300, "drinks": 500, "room_type": 120, "dressing_room": 300, "notes": 4000}
TECHNICAL_FIELDS = ("monitor_mixes", "backline_brings", "backline_needs", "power_outlets", "three_phase",
                    "stage_width_m", "stage_depth_m", "stage_plot_id", "changeover_minutes", "notes", "inputs")
HOSPITALITY_FIELDS = ("guest_list", "meals", "meal_notes", "drinks", "rooms", "room_type", "parking",
                      "dressing_room", "notes")
COPIED = tuple(f for f in (*TECHNICAL_FIELDS, *HOSPITALITY_FIELDS) if f != "inputs")
INPUT_FIELDS = {"source": 80, "mic": 80, "stand": 40, "notes": 200}
LABELS = {"monitor_mixes": "Monitor mixes", "backline_brings": "Backline the act brings",
          "backline_needs": "Backline the act needs", "power_outlets": "Power outlets", "three_phase": "Three-phase power",
          "stage_width_m": "Stage width (m)", "stage_depth_m": "Stage depth (m)", "stage_plot_id": "Stage plot",
          "changeover_minutes": "Changeover (minutes)", "notes": "Notes", "guest_list": "Guest-list places",
          "meals": "Meals", "meal_notes": "Dietary notes", "drinks": "Drinks", "rooms": "Rooms",
          "room_type": "Type of room", "parking": "Parking places", "dressing_room": "Dressing room"}


# --- reads -------------------------------------------------------------------------------------------

def act_of(access: WorkspaceAccess) -> Act:
    act = access.remember("act", lambda: Act.objects.filter(workspace=access.workspace)
                          .prefetch_related("genres").first())
    if act is None:
        raise NotFound("This workspace is not an act.")
    return act


def riders_for(act: Act):
    """Every version of the act's riders, newest first per kind, with who published it and its channels."""
    return (Rider.objects.filter(act=act).select_related("published_by", "created_by")
            .annotate(channel_count=Count("inputs")).order_by("kind", "-version"))


def rider_get(act: Act, rider_id: int) -> Rider:
    rider = (Rider.objects.filter(act=act, pk=rider_id).select_related("published_by", "stage_plot", "act__workspace")
             .prefetch_related("inputs").first())
    if rider is None:
        raise NotFound("No such rider.")
    return rider


def current_riders(act_ids) -> dict[tuple[int, str], Rider]:
    """The riders in force of some acts, by (act id, kind), inputs included: one query for any number."""
    riders = Rider.objects.filter(act_id__in=list(act_ids), status=RiderStatus.CURRENT).prefetch_related("inputs")
    return {(r.act_id, r.kind): r for r in riders}


def previous_version(rider: Rider) -> Rider | None:
    return (Rider.objects.filter(act_id=rider.act_id, kind=rider.kind, version__lt=rider.version)
            .exclude(status=RiderStatus.DRAFT).prefetch_related("inputs").order_by("-version").first())


def stage_needs(rider: Rider | None) -> StageNeeds:
    """What a technical rider version asks of a stage (nothing stated for no rider or a hospitality one)."""
    if rider is None or rider.kind != RiderKind.TECHNICAL:
        return StageNeeds()
    channels = len(rider.inputs.all())
    return StageNeeds(inputs=channels or None, monitor_mixes=len(rider.monitor_mixes) or None,
                      stage_width_m=rider.stage_width_m, stage_depth_m=rider.stage_depth_m,
                      backline_needed=frozenset(rider.backline_needs), power_outlets=rider.power_outlets,
                      three_phase=rider.three_phase, changeover_minutes=rider.changeover_minutes)


def _shown(rider: Rider, name: str):
    value = getattr(rider, name)
    if name == "monitor_mixes":  # each mix in words, so a changed mix shows and not only a changed count
        return f"{len(value)} ({'; '.join(str(m) for m in value)})" if value else "none"
    if name in ("backline_brings", "backline_needs"):  # a set: the order it was ticked in is no change
        labels = dict(BacklineItem.choices)
        order = list(labels)
        return ", ".join(labels.get(v, v) for v in sorted(value, key=lambda v: order.index(v) if v in order else 99)) \
            or "none"
    if name == "three_phase":
        return "yes" if value else "no"
    if name == "stage_plot_id":
        return "a stage plot" if value else "none"
    return "not stated" if value in (None, "") else value


def changes_between(old: Rider | None, new: Rider) -> list[str]:
    """The differences of two versions of a rider, in words: "Monitor mixes: 4 → 6"."""
    if old is None:
        return ["The first version."]
    fields = TECHNICAL_FIELDS if new.kind == RiderKind.TECHNICAL else HOSPITALITY_FIELDS
    lines = [f"{LABELS[f]}: {_shown(old, f)} → {_shown(new, f)}" for f in fields
             if f != "inputs" and _shown(old, f) != _shown(new, f)]
    if new.kind == RiderKind.TECHNICAL:
        before = {c.channel: c for c in old.inputs.all()}
        after = {c.channel: c for c in new.inputs.all()}
        for ch in sorted(set(before) | set(after)):
            a, b = before.get(ch), after.get(ch)
            if a is None:
                lines.append(f"Channel {ch} added: {b.source}")
            elif b is None:
                lines.append(f"Channel {ch} removed: {a.source}")
            elif [getattr(a, f) for f in INPUT_FIELDS] != [getattr(b, f) for f in INPUT_FIELDS]:
                lines.append(f"Channel {ch} changed: {a.source} → {b.source}"
                             + (f" ({b.mic})" if b.mic and b.mic != a.mic else ""))
    return lines or ["No changes."]


# --- checks ------------------------------------------------------------------------------------------

def _count(name: str, value, top: int, errors: dict):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = ["Enter a whole number."]
        return None
    if not 0 <= number <= top:
        errors[name] = [f"Enter a number from 0 to {top}."]
    return number


def _metres(name: str, value, errors: dict):
    if value in (None, ""):
        return None
    try:
        metres = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors[name] = ["Enter metres, for example 6 or 6.5."]
        return None
    if not Decimal("0.5") <= metres <= Decimal("100"):
        errors[name] = ["Enter between 0.5 and 100 metres."]
    return metres


def _backline(name: str, values, errors: dict) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in BacklineItem.values]
    if unknown:
        errors[name] = ["Choose backline from the list."]
    return values


def _inputs(rows, errors: dict) -> list[dict]:
    rows = list(rows or [])
    if len(rows) > MAX_INPUT_CHANNELS:
        errors["inputs"] = [f"An input list holds at most {MAX_INPUT_CHANNELS} channels; this one has {len(rows)}."]
        return []
    clean, seen, problems = [], set(), []
    for n, row in enumerate(rows, start=1):
        row = dict(row)
        channel = row.get("channel") or n
        try:
            channel = int(channel)
        except (TypeError, ValueError):
            problems.append(f"Row {n}: the channel is a number.")
            continue
        if not 1 <= channel <= MAX_INPUT_CHANNELS:
            problems.append(f"Row {n}: channels go from 1 to {MAX_INPUT_CHANNELS}.")
        elif channel in seen:
            problems.append(f"Channel {channel} is listed twice.")
        seen.add(channel)
        entry = {"channel": channel}
        for field, top in INPUT_FIELDS.items():
            text = str(row.get(field) or "").strip()
            if len(text) > top:
                problems.append(f"Channel {channel}: {field} is longer than {top} characters.")
            entry[field] = text[:top]
        if not entry["source"]:
            problems.append(f"Channel {channel}: say what is plugged in (the source).")
        clean.append(entry)
    if problems:
        errors["inputs"] = problems
    return clean


def _clean(act: Act, kind: str, fields: dict) -> tuple[dict, list[dict] | None]:
    allowed = TECHNICAL_FIELDS if kind == RiderKind.TECHNICAL else HOSPITALITY_FIELDS
    errors: dict[str, list[str]] = {}
    for name in set(fields) - set(allowed):
        errors[name] = [f"A {RiderKind(kind).label.lower()} has no {LABELS.get(name, name).lower()}."]
    out: dict = {}
    counts = TECHNICAL_COUNTS if kind == RiderKind.TECHNICAL else HOSPITALITY_COUNTS
    texts = TECHNICAL_TEXTS if kind == RiderKind.TECHNICAL else HOSPITALITY_TEXTS
    inputs = None
    for name, value in fields.items():
        if name in counts:
            out[name] = _count(name, value, counts[name], errors)
        elif name in texts:
            text = str(value or "").strip()
            if len(text) > texts[name]:
                errors[name] = [f"Keep it under {texts[name]} characters."]
            out[name] = text
        elif name in ("stage_width_m", "stage_depth_m"):
            out[name] = _metres(name, value, errors)
        elif name in ("backline_brings", "backline_needs"):
            out[name] = _backline(name, value, errors)
        elif name == "three_phase":
            out[name] = bool(value)
        elif name == "monitor_mixes":
            mixes = [str(m or "").strip() for m in (value or [])]
            if len(mixes) > MAX_MONITOR_MIXES:
                errors[name] = [f"At most {MAX_MONITOR_MIXES} monitor mixes."]
            elif any(len(m) > 120 for m in mixes):
                errors[name] = ["Keep each mix's notes under 120 characters."]
            out[name] = mixes
        elif name == "stage_plot_id":
            out[name] = value or None
            if value and not act.workspace.assets.filter(pk=value).exists():
                errors[name] = ["Choose a stage plot from the act's media library."]
        elif name == "inputs":
            inputs = _inputs(value, errors)
    if errors:
        raise Invalid("The rider has mistakes; nothing was saved.", errors=errors)
    return out, inputs


# --- writes ------------------------------------------------------------------------------------------

def _act_locked(actor, workspace_id: int) -> Act:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    act = Act.objects.select_for_update().filter(workspace=access.workspace).select_related("workspace").first()
    if act is None:
        raise NotFound("This workspace is not an act.")
    return act


def _rider_locked(actor, workspace_id: int, rider_id: int) -> tuple[Act, Rider]:
    act = _act_locked(actor, workspace_id)
    rider = Rider.objects.select_for_update().filter(act=act, pk=rider_id).first()
    if rider is None:
        raise NotFound("No such rider.")
    return act, rider


def rider_draft(*, actor, workspace_id: int, kind: str) -> Rider:
    """The act's draft of a rider: the existing one, or a new version copied from the one in force."""
    if kind not in RiderKind.values:
        raise Invalid("Unknown kind of rider.", errors={"kind": ["Choose a technical or a hospitality rider."]})
    with transaction.atomic():
        act = _act_locked(actor, workspace_id)
        draft = Rider.objects.filter(act=act, kind=kind, status=RiderStatus.DRAFT).first()
        if draft is not None:
            return draft
        current = Rider.objects.filter(act=act, kind=kind, status=RiderStatus.CURRENT).prefetch_related("inputs").first()
        top = Rider.objects.filter(act=act, kind=kind).aggregate(top=Max("version"))["top"] or 0
        draft = Rider.objects.create(act=act, kind=kind, version=top + 1, created_by=actor,
                                     **({f: getattr(current, f) for f in COPIED} if current else {}))
        if current is not None:
            InputChannel.objects.bulk_create([
                InputChannel(rider=draft, **{f: getattr(c, f) for f in ("channel", *INPUT_FIELDS)})
                for c in current.inputs.all()])
        audit.record(actor=actor, action="rider.drafted", obj=draft, after={"version": draft.version},
                     workspace_id=workspace_id)
    return draft


def rider_update(*, actor, workspace_id: int, rider_id: int, **fields) -> Rider:
    """Change a draft. ``inputs`` replaces the whole input list. A published version is refused (409)."""
    with transaction.atomic():
        act, rider = _rider_locked(actor, workspace_id, rider_id)
        if rider.status != RiderStatus.DRAFT:
            raise Conflict("A published rider never changes: start a new draft to edit it.", code="rider_published",
                           conflicting={"type": "rider", "id": rider.pk, "version": rider.version})
        values, inputs = _clean(act, rider.kind, fields)
        changed = {k: v for k, v in values.items() if getattr(rider, k) != v}
        for name, value in changed.items():
            setattr(rider, name, value)
        rider.save()
        if inputs is not None:
            rider.inputs.all().delete()
            InputChannel.objects.bulk_create([InputChannel(rider=rider, **row) for row in inputs])
            changed["inputs"] = len(inputs)
        if changed:
            audit.record(actor=actor, action="rider.edited", obj=rider, after=changed, workspace_id=workspace_id)
    return rider


def rider_publish(*, actor, workspace_id: int, rider_id: int) -> Rider:
    """Put a draft in force; the version in force until now is replaced (and stays as history)."""
    with transaction.atomic():
        act, rider = _rider_locked(actor, workspace_id, rider_id)
        if rider.kind == RiderKind.TECHNICAL and rider.status == RiderStatus.DRAFT and not rider.inputs.exists():
            raise Invalid("A technical rider needs its input list.", errors={"inputs": ["Add at least one channel."]})
        old = Rider.objects.select_for_update().filter(act=act, kind=rider.kind, status=RiderStatus.CURRENT).first()
        rider_transition(rider, RiderStatus.CURRENT)  # 409 for a version published already
        if old is not None:
            rider_transition(old, RiderStatus.SUPERSEDED)
            old.save(update_fields=["status", "updated_at"])
        rider.published_at, rider.published_by = timezone.now(), actor
        rider.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit.record(actor=actor, action="rider.published", obj=rider,
                     before={"in_force": old.version if old else None}, after={"in_force": rider.version},
                     workspace_id=workspace_id)
    return rider


def rider_discard(*, actor, workspace_id: int, rider_id: int) -> Rider:
    """Throw a draft away (its input list with it); the version in force and the history stay as they were.
    A version that was in force is never thrown away (409): it is history, and offers may record it."""
    with transaction.atomic():
        act, rider = _rider_locked(actor, workspace_id, rider_id)
        if rider.status != RiderStatus.DRAFT:
            raise Conflict("Only a draft can be thrown away: a version that was in force stays in the history.",
                           code="rider_published", conflicting={"type": "rider", "id": rider.pk, "version": rider.version})
        audit.record(actor=actor, action="rider.discarded", obj=rider, before={"version": rider.version},
                     workspace_id=workspace_id)
        rider.delete()
    return rider


def rider_view_access(*, actor, workspace_id: int) -> tuple[WorkspaceAccess, Act]:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_VIEW)
    return access, act_of(access)
