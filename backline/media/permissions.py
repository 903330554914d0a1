"""Who may see and change a workspace's media: ``media.view`` looks, ``media.manage`` uploads, edits and
deletes (owners, admins, coordinators and members; viewers only look). Another workspace's asset is 404."""

from __future__ import annotations

from dataclasses import dataclass

from backline.accounts.permissions import MEDIA_MANAGE, MEDIA_VIEW, WorkspaceAccess, access_workspace
from backline.core.errors import NotFound

from .models import Asset

__all__ = ["MEDIA_MANAGE", "MEDIA_VIEW", "AssetAccess", "access_asset"]


@dataclass(frozen=True)
class AssetAccess:
    asset: Asset
    access: WorkspaceAccess


def access_asset(*, user, asset_id: int, capability: str = MEDIA_VIEW, workspace_id: int | None = None,
                 lock: bool = False) -> AssetAccess:
    """The asset, if ``user`` holds ``capability`` in its workspace (and, when given, the asset belongs
    to ``workspace_id``). Missing or another workspace's: ``NotFound``; a role without it: ``Forbidden``."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such file.")
    qs = Asset.objects.select_for_update(of=("self",)) if lock else Asset.objects
    asset = qs.filter(pk=asset_id).first()
    if asset is None or (workspace_id is not None and asset.workspace_id != workspace_id):
        raise NotFound("No such file.")
    access = access_workspace(user=user, workspace_id=asset.workspace_id, capability=capability)
    return AssetAccess(asset=asset, access=access)
