"""Writes and reads for the represents relation: an agency asks to represent an act (or the act invites
the agency); the other side accepts or declines; either side ends it. Asking and answering take
``workspace.edit`` (owners and admins) on the side that acts; each change is audited in both
workspaces' history and announced (``artists.events.representation_changed``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from backline.accounts.models import Workspace, WorkspaceKind
from backline.accounts.permissions import WORKSPACE_EDIT, access_workspace
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.events import emit

from .events import representation_changed
from .models import Act, Representation, RepresentationStatus
from .workflow import representation_transition

S = RepresentationStatus


def _record(actor, action: str, rep: Representation, **changes) -> None:
    after = {"status": rep.status, **changes}
    for workspace_id in (rep.agency_id, rep.act.workspace_id):
        audit.record(actor=actor, action=action, obj=rep, after=after, workspace_id=workspace_id)
    emit(representation_changed, representation_id=rep.pk, what=action, actor_id=actor.pk)


def _create(actor, *, agency: Workspace, act: Act, asked_by_agency: bool) -> Representation:
    def exists(live: Representation):
        state = "already represents" if live.status == S.ACTIVE else "has an open request with"
        return Conflict(f"{agency.name} {state} {act.workspace.name}.", code="representation_exists",
                        conflicting={"type": "representation", "id": live.pk})

    live = Representation.objects.filter(agency=agency, act=act).exclude(status=S.ENDED).first()
    if live is not None:
        raise exists(live)
    try:
        with transaction.atomic():  # two people asking at once: the constraint keeps one, the other hears why
            rep = Representation.objects.create(agency=agency, act=act, asked_by_agency=asked_by_agency, asked_by=actor)
    except IntegrityError:
        raise exists(Representation.objects.filter(agency=agency, act=act).exclude(status=S.ENDED).get()) from None
    _record(actor, "representation.requested", rep)
    return rep


def representation_request(*, actor, agency_workspace_id: int, act_workspace_id: int | None) -> Representation:
    """An agency asks to represent an act (the act's owners and admins answer)."""
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=agency_workspace_id, capability=WORKSPACE_EDIT)
        if access.workspace.kind != WorkspaceKind.AGENCY:
            raise NotFound("Only agencies represent acts.")
        act = Act.objects.select_related("workspace").filter(workspace_id=act_workspace_id).first()
        if act is None:
            raise Invalid("Unknown act.", errors={"act_workspace_id": ["Choose an act on Backline."]})
        return _create(actor, agency=access.workspace, act=act, asked_by_agency=True)


def representation_invite(*, actor, act_workspace_id: int, agency_workspace_id: int | None) -> Representation:
    """An act invites an agency to represent it (the agency's owners and admins answer)."""
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=act_workspace_id, capability=WORKSPACE_EDIT)
        act = Act.objects.select_related("workspace").filter(workspace=access.workspace).first()
        if act is None:
            raise NotFound("This workspace is not an act.")
        agency = Workspace.objects.filter(pk=agency_workspace_id, kind=WorkspaceKind.AGENCY).first()
        if agency is None:
            raise Invalid("Unknown agency.", errors={"agency_workspace_id": ["Choose an agency on Backline."]})
        return _create(actor, agency=agency, act=act, asked_by_agency=False)


def _mine(actor, workspace_id: int, representation_id: int) -> tuple[Representation, bool]:
    """The representation, locked, as one of its sides sees it, and whether that side is the agency.
    Anyone else gets 404."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_EDIT)
    ws = access.workspace
    rep = (Representation.objects.select_for_update(of=("self",)).select_related("agency", "act__workspace")
           .filter(Q(agency=ws) | Q(act__workspace=ws), pk=representation_id).first())
    if rep is None:
        raise NotFound("No such representation.")
    return rep, rep.agency_id == ws.pk


def _answer(actor, workspace_id: int, representation_id: int, *, accept: bool) -> Representation:
    with transaction.atomic():
        rep, is_agency = _mine(actor, workspace_id, representation_id)
        if rep.status == S.REQUESTED and is_agency == rep.asked_by_agency:
            raise Conflict("The other side answers this request; you can withdraw it.", code="not_yours_to_answer",
                           conflicting={"type": "representation", "id": rep.pk})
        now = timezone.now()
        if accept:
            representation_transition(rep, S.ACTIVE)
            rep.granted_by, rep.granted_at = actor, now
        else:
            representation_transition(rep, S.ENDED)
            rep.ended_by, rep.ended_at, rep.end_reason = actor, now, "declined"
        rep.save()
        _record(actor, "representation.accepted" if accept else "representation.declined", rep)
    return rep


def representation_accept(*, actor, workspace_id: int, representation_id: int) -> Representation:
    return _answer(actor, workspace_id, representation_id, accept=True)


def representation_decline(*, actor, workspace_id: int, representation_id: int) -> Representation:
    return _answer(actor, workspace_id, representation_id, accept=False)


def representation_end(*, actor, workspace_id: int, representation_id: int) -> Representation:
    """Either side ends an active representation, or the side that asked withdraws its request. The
    agency asks no more dates for the act; inquiries already sent stay with the act and the venue."""
    with transaction.atomic():
        rep, _ = _mine(actor, workspace_id, representation_id)
        representation_transition(rep, S.ENDED)
        rep.ended_by, rep.ended_at, rep.end_reason = actor, timezone.now(), "ended"
        rep.save()
        _record(actor, "representation.ended", rep)
    return rep


# --- reads ------------------------------------------------------------------------------------------

def representations_for(workspace: Workspace):
    """A workspace's representations (an agency's acts, or an act's agencies): requests waiting first, then
    active ones, then ended ones, newest first in each."""
    field = "agency" if workspace.kind == WorkspaceKind.AGENCY else "act__workspace"
    live_first = Case(When(status=S.REQUESTED, then=Value(0)), When(status=S.ACTIVE, then=Value(1)), default=Value(2))
    return (Representation.objects.filter(**{field: workspace}).select_related("agency", "act__workspace")
            .order_by(live_first, "-created_at"))


def represented_acts(agency: Workspace):
    """The acts the agency represents now."""
    return (Act.objects.filter(representations__agency=agency, representations__status=S.ACTIVE)
            .select_related("workspace").order_by("workspace__name"))


def represents(*, agency_workspace_id: int, act_id: int) -> bool:
    return Representation.objects.filter(agency_id=agency_workspace_id, act_id=act_id, status=S.ACTIVE).exists()


def awaits(rep: Representation, workspace: Workspace) -> bool:
    """The request waits for ``workspace``'s answer."""
    return rep.status == S.REQUESTED and (rep.agency_id == workspace.pk) != rep.asked_by_agency
