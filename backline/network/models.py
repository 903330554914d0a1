"""The venue network: workspaces that work together (venues, promoters, acts, agencies) share their
public shows with each other and a board of things to lend and borrow. Everything here is seen only
by the network's member workspaces."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from backline.accounts.models import Workspace
from backline.core.models import TimeStamped

MONEY = {"max_digits": 12, "decimal_places": 2}


class Network(TimeStamped):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    region = models.CharField(max_length=120, blank=True)  # a city or region, in words ("Berlin")
    founded_by = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Member"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"
    REMOVED = "removed", "Removed"


class NetworkMember(TimeStamped):
    """A workspace's place in a network. Only ``active`` members see the network; an ``invited``
    workspace sees the invitation (the network's name and who invited it) and answers it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="network_memberships")
    status = models.CharField(max_length=16, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    is_admin = models.BooleanField(default=False)  # invites and removes members
    shares_shows = models.BooleanField(default=False)  # its confirmed upcoming shows are shown to the network
    invited_by = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workspace__name", "id"]
        constraints = [models.UniqueConstraint(fields=["network", "workspace"], name="network_member_unique")]

    def __str__(self) -> str:
        return f"{self.workspace} in {self.network}"


class CoPresentStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    ACCEPTED = "accepted", "Co-presented"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CoPresentation(TimeStamped):
    """A member's confirmed show, presented together with another member once that member accepts."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="co_presentations")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="+")
    proposer = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=CoPresentStatus.choices, default=CoPresentStatus.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["booking", "partner"],
                                               condition=Q(status__in=["proposed", "accepted"]),
                                               name="copresentation_one_live")]

    def __str__(self) -> str:
        return f"{self.proposer} × {self.partner}"


class PostKind(models.TextChoices):
    OFFER = "offer", "Offering"
    REQUEST = "request", "Looking for"


class Resource(models.TextChoices):
    BACKLINE = "backline", "Backline"
    PA = "pa", "PA"
    LIGHTS = "lights", "Lights"
    CREW = "crew", "Crew"
    ROOM = "room", "Room"


class Terms(models.TextChoices):
    FREE = "free", "Free"
    FEE = "fee", "For a fee"
    SWAP = "swap", "Swap"


class PostStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class BoardPost(TimeStamped):
    """An offer or request on a network's sharing board. Closed posts, and those whose dates have
    passed, leave the board but are kept (with their requests and conversations)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="posts")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=PostKind.choices)
    resource = models.CharField(max_length=16, choices=Resource.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    city = models.CharField(max_length=120, blank=True)
    available_from = models.DateField(null=True, blank=True)
    available_to = models.DateField(null=True, blank=True)
    terms = models.CharField(max_length=8, choices=Terms.choices, default=Terms.FREE)
    fee = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=8, choices=PostStatus.choices, default=PostStatus.OPEN)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(available_to__isnull=True) | Q(available_from__isnull=True)
                                   | Q(available_to__gte=models.F("available_from")), name="boardpost_dates_in_order"),
            models.CheckConstraint(condition=~Q(terms="fee") | (Q(fee__isnull=False) & ~Q(currency="")),
                                   name="boardpost_fee_has_amount"),
        ]

    def __str__(self) -> str:
        return self.title


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ResourceRequest(TimeStamped):
    """Another member asks for a post: a conversation between the two workspaces starts with it."""

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="requests")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    thread = models.ForeignKey("conversations.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["post", "workspace"],
                                               condition=Q(status__in=["requested", "accepted"]),
                                               name="resourcerequest_one_live")]

    def __str__(self) -> str:
        return f"{self.workspace} asks for {self.post}"
