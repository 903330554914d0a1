"""The audit log: every service that changes money or state calls ``record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of ``obj`` as JSON-safe values (foreign keys as ids, files as names)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        out[name] = _jsonable(value)
    return out


def record(*, actor, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None,
           workspace_id: int | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        workspace_id=workspace_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def history_for(obj: models.Model):
    """An object's audit entries, newest first, with their actors (one query)."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(object_type=ct, object_id=str(obj.pk)).select_related("actor", "object_type")


def check_known_fields(changes: dict, allowed) -> None:
    from .errors import Invalid

    unknown = set(changes) - set(allowed)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}")


def apply_audited_changes(obj: models.Model, *, actor, action: str, fields, changes: dict, workspace_id: int | None,
                          exclude=()) -> models.Model:
    """Set ``changes`` on a locked ``obj`` (strings stripped), validate, save and audit the difference.

    The shared tail of every "edit these fields" service; nothing is saved if validation fails."""
    from .validation import validate_model

    before = snapshot(obj, fields)
    for field, value in changes.items():
        setattr(obj, field, value.strip() if isinstance(value, str) else value)
    validate_model(obj, exclude=exclude)
    obj.save()
    after = snapshot(obj, fields)
    if after != before:
        record(actor=actor, action=action, obj=obj, before=before, after=after, workspace_id=workspace_id)
    return obj
