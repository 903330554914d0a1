from django.core.exceptions import ValidationError
from django.db import models

from .errors import Invalid

NULL_MESSAGE = "This field cannot be empty (null); send an empty string to clear it."

# The ranges of PostgreSQL's integer columns, the database CI and production run on. SQLite stores any
# 64-bit integer, so without this a value would pass on SQLite that PostgreSQL refuses.
INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def column_errors(obj: models.Model, *, exclude=()) -> dict[str, list[str]]:
    """What the database itself would refuse, found before it is asked: ``None`` in a NOT NULL column
    (``full_clean`` lets it through for fields with ``blank=True``) and an integer outside its column's
    range (on every database, whatever it enforces)."""
    errors: dict[str, list[str]] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key or getattr(field, "auto_now", False) \
                or getattr(field, "auto_now_add", False):
            continue
        value = getattr(obj, field.attname)
        if value is None:
            if not field.null:
                errors[field.name] = [NULL_MESSAGE]
            continue
        bounds = INTEGER_RANGES.get(field.get_internal_type())
        if bounds and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            errors[field.name] = [f"Give a whole number from {bounds[0]} to {bounds[1]}."]
    return errors


def refuse_nulls(model: type[models.Model], changes: dict) -> None:
    """``Invalid`` naming each of ``changes`` that is ``None`` for a column that cannot hold it: for the
    services that check changes before they reach an instance (the others meet it in ``validate_model``)."""
    errors = {name: [NULL_MESSAGE] for name, value in changes.items()
              if value is None and not model._meta.get_field(name).null}
    if errors:
        raise Invalid("Please correct the errors below.", errors=errors)


def validate_model(obj, *, exclude=()) -> None:
    """Run the model's own validation; turn failures into ``Invalid`` with field errors (→ 422)."""
    errors = column_errors(obj, exclude=exclude)
    try:
        obj.full_clean(exclude=[*exclude, *errors], validate_unique=False)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise Invalid("Please correct the errors below.", errors=errors)
