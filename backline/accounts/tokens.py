"""API tokens: short-lived HS256 access JWTs and rotating, family-revoking refresh tokens.

Rotation is idempotent for a short grace window (``JWT_REFRESH_GRACE_SECONDS``): two tabs that refresh
with the same cookie at once both get the same new pair, because the successor of a refresh token is
derived from it (an HMAC under the signing key) rather than drawn at random, and the access token
issued with it is derived from the rotation too. After the window, presenting a spent token is a reuse
and revokes the family."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from backline.core.errors import Unauthenticated

from .models import RefreshToken, User

ALGORITHM = "HS256"


def issue_access_token(user: User, *, issued_at: datetime | None = None, jti: str | None = None) -> tuple[str, int]:
    """A signed access token and the seconds it has left. Given ``issued_at`` and ``jti`` the token is
    the same on every call (HS256 is deterministic): a refresh replayed in the grace window gets the
    access token the first answer carried."""
    now = timezone.now()
    iat = int((issued_at or now).timestamp())
    exp = iat + int(settings.JWT_ACCESS_TTL.total_seconds())
    payload = {"sub": str(user.pk), "iat": iat, "exp": exp, "typ": "access", "jti": jti or uuid.uuid4().hex}
    return jwt.encode(payload, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM), exp - int(now.timestamp())


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


def issue_refresh_token(user: User, *, family: uuid.UUID | None = None, raw: str | None = None) -> str:
    raw = raw or secrets.token_urlsafe(48)
    RefreshToken.objects.create(user=user, family=family or uuid.uuid4(), token_hash=_hash(raw),
                                expires_at=timezone.now() + settings.JWT_REFRESH_TTL)
    return raw


def _successor(raw: str) -> str:
    """The refresh token that replaces ``raw``: derived, so a replay of ``raw`` can name it again
    without any raw token being stored. Only who holds ``raw`` and the signing key can compute it."""
    digest = salted_hmac("backline.refresh-successor", raw, secret=settings.JWT_SIGNING_KEY,
                         algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class Rotation:
    """The answer to a refresh: whose it is, the new refresh token and the new access token."""

    user: User
    refresh: str
    access: str
    expires_in: int


def _rotation(token: RefreshToken, successor: str) -> Rotation:
    access, expires_in = issue_access_token(token.user, issued_at=token.used_at,
                                            jti=hashlib.sha256(f"jti:{successor}".encode()).hexdigest()[:32])
    return Rotation(user=token.user, refresh=successor, access=access, expires_in=expires_in)


def rotate_refresh_token(raw: str) -> Rotation:
    """Spend ``raw`` and return its user with a new refresh token of the same family and an access token.

    Presenting ``raw`` again within ``JWT_REFRESH_GRACE_SECONDS`` of its rotation (two tabs refreshing
    at once) answers with the same new pair. Later, a token that was already spent means it was copied:
    the whole family is revoked, so both the thief and the owner must log in again. The token's row is
    locked, so simultaneous refreshes queue and all but the first see it spent."""
    now = timezone.now()
    grace = settings.JWT_REFRESH_GRACE
    with transaction.atomic():
        token = RefreshToken.objects.select_for_update().select_related("user").filter(token_hash=_hash(raw or "")).first()
        if token is None:
            raise Unauthenticated("The refresh token is not valid.", code="refresh_invalid")
        if token.revoked_at is None and token.used_at is None:
            if token.expires_at <= now or not token.user.is_active:
                raise Unauthenticated("The refresh token has expired; log in again.", code="refresh_expired")
            token.used_at = now
            token.save(update_fields=["used_at"])
            successor = issue_refresh_token(token.user, family=token.family, raw=_successor(raw))
            return _rotation(token, successor)
        if token.revoked_at is None and grace and now - token.used_at <= grace and token.user.is_active:
            successor = _successor(raw)
            if RefreshToken.objects.filter(token_hash=_hash(successor), family=token.family,
                                           revoked_at__isnull=True).exists():
                return _rotation(token, successor)  # the same answer the first refresh got
        RefreshToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=now)
        reused = token.used_at is not None
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
