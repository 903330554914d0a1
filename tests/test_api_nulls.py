"""``null`` for a field the database requires is refused, never a 500 (issue 10, defect 6).

The rule: a JSON ``null`` means "no value", which only a nullable column can hold. For a text or
number column that cannot be empty, ``null`` is refused with a 422 naming the field (send ``""`` to
clear a text). The check lives in ``core.validation.validate_model``, which every service runs before it
saves. This test walks every write operation of the API (from the routes and the authorisation table,
so a new endpoint is covered without being listed here) and sends ``null`` for each nullable field of
its body, as a person allowed to make the request: every answer must be below 500."""

from __future__ import annotations

import json

from django.db import transaction
from django.test import Client, TestCase

from backline.accounts.tokens import issue_access_token
from backline.config.api import api
from tests.authz.routes import api_operations
from tests.authz.table import API, LoggedIn, Member, Own, body_of, with_query
from tests.authz.world import Worlds, own_object
from tests.factories import UserFactory

WRITES = [op for op in api_operations() if op.method in ("POST", "PUT", "PATCH")]


def _nullable_fields(doc: dict, op) -> list[str]:
    operation = doc["paths"].get(op.path, {}).get(op.method.lower(), {})
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if not schema or "$ref" not in schema:
        return []
    properties = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]].get("properties", {})
    return [name for name, prop in properties.items() if {"type": "null"} in prop.get("anyOf", [])]


def _caller(op, rule, worlds: Worlds):
    """(a user allowed to make the request, its URL), or None for operations with no such caller."""
    if isinstance(rule, Member):
        home = worlds(rule.kinds[0])
        return home.owner, with_query(rule, op.url(**home.kwargs(op.params, fresh=rule.fresh)))
    if isinstance(rule, LoggedIn):
        home = worlds("agency")
        return home.owner, with_query(rule, op.url(**home.kwargs(op.params)))
    if isinstance(rule, Own):
        person = UserFactory()
        return person, op.url(**{rule.param: own_object(rule.param, person)})
    return None


def test_null_for_any_field_of_any_write_is_never_a_server_error(db):
    doc = api.get_openapi_schema()
    with TestCase.captureOnCommitCallbacks(execute=True):
        worlds = Worlds()
    failures, sent = [], 0
    for op in WRITES:
        rule = API.get(op.key)
        fields = _nullable_fields(doc, op)
        if rule is None or not fields:
            continue
        for field in fields:
            with transaction.atomic():  # each request from the same state: undone afterwards
                found = _caller(op, rule, worlds)
                if found is None:
                    transaction.set_rollback(True)
                    break
                user, url = found
                client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}",
                                raise_request_exception=False)
                body = (body_of(rule) or {}) | {field: None}
                response = client.generic(op.method, url, json.dumps(body), content_type="application/json")
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{op} with {field}=null: {response.status_code}")
                transaction.set_rollback(True)
    assert sent > 50, "the walk sent almost nothing: are the worlds and the table still found?"
    assert not failures, "\n".join(failures)
