"""Authorisation table entries for the media library (merged into table.WEB and table.API). Every kind
of workspace keeps one; ``media.view`` looks, ``media.manage`` uploads, edits and deletes."""

from __future__ import annotations

from backline.accounts.permissions import MEDIA_MANAGE, MEDIA_VIEW

from .table import GET_POST, POST, Member

WEB: dict = {
    "media_library": Member(MEDIA_VIEW),
    # A form post without a file shows the page again with its error (the matrix sends no multipart).
    "media_upload": Member(MEDIA_MANAGE, POST),
    # Upload in place from a form's media picker; without the picker's signed settings it goes back with a message.
    "media_pick_upload": Member(MEDIA_MANAGE, POST),
    "media_edit": Member(MEDIA_MANAGE, POST, body={"title": "Matrix", "credit": "Photo: Matrix", "kind": "photo"}),
    "media_delete": Member(MEDIA_MANAGE, GET_POST, fresh=("asset_id",)),
}

API: dict = {
    ("GET", "/api/v1/workspaces/{workspace_id}/media"): Member(MEDIA_VIEW),
    # multipart; a request without the file reaches the permission check and is a 422 for allowed callers
    ("POST", "/api/v1/workspaces/{workspace_id}/media"): Member(MEDIA_MANAGE, POST),
    ("GET", "/api/v1/workspaces/{workspace_id}/media/{asset_id}"): Member(MEDIA_VIEW),
    ("PATCH", "/api/v1/workspaces/{workspace_id}/media/{asset_id}"): Member(MEDIA_MANAGE, ("PATCH",),
                                                                            body={"credit": "Photo: Matrix"}),
    ("DELETE", "/api/v1/workspaces/{workspace_id}/media/{asset_id}"): Member(MEDIA_MANAGE, ("DELETE",),
                                                                             fresh=("asset_id",)),
}
