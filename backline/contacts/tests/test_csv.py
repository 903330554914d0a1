"""CSV import (all-or-nothing, row-level errors, duplicates in the file and in the book, encodings,
delimiters, limits, malformed files) and export (formula injection guard, round trip)."""

import codecs
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts import csv_files as contacts_csv
from backline.contacts import services
from backline.contacts.csv_files import ImportRefused, contacts_import, export_lines
from backline.contacts.models import Contact
from backline.contacts.selectors import contacts_for
from backline.core.errors import Forbidden, Invalid
from backline.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = """name,role,organisation,email,phone,city,tags,notes
Mara Berg,Talent buyer,Lantern Hall,mara@example.org,+49 30 1234567,Berlin,"club, indie",Books Tuesdays
Jon Okafor,agent,Northern Lights,JON@example.org,,Manchester,agent,
Ines Silva,,,,,Lisbon,,"Met at the showcase,
bring a press kit"
"""


@pytest.fixture
def venue(make_team):
    return make_team(WorkspaceKind.VENUE, name="Lantern Hall")


def run(venue, text, *, role=Role.OWNER, encoding="utf-8", **kwargs):
    workspace, people = venue
    data = text.encode(encoding) if isinstance(text, str) else text
    return contacts_import(actor=people[role], workspace_id=workspace.pk,
                           file=SimpleUploadedFile("contacts.csv", data, content_type="text/csv"), **kwargs)


def refused(venue, text, **kwargs) -> ImportRefused:
    before = Contact.objects.count()
    with pytest.raises(ImportRefused) as exc:
        run(venue, text, **kwargs)
    assert Contact.objects.count() == before, "a refused import wrote something"
    return exc.value


def errors_of(exc: ImportRefused) -> list[tuple]:
    return [(e.row, e.field) for e in exc.rows]


# --- good files -------------------------------------------------------------------------------------------

def test_a_good_file_imports_every_row_in_one_audited_entry(venue):
    result = run(venue, GOOD)
    assert (result.rows, result.created, result.updated, result.skipped) == (3, 3, 0, 0)
    mara = Contact.objects.get(email="mara@example.org")
    assert (mara.name, mara.role, mara.organisation, mara.phone, mara.city, mara.tags, mara.notes) == (
        "Mara Berg", "talent_buyer", "Lantern Hall", "+49 30 1234567", "Berlin", ",club,indie,", "Books Tuesdays")
    assert Contact.objects.get(name="Jon Okafor").email == "jon@example.org"
    ines = Contact.objects.get(name="Ines Silva")
    assert ines.role == "other" and ines.notes == "Met at the showcase,\nbring a press kit"
    assert ines.created_by == venue[1][Role.OWNER]
    entry = AuditEntry.objects.get(action="contacts.imported")
    assert entry.after["created"] == 3 and entry.after["file"] == "contacts.csv" and entry.workspace_id == venue[0].pk


def test_bom_semicolons_aliases_case_and_unknown_columns(venue):
    text = ("\ufeffFull Name;COMPANY;E-Mail;Mobile;Town;Labels;Birthday\n"
            "Zoë Müller;Café Größe;zoe@example.org;+49 (0)89 123;München;\"jazz; funk\";1 May\n")
    result = run(venue, text)
    assert result.created == 1 and result.ignored_columns == ["Birthday"]
    zoe = Contact.objects.get()
    assert (zoe.name, zoe.organisation, zoe.email, zoe.phone, zoe.city) == (
        "Zoë Müller", "Café Größe", "zoe@example.org", "+49 (0)89 123", "München")
    assert zoe.tags == ",jazz; funk,"  # a semicolon file still separates tags with commas


def test_organization_spelling_and_crlf_line_ends(venue):
    run(venue, "Name,Organization\r\nA,Org A\r\n\r\nB,Org B\r\n")
    assert sorted(Contact.objects.values_list("organisation", flat=True)) == ["Org A", "Org B"]


def test_a_dry_run_checks_and_counts_without_writing(venue):
    result = run(venue, GOOD, dry_run=True)
    assert result.created == 3 and result.dry_run
    assert not Contact.objects.exists() and not AuditEntry.objects.filter(action="contacts.imported").exists()


# --- bad rows: all or nothing ----------------------------------------------------------------------------

def test_row_errors_are_listed_with_row_numbers_as_in_the_file_and_nothing_is_written(venue):
    text = ("name,email,phone,role,tags\n"
            "Good One,good@example.org,,,\n"  # row 2
            ",nobody@example.org,,,\n"  # row 3: no name
            "Bad Mail,not-an-email,,,\n"  # row 4
            "\"Multi\nLine\",ml@example.org,call me,drummer,\n"  # row 5 (two lines), phone and role wrong
            "Tags,t@example.org,,," + "\"" + ",".join(f"t{i}" for i in range(25)) + "\"\n")  # row 7
    exc = refused(venue, text)
    assert errors_of(exc) == [(3, "name"), (4, "email"), (5, "role"), (5, "phone"), (7, "tags")]
    assert "5 rows" not in exc.detail and "4 rows of the file have errors" in exc.detail
    assert exc.errors["row 4: email"] == ["“not-an-email” is not a valid email address."]
    assert exc.extra["rows"][0] == {"row": 3, "field": "name", "message": "A name is required."}


def test_one_bad_row_among_many_good_ones_writes_nothing(venue):
    rows = [f"Person {i},p{i}@example.org" for i in range(300)]
    rows[250] = "Person 250,broken@"
    exc = refused(venue, "name,email\n" + "\n".join(rows) + "\n")
    assert errors_of(exc) == [(252, "email")]
    assert Contact.objects.count() == 0


def test_the_same_email_twice_in_the_file_names_both_rows(venue):
    exc = refused(venue, "name,email\nA,dup@example.org\nB,other@example.org\nC,DUP@example.org\n")
    assert errors_of(exc) == [(2, "email"), (4, "email")]
    assert "row 4" in exc.rows[0].message and "row 2" in exc.rows[1].message


def test_emails_already_in_the_book_are_refused_by_default_naming_the_contact(venue):
    workspace, people = venue
    existing = services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Mara Berg",
                                       email="mara@example.org", city="Berlin", tags="vip")
    exc = refused(venue, GOOD)
    assert errors_of(exc) == [(2, "email")]
    assert "Mara Berg" in exc.rows[0].message and f"#{existing.pk}" in exc.rows[0].message


def test_on_duplicate_skip_imports_the_rest_and_names_the_skipped(venue):
    workspace, people = venue
    existing = services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Mara B.",
                                       email="mara@example.org", city="Berlin")
    result = run(venue, GOOD, on_duplicate="skip")
    assert (result.created, result.skipped) == (2, 1)
    assert result.skipped_rows == [{"row": 2, "email": "mara@example.org", "existing": {"id": existing.pk, "name": "Mara B."}}]
    existing.refresh_from_db()
    assert existing.name == "Mara B."


def test_on_duplicate_update_fills_non_empty_cells_and_adds_tags(venue):
    workspace, people = venue
    existing = services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Mara B.",
                                       email="Mara@example.org", city="Hamburg", notes="Keep me", tags="vip")
    result = run(venue, "name,email,city,tags,notes,phone\nMara Berg,mara@example.org,Berlin,club,,\n",
                 on_duplicate="update")
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.city, existing.tags, existing.notes) == ("Mara Berg", "Berlin", ",club,vip,", "Keep me")
    assert AuditEntry.objects.get(action="contacts.imported").after["updated"] == 1


def test_an_unknown_on_duplicate_is_refused(venue):
    with pytest.raises(Invalid) as exc:
        run(venue, GOOD, on_duplicate="merge")
    assert "on_duplicate" in exc.value.errors


def test_a_row_with_more_cells_than_the_header_is_an_error(venue):
    exc = refused(venue, "name,email\nA,a@example.org\nB,b@example.org,extra\nC,c@example.org,\n")
    assert errors_of(exc) == [(3, "")]


# --- bad files ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"name,email\n", "no contacts"),
    (b"PK\x03\x04\x14\x00\x06\x00binary xlsx", "spreadsheet file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("name,email\nZoë,z@example.org\n".encode("utf-16"), "UTF-16"),
    ("name,city\nZoë,München\n".encode("latin-1"), "not UTF-8"),
    (b"Mara Berg,mara@example.org\nJon,jon@example.org\n", "must be a header"),
    (b"email,city\nmara@example.org,Berlin\n", "no name column"),
    (b"name,email,E-Mail\nA,a@example.org,b@example.org\n", "Two columns mean email"),
    (b'name,email\n"Unclosed,a@example.org\nB,b@example.org\n', "never closed"),
    (b'name,email\nA "quoted" name,a@example.org\nB,"b@example.org"x\n', "not valid CSV"),
])
def test_malformed_files_get_a_clear_answer_and_change_nothing(venue, data, fragment):
    exc = refused(venue, data)
    assert fragment in " ".join(e.message for e in exc.rows) + exc.detail


def test_a_nul_or_another_control_character_in_a_cell_is_an_error_on_its_row(venue):
    # PostgreSQL cannot store NUL: the row is refused, never a 500 (and never stored on SQLite either).
    text = ("name,email,tags,notes\nA,a@example.org,,fine\nB\x00,b@example.org,,\nC,c@example.org,\"x\x00y\",\n"
            "D,d@example.org,,\"bell \x07\"\nE,e@example.org,,\"two\n\tlines\"\n")
    exc = refused(venue, text.encode())
    assert errors_of(exc) == [(3, "name"), (4, "tags"), (5, "notes")]
    messages = {e.row: e.message for e in exc.rows}
    assert "NUL" in messages[3] and "NUL" in messages[4] and "U+0007" in messages[5]
    # Without them the same file imports, tab and line breaks in the notes kept.
    result = run(venue, text.replace("\x00", "").replace("\x07", "").encode())
    assert result.created == 5
    assert Contact.objects.get(email="e@example.org").notes == "two\n\tlines"


def test_a_utf8_error_names_its_line(venue):
    exc = refused(venue, b"name,city\nA,Berlin\nB,M\xfcnchen\n")
    assert exc.rows[0].row == 3


def test_the_size_and_row_limits(venue, monkeypatch):
    exc = refused(venue, b"name\n" + b"x" * (contacts_csv.MAX_BYTES + 10) + b"\n")
    assert "larger than 2 MB" in exc.detail
    exc = refused(venue, "name\n" + "\n".join(f"P{i}" for i in range(contacts_csv.MAX_ROWS + 1)) + "\n")
    assert "more than 5000 rows" in exc.detail
    assert run(venue, "name\n" + "\n".join(f"P{i}" for i in range(contacts_csv.MAX_ROWS)) + "\n").created == 5000


def test_importing_needs_contacts_manage(venue):
    with pytest.raises(Forbidden):
        run(venue, GOOD, role=Role.MEMBER)
    assert not Contact.objects.exists()


# --- export ------------------------------------------------------------------------------------------------

def exported(workspace, **filters) -> list[list[str]]:
    text = "".join(export_lines(contacts_for(workspace.pk, **filters)))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_export_guards_against_formula_injection(venue):
    workspace, people = venue
    for name, notes in (("=HYPERLINK(\"http://evil\")", "+1 cmd"), ("@SUM(A1)", "-2+3"), ("Plain", "Plain")):
        services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name=name, notes=notes)
    services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Phone", phone="+44 20 7946 0000")
    rows = exported(workspace)
    assert rows[0] == ["name", "role", "organisation", "email", "phone", "city", "tags", "notes"]
    cells = {r[0]: r for r in rows[1:]}
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'@SUM(A1)" in cells
    assert cells["'=HYPERLINK(\"http://evil\")"][7] == "'+1 cmd" and cells["'@SUM(A1)"][7] == "'-2+3"
    assert cells["Plain"][7] == "Plain" and cells["Phone"][4] == "'+44 20 7946 0000"
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
    # tabs and carriage returns cannot start a stored field (they are trimmed), but the guard covers them
    assert contacts_csv.safe_cell("\tTabbed") == "'\tTabbed" and contacts_csv.safe_cell("\r=1") == "'\r=1"
    assert contacts_csv.safe_cell("a=b") == "a=b" and contacts_csv.safe_cell(None) == ""


def test_export_follows_the_filters(venue):
    workspace, people = venue
    for name, role, tags in (("A", "agent", "jazz"), ("B", "promoter", "jazz"), ("C", "agent", "")):
        services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name=name, role=role, tags=tags)
    assert [r[0] for r in exported(workspace, role="agent")[1:]] == ["A", "C"]
    assert [r[0] for r in exported(workspace, tag="jazz", sort="-name")[1:]] == ["B", "A"]


def test_export_then_import_into_another_workspace_gives_the_same_contacts(venue, make_team):
    workspace, people = venue
    run(venue, GOOD)
    services.contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="=Formula Fan", notes="-minus\n+plus",
                            phone="+1 (555) 010-0199", role="press", tags="press, uk", email="press@example.org")
    text = "".join(export_lines(contacts_for(workspace.pk)))
    other_ws, other = make_team(WorkspaceKind.PROMOTER, name="Night Shift")
    result = contacts_import(actor=other[Role.OWNER], workspace_id=other_ws.pk,
                             file=SimpleUploadedFile("export.csv", text.encode("utf-8")))
    assert result.created == 4 and result.ignored_columns == []
    fields = ("name", "role", "organisation", "email", "phone", "city", "tags", "notes")

    def book(ws):
        return sorted(Contact.objects.filter(workspace=ws).values_list(*fields))

    assert book(other_ws) == book(workspace)


def test_the_sample_file_imports(venue):
    text = "".join(contacts_csv.sample_lines())
    assert text.startswith(codecs.BOM_UTF8.decode())
    assert run(venue, text).created == len(contacts_csv.SAMPLE_ROWS)
