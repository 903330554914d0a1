"""Writes for acts, their line-ups and agency performers."""

from __future__ import annotations

from django.db import transaction

from backline.accounts.models import Workspace, WorkspaceKind
from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_EDIT, access_workspace
from backline.accounts.services import workspace_create
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.validation import validate_model

from .models import Act, ActMember, ActType, Genre, Performer

MEMBER_FIELDS = ("name", "email", "instruments", "is_optional")
PERFORMER_FIELDS = ("name", "email", "phone", "skills", "is_active")


def _genres(slugs: list[str]) -> list[Genre]:
    slugs = list(dict.fromkeys(slugs or []))
    found = list(Genre.objects.filter(slug__in=slugs))
    missing = set(slugs) - {g.slug for g in found}
    if missing:
        raise Invalid("Unknown genre.", errors={"genres": [f"Unknown genre: {', '.join(sorted(missing))}."]})
    if len(found) > 5:
        raise Invalid("Too many genres.", errors={"genres": ["Choose at most 5 genres."]})
    return found


def act_create(*, actor, name: str, act_type: str = ActType.BAND, genres: list[str] | None = None,
               geoname_id: int | None = None, plays_in_act: bool = True, instruments: str = "", **fields) -> Act:
    """Create an act workspace with its profile; the creator becomes owner (and, usually, a member)."""
    if act_type not in ActType.values:
        raise Invalid("Unknown act type.", errors={"act_type": [f"Choose one of {', '.join(ActType.values)}."]})
    with transaction.atomic():
        genre_objs = _genres(genres or [])
        ws = workspace_create(actor=actor, kind=WorkspaceKind.ACT, name=name, geoname_id=geoname_id, **fields)
        act = Act.objects.create(workspace=ws, act_type=act_type)
        act.genres.set(genre_objs)
        if plays_in_act:
            ActMember.objects.create(act=act, name=actor.display_name, email=actor.email, user=actor,
                                     instruments=instruments)
        audit.record(actor=actor, action="act.created", obj=act,
                     after={"act_type": act_type, "genres": [g.slug for g in genre_objs]}, workspace_id=ws.pk)
    return act


def act_update(*, actor, workspace_id: int, act_type: str | None = None, genres: list[str] | None = None,
               formed_year: int | None | str = "") -> Act:
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_EDIT)
        act = Act.objects.select_for_update().filter(workspace=access.workspace).first()
        if act is None:
            raise NotFound("This workspace is not an act.")
        before = {"act_type": act.act_type, "genres": sorted(act.genres.values_list("slug", flat=True)),
                  "formed_year": act.formed_year}
        if act_type is not None:
            if act_type not in ActType.values:
                raise Invalid("Unknown act type.", errors={"act_type": [f"Choose one of {', '.join(ActType.values)}."]})
            act.act_type = act_type
        if formed_year != "":
            if formed_year is not None and not (1900 <= int(formed_year) <= 2100):
                raise Invalid("Invalid year.", errors={"formed_year": ["Enter a year between 1900 and 2100."]})
            act.formed_year = formed_year
        act.save()
        if genres is not None:
            act.genres.set(_genres(genres))
        after = {"act_type": act.act_type, "genres": sorted(act.genres.values_list("slug", flat=True)),
                 "formed_year": act.formed_year}
        if after != before:
            audit.record(actor=actor, action="act.updated", obj=act, before=before, after=after,
                         workspace_id=workspace_id)
    return act


def _act_for(actor, workspace_id: int, capability=ROSTER_MANAGE) -> Act:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=capability)
    act = Act.objects.filter(workspace=access.workspace).first()
    if act is None:
        raise NotFound("This workspace is not an act.")
    return act


def act_member_add(*, actor, workspace_id: int, name: str, email: str = "", instruments: str = "",
                   is_optional: bool = False) -> ActMember:
    from backline.accounts.models import User

    with transaction.atomic():
        act = _act_for(actor, workspace_id)
        member = ActMember(act=act, name=(name or "").strip(), email=(email or "").strip().lower(),
                           instruments=instruments.strip(), is_optional=is_optional)
        validate_model(member, exclude=["user", "act"])
        if member.email and act.members.filter(email__iexact=member.email).exists():
            raise Conflict(f"{member.email} is already in the line-up.", code="member_exists")
        member.user = User.objects.filter(email__iexact=member.email).first() if member.email else None
        if member.user and act.members.filter(user=member.user).exists():
            raise Conflict(f"{member.user} is already in the line-up.", code="member_exists")
        member.save()
        audit.record(actor=actor, action="act_member.added", obj=member, after=audit.snapshot(member, MEMBER_FIELDS),
                     workspace_id=workspace_id)
    return member


def _locked_member(actor, member_id: int) -> ActMember:
    member = ActMember.objects.select_for_update().select_related("act").filter(pk=member_id).first()
    if member is None:
        raise NotFound("No such member.")
    _act_for(actor, member.act.workspace_id)
    return member


def act_member_update(*, actor, member_id: int, **changes) -> ActMember:
    audit.check_known_fields(changes, MEMBER_FIELDS)
    if isinstance(changes.get("email"), str):
        changes["email"] = changes["email"].strip().lower()  # stored like act_member_add stores it
    with transaction.atomic():
        member = _locked_member(actor, member_id)
        email = changes.get("email")
        if email and member.act.members.filter(email__iexact=email).exclude(pk=member.pk).exists():
            raise Conflict(f"{email} is already in the line-up.", code="member_exists")
        return audit.apply_audited_changes(member, actor=actor, action="act_member.updated", fields=MEMBER_FIELDS,
                                           changes=changes, workspace_id=member.act.workspace_id, exclude=["user", "act"])


def act_member_remove(*, actor, member_id: int) -> None:
    with transaction.atomic():
        member = _locked_member(actor, member_id)
        audit.record(actor=actor, action="act_member.removed", obj=member, before=audit.snapshot(member, MEMBER_FIELDS),
                     workspace_id=member.act.workspace_id)
        member.delete()


def act_member_link_user(*, workspace_id: int, user) -> ActMember | None:
    """When someone joins an act workspace: link their line-up entry by email, or add one."""
    with transaction.atomic():
        act = Act.objects.filter(workspace_id=workspace_id).first()
        if act is None or act.members.filter(user=user).exists():
            return None
        member = act.members.select_for_update().filter(email__iexact=user.email, user__isnull=True).first()
        if member is None:
            member = ActMember.objects.create(act=act, name=user.display_name, email=user.email, user=user)
            action = "act_member.added"
        else:
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            action = "act_member.linked"
        audit.record(actor=user, action=action, obj=member, after={"user": user.email}, workspace_id=workspace_id)
    return member


# --- agency performers ----------------------------------------------------------------------------

def _agency(actor, workspace_id: int) -> Workspace:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    if access.workspace.kind != WorkspaceKind.AGENCY:
        raise NotFound("Only agencies keep performers.")
    return access.workspace


def performer_create(*, actor, workspace_id: int, name: str, email: str = "", phone: str = "",
                     skills: str = "") -> Performer:
    with transaction.atomic():
        ws = _agency(actor, workspace_id)
        performer = Performer(workspace=ws, name=(name or "").strip(), email=(email or "").strip().lower(),
                              phone=phone.strip(), skills=skills.strip())
        validate_model(performer, exclude=["user", "workspace"])
        performer.save()
        audit.record(actor=actor, action="performer.created", obj=performer,
                     after=audit.snapshot(performer, PERFORMER_FIELDS), workspace_id=ws.pk)
    return performer


def _locked_performer(actor, performer_id: int) -> Performer:
    performer = Performer.objects.select_for_update().filter(pk=performer_id).first()
    if performer is None:
        raise NotFound("No such performer.")
    _agency(actor, performer.workspace_id)
    return performer


def performer_update(*, actor, performer_id: int, **changes) -> Performer:
    audit.check_known_fields(changes, PERFORMER_FIELDS)
    with transaction.atomic():
        performer = _locked_performer(actor, performer_id)
        return audit.apply_audited_changes(performer, actor=actor, action="performer.updated", fields=PERFORMER_FIELDS,
                                           changes=changes, workspace_id=performer.workspace_id,
                                           exclude=["user", "workspace"])


def performer_link_user(*, actor, performer_id: int, user_id: int | None) -> Performer:
    """Link a performer record to a member of the agency (or unlink with ``None``)."""
    from backline.accounts.models import Membership

    with transaction.atomic():
        performer = _locked_performer(actor, performer_id)
        before = {"user": performer.user_id}
        if user_id is not None:
            membership = Membership.objects.filter(workspace_id=performer.workspace_id, user_id=user_id).first()
            if membership is None:
                raise Invalid("Not a member.", errors={"user": ["Invite this person to the agency first."]})
            others = Performer.objects.filter(workspace_id=performer.workspace_id, user_id=user_id)
            other = others.exclude(pk=performer.pk).first()
            if other is not None:
                raise Conflict(f"That account is already linked to {other.name}.", code="performer_linked",
                               conflicting={"type": "performer", "id": other.pk})
        performer.user_id = user_id
        performer.save(update_fields=["user", "updated_at"])
        audit.record(actor=actor, action="performer.linked" if user_id else "performer.unlinked", obj=performer,
                     before=before, after={"user": user_id}, workspace_id=performer.workspace_id)
    return performer
