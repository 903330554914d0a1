"""NUL and the other C0 control characters in what people send are refused with a 422 naming the field,
by every form and API endpoint (one middleware), on PostgreSQL as on SQLite — never a 500, never stored.
Tab and line breaks are ordinary text."""

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts.models import Contact
from backline.conversations import services as threads
from backline.conversations.models import Message
from backline.core.text import control_error, find_control_character
from backline.mail.models import OutboundEmail
from backline.outreach.models import EmailTemplate

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def promoter(make_team):
    workspace, people = make_team(WorkspaceKind.PROMOTER, name="Night Owl Promotions")
    return workspace, people[Role.OWNER]


@pytest.fixture
def api(client, bearer):
    """``api(user).post(path, body)``: the JSON API as ``user`` (bearer token)."""

    class Caller:
        def __init__(self, user):
            self.headers = bearer(user)

        def get(self, path, **query):
            return client.get(f"/api/v1{path}", query, **self.headers)

        def post(self, path, body):
            return client.post(f"/api/v1{path}", body, content_type="application/json", **self.headers)

        def patch(self, path, body):
            return client.patch(f"/api/v1{path}", body, content_type="application/json", **self.headers)

        def multipart(self, path, data):
            return client.post(f"/api/v1{path}", data, **self.headers)

    return Caller


def refused(response, field: str, char: str = "U+0000") -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "validation_error" and body["status"] == 422 and body["title"] == "Invalid input"
    assert field in body["detail"]
    [error] = body["errors"]
    assert error["field"] == field
    assert char in error["message"] and "Remove it" in error["message"]


@pytest.fixture
def chat(make_team, promoter):
    workspace, owner = promoter
    act, _ = make_team(WorkspaceKind.ACT, name="The Owls")
    return threads.direct_thread_start(actor=owner, workspace_id=workspace.pk, to_workspace_ids=[act.pk],
                                       subject="Autumn dates", body="Any Fridays free?")


def test_a_contact_named_with_a_nul_is_refused_naming_the_field(promoter, api):
    workspace, owner = promoter
    response = api(owner).post(f"/workspaces/{workspace.pk}/contacts", {"name": "A\u0000B", "email": "a@b.example"})
    refused(response, "name")
    assert not Contact.objects.exists()
    # The same contact without it is fine.
    assert api(owner).post(f"/workspaces/{workspace.pk}/contacts", {"name": "AB"}).status_code == 201


def test_an_edit_and_a_search_with_a_nul_are_refused(promoter, api):
    workspace, owner = promoter
    contact = api(owner).post(f"/workspaces/{workspace.pk}/contacts", {"name": "Kim Park"}).json()
    refused(api(owner).patch(f"/contacts/{contact['id']}", {"notes": "met at\u0000the bar"}), "notes")
    refused(api(owner).get(f"/workspaces/{workspace.pk}/contacts", q="Kim\x00"), "q")
    assert Contact.objects.get(pk=contact["id"]).notes == ""


def test_other_control_characters_are_refused_and_tabs_and_line_breaks_kept(promoter, api):
    workspace, owner = promoter
    response = api(owner).post(f"/workspaces/{workspace.pk}/contacts", {"name": "Kim\u001b[31m Park"})
    refused(response, "name", "U+001B")
    response = api(owner).post(f"/workspaces/{workspace.pk}/contacts",
                               {"name": "Kim Park", "notes": "Line one\r\n\tindented line two"})
    assert response.status_code == 201, response.content
    assert Contact.objects.get(pk=response.json()["id"]).notes == "Line one\r\n\tindented line two"


def test_an_outreach_template_and_a_send_with_a_nul_in_the_body_are_refused(promoter, api):
    workspace, owner = promoter
    response = api(owner).post(f"/workspaces/{workspace.pk}/email-templates",
                               {"name": "Pitch", "subject": "Hello", "body": "Hi\u0000 there"})
    refused(response, "body")
    assert not EmailTemplate.objects.filter(name="Pitch").exists()

    response = api(owner).post(f"/workspaces/{workspace.pk}/outreach/send", {
        "recipients": [{"email": "buyer@venue.example", "name": "Sam"}], "subject": "Autumn", "body": "We\u0000 play"})
    refused(response, "body")
    # A nested field is named by its path.
    response = api(owner).post(f"/workspaces/{workspace.pk}/outreach/send", {
        "recipients": [{"email": "buyer@venue.example", "name": "S\u0000am"}], "subject": "Autumn", "body": "Hi"})
    refused(response, "recipients.0.name")
    assert not OutboundEmail.objects.exists()


def test_a_thread_message_with_a_nul_is_refused_and_one_with_line_breaks_posted(promoter, chat, api):
    _, owner = promoter
    before = Message.objects.count()
    refused(api(owner).post(f"/threads/{chat.pk}/messages", {"body": "See you\u0000 Friday"}), "body")
    refused(api(owner).multipart(f"/threads/{chat.pk}/messages/upload", {"body": "See you\x00 Friday"}), "body")
    assert Message.objects.count() == before
    response = api(owner).post(f"/threads/{chat.pk}/messages", {"body": "See you Friday\n\n\t– Sam"})
    assert response.status_code == 201, response.content
    assert Message.objects.count() == before + 1


def test_an_uploaded_file_name_loses_its_control_characters(promoter, chat, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, owner = promoter
    upload = SimpleUploadedFile("rider\x00\x07.txt", b"two guitars", content_type="text/plain")
    response = api(owner).multipart(f"/threads/{chat.pk}/messages/upload", {"body": "Rider", "files": [upload]})
    assert response.status_code == 201, response.content  # Django's parser drops them from file names
    assert [a["filename"] for a in response.json()["attachments"]] == ["rider.txt"]


def test_the_web_contact_form_refuses_a_nul_with_a_page_naming_the_field(promoter, login_client):
    workspace, owner = promoter
    response = login_client(owner).post(f"/w/{workspace.slug}/contacts/new/", {"name": "A\x00B", "role": "other"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="invalid-input"' in html and "<code>name</code>" in html and "U+0000" in html
    assert not Contact.objects.exists()
    response = login_client(owner).post(f"/w/{workspace.slug}/contacts/new/", {"name": "A B", "role": "other"})
    assert response.status_code == 302 and Contact.objects.get().name == "A B"


def test_an_htmx_request_is_sent_back_with_the_message(promoter, login_client):
    workspace, owner = promoter
    client = login_client(owner)
    back = f"/w/{workspace.slug}/contacts/new/"
    response = client.post(back, {"name": "A\x00B"}, HTTP_HX_REQUEST="true", HTTP_REFERER=f"http://testserver{back}")
    assert response.status_code == 302 and response["HX-Redirect"] == f"http://testserver{back}"
    page = client.get(back).content.decode()
    assert "U+0000" in page


def test_a_forged_form_is_still_refused_by_the_csrf_check_first(promoter):
    workspace, owner = promoter
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(f"/w/{workspace.slug}/contacts/new/", {"name": "A\x00B"}).status_code == 403


def test_provider_webhooks_are_not_refused_here(client):
    # Their payloads are cleaned where they are read; unsigned, this one is refused by the webhook itself.
    response = client.post("/webhooks/email/anymail/inbound/", {"subject": "A\x00B"})
    assert response.status_code != 422


def test_the_helpers():
    assert control_error("tab\tline\nreturn\r") is None
    assert "NUL" in control_error("a\x00b") and "U+0007" in control_error("bell\x07")
    assert control_error(None) is None
    assert find_control_character({"a": ["ok", {"b": "x\x00"}]}) == ("a.1.b", "\x00")
    assert find_control_character({"k\x00": "v"}) == ("k\\x00", "\x00")
    assert find_control_character({"a": "fine", "n": 3}) is None
