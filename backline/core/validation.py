from django.core.exceptions import ValidationError

from .errors import Invalid


def validate_model(obj, *, exclude=()) -> None:
    """Run the model's own validation; turn failures into ``Invalid`` with field errors (→ 422)."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        raise Invalid("Please correct the errors below.", errors=exc.message_dict) from exc
