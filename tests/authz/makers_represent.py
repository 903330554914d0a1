"""Makers for the represents relation (an agency represents an act) in the matrix worlds: a
representation waiting for the world's answer, and an act the world's agency represents."""

from __future__ import annotations

from tests.factories import UserFactory

from .table import berlin_id, unique


def new_agency():
    from backline.accounts.services import workspace_create

    return workspace_create(actor=UserFactory(), kind="agency", name=unique("Matrix agency"), geoname_id=berlin_id())


def new_act():
    from backline.artists.services import act_create

    owner = UserFactory()
    return act_create(actor=owner, name=unique("Matrix act"), geoname_id=berlin_id()), owner


def _representation_id(world) -> int:
    """A request that waits for the world's answer: an agency asks an act world; an act invites an agency world."""
    from backline.artists import representations as reps

    if world.kind == "act":
        agency = new_agency()
        return reps.representation_request(actor=agency.memberships.get().user, agency_workspace_id=agency.pk,
                                           act_workspace_id=world.workspace.pk).pk
    act, owner = new_act()
    return reps.representation_invite(actor=owner, act_workspace_id=act.workspace_id,
                                      agency_workspace_id=world.workspace.pk).pk


def _act_workspace_id(world) -> int:
    """An act the world's agency represents now (invited by the act, accepted by the agency)."""
    from backline.artists import representations as reps

    act, owner = new_act()
    rep = reps.representation_invite(actor=owner, act_workspace_id=act.workspace_id, agency_workspace_id=world.workspace.pk)
    reps.representation_accept(actor=world.owner, workspace_id=world.workspace.pk, representation_id=rep.pk)
    return act.workspace_id


MAKERS: dict = {"representation_id": _representation_id, "act_workspace_id": _act_workspace_id}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
