"""Domain errors: raised by services and selectors, mapped to HTTP by the API and to messages by views.

Each error has a stable ``code`` (part of the API contract) and an HTTP ``status``.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "domain_error"
    title = "Request refused"

    def __init__(self, detail: str = "", *, code: str | None = None, **extra):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if code:
            self.code = code
        self.extra = extra


class NotFound(DomainError):
    """Missing *or* not yours: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"
    title = "Not found"


class Forbidden(DomainError):
    """You can see the object but your role lacks the capability for this action."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class Conflict(DomainError):
    """The request clashes with the current state; ``extra`` names the conflicting object."""

    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Not allowed in the current status"


class Invalid(DomainError):
    """Input that passed the schema but breaks a business rule. ``errors`` maps field → messages."""

    status = 422
    code = "validation_error"
    title = "Invalid input"

    def __init__(self, detail: str = "", *, errors: dict[str, list[str]] | None = None, **kw):
        super().__init__(detail, **kw)
        self.errors = errors or {}


class Unauthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    title = "Authentication required"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"
