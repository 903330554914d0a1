"""The contacts book's services: field rules, duplicates, tags, edits, deletion, bulk tagging and
merging (history moved, the one-party-per-thread constraint), each audited and permission-checked."""

import uuid

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts import services
from backline.contacts.models import Contact
from backline.contacts.permissions import access_contact
from backline.conversations.models import Message, MessageSource, ThreadParty
from backline.conversations.services import add_message, email_thread_for
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.models import AuditEntry
from backline.mail.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue(make_team):
    return make_team(WorkspaceKind.VENUE, name="Lantern Hall")


@pytest.fixture
def owner(venue):
    return venue[1][Role.OWNER]


def new(venue, **fields):
    workspace, people = venue
    fields.setdefault("name", "Mara Berg")
    return services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, **fields)


def outbound(contact, *, to_email=None, status=EmailStatus.SENT, thread=None, link=True):
    return OutboundEmail.objects.create(
        workspace=contact.workspace, contact=contact if link else None, thread=thread,
        to_email=to_email or contact.email, from_email="hall@example.org", subject="Dates in May",
        body_text="Hello", status=status, header_message_id=f"<{uuid.uuid4().hex}@example.org>")


# --- field rules --------------------------------------------------------------------------------------

def test_create_cleans_and_stores_every_field(venue):
    contact = new(venue, name="  Mara   Berg ", role="Talent buyer", organisation=" Lantern Hall ", email="Mara@Example.ORG",
                  phone="+49 (30) 123-456", city="Berlin", tags=" Jazz, festival,jazz ,  Club  Nights ", notes=" Tuesdays ")
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.organisation, contact.email, contact.phone, contact.city, contact.notes) == (
        "Mara Berg", "talent_buyer", "Lantern Hall", "mara@example.org", "+49 (30) 123-456", "Berlin", "Tuesdays")
    assert contact.tags == ",club nights,festival,jazz,"
    assert contact.tag_list == ["club nights", "festival", "jazz"]
    assert contact.created_by == venue[1][Role.OWNER]


@pytest.mark.parametrize(("fields", "field", "fragment"), [
    ({"name": "  "}, "name", "required"),
    ({"email": "not-an-address"}, "email", "not a valid email"),
    ({"email": "a@b"}, "email", "not a valid email"),
    ({"phone": "call me"}, "phone", "digits, spaces"),
    ({"phone": "+4"}, "phone", "at least 3 digits"),
    ({"phone": "1" * 51}, "phone", "At most 50"),
    ({"role": "drummer"}, "role", "not a role"),
    ({"tags": "x" * 41}, "tags", "longer than 40"),
    ({"tags": ",".join(f"t{i}" for i in range(21))}, "tags", "At most 20 tags"),
    ({"tags": ["jazz,blues"]}, "tags", "cannot contain a comma"),
    ({"name": "x" * 201}, "name", "At most 200"),
    ({"notes": "x" * 5001}, "notes", "At most 5000"),
    # PostgreSQL cannot store NUL; no one types the other control characters (tab and line breaks are text)
    ({"name": "Ma\x00ra"}, "name", "NUL character"),
    ({"email": "mara\x00@example.org"}, "email", "NUL character"),
    ({"organisation": "Lantern\x1b[31m Hall"}, "organisation", "U+001B"),
    ({"notes": "Tuesdays\x00"}, "notes", "NUL character"),
    ({"tags": ["jazz\x00"]}, "tags", "NUL character"),
    ({"tags": "jazz, blu\x07es"}, "tags", "U+0007"),
])
def test_bad_fields_are_refused_with_field_errors(venue, fields, field, fragment):
    with pytest.raises(Invalid) as exc:
        new(venue, **{"name": "Mara", **fields})
    assert field in exc.value.errors and fragment in " ".join(exc.value.errors[field])
    assert not Contact.objects.exists()


def test_every_role_is_accepted_by_value_and_by_label(venue):
    for i, (value, label) in enumerate(Contact._meta.get_field("role").choices):
        assert new(venue, name=f"A{i}", role=value).role == value
        assert new(venue, name=f"B{i}", role=label.upper()).role == value
    assert new(venue, name="Blank", role="").role == "other"


def test_twenty_tags_of_forty_characters_fit(venue):
    tags = [f"{i:02d}" + "x" * 38 for i in range(20)]
    with pytest.raises(Invalid) as exc:  # 20 × 41 + 1 characters do not fit the column
        new(venue, tags=tags)
    assert "longer than 500" in " ".join(exc.value.errors["tags"])
    contact = new(venue, tags=[f"tag number {i}" for i in range(20)])
    assert len(contact.tag_list) == 20


# --- duplicates -----------------------------------------------------------------------------------------

def test_the_same_email_twice_in_a_workspace_is_a_conflict_naming_the_contact(venue):
    first = new(venue, email="mara@example.org")
    with pytest.raises(Conflict) as exc:
        new(venue, name="M. Berg", email="MARA@example.org ")
    assert exc.value.code == "contact_duplicate"
    assert exc.value.extra["conflicting"] == {"type": "contact", "id": first.pk, "name": "Mara Berg",
                                              "email": "mara@example.org"}
    assert "Mara Berg" in exc.value.detail
    assert Contact.objects.count() == 1


def test_contacts_without_email_and_other_workspaces_are_not_duplicates(venue, make_team):
    new(venue, name="A")
    new(venue, name="B")
    other_ws, other = make_team(WorkspaceKind.PROMOTER, name="Night Shift")
    new(venue, email="same@example.org")
    services.contact_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, name="Same", email="same@example.org")
    assert Contact.objects.count() == 4


def test_editing_to_another_contacts_email_is_a_conflict(venue):
    new(venue, email="mara@example.org")
    second = new(venue, name="Jon", email="jon@example.org")
    with pytest.raises(Conflict):
        services.contact_update(actor=venue[1][Role.OWNER], contact_id=second.pk, email="Mara@example.org")
    second.refresh_from_db()
    assert second.email == "jon@example.org"
    # its own email, in another case, is fine
    services.contact_update(actor=venue[1][Role.OWNER], contact_id=second.pk, email="JON@example.org")


# --- update, delete, audit ------------------------------------------------------------------------------

def test_update_changes_only_the_given_fields_and_audits_before_and_after(venue, owner):
    contact = new(venue, email="mara@example.org", tags="jazz", city="Berlin")
    services.contact_update(actor=owner, contact_id=contact.pk, city="Hamburg", tags=["Folk", "jazz"])
    contact.refresh_from_db()
    assert (contact.city, contact.email, contact.tags) == ("Hamburg", "mara@example.org", ",folk,jazz,")
    entry = AuditEntry.objects.get(action="contact.updated")
    assert entry.before["city"] == "Berlin" and entry.after["city"] == "Hamburg"
    assert entry.after["tags"] == ",folk,jazz," and entry.workspace_id == contact.workspace_id
    # nothing changed: nothing audited
    services.contact_update(actor=owner, contact_id=contact.pk, city="Hamburg")
    assert AuditEntry.objects.filter(action="contact.updated").count() == 1


def test_create_and_delete_are_audited(venue, owner):
    contact = new(venue, email="mara@example.org")
    assert AuditEntry.objects.get(action="contact.created").after["email"] == "mara@example.org"
    thread = email_thread_for(workspace=contact.workspace, subject="Dates", contact=contact)
    services.contact_delete(actor=owner, contact_id=contact.pk)
    assert not Contact.objects.exists()
    entry = AuditEntry.objects.get(action="contact.deleted")
    assert entry.before["name"] == "Mara Berg" and entry.object_id == str(contact.pk)
    assert thread.parties.filter(workspace=contact.workspace).exists()  # the conversation stays the workspace's


# --- permissions ------------------------------------------------------------------------------------------

def test_roles_without_contacts_manage_cannot_change_and_strangers_get_404(venue, make_team):
    workspace, people = venue
    contact = new(venue)
    for role in (Role.MEMBER, Role.VIEWER):
        with pytest.raises(Forbidden):
            services.contact_create(actor=people[role], workspace_id=workspace.pk, name="X")
        with pytest.raises(Forbidden):
            services.contact_update(actor=people[role], contact_id=contact.pk, city="X")
        with pytest.raises(Forbidden):
            services.contact_delete(actor=people[role], contact_id=contact.pk)
        assert access_contact(user=people[role], contact_id=contact.pk).pk == contact.pk  # may read
    assert services.contact_update(actor=people[Role.COORDINATOR], contact_id=contact.pk, city="Köln").city == "Köln"
    _, strangers = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    for call in (lambda: access_contact(user=strangers[Role.OWNER], contact_id=contact.pk),
                 lambda: services.contact_update(actor=strangers[Role.OWNER], contact_id=contact.pk, city="X"),
                 lambda: services.contact_delete(actor=strangers[Role.OWNER], contact_id=contact.pk),
                 lambda: access_contact(user=people[Role.OWNER], contact_id=contact.pk + 1000)):
        with pytest.raises(NotFound):
            call()


def test_agency_performers_cannot_see_contacts(make_team):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    contact = services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Client")
    with pytest.raises(Forbidden):
        access_contact(user=people[Role.PERFORMER], contact_id=contact.pk)


# --- bulk tags ----------------------------------------------------------------------------------------------

def test_tagging_several_contacts_at_once(venue, owner, make_team):
    a, b = new(venue, name="A", tags="jazz"), new(venue, name="B")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = services.contact_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, name="F")
    changed = services.contacts_tag(actor=owner, workspace_id=venue[0].pk, contact_ids=[a.pk, b.pk, foreign.pk],
                                    add="Festival")
    assert changed == 2
    a.refresh_from_db(), b.refresh_from_db(), foreign.refresh_from_db()
    assert (a.tags, b.tags, foreign.tags) == (",festival,jazz,", ",festival,", "")
    assert services.contacts_tag(actor=owner, workspace_id=venue[0].pk, contact_ids=[a.pk, b.pk], remove="jazz") == 1
    a.refresh_from_db()
    assert a.tags == ",festival,"
    entry = AuditEntry.objects.filter(action="contacts.tagged").first()
    assert entry is not None and set(entry.after["contacts"]) <= {a.pk, b.pk}
    with pytest.raises(Invalid):
        services.contacts_tag(actor=owner, workspace_id=venue[0].pk, contact_ids=[a.pk], add="")


# --- merge ----------------------------------------------------------------------------------------------------

def history_of(venue, contact, *, subject="Dates"):
    thread = email_thread_for(workspace=venue[0], subject=subject, contact=contact)
    message = add_message(thread=thread, body=f"Reply from {contact.name}", source=MessageSource.EMAIL_IN,
                          author_contact=contact, author_name=contact.name, author_email=contact.email, notify=False)
    email = outbound(contact, thread=thread)
    return thread, message, email


def test_merge_fills_gaps_unites_tags_joins_notes_and_moves_history(venue, owner):
    keep = new(venue, name="Mara Berg", email="mara@example.org", tags="jazz", notes="Prefers email.")
    other = new(venue, name="Mara Berg", organisation="Lantern Hall", phone="+49 30 1234", role="talent_buyer",
                tags="club,Jazz", notes="Books Tuesdays.")
    kept_thread, _, _ = history_of(venue, keep, subject="Kept")
    thread, message, email = history_of(venue, other, subject="Moved")
    loose = outbound(other, to_email="other@example.org", link=True)

    merged = services.contact_merge(actor=owner, contact_id=keep.pk, other_id=other.pk)
    merged.refresh_from_db()
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert (merged.email, merged.organisation, merged.phone, merged.role) == (
        "mara@example.org", "Lantern Hall", "+49 30 1234", "talent_buyer")
    assert merged.tags == ",club,jazz,"
    assert merged.notes == "Prefers email.\n\nBooks Tuesdays."
    assert ThreadParty.objects.filter(thread=thread, contact=merged).exists()
    assert ThreadParty.objects.filter(thread=kept_thread, contact=merged).exists()
    message.refresh_from_db(), email.refresh_from_db(), loose.refresh_from_db()
    assert message.author_contact_id == merged.pk and email.contact_id == merged.pk and loose.contact_id == merged.pk

    entry = AuditEntry.objects.get(action="contact.merged")
    assert entry.before["merged"]["id"] == other.pk and entry.before["contact"]["phone"] == ""
    assert entry.after["contact"]["phone"] == "+49 30 1234"
    assert entry.after["moved"] == {"threads": 1, "shared_threads": 0, "messages": 1, "emails": 2}


def test_merge_when_both_are_parties_of_one_thread(venue, owner):
    """The unique (thread, contact) party: the other's place in a shared thread goes, keep's stays."""
    keep = new(venue, name="Mara", email="mara@example.org")
    other = new(venue, name="Mara B.", email="mara.berg@example.org")
    thread = email_thread_for(workspace=venue[0], subject="Both", contact=keep)
    ThreadParty.objects.create(thread=thread, contact=other)
    add_message(thread=thread, body="From the other address", source=MessageSource.EMAIL_IN, author_contact=other,
                notify=False)
    services.contact_merge(actor=owner, contact_id=keep.pk, other_id=other.pk)
    parties = ThreadParty.objects.filter(thread=thread, contact__isnull=False)
    assert list(parties.values_list("contact_id", flat=True)) == [keep.pk]
    assert Message.objects.get(thread=thread).author_contact_id == keep.pk
    keep.refresh_from_db()
    assert keep.email == "mara@example.org"  # keep's own email stays
    assert AuditEntry.objects.get(action="contact.merged").after["moved"]["shared_threads"] == 1


def test_merge_takes_the_others_email_when_keep_has_none(venue, owner):
    keep, other = new(venue, name="Mara"), new(venue, name="Mara", email="mara@example.org")
    services.contact_merge(actor=owner, contact_id=keep.pk, other_id=other.pk)
    keep.refresh_from_db()
    assert keep.email == "mara@example.org"


def test_merge_refusals_change_nothing(venue, owner, make_team):
    keep = new(venue, name="A", notes="x" * 3000)
    other = new(venue, name="B", notes="y" * 3000)
    with pytest.raises(Invalid) as exc:
        services.contact_merge(actor=owner, contact_id=keep.pk, other_id=other.pk)
    assert "notes" in exc.value.errors
    with pytest.raises(Invalid):
        services.contact_merge(actor=owner, contact_id=keep.pk, other_id=keep.pk)
    other_ws, people = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = services.contact_create(actor=people[Role.OWNER], workspace_id=other_ws.pk, name="F")
    with pytest.raises(Invalid) as exc:
        services.contact_merge(actor=owner, contact_id=keep.pk, other_id=foreign.pk)
    assert "other_id" in exc.value.errors
    with pytest.raises(NotFound):
        services.contact_merge(actor=people[Role.OWNER], contact_id=keep.pk, other_id=foreign.pk)
    with pytest.raises(Forbidden):
        services.contact_merge(actor=venue[1][Role.MEMBER], contact_id=keep.pk, other_id=other.pk)
    assert Contact.objects.count() == 3 and not AuditEntry.objects.filter(action="contact.merged").exists()


def test_merge_plan_describes_the_merge_without_changing_anything(venue):
    keep = new(venue, name="Mara", email="mara@example.org")
    other = new(venue, name="Mara", city="Berlin", tags="jazz")
    history_of(venue, other)
    plan = services.merge_plan(keep, other)
    assert plan.fields["city"] == ("", "Berlin", "Berlin") and plan.fields["tags"][2] == ",jazz,"
    assert (plan.threads, plan.shared_threads, plan.messages, plan.emails) == (1, 0, 1, 1)
    assert Contact.objects.count() == 2


def test_merge_keeps_what_does_not_fit_in_the_notes(venue, owner):
    keep = new(venue, name="Jonas Fischer", email="jonas@tempest.example.org", phone="+49 30 1201", city="Berlin")
    other = new(venue, name="Jonas Fischer", phone="+49 170 199", email="j.fischer@gmail.example.org", city="berlin")
    merged = services.contact_merge(actor=owner, contact_id=keep.pk, other_id=other.pk)
    assert merged.phone == "+49 30 1201" and merged.email == "jonas@tempest.example.org"
    assert merged.notes == "Merged from “Jonas Fischer”: email j.fischer@gmail.example.org; phone +49 170 199."
