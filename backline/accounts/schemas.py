from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import EmailStr

from backline.core.api.types import Id, TimeZoneName


class LoginIn(Schema):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class UserOut(Schema):
    id: int
    email: str
    name: str
    pronouns: str
    phone: str
    time_zone: str
    avatar_url: str | None = None

    @staticmethod
    def resolve_avatar_url(obj):
        return obj.avatar.url if obj.avatar else None


class ProfileIn(Schema):
    name: str | None = Field(None, max_length=120)
    pronouns: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=40)
    time_zone: TimeZoneName | None = None


class SocialLinkSchema(Schema):
    platform: str
    url: str


class WorkspaceOut(Schema):
    id: int
    kind: str
    name: str
    slug: str
    bio: str
    website: str
    contact_email: str
    phone: str
    currency: str
    commission_percent: Decimal | None
    city_name: str
    country_code: str
    geoname_id: int | None
    latitude: float | None
    longitude: float | None
    time_zone: str
    role: str | None = None
    social_links: list[SocialLinkSchema] = []

    @staticmethod
    def resolve_social_links(obj):
        return list(obj.social_links.all())

    @staticmethod
    def resolve_role(obj, context):
        return getattr(obj, "my_role", None)


class WorkspaceCreateIn(Schema):
    kind: str = Field(description="promoter or agency (acts: POST /acts; venues: POST /venues)")
    name: str = Field(min_length=1, max_length=120)
    geoname_id: Id | None = None
    bio: str = Field("", max_length=5000)
    website: str = ""
    contact_email: str = ""
    currency: str = Field("EUR", min_length=3, max_length=3)
    commission_percent: Decimal | None = Field(None, ge=0, le=100)


class WorkspacePatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    bio: str | None = Field(None, max_length=5000)
    website: str | None = None
    contact_email: str | None = None
    phone: str | None = Field(None, max_length=40)
    currency: str | None = Field(None, min_length=3, max_length=3)
    commission_percent: Decimal | None = Field(None, ge=0, le=100)
    geoname_id: Id | None = None
    time_zone: TimeZoneName | None = None


class SocialLinksIn(Schema):
    links: list[SocialLinkSchema]


class MemberOut(Schema):
    id: int
    user_id: int
    email: str = Field(alias="user.email")
    name: str = Field(alias="user.display_name")
    role: str
    created_at: datetime


class RoleIn(Schema):
    role: str


class InvitationIn(Schema):
    email: EmailStr
    role: str


class InvitationOut(Schema):
    id: int
    workspace_id: int
    email: str
    role: str
    status: str
    expires_at: datetime
    sent_count: int
    created_at: datetime


class MyInvitationOut(Schema):
    token: str
    workspace_name: str = Field(alias="workspace.name")
    workspace_kind: str = Field(alias="workspace.kind")
    role: str
    expires_at: datetime

    @staticmethod
    def resolve_token(obj):
        return str(obj.token)


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.email if obj.actor else None

    @staticmethod
    def resolve_object_type(obj):
        return obj.object_type.model
