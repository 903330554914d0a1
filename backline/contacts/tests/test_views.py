"""The contacts book in the browser: list (search, filters, sort, tag chips, pages, constant queries,
htmx partial), detail with the whole history, form, delete, CSV import page and export, duplicates,
merge, and the ticked-contacts actions."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts import services
from backline.contacts.models import Contact
from backline.conversations.models import MessageSource, ThreadParty
from backline.conversations.services import add_message, email_thread_for
from backline.mail.models import EmailStatus, OutboundEmail
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def venue(make_team):
    return make_team(WorkspaceKind.VENUE, name="Lantern Hall")


@pytest.fixture
def owner_client(venue, login_client):
    return login_client(venue[1][Role.OWNER])


def add(venue, **fields):
    workspace, people = venue
    fields.setdefault("name", "Mara Berg")
    return services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, **fields)


def page(client, path, **kw):
    response = client.get(path, **kw)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------------------

def test_the_list_searches_filters_and_sorts(venue, owner_client):
    workspace = venue[0]
    add(venue, name="Mara Berg", organisation="Lantern Hall", email="mara@hall.example.org", city="Berlin",
        role="talent_buyer", tags="club, indie")
    add(venue, name="Jon Okafor", organisation="Northern Lights", city="Manchester", role="agent", tags="agent, uk")
    add(venue, name="Ines Silva", organisation="Fado House", city="Lisbon", role="promoter", tags="indie")
    base = url(workspace, "contacts/")
    html = page(owner_client, base)
    assert all(n in html for n in ("Mara Berg", "Jon Okafor", "Ines Silva"))
    assert 'data-testid="tag-cloud"' in html and "indie <span" in html
    for query, shown, hidden in (("?q=northern", ["Jon Okafor"], ["Mara Berg"]),
                                 ("?q=hall.example", ["Mara Berg"], ["Jon Okafor"]),
                                 ("?q=lisbon", ["Ines Silva"], ["Mara Berg"]),
                                 ("?q=mara+berlin", ["Mara Berg"], ["Ines Silva"]),
                                 ("?role=agent", ["Jon Okafor"], ["Mara Berg", "Ines Silva"]),
                                 ("?tag=indie", ["Mara Berg", "Ines Silva"], ["Jon Okafor"]),
                                 ("?tag=indie&role=promoter", ["Ines Silva"], ["Mara Berg"])):
        html = page(owner_client, base + query)
        table = html[html.index('data-testid="contact-list"'):]
        assert all(n in table for n in shown) and not any(n in table for n in hidden), query
    html = page(owner_client, base + "?sort=-name")
    assert html.index("Mara Berg") < html.index("Jon Okafor") < html.index("Ines Silva")
    html = page(owner_client, base + "?sort=city")
    assert html.index("Mara Berg") < html.index("Ines Silva") < html.index("Jon Okafor")
    assert "No contact matches." in page(owner_client, base + "?q=nobody-at-all")


def test_an_htmx_search_gets_the_results_only(venue, owner_client):
    add(venue, name="Mara Berg")
    html = page(owner_client, url(venue[0], "contacts/?q=mara"), **HTMX)
    assert "Mara Berg" in html and "<html" not in html and 'id="contact-q"' not in html


def test_the_list_pages_keep_the_filters(venue, owner_client):
    workspace, people = venue
    for i in range(60):
        services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name=f"Person {i:02d}", tags="bulk")
    html = page(owner_client, url(workspace, "contacts/?tag=bulk"))
    assert "Page 1 of 2" in html and "tag=bulk&amp;page=2" in html
    assert "Person 59" in page(owner_client, url(workspace, "contacts/?tag=bulk&page=2"))


def test_list_and_detail_queries_do_not_grow_with_rows(venue, owner_client, django_assert_max_num_queries):
    workspace, people = venue
    contact = add(venue, name="Busy Person", email="busy@example.org", tags="a")

    def add_rows(n=30, start=0):
        for i in range(start, start + n):
            services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name=f"P{i}",
                                    email=f"p{i}@example.org", tags=f"t{i}, common", city="Berlin")
            services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name=f"p{i} ")  # a duplicate
            thread = email_thread_for(workspace=workspace, subject=f"Thread {i}", contact=contact)
            add_message(thread=thread, body="Reply", source=MessageSource.EMAIL_IN, author_contact=contact, notify=False)
            OutboundEmail.objects.create(workspace=workspace, contact=contact, thread=thread, to_email=contact.email,
                                         from_email="hall@example.org", subject=f"Pitch {i}", body_text="Hi",
                                         header_message_id=f"<{uuid.uuid4().hex}@example.org>")

    add_rows(1, start=100)  # every page has something to show from the start: the counts compare like with like

    # the shell (user, memberships, bell) + count, page, tag cloud; the detail: the shell, the contact, 3 counts,
    # then threads, emails, messages; duplicates: the shell, the book's names and emails, the groups' contacts
    assert_constant_queries(owner_client, {url(workspace, "contacts/"): 6, url(workspace, "contacts/?q=p&tag=common"): 6,
                                           url(workspace, f"contacts/{contact.pk}/"): 10,
                                           url(workspace, "contacts/duplicates/"): 5},
                            add_rows, django_assert_max_num_queries)


def test_readers_see_no_change_buttons_and_managers_do(venue, login_client):
    workspace, people = venue
    contact = add(venue, email="mara@example.org")
    viewer_html = page(login_client(people[Role.VIEWER]), url(workspace, "contacts/"))
    assert 'data-testid="contact-new"' not in viewer_html and 'data-testid="merge-selected"' not in viewer_html
    assert 'data-testid="email-selected"' not in viewer_html
    detail = page(login_client(people[Role.VIEWER]), url(workspace, f"contacts/{contact.pk}/"))
    assert 'data-testid="contact-edit"' not in detail and 'data-testid="send-email"' not in detail
    owner_html = page(login_client(people[Role.OWNER]), url(workspace, "contacts/"))
    assert 'data-testid="contact-new"' in owner_html and 'data-testid="email-selected"' in owner_html
    # a member reads but neither manages nor sends outreach
    member = login_client(people[Role.MEMBER])
    assert member.get(url(workspace, "contacts/new/")).status_code == 403
    assert 'data-testid="send-email"' not in page(member, url(workspace, f"contacts/{contact.pk}/"))


def test_the_nav_shows_contacts_to_those_who_may_read_them(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    link = f'href="/w/{workspace.slug}/contacts/"'
    assert link in page(login_client(people[Role.VIEWER]), url(workspace))
    assert link not in page(login_client(people[Role.PERFORMER]), url(workspace))


# --- detail and history ---------------------------------------------------------------------------------------

def test_the_detail_page_shows_every_field_and_the_whole_history_newest_first(venue, owner_client):
    workspace = venue[0]
    contact = add(venue, name="Mara Berg", role="talent_buyer", organisation="Lantern Hall", email="mara@example.org",
                  phone="+49 30 123", city="Berlin", tags="club, indie", notes="Line one\nLine two")
    thread = email_thread_for(workspace=workspace, subject="May dates", contact=contact)
    OutboundEmail.objects.create(workspace=workspace, contact=contact, thread=thread, to_email=contact.email,
                                 from_email="hall@example.org", subject="First pitch", body_text="Hi",
                                 status=EmailStatus.OPENED, header_message_id="<a1@example.org>")
    # sent to the address before the contact existed: found by address
    OutboundEmail.objects.create(workspace=workspace, to_email="MARA@example.org", from_email="hall@example.org",
                                 subject="Old email by address", body_text="Hi", status=EmailStatus.BOUNCED,
                                 header_message_id="<a2@example.org>")
    add_message(thread=thread, body="Sounds good, send the rider", source=MessageSource.EMAIL_IN,
                author_contact=contact, author_name="Mara Berg", notify=False)
    html = page(owner_client, url(workspace, f"contacts/{contact.pk}/"))
    for text in ("Talent buyer", "Lantern Hall", "mailto:mara@example.org", "tel:+4930123", "Berlin", "Line one<br>Line two",
                 "?tag=club", "May dates", "First pitch", "Opened", "Old email by address", "Bounced",
                 "Sounds good, send the rider"):
        assert text in html, text
    history = html[html.index('data-testid="contact-history"'):]
    assert history.index("Sounds good") < history.index("Old email by address")  # newest first
    assert f"/w/{workspace.slug}/" in history and str(thread.pk) in history
    assert "outreach" in html and f"contact={contact.pk}" in html  # the Send email button


def test_another_workspaces_history_and_contacts_stay_out(venue, owner_client, make_team):
    workspace = venue[0]
    contact = add(venue, email="mara@example.org")
    other_ws, other = make_team(WorkspaceKind.PROMOTER, name="Night Shift")
    OutboundEmail.objects.create(workspace=other_ws, to_email="mara@example.org", from_email="ns@example.org",
                                 subject="Night Shift's own email", body_text="Hi", header_message_id="<b1@example.org>")
    assert "Night Shift's own email" not in page(owner_client, url(workspace, f"contacts/{contact.pk}/"))
    foreign = services.contact_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, name="Theirs")
    assert owner_client.get(url(workspace, f"contacts/{foreign.pk}/")).status_code == 404
    assert owner_client.get(url(workspace, f"contacts/{foreign.pk}/edit/")).status_code == 404


# --- create, edit, delete --------------------------------------------------------------------------------------

def test_create_edit_and_delete_through_the_pages(venue, owner_client):
    workspace = venue[0]
    response = owner_client.post(url(workspace, "contacts/new/"), {
        "name": "Mara Berg", "role": "talent_buyer", "email": "Mara@Example.org", "tags": "Jazz, club", "phone": "",
        "organisation": "", "city": "Berlin", "notes": ""})
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == url(workspace, f"contacts/{contact.pk}/")
    assert (contact.email, contact.tags) == ("mara@example.org", ",club,jazz,")
    edit = page(owner_client, url(workspace, f"contacts/{contact.pk}/edit/"))
    assert 'value="club, jazz"' in edit
    response = owner_client.post(url(workspace, f"contacts/{contact.pk}/edit/"), {
        "name": "Mara Berg", "role": "promoter", "email": "mara@example.org", "tags": "club, jazz", "city": "Hamburg"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, contact.city) == ("promoter", "Hamburg")
    response = owner_client.post(url(workspace, f"contacts/{contact.pk}/delete/"))
    assert response.status_code == 302 and not Contact.objects.exists()
    assert owner_client.get(url(workspace, f"contacts/{contact.pk}/delete/")).status_code == 405


def test_the_form_shows_field_errors_and_names_the_duplicate(venue, owner_client):
    workspace = venue[0]
    existing = add(venue, name="Mara Berg", email="mara@example.org")
    html = owner_client.post(url(workspace, "contacts/new/"), {
        "name": "Someone", "role": "other", "email": "bad@", "phone": "ring ring", "tags": "x" * 41}).content.decode()
    assert "not a valid email address" in html and "digits, spaces" in html and "longer than 40" in html
    html = owner_client.post(url(workspace, "contacts/new/"), {"name": "M. Berg", "role": "other",
                                                              "email": "MARA@example.org"}).content.decode()
    assert 'data-testid="duplicate-warning"' in html and f"/contacts/{existing.pk}/" in html
    assert Contact.objects.count() == 1


# --- import and export -----------------------------------------------------------------------------------------

def upload(client, workspace, text, **data):
    file = SimpleUploadedFile("contacts.csv", text.encode() if isinstance(text, str) else text, content_type="text/csv")
    return client.post(url(workspace, "contacts/import/"), {"file": file, "on_duplicate": "error", **data})


def test_the_import_page_lists_row_errors_in_a_table_and_imports_nothing(venue, owner_client):
    workspace = venue[0]
    add(venue, name="Mara Berg", email="mara@example.org")
    response = upload(owner_client, workspace, "name,email\n,x@example.org\nDup,mara@example.org\nOk,ok@example.org\n")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in html
    assert "Nothing was imported." in html and "A name is required." in html and "Mara Berg" in html
    table = html[html.index('data-testid="import-errors"'):]
    assert "<td class=\"text-nowrap align-top\">2</td>" in table and "<td class=\"text-nowrap align-top\">3</td>" in table
    assert Contact.objects.count() == 1
    html = upload(owner_client, workspace, b"\x00\x01binary").content.decode()
    assert "binary file" in html


def test_a_good_import_lands_on_the_list_with_a_summary(venue, owner_client):
    workspace = venue[0]
    add(venue, name="Mara Berg", email="mara@example.org")
    response = upload(owner_client, workspace, "name;email;notes\nMara;mara@example.org;x\nJon;jon@example.org;\n",
                      on_duplicate="skip")
    assert response.status_code == 302 and response["Location"] == url(workspace, "contacts/")
    html = page(owner_client, url(workspace, "contacts/"))
    assert "1 contact imported, 1 already in your contacts skipped." in html
    assert Contact.objects.count() == 2


def test_the_import_form_without_a_file_says_so(venue, owner_client):
    html = owner_client.post(url(venue[0], "contacts/import/"), {"on_duplicate": "error"}).content.decode()
    assert "This field is required." in html


def test_export_streams_the_filtered_list_as_csv(venue, owner_client):
    workspace = venue[0]
    add(venue, name="=cmd", role="agent")
    add(venue, name="Promoter", role="promoter")
    response = owner_client.get(url(workspace, "contacts/export.csv?role=agent"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{workspace.slug}-contacts-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffname,role,organisation,email,phone,city,tags,notes\r\n")
    assert "'=cmd,Agent" in body and "Promoter" not in body
    sample = b"".join(owner_client.get(url(workspace, "contacts/import/sample.csv")).streaming_content).decode()
    assert "Mara Berg" in sample


# --- duplicates and merge --------------------------------------------------------------------------------------

def test_possible_duplicates_and_the_merge_flow(venue, owner_client):
    workspace = venue[0]
    keep = add(venue, name="Mara Berg", organisation="Lantern Hall", email="mara@example.org")
    other = add(venue, name="MARA  BERG", organisation="lantern hall.", phone="+49 30 1", tags="vip")
    by_email = add(venue, name="M. Berg", email="mara.b@example.org")
    add(venue, name="Same Mail", email="MARA.B@example.org".lower().replace("mara.b", "mb"))
    thread = email_thread_for(workspace=workspace, subject="Both of them", contact=other)
    html = page(owner_client, url(workspace, "contacts/duplicates/"))
    assert html.count('data-testid="duplicate-group"') == 1 and "same name and organisation" in html
    assert f"contacts/{keep.pk}/merge/?other={other.pk}" in html
    assert by_email.name in page(owner_client, url(workspace, "contacts/"))

    preview = page(owner_client, url(workspace, f"contacts/{keep.pk}/merge/?other={other.pk}"))
    assert 'data-testid="merge-plan"' in preview and "+49 30 1" in preview and "1 conversation," in preview
    assert Contact.objects.filter(pk=other.pk).exists()  # a preview changes nothing
    choose = page(owner_client, url(workspace, f"contacts/{keep.pk}/merge/"))
    assert f"?other={other.pk}" in choose  # the likely duplicate is offered first
    assert "Same Mail" in page(owner_client, url(workspace, f"contacts/{keep.pk}/merge/?q=same"))

    response = owner_client.post(url(workspace, f"contacts/{keep.pk}/merge/"), {"other": other.pk})
    assert response.status_code == 302 and response["Location"] == url(workspace, f"contacts/{keep.pk}/")
    keep.refresh_from_db()
    assert keep.phone == "+49 30 1" and keep.tags == ",vip," and not Contact.objects.filter(pk=other.pk).exists()
    assert ThreadParty.objects.filter(thread=thread, contact=keep).exists()
    assert "No possible duplicates." in page(owner_client, url(workspace, "contacts/duplicates/"))


def test_a_merge_without_a_choice_or_with_a_foreign_contact_changes_nothing(venue, owner_client, make_team):
    workspace = venue[0]
    keep = add(venue, name="Mara")
    response = owner_client.post(url(workspace, f"contacts/{keep.pk}/merge/"), {})
    assert response.status_code == 302
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = services.contact_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, name="Theirs")
    response = owner_client.post(url(workspace, f"contacts/{keep.pk}/merge/"), {"other": foreign.pk})
    assert response.status_code == 302 and Contact.objects.filter(pk=foreign.pk).exists()
    # a foreign contact is not offered for preview either
    assert 'data-testid="merge-plan"' not in page(owner_client, url(workspace, f"contacts/{keep.pk}/merge/?other={foreign.pk}"))


# --- the ticked contacts -----------------------------------------------------------------------------------------

def test_email_selected_sends_the_ticked_contacts_to_the_composer(venue, owner_client, make_team, login_client):
    workspace, people = venue
    a, b = add(venue, name="A", email="a@example.org"), add(venue, name="B", email="b@example.org")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = services.contact_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, name="F")
    selected = url(workspace, "contacts/selected/")
    response = owner_client.post(selected, {"action": "email", "ids": [b.pk, a.pk, foreign.pk]})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?contacts={a.pk}%2C{b.pk}")
    assert response["Location"].startswith(reverse("outreach_compose", args=[workspace.slug]))
    assert login_client(people[Role.MEMBER]).post(selected, {"action": "email", "ids": [a.pk]}).status_code == 403
    response = owner_client.post(selected, {"action": "email"})
    assert response.status_code == 302 and response["Location"] == url(workspace, "contacts/")


def test_merge_two_and_tag_the_ticked_contacts(venue, owner_client):
    workspace = venue[0]
    a, b, c = add(venue, name="A"), add(venue, name="B"), add(venue, name="C")
    selected = url(workspace, "contacts/selected/")
    response = owner_client.post(selected, {"action": "merge", "ids": [b.pk, a.pk]})
    assert response["Location"] == url(workspace, f"contacts/{a.pk}/merge/?other={b.pk}")
    response = owner_client.post(selected, {"action": "merge", "ids": [a.pk, b.pk, c.pk]})
    assert response["Location"] == url(workspace, "contacts/")
    owner_client.post(selected, {"action": "tag", "ids": [a.pk, c.pk], "tag": "Festival", "query": "sort=city"})
    assert set(Contact.objects.filter(tags__contains=",festival,").values_list("pk", flat=True)) == {a.pk, c.pk}
    owner_client.post(selected, {"action": "untag", "ids": [a.pk], "tag": "festival"})
    assert list(Contact.objects.filter(tags__contains=",festival,").values_list("pk", flat=True)) == [c.pk]
