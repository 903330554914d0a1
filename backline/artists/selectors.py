from backline.accounts.permissions import WorkspaceAccess

from .models import Act, ActMember, Genre, Performer


def act_for(access: WorkspaceAccess) -> Act | None:
    """The workspace's act with its genres; read once per request however many panels ask."""
    return access.remember("act", lambda: Act.objects.filter(workspace=access.workspace)
                           .prefetch_related("genres").first())


def line_up_for(access: WorkspaceAccess):
    return ActMember.objects.filter(act__workspace=access.workspace).select_related("user")


def performers_for(access: WorkspaceAccess, *, active: bool | None = None):
    qs = Performer.objects.filter(workspace=access.workspace).select_related("user")
    return qs if active is None else qs.filter(is_active=active)


def genres_search(query: str = ""):
    qs = Genre.objects.all()
    return qs.filter(name__icontains=query.strip()) if query.strip() else qs
