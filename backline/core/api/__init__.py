"""API plumbing shared by every router: problem documents and the error handlers (``problems``), the
field types of In schemas and query parameters (``types``); and the places router (``places``).
Routers import the names they use from here: ``from backline.core.api import ERROR_RESPONSES``."""

from .problems import (
    ERROR_RESPONSES,
    LIMITED_RESPONSES,
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    RowError,
    install_error_handlers,
    malformed_body,
    problem,
    request_too_large,
)

__all__ = [
    "ERROR_RESPONSES",
    "LIMITED_RESPONSES",
    "PROBLEM_CONTENT_TYPE",
    "FieldError",
    "Problem",
    "RowError",
    "install_error_handlers",
    "malformed_body",
    "problem",
    "request_too_large",
]
