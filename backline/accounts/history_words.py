"""How the workspace History page words accounts' audit entries (see ``backline.core.history``)."""

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf

from backline.core import history
from backline.core.templatetags.when import zone_label

from .models import InvitationStatus, Role, User, Workspace, WorkspaceKind


def register() -> None:
    history.register_actions({
        "workspace.created": "{actor} created the workspace {object}",
        "workspace.updated": "{actor} edited the profile of {object}",
        "workspace.links_updated": "{actor} changed the links of {object}",
        "membership.created": "{actor} added {object}",
        "membership.removed": "{actor} removed {object}",
        "membership.role_changed": "{actor} changed the role of {object}",
        "invitation.created": "{actor} sent an invitation: {object}",
        "invitation.accepted": "{actor} accepted an invitation: {object}",
        "invitation.declined": "{actor} declined an invitation: {object}",
        "invitation.revoked": "{actor} withdrew an invitation: {object}",
        "invitation.expired": "An invitation ran out: {object}",
        "invitation.resent": "{actor} sent an invitation again: {object}",
        "invitation.resent_as_new": "{actor} sent a fresh invitation: {object}",
        "user.profile_updated": "{actor} edited their profile",
    })
    history.register_fields({"user": "Person", "email": "Email", "role": "Role", "kind": "Kind", "bio": "About",
                             "city_name": "City", "country_code": "Country", "time_zone": "Time zone",
                             "commission_percent": "Commission (%)", "contact_email": "Contact email",
                             "links": "Links", "parties": "Taking part", "workspace": "Workspace"})
    history.hide_fields("geoname_id", "latitude", "longitude", "slug")
    history.show_only_changes("time_zone")  # the clock recorded with every time: news only when it moves
    history.register_formatter("time_zone", lambda value: zone_label(str(value)))  # "Berlin time"
    history.register_values("role", dict(Role.choices))
    history.register_values("kind", dict(WorkspaceKind.choices))
    history.register_values("status", dict(InvitationStatus.choices))
    # a person's name, else their address (display_name's rule, as SQL)
    name = Coalesce(NullIf("name", Value("")), "email")
    history.register_reference("person", User, fields=("user", "member", "members"), name=name)
    history.register_reference("workspace", Workspace, fields=("workspace", "parties"))
