"""The OpenAPI document states every status an operation can answer, and its error schema is what the
problem+json handler sends: a client (or a fuzzer checking status codes and schemas) can trust it."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.config.api import api
from backline.core.api import PROBLEM_CONTENT_TYPE
from backline.core.errors import Invalid, RateLimited

DOCUMENT = api.get_openapi_schema()
OPERATIONS = [(method, path, operation) for path, item in DOCUMENT["paths"].items()
              for method, operation in item.items()]


def _validator(schema: dict):
    """A validator for ``schema`` whose ``#/components/...`` references resolve in the document."""
    return jsonschema_rs.validator_for({**schema, "components": DOCUMENT["components"]})


def _documented(method: str, path: str, status: int) -> dict:
    responses = {int(k): v for k, v in DOCUMENT["paths"][path][method]["responses"].items()}
    assert status in responses, f"{method.upper()} {path} does not document {status}"
    return responses[status]


def assert_documented_problem(response, method: str, path: str) -> dict:
    """``response`` is a problem document, of a status the operation documents, matching its schema
    and using only properties the schema declares."""
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response.content)
    documented = _documented(method, path, response.status_code)
    schema = documented["content"][PROBLEM_CONTENT_TYPE]["schema"]
    errors = [e.message for e in _validator(schema).iter_errors(body)]
    assert not errors, (body, errors)
    component = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert set(body) <= set(component["properties"]), set(body) - set(component["properties"])
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_documents_what_it_can_answer_by_construction(method, path, operation):
    statuses = {int(s) for s in operation["responses"]}
    expected = {422}  # the control-character check reads every query string
    if "requestBody" in operation:
        expected |= {400, 413}  # malformed, too large
    if operation.get("security"):
        expected.add(401)
    if any(p["in"] == "path" for p in operation.get("parameters", ())):
        expected.add(404)
    assert expected <= statuses, f"missing {sorted(expected - statuses)}"
    for status, response in operation["responses"].items():
        if int(status) >= 400:
            assert list(response["content"]) == [PROBLEM_CONTENT_TYPE], (status, response)
            ref = response["content"][PROBLEM_CONTENT_TYPE]["schema"]["$ref"]
            problem = DOCUMENT["components"]["schemas"]["Problem"]
            declared = DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert set(problem["required"]) <= set(declared["required"]), ref  # a Problem, or one that extends it


def test_the_problem_schema_has_the_fields_of_rfc_9457_and_our_code():
    problem = DOCUMENT["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}


@pytest.fixture
def act(make_team):
    return make_team(WorkspaceKind.ACT)


def test_malformed_json_is_a_documented_400_problem(client, act, bearer):
    workspace, people = act
    response = client.patch(f"/api/v1/workspaces/{workspace.pk}", "{not json", content_type="application/json",
                            **bearer(people[Role.OWNER]))
    assert response.status_code == 400
    assert_documented_problem(response, "patch", "/api/v1/workspaces/{workspace_id}")


def test_an_invalid_query_parameter_is_a_documented_422_problem_on_a_list(client, act, bearer):
    _, people = act
    headers = bearer(people[Role.OWNER])
    for path, parameter in (("/api/v1/workspaces", "page"), ("/api/v1/me/invitations", "page"),
                            ("/api/v1/places/cities", "limit")):
        response = client.get(path, {parameter: "first"}, **headers)
        assert response.status_code == 422, path
        body = assert_documented_problem(response, "get", path)
        assert body["errors"][0]["field"] == parameter


def test_a_control_character_in_an_undeclared_query_parameter_is_a_documented_422(client, act, bearer):
    _, people = act
    response = client.get("/api/v1/genres", {"q": "rock\x00"}, **bearer(people[Role.OWNER]))
    assert response.status_code == 422
    assert_documented_problem(response, "get", "/api/v1/genres")
    response = client.get("/api/v1/auth/me", {"x": "\x01"}, **bearer(people[Role.OWNER]))
    assert response.status_code == 422
    assert_documented_problem(response, "get", "/api/v1/auth/me")


def test_a_public_availability_link_with_a_malformed_token_is_a_documented_problem(client, db):
    path = "/api/v1/public/availability/{token}"
    response = client.get("/api/v1/public/availability/not-a-token")
    assert response.status_code == 404
    assert_documented_problem(response, "get", path)
    response = client.get("/api/v1/public/availability/not-a-token", {"x": "\x00"})
    assert response.status_code == 422
    assert_documented_problem(response, "get", path)


def test_authentication_absence_and_conflicts_are_documented_problems(client, act, bearer):
    workspace, people = act
    path = "/api/v1/workspaces/{workspace_id}"
    response = client.get(f"/api/v1/workspaces/{workspace.pk}")
    assert response.status_code == 401
    assert_documented_problem(response, "get", path)
    response = client.get("/api/v1/workspaces/999999", **bearer(people[Role.OWNER]))
    assert response.status_code == 404
    assert_documented_problem(response, "get", path)
    response = client.patch(f"/api/v1/workspaces/{workspace.pk}", {"name": "Renamed"}, content_type="application/json",
                            **bearer(people[Role.VIEWER]))
    assert response.status_code == 403
    assert_documented_problem(response, "patch", path)
    response = client.post(f"/api/v1/workspaces/{workspace.pk}/leave", **bearer(people[Role.OWNER]))
    assert response.status_code == 409
    assert_documented_problem(response, "post", "/api/v1/workspaces/{workspace_id}/leave")


def test_the_contact_import_documents_its_parameter_errors_too(client, make_team, bearer):
    workspace, people = make_team(WorkspaceKind.VENUE)
    response = client.post(f"/api/v1/workspaces/{workspace.pk}/contacts/import?on_duplicate=sometimes",
                           {"file": ("c.csv", b"name\nAda\n")}, **bearer(people[Role.OWNER]))
    assert response.status_code == 422
    assert_documented_problem(response, "post", "/api/v1/workspaces/{workspace_id}/contacts/import")


@pytest.mark.parametrize("error", [
    RateLimited("Slow down.", retry_after=30, limit=200, remaining=3),
    Invalid("The file has errors.", errors={"email": ["Enter a valid email address."]},
            rows=[{"row": 2, "field": "email", "message": "Enter a valid email address."}]),
], ids=["rate-limited", "refused-import"])
def test_every_field_the_domain_error_handler_can_send_is_in_the_problem_schema(error):
    response = api.on_exception(None, error)
    body = json.loads(response.content)
    problem = {"$ref": "#/components/schemas/Problem"}
    assert not [e.message for e in _validator(problem).iter_errors(body)], body
    assert set(body) <= set(DOCUMENT["components"]["schemas"]["Problem"]["properties"])


def _schema_classes(cls=None):
    from ninja import Schema

    for sub in (cls or Schema).__subclasses__():
        yield sub
        yield from _schema_classes(sub)


def test_no_two_schemas_share_a_name_in_the_document():
    """Ninja names a component after its class: two different schemas of one name would make the document
    describe one operation with the other's schema (an act event's answer documented as an email event)."""
    by_name: dict[str, dict] = {}
    clashes = []
    for cls in set(_schema_classes()):
        if not cls.__module__.startswith("backline.") or ".tests" in cls.__module__:
            continue
        schema = cls.model_json_schema()
        if cls.__name__ in by_name and by_name[cls.__name__][1] != schema:
            clashes.append(f"{cls.__name__}: {cls.__module__} and {by_name[cls.__name__][0]}")
        by_name.setdefault(cls.__name__, (cls.__module__, schema))
    assert not clashes


def test_an_act_event_is_documented_as_an_act_event():
    schema = DOCUMENT["paths"]["/api/v1/events/{event_id}"]["get"]["responses"][200]["content"]["application/json"]
    component = DOCUMENT["components"]["schemas"][schema["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"starts_at", "title"} <= set(component["properties"]), component["properties"].keys()


def test_a_204_is_documented_without_a_body_and_answers_without_one(client, act, bearer):
    for method, path, operation in OPERATIONS:
        if "204" in map(str, operation["responses"]):
            assert not {int(k): v for k, v in operation["responses"].items()}[204].get("content"), (method, path)
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 204 and response.content == b""


def test_a_local_time_in_an_answer_validates_against_its_documented_schema(client, act, bearer):
    """JSON Schema's ``format: time`` is RFC 3339's full-time, which needs an offset: documenting a local
    wall-clock time with it made every rule, offer and advance answer "violate" its own document."""
    headers = bearer(act[1][Role.OWNER])
    created = client.post("/api/v1/me/availability/rules", {
        "state": "busy", "rrule": "FREQ=WEEKLY;BYDAY=MO", "starts_on": "2027-01-04", "start_time": "18:00",
        "end_time": "23:30", "time_zone": "Europe/Berlin"}, content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    response = client.get(f"/api/v1/me/availability/rules/{created.json()['id']}", **headers)
    assert response.status_code == 200
    assert response.json()["start_time"] == "18:00:00"
    schema = DOCUMENT["paths"]["/api/v1/me/availability/rules/{rule_id}"]["get"]["responses"][200]
    jsonschema_rs.validator_for({**schema["content"]["application/json"]["schema"], "components": DOCUMENT["components"]},
                                validate_formats=True).validate(response.json())
