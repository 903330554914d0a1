from django.utils.functional import cached_property

from .selectors import BADGE_CAP, unread_count


class Bell:
    """The navbar bell's unread count: one index-only query, and only on a page that shows the bell."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user, cap=BADGE_CAP)

    @property
    def label(self) -> str:
        return f"{BADGE_CAP - 1}+" if self.count >= BADGE_CAP else str(self.count)


def notification_bell(request):
    user = getattr(request, "user", None)
    return {"bell": Bell(user)} if getattr(user, "is_authenticated", False) else {}
