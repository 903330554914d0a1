"""Authorisation table entries for the represents relation and an agency's inquiries on behalf of an
act (merged into table.WEB and table.API)."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

ACTS_AND_AGENCIES = ("act", "agency")


def _partner_form() -> dict:
    """Any workspace id: an agency's or an act's form answers with the page (an unknown choice is a form error)."""
    from .makers_represent import new_agency

    return {"partner": str(new_agency().pk)}


def _partner_json() -> dict:
    from .makers_represent import new_act

    return {"partner_workspace_id": new_act()[0].workspace_id}  # an act world's invite answers 422


WEB: dict = {
    "act_agencies": Member(BOOKINGS_VIEW, kinds=ACTS),  # noqa: F405
    "act_agency_invite": Member(WORKSPACE_EDIT, POST, kinds=ACTS, body=_partner_form),  # noqa: F405
    "represented_acts": Member(BOOKINGS_VIEW, kinds=AGENCIES),  # noqa: F405
    "represented_act_request": Member(WORKSPACE_EDIT, POST, kinds=AGENCIES, body=_partner_form),  # noqa: F405
    "representation_accept": Member(WORKSPACE_EDIT, POST, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",)),  # noqa: F405
    "representation_decline": Member(WORKSPACE_EDIT, POST, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",)),  # noqa: F405
    "representation_end": Member(WORKSPACE_EDIT, POST, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",)),  # noqa: F405
    # the agency's ask form; a POST without a choice answers the form with its errors
    "agency_ask": Member(BOOKINGS_MANAGE, GET_POST, kinds=AGENCIES, body={}),  # noqa: F405
}
API: dict = {
    ("GET", "/api/v1/workspaces/{workspace_id}/representations"): Member(BOOKINGS_VIEW, kinds=ACTS_AND_AGENCIES),  # noqa: F405
    ("POST", "/api/v1/workspaces/{workspace_id}/representations"):
        Member(WORKSPACE_EDIT, kinds=ACTS_AND_AGENCIES, body=_partner_json),  # noqa: F405
    ("POST", "/api/v1/workspaces/{workspace_id}/representations/{representation_id}/accept"):
        Member(WORKSPACE_EDIT, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",), body={}),  # noqa: F405
    ("POST", "/api/v1/workspaces/{workspace_id}/representations/{representation_id}/decline"):
        Member(WORKSPACE_EDIT, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",), body={}),  # noqa: F405
    ("POST", "/api/v1/workspaces/{workspace_id}/representations/{representation_id}/end"):
        Member(WORKSPACE_EDIT, kinds=ACTS_AND_AGENCIES, fresh=("representation_id",), body={}),  # noqa: F405
    ("POST", "/api/v1/agencies/{workspace_id}/acts/{act_workspace_id}/inquiries"):
        Member(BOOKINGS_MANAGE, kinds=AGENCIES, fresh=("act_workspace_id",), body=ask_json),  # noqa: F405
}
