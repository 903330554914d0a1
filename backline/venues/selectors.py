from django.db.models import Count

from backline.accounts.permissions import WorkspaceAccess

from .models import Venue


def venues_for(access: WorkspaceAccess):
    return (Venue.objects.filter(workspace=access.workspace).annotate(stage_count=Count("stages"))
            .prefetch_related("stages"))
