"""API tokens: short-lived HS256 access JWTs and rotating, family-revoking refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid

import jwt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backline.core.errors import Unauthenticated

from .models import RefreshToken, User

ALGORITHM = "HS256"


def issue_access_token(user: User) -> tuple[str, int]:
    now = timezone.now()
    ttl = int(settings.JWT_ACCESS_TTL.total_seconds())
    payload = {"sub": str(user.pk), "iat": int(now.timestamp()), "exp": int(now.timestamp()) + ttl,
               "typ": "access", "jti": uuid.uuid4().hex}
    return jwt.encode(payload, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM), ttl


def user_from_access_token(token: str) -> User:
    """The active user a valid access token names; anything else is ``Unauthenticated``.
    Only HS256 is accepted, so ``alg=none`` and algorithm-confusion tokens are refused."""
    try:
        payload = jwt.decode(token, settings.JWT_SIGNING_KEY, algorithms=[ALGORITHM],
                             options={"require": ["exp", "iat", "sub", "typ"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The access token has expired; refresh it.", code="token_expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("The access token is not valid.", code="token_invalid") from exc
    user_id = _user_id(payload.get("sub"))
    if payload.get("typ") != "access" or user_id is None:
        raise Unauthenticated("The access token is not valid.", code="token_invalid")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Unauthenticated("The access token is not valid.", code="token_invalid")
    return user


def _user_id(sub) -> int | None:
    """The user id a token's ``sub`` names (the decimal digits we issue), or None for anything else:
    a signed token whose subject is not a key we could have issued is simply not valid."""
    if isinstance(sub, str) and sub.isascii() and sub.isdigit() and len(sub) <= 18:
        return int(sub)
    return None


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_refresh_token(user: User, *, family: uuid.UUID | None = None) -> str:
    raw = secrets.token_urlsafe(48)
    RefreshToken.objects.create(user=user, family=family or uuid.uuid4(), token_hash=_hash(raw),
                                expires_at=timezone.now() + settings.JWT_REFRESH_TTL)
    return raw


def rotate_refresh_token(raw: str) -> tuple[User, str]:
    """Spend ``raw`` and return its user and a new refresh token of the same family.

    A token that was already spent means it was copied: the whole family is revoked, so both the
    thief and the owner must log in again."""
    now = timezone.now()
    with transaction.atomic():
        token = RefreshToken.objects.select_for_update().select_related("user").filter(token_hash=_hash(raw or "")).first()
        if token is None:
            raise Unauthenticated("The refresh token is not valid.", code="refresh_invalid")
        if token.used_at is not None or token.revoked_at is not None:
            RefreshToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=now)
            reused = token.used_at is not None
        else:
            reused = None
        if reused is None:
            if token.expires_at <= now or not token.user.is_active:
                raise Unauthenticated("The refresh token has expired; log in again.", code="refresh_expired")
            token.used_at = now
            token.save(update_fields=["used_at"])
            new_raw = issue_refresh_token(token.user, family=token.family)
            return token.user, new_raw
    # Outside the atomic block so the family revocation above is committed before we refuse.
    if reused:
        raise Unauthenticated("This refresh token was already used; every session of it is revoked.",
                              code="refresh_reused")
    raise Unauthenticated("The refresh token was revoked; log in again.", code="refresh_revoked")


def revoke_refresh_family(raw: str) -> None:
    token = RefreshToken.objects.filter(token_hash=_hash(raw or "")).first()
    if token is not None:
        RefreshToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=timezone.now())


def prune_expired_refresh_tokens() -> int:
    return RefreshToken.objects.filter(expires_at__lt=timezone.now()).delete()[0]
