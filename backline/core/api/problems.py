"""RFC 9457 problem+json documents: the one shape of every API error, and the domain-error mapping."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ..errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str
    message: str


class RowError(Schema):
    row: int
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem document. ``code`` is stable; ``errors`` lists field errors (422)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None
    conflicting: dict | None = None
    allowed: list[str] | None = None  # an illegal transition (409): the statuses allowed next
    retry_after: int | None = None  # 429: seconds until the request may be made again (also the Retry-After header)
    limit: int | None = None  # 429: the limit that was reached; 413: the largest body accepted, in bytes
    remaining: int | None = None  # 429: how many more fit now (a batch larger than this was refused whole)
    rows: list[RowError] | None = None  # a refused import (422): what is wrong on which row of the file


def problem(request: HttpRequest | None, *, status: int, code: str, detail: str, title: str | None = None,
            errors: list[dict] | None = None, **extra) -> JsonResponse:
    body = {
        "type": f"https://backline.dev/problems/{code}",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if v is not None})
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="backline"'
    if status == 429 and body.get("retry_after") is not None:
        response["Retry-After"] = str(body["retry_after"])
    return response


def _field_name(loc) -> str:
    # Ninja reports e.g. ("body", "payload", "email"); the client cares about the last named part.
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        errors = None
        if getattr(exc, "errors", None):
            errors = [{"field": f, "message": str(m)} for f, msgs in exc.errors.items() for m in msgs]
        return problem(request, status=exc.status, code=exc.code, detail=exc.detail, title=exc.title,
                       errors=errors, conflicting=exc.extra.get("conflicting"), allowed=exc.extra.get("allowed"),
                       retry_after=exc.extra.get("retry_after"), rows=exc.extra.get("rows"),
                       limit=exc.extra.get("limit"), remaining=exc.extra.get("remaining"))

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "Invalid value")}
                  for e in exc.errors]
        return problem(request, status=422, code="validation_error", detail="The request has invalid fields.",
                       errors=errors)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return problem(request, status=401, code="not_authenticated",
                       detail="Log in, or send a valid bearer access token.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, status=404, code="not_found", detail="Not found.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:  # Ninja's only 400: a body that is not JSON (or nested too deep to read)
            return malformed_body(request)
        code = {403: "forbidden", 429: "rate_limited", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem(request, status=exc.status_code, code=code, detail=str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return request_too_large(request)


def malformed_body(request: HttpRequest | None) -> JsonResponse:
    """400: the body could not be read as JSON (not JSON, not UTF-8, or nested too deep)."""
    return problem(request, status=400, code="malformed_body", title="Malformed request body",
                   detail="The request body is not a JSON document this API can read.")


def request_too_large(request: HttpRequest | None) -> JsonResponse:
    """413: the body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (uploaded files are counted apart)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem(request, status=413, code="request_too_large", limit=limit,
                   detail=f"The request body is larger than {limit} bytes.")


ERROR_RESPONSES = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
LIMITED_RESPONSES = {**ERROR_RESPONSES, 429: Problem}  # endpoints counted against a limit (429 with retry_after)
