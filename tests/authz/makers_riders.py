"""Makers for the riders routes: a draft technical rider (one channel, so it can be published) of the
world's act; for a world of another kind, a rider of some other act (its routes answer 404 there)."""

from __future__ import annotations

from .makers_represent import new_act


def _rider_id(world) -> int:
    from backline.artists import riders

    if world.kind == "act":
        ws_id, actor = world.workspace.pk, world.owner
    else:
        act, actor = new_act()
        ws_id = act.workspace_id
    draft = riders.rider_draft(actor=actor, workspace_id=ws_id, kind="technical")
    return riders.rider_update(actor=actor, workspace_id=ws_id, rider_id=draft.pk,
                               inputs=[{"channel": 1, "source": "Vocals", "mic": "SM58"}]).pk


MAKERS: dict = {"rider_id": _rider_id}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
