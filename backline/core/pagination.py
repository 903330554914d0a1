"""The one paginator of every API list (``NINJA_PAGINATION_CLASS``): Ninja's page numbers, bounded.

A page number is at most 2,147,483,647 (and a page size too; sizes above ``NINJA_MAX_PER_PAGE_SIZE``
are cut to it), so the row offset it makes always fits the database's 64-bit integers: a larger
number is a 422 problem document, never a database error."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from .api.types import INT32_MAX


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=INT32_MAX, description="1-based page number")
        page_size: int | None = Field(None, ge=1, le=INT32_MAX,
                                      description="rows per page; more than the server's maximum are cut to it")
