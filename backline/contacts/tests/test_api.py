"""The contacts API: CRUD with problem+json refusals (422 field errors, 409 naming the duplicate, 404
for other workspaces' contacts), filters and pages in constant queries, history, duplicates, merge,
multipart CSV import (201 counts or 422 row errors) and CSV export."""

import csv
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts import services
from backline.contacts.models import Contact
from backline.conversations.models import MessageSource
from backline.conversations.services import add_message, email_thread_for
from backline.mail.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def venue(make_team):
    return make_team(WorkspaceKind.VENUE, name="Lantern Hall")


@pytest.fixture
def api(client, bearer, venue):
    headers = bearer(venue[1][Role.OWNER])

    def call(method, path, body=None):
        kw = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return client.generic(method, f"/api/v1{path}", **kw, **headers)

    return call


def add(venue, **fields):
    workspace, people = venue
    fields.setdefault("name", "Mara Berg")
    return services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, **fields)


def test_create_read_update_delete(venue, api):
    workspace = venue[0]
    response = api("POST", f"/workspaces/{workspace.pk}/contacts", {
        "name": "Mara Berg", "role": "talent_buyer", "email": "Mara@Example.org", "tags": ["Club", "indie", "club"],
        "phone": "+49 30 123", "city": "Berlin", "organisation": "Lantern Hall", "notes": "Tuesdays"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "mara@example.org" and body["tags"] == ["club", "indie"] and body["role"] == "talent_buyer"
    contact_id = body["id"]
    assert api("GET", f"/contacts/{contact_id}").json()["name"] == "Mara Berg"
    response = api("PATCH", f"/contacts/{contact_id}", {"city": "Hamburg", "tags": ["jazz"]})
    assert response.status_code == 200 and response.json()["city"] == "Hamburg" and response.json()["tags"] == ["jazz"]
    assert response.json()["organisation"] == "Lantern Hall"  # untouched
    assert api("DELETE", f"/contacts/{contact_id}").status_code == 204
    response = api("GET", f"/contacts/{contact_id}")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_refusals_are_problem_documents(venue, api):
    workspace = venue[0]
    existing = add(venue, email="mara@example.org")
    response = api("POST", f"/workspaces/{workspace.pk}/contacts", {"name": "Dup", "email": "MARA@example.org"})
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "contact_duplicate"
    assert response.json()["conflicting"] == {"type": "contact", "id": existing.pk, "name": "Mara Berg",
                                              "email": "mara@example.org"}
    response = api("POST", f"/workspaces/{workspace.pk}/contacts", {"name": " ", "email": "nope", "phone": "x",
                                                                     "tags": ["a,b"]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "email", "phone", "tags"}
    response = api("POST", f"/workspaces/{workspace.pk}/contacts", {"name": "A", "role": "drummer"})
    assert response.status_code == 422  # the schema knows the roles
    response = api("PATCH", f"/contacts/{existing.pk}", {"email": "bad"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "email"


def test_other_workspaces_contacts_are_404_and_readers_cannot_write(venue, make_team, client, bearer):
    workspace, people = venue
    contact = add(venue)
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    stranger = bearer(other[Role.OWNER])
    for method, path in (("GET", f"/contacts/{contact.pk}"), ("GET", f"/contacts/{contact.pk}/history"),
                         ("DELETE", f"/contacts/{contact.pk}"), ("GET", f"/workspaces/{workspace.pk}/contacts")):
        assert client.generic(method, f"/api/v1{path}", **stranger).status_code == 404
    viewer = bearer(people[Role.VIEWER])
    assert client.get(f"/api/v1/contacts/{contact.pk}", **viewer).status_code == 200
    response = client.patch(f"/api/v1/contacts/{contact.pk}", {"city": "X"}, content_type="application/json", **viewer)
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_the_list_filters_sorts_pages_in_constant_queries(venue, api, django_assert_max_num_queries):
    workspace, people = venue
    add(venue, name="Mara Berg", role="talent_buyer", tags="club", city="Berlin")
    add(venue, name="Jon Okafor", role="agent", tags="club, uk", organisation="Northern Lights")
    path = f"/workspaces/{workspace.pk}/contacts"
    assert [c["name"] for c in api("GET", path).json()["items"]] == ["Jon Okafor", "Mara Berg"]
    assert [c["name"] for c in api("GET", path + "?sort=-name").json()["items"]] == ["Mara Berg", "Jon Okafor"]
    assert [c["name"] for c in api("GET", path + "?q=northern").json()["items"]] == ["Jon Okafor"]
    assert [c["name"] for c in api("GET", path + "?role=talent_buyer").json()["items"]] == ["Mara Berg"]
    assert [c["name"] for c in api("GET", path + "?tag=uk").json()["items"]] == ["Jon Okafor"]
    assert api("GET", path + "?tag=CLUB").json()["count"] == 2
    assert api("GET", f"/workspaces/{workspace.pk}/contacts/tags").json() == [{"tag": "club", "count": 2},
                                                                               {"tag": "uk", "count": 1}]
    with django_assert_max_num_queries(4) as few:  # the token's user, access, count, page
        api("GET", path)
    for i in range(60):
        add(venue, name=f"P{i:02d}", tags="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api("GET", path + "?page=2").json()
    assert body["count"] == 62 and len(body["items"]) == 12


def test_history_lists_threads_emails_and_messages_newest_first(venue, api, django_assert_max_num_queries):
    workspace = venue[0]
    contact = add(venue, email="mara@example.org")
    thread = email_thread_for(workspace=workspace, subject="May dates", contact=contact)
    OutboundEmail.objects.create(workspace=workspace, contact=contact, thread=thread, to_email=contact.email,
                                 from_email="hall@example.org", subject="First pitch", body_text="Hi",
                                 status=EmailStatus.DELIVERED, header_message_id="<h1@example.org>")
    add_message(thread=thread, body="Yes please", source=MessageSource.EMAIL_IN, author_contact=contact, notify=False)
    with django_assert_max_num_queries(10):
        body = api("GET", f"/contacts/{contact.pk}/history").json()
    assert body["count"] == 3
    kinds = [i["kind"] for i in body["items"]]
    assert kinds[0] == "message" and set(kinds) == {"thread", "email", "message"}
    email = next(i for i in body["items"] if i["kind"] == "email")
    assert (email["status"], email["title"], email["thread_id"]) == ("delivered", "First pitch", thread.pk)
    thread_item = next(i for i in body["items"] if i["kind"] == "thread")
    assert thread_item["status"] is None and thread_item["title"] == "May dates"


def test_duplicates_and_merge(venue, api):
    workspace = venue[0]
    keep = add(venue, name="Mara Berg", email="mara@example.org")
    other = add(venue, name="mara berg", city="Berlin", tags="vip")
    add(venue, name="Somebody Else")
    groups = api("GET", f"/workspaces/{workspace.pk}/contacts/duplicates").json()
    assert len(groups) == 1 and groups[0]["reasons"] == ["name"]
    assert [c["id"] for c in groups[0]["contacts"]] == [keep.pk, other.pk]
    response = api("POST", f"/contacts/{keep.pk}/merge", {"other_id": other.pk})
    assert response.status_code == 200 and response.json()["city"] == "Berlin" and response.json()["tags"] == ["vip"]
    assert not Contact.objects.filter(pk=other.pk).exists()
    response = api("POST", f"/contacts/{keep.pk}/merge", {"other_id": other.pk})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "other_id"
    assert api("GET", f"/workspaces/{workspace.pk}/contacts/duplicates").json() == []


def upload(client, headers, workspace, data: bytes, **fields):
    return client.post(f"/api/v1/workspaces/{workspace.pk}/contacts/import",
                       {"file": SimpleUploadedFile("book.csv", data, content_type="text/csv"), **fields}, **headers)


def test_import_answers_counts_or_row_errors(venue, client, bearer):
    workspace, people = venue
    headers = bearer(people[Role.OWNER])
    add(venue, name="Mara Berg", email="mara@example.org")
    response = upload(client, headers, workspace, b"name,email\n,a@example.org\nB,mara@example.org\nC,c@example\n")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "import_invalid"
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "name"), (3, "email"), (4, "email")]
    assert "Mara Berg" in body["errors"][1]["message"]
    assert Contact.objects.count() == 1

    response = upload(client, headers, workspace, b"name,email\nA,a@example.org\nB,mara@example.org\n",
                      on_duplicate="skip", dry_run="true")
    assert response.status_code == 201 and response.json()["dry_run"] and Contact.objects.count() == 1
    response = upload(client, headers, workspace, b"name,email\nA,a@example.org\nB,mara@example.org\n",
                      on_duplicate="skip")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("rows", "created", "updated", "skipped")} == {
        "rows": 2, "created": 1, "updated": 0, "skipped": 1}
    assert response.json()["skipped_rows"][0]["row"] == 3

    response = upload(client, headers, workspace, b"\x00\x00binary")
    assert response.status_code == 422 and response.json()["errors"] == [
        {"row": None, "field": "file", "message": "This is a binary file, not CSV text."}]
    response = client.post(f"/api/v1/workspaces/{workspace.pk}/contacts/import", {}, **headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    response = upload(client, headers, workspace, b"name\nA\n", on_duplicate="merge")
    assert response.status_code == 422
    member = bearer(people[Role.MEMBER])
    assert upload(client, member, workspace, b"name\nZed\n").status_code == 403


def test_export_is_the_filtered_book_as_csv(venue, client, bearer):
    workspace, people = venue
    add(venue, name="@risky", role="agent", email=f"{uuid.uuid4().hex[:6]}@example.org")
    add(venue, name="Other", role="press")
    response = client.get(f"/api/v1/workspaces/{workspace.pk}/contacts/export?role=agent", **bearer(people[Role.VIEWER]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "name" and [r[0] for r in rows[1:]] == ["'@risky"]


def test_the_openapi_document_describes_the_contacts_operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/workspaces/{workspace_id}/contacts/import" in paths
    assert "text/csv" in paths["/api/v1/workspaces/{workspace_id}/contacts/export"]["get"]["responses"]["200"]["content"]
    assert "multipart/form-data" in paths["/api/v1/workspaces/{workspace_id}/contacts/import"]["post"]["requestBody"]["content"]
