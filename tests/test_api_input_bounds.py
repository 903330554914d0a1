"""Every value the API reads is checked completely before a service runs, by the shared types of
``backline.core.api.types``, so no input can be written and then fail, nor reach the database driver
out of range (issue 10, defects 5 and 6). The checks walk every operation of the Ninja API, so a new
endpoint is covered without anyone remembering to add it here:

- every integer in a body or a query is bounded (a column's range at most);
- every time of day is a ``LocalTime`` (no UTC offset, no number), every date-time an
  ``OffsetDateTime`` (offset within ±15:59), every ``time_zone`` a ``TimeZoneName``;
- every paginated list refuses a page number beyond 2,147,483,647 with a 422 problem document.
"""

from __future__ import annotations

import datetime as dt
import types
import typing

import annotated_types
import pytest
from ninja.params.models import PathModel
from ninja.utils import normalize_path
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from backline.config.api import api
from backline.core.api import types as api_types

PROBLEM = "application/problem+json"


def _operations():
    api._get_bound_routers()  # builds (and lists in api._routers) nested routers too, as tests/authz/routes.py
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = normalize_path("/" + "/".join(p for p in (prefix, path) if p))
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"{method} {full}", operation


OPERATIONS = sorted(set(_operations()), key=lambda pair: pair[0])


def _leaves(annotation, metadata: tuple, where: str, seen: set):
    """(type, metadata, where) for every scalar a field's annotation can hold, nested schemas included."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        # a nested Annotated keeps Field(ge=…, le=…) as a FieldInfo; its constraints are in its metadata
        extra = [m for e in extra for m in (e.metadata if isinstance(e, FieldInfo) else [e])]
        yield from _leaves(base, (*metadata, *extra), where, seen)
    elif origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg, metadata, where, seen)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for name, field in annotation.model_fields.items():
            yield from _leaves(field.annotation, tuple(field.metadata), f"{annotation.__name__}.{name}", seen)
    elif annotation is not type(None):
        yield annotation, metadata, where


def _inputs():
    """(operation, where, type, metadata) for every scalar read from a body or a query string."""
    for key, operation in OPERATIONS:
        for model in operation.models:
            if issubclass(model, PathModel):
                continue  # path ids only look rows up; Django answers an out-of-range lookup with no row
            for name, field in model.model_fields.items():
                for leaf, metadata, where in _leaves(field.annotation, tuple(field.metadata), name, set()):
                    yield key, where, leaf, metadata


INPUTS = list(_inputs())


def _validators(metadata) -> set:
    return {m.func for m in metadata if isinstance(m, (AfterValidator, BeforeValidator))}


def _bounded(metadata) -> bool:
    lower = any(isinstance(m, (annotated_types.Ge, annotated_types.Gt)) for m in metadata)
    upper = any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in metadata)
    return lower and upper


def test_the_walk_finds_the_inputs_it_checks():
    kinds = {leaf for _, _, leaf, _ in INPUTS}
    assert {int, dt.time, dt.datetime, str} <= kinds
    assert any(where.endswith("page") for _, where, _, _ in INPUTS)


def test_every_integer_input_is_bounded_by_its_column():
    loose = sorted({f"{key}: {where}" for key, where, leaf, metadata in INPUTS
                    if leaf is int and not _bounded(metadata)})
    assert not loose, ("integers with no minimum and maximum (use core.api.types PositiveInt32, Id… or "
                       "Field(ge=…, le=…)):\n" + "\n".join(loose))
    too_wide = sorted({f"{key}: {where}" for key, where, leaf, metadata in INPUTS if leaf is int for m in metadata
                       if isinstance(m, annotated_types.Le) and m.le > api_types.BIGINT_MAX})
    assert not too_wide, "\n".join(too_wide)


def test_every_time_of_day_is_a_local_time_and_every_date_time_has_a_bounded_offset():
    wrong = sorted({f"{key}: {where} ({leaf.__name__})" for key, where, leaf, metadata in INPUTS
                    if (leaf is dt.time and api_types.local_time not in _validators(metadata))
                    or (leaf is dt.datetime and api_types.offset_in_range not in _validators(metadata))})
    assert not wrong, "use core.api.types.LocalTime / OffsetDateTime:\n" + "\n".join(wrong)


def test_every_time_zone_name_is_checked_where_it_is_read():
    wrong = sorted({f"{key}: {where}" for key, where, leaf, metadata in INPUTS
                    if leaf is str and where.split(".")[-1] == "time_zone"
                    and api_types.time_zone_name not in _validators(metadata)})
    assert not wrong, "use core.api.types.TimeZoneName:\n" + "\n".join(wrong)


PAGINATED = sorted({key for key, where, _, _ in INPUTS if where.split(".")[-1] == "page"})


@pytest.mark.parametrize("key", PAGINATED)
@pytest.mark.parametrize("page", [2**31, 2**63, 10**30])
def test_every_paginated_list_refuses_a_page_beyond_the_integer_range(key, page, user, bearer, client):
    """Asked as a logged-in person with path ids that name nothing: the page is checked with the rest
    of the query, before any row is looked up, so every list answers 422 whoever asks."""
    path = key.split(" ", 1)[1]
    url = "/api/v1" + path.format_map(_Ones())
    response = client.get(url, {"page": page}, **bearer(user))
    assert response.status_code == 422, (key, response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    assert "page" in {e["field"] for e in response.json()["errors"]}


class _Ones(dict):
    def __missing__(self, key):
        return "1"
