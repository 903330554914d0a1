"""The OpenAPI document says everything an operation can answer, not only what its view returns.

Some answers come from the plumbing around every view rather than from the view itself: a body that
is not JSON (400) or too large (413), a parameter or a field that fails validation or carries a control
character (422), a missing or expired token (401), CSRF for the browser session (403), an object that
is missing or not the caller's (404). ``BacklineAPI`` adds those to each operation of the generated
document, by construction of the operation, and gives every error response the one ``Problem`` schema
under ``application/problem+json`` (what ``core.api.problem`` sends). Statuses that depend on the
domain (409 for a conflict, 429 for a limit) stay declared on the operations themselves.
"""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from ninja import NinjaAPI

from .api import PROBLEM_CONTENT_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})

# What each status added by construction means, as the document describes it.
DESCRIPTIONS = {
    400: "Malformed request: the body is not valid JSON (or not a readable form).",
    401: "Not authenticated: no valid bearer access token or session.",
    403: "Forbidden: the caller's role lacks the capability (or the browser session sent no CSRF token).",
    404: "Not found: the object does not exist or is not the caller's.",
    409: "Conflict with the current state; the problem names the conflicting object.",
    413: "The request body is too large.",
    422: "Invalid input: a parameter or field fails validation (the problem lists them), or carries a "
         "control character.",
    429: "Too many requests: the problem (and the Retry-After header) says when to try again.",
}


def problem_content() -> dict[str, Any]:
    return {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_REF}}}


def statuses_by_construction(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses any operation of this shape can answer, whatever its view does."""
    statuses = {422}  # the control-character check reads every query string, declared or not
    if "requestBody" in operation:
        statuses |= {400, 413}
    if operation.get("security"):
        statuses.add(401)
        if method in UNSAFE_METHODS and any("SessionAuth" in s for s in operation["security"]):
            statuses.add(403)  # CSRF
    if any(p.get("in") == "path" for p in operation.get("parameters", ())):
        statuses.add(404)
    return statuses


def complete_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the statuses every operation can answer by construction and serve every error response as
    ``application/problem+json`` with the ``Problem`` schema. Changes ``schema`` in place and returns it."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in statuses_by_construction(method, operation):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if int(status) < 400:
                    continue
                content = response.get("content") or problem_content()
                if "application/json" in content:  # every error is a problem document, whatever its schema
                    content = {PROBLEM_CONTENT_TYPE: content["application/json"]}
                response["content"] = content
                if int(status) in DESCRIPTIONS and response.get("description") in (None, "", HTTPStatus(int(status)).phrase):
                    response["description"] = DESCRIPTIONS[int(status)]
            operation["responses"] = dict(sorted(responses.items(), key=lambda kv: int(kv[0])))
    return schema


def keep_operation_ids(router, module: str) -> None:
    """Give ``router``'s operations the ids Ninja derived for them in ``module``, where they were first
    published. An operationId is part of the API's contract (generated clients name their methods by it),
    and Ninja derives it from the view's module, so code that moves would otherwise rename its operations.
    Call it after the router's last operation; an operation given an explicit id keeps it."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if not operation.operation_id:
                operation.operation_id = f"{module}_{operation.view_func.__name__}".replace(".", "_")


class BacklineAPI(NinjaAPI):
    """Backline's NinjaAPI: its OpenAPI document documents every status an operation can answer. The
    document is the same for every request of a running process (routes are fixed at start-up), and
    building it takes seconds with ~500 operations, so it is built once per process and arguments."""

    def get_openapi_schema(self, *args, **kwargs):
        key = repr((args, sorted(kwargs.items(), key=lambda kv: kv[0])))
        built = self.__dict__.setdefault("_openapi_built", {})
        if key not in built:
            built[key] = complete_error_responses(super().get_openapi_schema(*args, **kwargs))
        return copy.deepcopy(built[key])
