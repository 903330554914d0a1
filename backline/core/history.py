"""The audit log in words people use: each entry as a sentence, each change as a labelled value.

Core knows no higher app, so the words come from a registry that apps fill in their ``ready()``
(as ``accounts.ui`` does for the navigation):

* ``register_actions({"outbound_email.follow_up_drafted": "{actor} drafted a follow-up email: {object}"})``
  — a sentence per action code, with ``{actor}`` (who did it, or "Backline") and ``{object}`` (what it
  was done to, as recorded). An action nobody registered still reads as words, never as its code:
  "outbound_email.follow_up_drafted" → "Follow-up drafted".
* ``register_variant("booking.offer_made", when="quoted_to", sentence="{actor} sent a quote to {value}…")``
  — another sentence for the entries that record that field (an agency's quote is an offer to its client).
* ``register_fields({"starts_at": "Starts"})`` — labels of recorded fields (others are humanised:
  ``hold_expires_at`` → "Hold expires at"); ``hide_fields(...)`` — fields not worth showing
  (coordinates, internal counters); ``show_only_changes("time_zone")`` — context recorded beside a
  change (the clock its times are at), shown only when it changed from one value to another.
* ``register_values("status", {"hold": "Hold"})`` — labels of stored codes (others in snake case are
  humanised).
* ``register_formatter("rrule", fn)`` — a field whose text needs its own reading.
* ``register_reference("person", User, fields=("user",), name="name")`` — fields that hold ids of
  rows with a name. Every kind wanted on a page is read in one ``UNION ALL`` query, so a page of
  history costs the same number of queries whatever it shows.

Dates and times recorded as ISO text are shown in the viewer's time zone (the active one) and the
house format; tags stored as ",a,b," read as a list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateformat import format as date_format

NOBODY = "Backline"  # the actor of a change no person made (a task, an import, the system)

_ACTIONS: dict[str, str] = {}
_VARIANTS: dict[str, list[tuple[str, str]]] = {}  # action → [(field recorded in "after", sentence)]
_OBJECT_NAMES: dict[str, Callable[[str], str]] = {}  # action → how its object's recorded name reads
_LABELS: dict[str, str] = {}
_HIDDEN: set[str] = set()
_CONTEXT: set[str] = set()  # shown only when changed from one value to another
_VALUES: dict[str, dict[str, str]] = {}
_REFERENCES: dict[str, str] = {}  # field → kind
_KINDS: dict[str, tuple] = {}  # kind → (model, name field or expression, shown)
_FORMATTERS: dict[str, Callable[[object], str | None]] = {}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
_CODE = re.compile(r"^[a-z]+(_[a-z]+)+$")
_TAGS = re.compile(r"^,(?:[^,]+,)*$")
DATETIME_FORMAT = "D j M Y, H:i"
DATE_FORMAT = "D j M Y"


def register_actions(sentences: dict[str, str], *, obj: Callable[[str], str] | None = None) -> None:
    """Sentences per action code. ``obj`` rewrites the recorded object's name for these actions (a
    booking's reference dropped from its title, a message's Markdown marks dropped)."""
    _ACTIONS.update(sentences)
    if obj is not None:
        _OBJECT_NAMES.update(dict.fromkeys(sentences, obj))


def register_variant(action: str, *, when: str, sentence: str) -> None:
    """Another sentence for the entries of ``action`` whose ``after`` records ``when`` (an agency's quote
    is an offer recorded with the client it went to): ``{value}`` in it is that recorded value."""
    _VARIANTS.setdefault(action, []).append((when, sentence))


def object_name(action: str, recorded: str) -> str:
    rewrite = _OBJECT_NAMES.get(action)
    return rewrite(recorded) if rewrite else recorded


def register_fields(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def hide_fields(*names: str) -> None:
    _HIDDEN.update(names)


def show_only_changes(*names: str) -> None:
    _CONTEXT.update(names)


def register_values(field_name: str, labels: dict[str, str]) -> None:
    _VALUES.setdefault(field_name, {}).update({str(k): str(v) for k, v in labels.items()})


def register_formatter(field_name: str, formatter: Callable[[object], str | None]) -> None:
    """A field whose stored text needs its own reading (a repeat pattern: "Every Monday")."""
    _FORMATTERS[field_name] = formatter


def register_reference(kind: str, model, *, fields: Iterable[str], name="name",
                       shown: Callable[[str], str] | None = None) -> None:
    """Fields holding ids of ``model`` rows, read as their ``name`` (a field name or an expression).
    Every kind wanted on a page is read in one query (a ``UNION ALL``); ``shown`` rewrites a name for
    reading."""
    _KINDS[kind] = (model, name, shown)
    for field_name in fields:
        _REFERENCES[field_name] = kind


def action_codes() -> set[str]:
    """Every registered action code (the check that no page shows one reads this)."""
    return set(_ACTIONS)


def humanise(code: str) -> str:
    """"follow_up_drafted" → "Follow-up drafted"; "hold_expires_at" → "Hold expires at"."""
    words = code.replace("-", "_").split("_")
    text = " ".join(w for w in words if w)
    text = re.sub(r"\bfollow up\b", "follow-up", text)
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    """An action in a few words, without who did it: the fallback sentence, and the booking timeline's."""
    return humanise(action.rsplit(".", 1)[-1])


def sentence(action: str, *, actor: str, obj: str, after: dict | None = None) -> str:
    template = _ACTIONS.get(action)
    obj = object_name(action, obj)
    for when, variant in _VARIANTS.get(action, ()):
        if isinstance(after, dict) and after.get(when) not in (None, ""):
            return variant.format(actor=actor, object=obj, value=after[when])
    if template is None:
        return f"{action_label(action)}: {obj}" if obj else action_label(action)
    return template.format(actor=actor, object=obj)


def label(name: str) -> str:
    return _LABELS.get(name) or humanise(name.removesuffix("_id"))


@dataclass
class Change:
    label: str
    before: str | None
    after: str | None


@dataclass
class Described:
    entry: object
    sentence: str
    name: str  # the object's name as people read it
    changes: list[Change] = field(default_factory=list)

    def __getattr__(self, name):  # at, actor, object_type, object_id, object_repr of the entry
        return getattr(self.entry, name)


def _format_time_text(value: str) -> str:
    if _ISO_DATETIME.match(value):
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        return date_format(timezone.localtime(when), DATETIME_FORMAT)
    if _ISO_DATE.match(value):
        try:
            return date_format(dt.date.fromisoformat(value), DATE_FORMAT)
        except ValueError:
            return value
    if _ISO_TIME.match(value):
        return value[:5]
    return value


def _span(value) -> str | None:
    """A [start, end] pair of ISO datetimes as one span: "Mon 14 Dec 2026, 19:00–22:00"."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, str) and _ISO_DATETIME.match(v) for v in value)):
        return None
    start, end = (_format_time_text(v) for v in value)
    same_day = start.rsplit(", ", 1)[0] == end.rsplit(", ", 1)[0]
    return f"{start}–{end.rsplit(', ', 1)[-1]}" if same_day else f"{start} – {end}"


def format_value(name: str, value, names: dict | None = None) -> str | None:
    """One recorded value for people. ``names`` holds what ``resolve`` found for this field's kind."""
    if value is None or value == "" or value == []:
        return None
    if name in _FORMATTERS:
        return _FORMATTERS[name](value)
    if names is not None and isinstance(value, (int, str)) and not isinstance(value, bool):
        return names.get(str(value), "someone or something since removed" if isinstance(value, int) else value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        span = _span(value)
        if span:
            return span
        parts = [format_value(name, v, names) for v in value]
        joiner = "; " if any(isinstance(v, (list, tuple, dict)) for v in value) else ", "
        return joiner.join(p for p in parts if p) or None
    if isinstance(value, dict):
        parts = [f"{label(k)}: {format_value(k, v) or '—'}" for k, v in value.items() if k != "id" and k not in _HIDDEN]
        return "; ".join(parts) or None
    if isinstance(value, str):
        if name in _VALUES and value in _VALUES[name]:
            return _VALUES[name][value]
        if _TAGS.match(value):
            return ", ".join(t for t in value.split(",") if t) or None
        shown = _format_time_text(value)
        if shown is not value:
            return shown
        if _CODE.match(value):
            return humanise(value)
        return value
    return str(value)


def _ids(value) -> Iterable:
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _ids(v)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield value


def _names(wanted: dict[str, set]) -> dict[str, dict[str, str]]:
    """{kind: {str(id): name}} for every wanted id, in one query (a UNION ALL of each kind's rows)."""
    found: dict[str, dict[str, str]] = {kind: {} for kind in wanted}
    queries = []
    for kind, ids in wanted.items():
        model, name, _ = _KINDS[kind]
        name = F(name) if isinstance(name, str) else name
        queries.append(model._default_manager.filter(pk__in=ids).order_by()
                       .annotate(_kind=Value(kind, output_field=CharField()), _name=Cast(name, CharField()))
                       .values_list("_kind", "pk", "_name"))
    if not queries:
        return found
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    for kind, pk, name in rows:
        shown = _KINDS[kind][2]
        found[kind][str(pk)] = shown(name) if shown else name
    return found


def describe(entries: Iterable) -> list[Described]:
    """The entries (with ``actor`` loaded) as sentences with readable changes; ids of people, workspaces
    and other named things are looked up once per kind for the whole list."""
    entries = list(entries)
    wanted: dict[str, set] = {}
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key, value in side.items():
                if key in _REFERENCES:
                    wanted.setdefault(_REFERENCES[key], set()).update(_ids(value))
    found = _names({kind: ids for kind, ids in wanted.items() if ids})
    out = []
    for entry in entries:
        actor = entry.actor.display_name if getattr(entry, "actor", None) else NOBODY
        described = Described(entry, sentence(entry.action, actor=actor, obj=entry.object_repr, after=entry.after),
                              object_name(entry.action, entry.object_repr))
        for key, old, new in entry.changes:
            if key in _HIDDEN or (key in _CONTEXT and (old is None or new is None)):
                continue
            names = found.get(_REFERENCES[key], {}) if key in _REFERENCES else None
            before, after = format_value(key, old, names), format_value(key, new, names)
            if before != after:
                described.changes.append(Change(label(key), before, after))
        out.append(described)
    return out
