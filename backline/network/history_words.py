"""How the History page words the network's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import CoPresentStatus, MemberStatus, PostKind, PostStatus, RequestStatus, Resource, Terms


def register() -> None:
    history.register_actions({
        "network.created": "{actor} started the network {object}",
        "network.invited": "{actor} invited {object}",
        "network.joined": "{actor} joined: {object}",
        "network.declined": "{actor} declined to join: {object}",
        "network.left": "{actor} left: {object}",
        "network.removed": "{actor} removed {object}",
        "network.admin_granted": "{actor} gave the admin role: {object}",
        "network.admin_revoked": "{actor} took back the admin role: {object}",
        "network.sharing_changed": "{actor} changed which shows are shared: {object}",
        "network.co_presentation_proposed": "{actor} asked to co-present a show: {object}",
        "network.co_presentation_accepted": "{actor} agreed to co-present a show: {object}",
        "network.co_presentation_declined": "{actor} declined to co-present a show: {object}",
        "network.co_presentation_withdrawn": "{actor} withdrew a co-presented show: {object}",
        "network.post_created": "{actor} posted on the network board: {object}",
        "network.post_closed": "{actor} closed the post {object}",
        "network.request_sent": "{actor} asked: {object}",
        "network.request_accepted": "{actor} accepted the request: {object}",
        "network.request_declined": "{actor} declined the request: {object}",
        "network.request_withdrawn": "{actor} withdrew the request: {object}",
    })
    history.register_fields({"shares_shows": "Shares its shows", "region": "City or region", "resource": "What",
                             "available_from": "Available from", "available_to": "Available until", "terms": "Terms",
                             "fee": "Fee", "partner": "Together with", "post": "Post",
                             "is_admin": "Network admin"})
    # Only the words no other app's statuses use (the status labels are shared by every app).
    history.register_values("status", {MemberStatus.INVITED: "Invited", MemberStatus.ACTIVE: "Member",
                                       MemberStatus.LEFT: "Left", MemberStatus.REMOVED: "Removed",
                                       CoPresentStatus.PROPOSED: "Asked to co-present",
                                       RequestStatus.REQUESTED: "Asked for", PostStatus.OPEN: "Open"})
    history.register_values("kind", dict(PostKind.choices))
    history.register_values("resource", dict(Resource.choices))
    history.register_values("terms", dict(Terms.choices))
