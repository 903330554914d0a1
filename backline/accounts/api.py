"""Accounts API: tokens, the caller's profile, workspaces, members, invitations and history."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backline.core.api import ERROR_RESPONSES, Problem
from backline.core.errors import Invalid, Unauthenticated

from . import selectors, services, tokens
from .auth import check_login
from .models import Workspace, WorkspaceKind
from .permissions import AUDIT_VIEW, MEMBERS_MANAGE, MEMBERS_VIEW, WORKSPACE_VIEW, access_workspace
from .schemas import (
    AuditOut,
    InvitationIn,
    InvitationOut,
    LoginIn,
    MemberOut,
    MyInvitationOut,
    ProfileIn,
    RoleIn,
    SocialLinksIn,
    TokenOut,
    UserOut,
    WorkspaceCreateIn,
    WorkspaceOut,
    WorkspacePatchIn,
)

REFRESH_COOKIE = "backline_refresh"
REFRESH_PATH = "/api/v1/auth/"

auth_router = Router(tags=["auth"])
router = Router(tags=["accounts"])


def _with_refresh_cookie(response: HttpResponse, raw: str) -> HttpResponse:
    response.set_cookie(REFRESH_COOKIE, raw, max_age=int(settings.JWT_REFRESH_TTL.total_seconds()),
                        path=REFRESH_PATH, httponly=True, secure=settings.PRODUCTION, samesite="Strict")
    return response


def _token_response(access: str, expires_in: int, raw_refresh: str) -> HttpResponse:
    from django.http import JsonResponse

    return _with_refresh_cookie(
        JsonResponse({"access_token": access, "token_type": "Bearer", "expires_in": expires_in}), raw_refresh)


@auth_router.post("/login", auth=None, response={200: TokenOut, 401: Problem, 422: Problem, 429: Problem})
def login(request, payload: LoginIn):
    """Exchange email and password for a short-lived access token; the refresh token is set as an
    httpOnly cookie scoped to /api/v1/auth/."""
    user = check_login(request, email=payload.email, password=payload.password)
    return _token_response(*tokens.issue_access_token(user), tokens.issue_refresh_token(user))


@auth_router.post("/refresh", auth=None, response={200: TokenOut, 401: Problem})
def refresh(request):
    """Rotate the refresh cookie and get a new access token. The same cookie presented again within
    ``JWT_REFRESH_GRACE_SECONDS`` (default 30) of its rotation, e.g. by a second tab refreshing at the
    same moment, gets the same new pair. Reusing a spent refresh token after that revokes the whole
    token family (every session started from the same login): 401 ``refresh_reused``."""
    raw = request.COOKIES.get(REFRESH_COOKIE)
    if not raw:
        raise Unauthenticated("No refresh token.", code="refresh_missing")
    rotation = tokens.rotate_refresh_token(raw)
    return _token_response(rotation.access, rotation.expires_in, rotation.refresh)


@auth_router.post("/logout", auth=None, response={204: None})
def logout(request):
    """Revoke the refresh token family and clear the cookie."""
    raw = request.COOKIES.get(REFRESH_COOKIE)
    if raw:
        tokens.revoke_refresh_family(raw)
    response = HttpResponse(status=204)
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH)
    return response


@auth_router.get("/me", response={200: UserOut, 401: Problem})
def me(request):
    return request.auth


# --- profile --------------------------------------------------------------------------------------

@router.get("/me", response={200: UserOut, **ERROR_RESPONSES})
def profile(request):
    return request.auth


@router.patch("/me", response={200: UserOut, **ERROR_RESPONSES})
def profile_update(request, payload: ProfileIn):
    return services.user_update_profile(actor=request.auth, **payload.dict(exclude_unset=True))


@router.post("/me/avatar", response={200: UserOut, **ERROR_RESPONSES})
def profile_avatar(request, avatar: UploadedFile = File(...)):
    """Upload a profile picture (multipart field ``avatar``: JPEG, PNG or WebP, at most 5 MB)."""
    from .forms import check_avatar

    check_avatar(avatar)
    return services.user_update_profile(actor=request.auth, avatar=avatar)


@router.delete("/me/avatar", response={200: UserOut, **ERROR_RESPONSES})
def profile_avatar_delete(request):
    return services.user_update_profile(actor=request.auth, avatar=None)


# --- workspaces -----------------------------------------------------------------------------------

def _workspace_out(access):
    ws = Workspace.objects.prefetch_related("social_links").get(pk=access.workspace.pk)
    ws.my_role = access.role
    return ws


@router.get("/workspaces", response=list[WorkspaceOut])
@paginate
def workspace_list(request):
    """The caller's workspaces, with the caller's role in each."""
    memberships = list(selectors.memberships_for_user(request.auth))
    roles = {m.workspace_id: m.role for m in memberships}
    qs = Workspace.objects.filter(pk__in=roles).prefetch_related("social_links").order_by("name")

    items = list(qs)
    for ws in items:
        ws.my_role = roles[ws.pk]
    return items


@router.post("/workspaces", response={201: WorkspaceOut, **ERROR_RESPONSES})
def workspace_create(request, payload: WorkspaceCreateIn):
    """Create a promoter or agency workspace (acts: ``POST /acts``; venues: ``POST /venues``)."""
    if payload.kind not in (WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY):
        raise Invalid("Use POST /acts or POST /venues for those kinds.",
                      errors={"kind": ["Choose promoter or agency here."]})
    data = payload.dict()
    ws = services.workspace_create(actor=request.auth, **data)
    return 201, _workspace_out(access_workspace(user=request.auth, workspace_id=ws.pk))


@router.get("/workspaces/{workspace_id}", response={200: WorkspaceOut, **ERROR_RESPONSES})
def workspace_detail(request, workspace_id: int):
    return _workspace_out(access_workspace(user=request.auth, workspace_id=workspace_id, capability=WORKSPACE_VIEW))


@router.patch("/workspaces/{workspace_id}", response={200: WorkspaceOut, **ERROR_RESPONSES})
def workspace_update(request, workspace_id: int, payload: WorkspacePatchIn):
    data = payload.dict(exclude_unset=True)
    geoname_id = data.pop("geoname_id", "")
    services.workspace_update(actor=request.auth, workspace_id=workspace_id, geoname_id=geoname_id, **data)
    return _workspace_out(access_workspace(user=request.auth, workspace_id=workspace_id))


@router.put("/workspaces/{workspace_id}/social-links", response={200: WorkspaceOut, **ERROR_RESPONSES})
def workspace_links(request, workspace_id: int, payload: SocialLinksIn):
    services.workspace_set_social_links(actor=request.auth, workspace_id=workspace_id,
                                        links=[(link.platform, link.url) for link in payload.links])
    return _workspace_out(access_workspace(user=request.auth, workspace_id=workspace_id))


@router.post("/workspaces/{workspace_id}/leave", response={204: None, **ERROR_RESPONSES})
def workspace_leave(request, workspace_id: int):
    services.membership_leave(actor=request.auth, workspace_id=workspace_id)
    return 204, None


# --- members --------------------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/members", response={200: list[MemberOut], **ERROR_RESPONSES})
@paginate
def member_list(request, workspace_id: int):
    return selectors.members_for(access_workspace(user=request.auth, workspace_id=workspace_id,
                                                  capability=MEMBERS_VIEW))


@router.patch("/workspaces/{workspace_id}/members/{membership_id}", response={200: MemberOut, **ERROR_RESPONSES})
def member_role(request, workspace_id: int, membership_id: int, payload: RoleIn):
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=MEMBERS_MANAGE)
    _same_workspace(workspace_id, membership_id)
    return services.membership_change_role(actor=request.auth, membership_id=membership_id, role=payload.role)


@router.delete("/workspaces/{workspace_id}/members/{membership_id}", response={204: None, **ERROR_RESPONSES})
def member_remove(request, workspace_id: int, membership_id: int):
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=MEMBERS_MANAGE)
    _same_workspace(workspace_id, membership_id)
    services.membership_remove(actor=request.auth, membership_id=membership_id)
    return 204, None


def _same_workspace(workspace_id: int, membership_id: int) -> None:
    from backline.core.errors import NotFound

    from .models import Membership

    if not Membership.objects.filter(pk=membership_id, workspace_id=workspace_id).exists():
        raise NotFound("No such member.")


# --- invitations ----------------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/invitations", response={200: list[InvitationOut], **ERROR_RESPONSES})
@paginate
def invitation_list(request, workspace_id: int, status: str | None = "pending"):
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=MEMBERS_MANAGE)
    return selectors.invitations_for(access, status=status or None)


@router.post("/workspaces/{workspace_id}/invitations", response={201: InvitationOut, **ERROR_RESPONSES})
def invitation_create(request, workspace_id: int, payload: InvitationIn):
    """Invite someone by email. The link expires after 14 days."""
    return 201, services.invitation_create(actor=request.auth, workspace_id=workspace_id, email=payload.email,
                                           role=payload.role)


@router.post("/invitations/{invitation_id}/resend", response={200: InvitationOut, **ERROR_RESPONSES})
def invitation_resend(request, invitation_id: int):
    return services.invitation_resend(actor=request.auth, invitation_id=invitation_id)


@router.post("/invitations/{invitation_id}/revoke", response={200: InvitationOut, **ERROR_RESPONSES})
def invitation_revoke(request, invitation_id: int):
    return services.invitation_revoke(actor=request.auth, invitation_id=invitation_id)


@router.get("/me/invitations", response=list[MyInvitationOut])
@paginate
def my_invitations(request):
    """Invitations waiting for the caller's answer."""
    return selectors.pending_invitations_for_user(request.auth)


@router.post("/invitations/by-token/{token}/accept", response={200: MemberOut, **ERROR_RESPONSES})
def invitation_accept(request, token: UUID):
    return services.invitation_accept(user=request.auth, token=token)


@router.post("/invitations/by-token/{token}/decline", response={204: None, **ERROR_RESPONSES})
def invitation_decline(request, token: UUID):
    services.invitation_decline(user=request.auth, token=token)
    return 204, None


# --- history --------------------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/audit", response={200: list[AuditOut], **ERROR_RESPONSES})
@paginate
def audit_list(request, workspace_id: int, object_type: str | None = None, object_id: str | None = None):
    """Every recorded change in the workspace, newest first (owners and admins). ``object_type``
    (e.g. ``invitation``, ``membership``, ``workspace``) and ``object_id`` narrow it to one object's history."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=AUDIT_VIEW)
    return selectors.audit_for(access, object_type=object_type, object_id=object_id)
