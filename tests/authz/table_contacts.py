"""Authorisation table entries for the contacts app's (merged into table.WEB and table.API)."""

from __future__ import annotations

from backline.accounts.permissions import CONTACTS_MANAGE, CONTACTS_VIEW

from .table import *  # noqa: F403  (the rule types, kinds and helpers)
from .table import GET_POST, POST, Member, unique

CONTACT_FORM = lambda: {"name": unique("Contact"), "role": "promoter", "tags": "matrix"}  # noqa: E731
CONTACT_JSON = lambda: {"name": unique("Contact"), "role": "agent", "tags": ["matrix"]}  # noqa: E731

WEB: dict = {
    "contact_list": Member(CONTACTS_VIEW),
    "contact_detail": Member(CONTACTS_VIEW),
    "contact_export": Member(CONTACTS_VIEW),
    "contact_duplicates": Member(CONTACTS_VIEW),
    # The ticked contacts: without a selection every allowed caller is sent back to the list; what is
    # done with them is checked again (email: outreach.send; merge and tags: contacts.manage).
    "contact_selected": Member(CONTACTS_VIEW, POST),
    "contact_new": Member(CONTACTS_MANAGE, GET_POST, body=CONTACT_FORM),
    "contact_edit": Member(CONTACTS_MANAGE, GET_POST, body=CONTACT_FORM),
    "contact_delete": Member(CONTACTS_MANAGE, POST, fresh=("contact_id",)),
    # Without another contact chosen, the POST answers with the page again (nothing merged).
    "contact_merge": Member(CONTACTS_MANAGE, GET_POST, fresh=("contact_id",)),
    # A form post without the file shows the form again with its error (the matrix sends no multipart).
    "contact_import": Member(CONTACTS_MANAGE, GET_POST),
    "contact_import_sample": Member(CONTACTS_MANAGE),
}

API: dict = {
    ("GET", "/api/v1/workspaces/{workspace_id}/contacts"): Member(CONTACTS_VIEW),
    ("POST", "/api/v1/workspaces/{workspace_id}/contacts"): Member(CONTACTS_MANAGE, POST, body=CONTACT_JSON),
    ("GET", "/api/v1/workspaces/{workspace_id}/contacts/tags"): Member(CONTACTS_VIEW),
    ("GET", "/api/v1/workspaces/{workspace_id}/contacts/duplicates"): Member(CONTACTS_VIEW),
    # multipart; a request without the file reaches the permission check and is a 422 for allowed callers
    ("POST", "/api/v1/workspaces/{workspace_id}/contacts/import"): Member(CONTACTS_MANAGE, POST),
    ("GET", "/api/v1/workspaces/{workspace_id}/contacts/export"): Member(CONTACTS_VIEW),
    ("GET", "/api/v1/contacts/{contact_id}"): Member(CONTACTS_VIEW),
    ("PATCH", "/api/v1/contacts/{contact_id}"): Member(CONTACTS_MANAGE, ("PATCH",), body={"notes": "Matrix"}),
    ("DELETE", "/api/v1/contacts/{contact_id}"): Member(CONTACTS_MANAGE, ("DELETE",), fresh=("contact_id",)),
    ("GET", "/api/v1/contacts/{contact_id}/history"): Member(CONTACTS_VIEW),
    # An other_id that is no contact of the same workspace is a 422 for allowed callers (nothing merged).
    ("POST", "/api/v1/contacts/{contact_id}/merge"): Member(CONTACTS_MANAGE, POST, fresh=("contact_id",),
                                                            body={"other_id": 0}),
}
