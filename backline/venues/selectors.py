from django.db.models import Count

from backline.accounts.permissions import WorkspaceAccess

from .models import Venue


def venues_for(access: WorkspaceAccess):
    # Explicit order: Meta.ordering is dropped from aggregate (GROUP BY) queries, which left pages unordered.
    return (Venue.objects.filter(workspace=access.workspace).annotate(stage_count=Count("stages"))
            .order_by("name", "pk").prefetch_related("stages"))
