"""The contacts book in and out of CSV.

Import is all-or-nothing: the whole file is read and every row checked first (the same rules as a
contact typed into the form, plus duplicates within the file and against the book); any error and
nothing is written, and the answer lists each error with the row number as in the file (the header
is row 1), the column and what is wrong. A clean file is written in one transaction and audited as
one entry.

Export streams the (filtered) book with a header row that import understands, so export → import
into another workspace gives the same contacts. Cells that a spreadsheet would run as a formula
(starting with ``= + - @``, a tab or a carriage return) are written with a leading ``'``; import
removes that quote again."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from backline.accounts.permissions import CONTACTS_MANAGE, access_workspace
from backline.core import audit
from backline.core.errors import Conflict, Invalid

from .models import Contact, ContactRole
from .services import CONTACT_FIELDS, MAX_TAGS, MAX_TAGS_CHARS, clean_contact, stored_tags

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
ON_DUPLICATE = ("error", "skip", "update")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500

# Header names understood (compared case-insensitively, ignoring spaces, "_" and "-").
COLUMN_ALIASES = {
    "name": ("name", "full name", "contact", "contact name"),
    "role": ("role", "type", "contact type"),
    "organisation": ("organisation", "organization", "company", "org", "company name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "phone": ("phone", "telephone", "tel", "mobile", "phone number"),
    "city": ("city", "town"),
    "tags": ("tags", "tag", "labels"),
    "notes": ("notes", "note", "comments", "comment"),
}
EXPORT_HEADER = ("name", "role", "organisation", "email", "phone", "city", "tags", "notes")


def _header_key(text: str) -> str:
    return "".join(c for c in text.strip().lower() if c not in " _-")


ALIASES = {_header_key(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row as in the file (the header is row 1); None for the file as a whole
    field: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0  # data rows read (blank rows not counted)
    created: int = 0
    updated: int = 0
    skipped: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)
    skipped_rows: list[dict] = field(default_factory=list)  # {row, email, existing: {id, name}}
    errors: list[RowError] = field(default_factory=list)  # only on a refused import

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": [asdict(e) for e in self.errors]}


class ImportRefused(Invalid):
    """The file or some rows are wrong; nothing was written. ``rows`` lists every error."""

    code = "import_invalid"

    def __init__(self, detail: str, rows: list[RowError], result: ImportResult | None = None):
        errors: dict[str, list[str]] = {}
        for e in rows:
            key = e.field if e.row is None else f"row {e.row}: {e.field or 'row'}"
            errors.setdefault(key, []).append(e.message)
        super().__init__(detail, errors=errors, rows=[asdict(e) for e in rows])
        self.rows = rows
        self.result = result


def _file_error(message: str) -> ImportRefused:
    return ImportRefused(message, [RowError(None, "file", message)])


# --- reading ------------------------------------------------------------------------------------------

def _read_bytes(upload) -> bytes:
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        if getattr(upload, "size", None) is not None and upload.size > MAX_BYTES:
            raise _file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.")
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.")
    return data


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes) -> str:
    if not data.strip():
        raise _file_error("The file is empty.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("This is a spreadsheet file (Excel or similar), not CSV. In your spreadsheet, use "
                          "“Save as” or “Download” → “CSV UTF-8” and upload that.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _file_error("The file is UTF-16 text; save it as CSV UTF-8 and upload that.")
    if b"\x00" in data and (b"\x00" in data.split(b"\n", 1)[0] or not _is_utf8(data)):
        # (a stray NUL in a cell of a text file is reported on its row, by clean_contact)
        raise _file_error("This is a binary file, not CSV text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRefused("The file is not UTF-8 text.", [RowError(
            line, "file", "This line is not UTF-8 text. Save the file as CSV UTF-8 and upload it again.")]) from None


def _delimiter(text: str) -> str:
    """Comma or semicolon, sniffed from the header line (where no quoted text hides a delimiter)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(first, delimiters=",;").delimiter
    except csv.Error:
        return ";" if first.count(";") > first.count(",") else ","


def _unescape(value: str) -> str:
    """Undo export's guard against formulas: "'=SUM(A1)" is read back as "=SUM(A1)"."""
    if len(value) >= 2 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


@dataclass
class _Row:
    number: int
    values: dict  # column → the cell's text (only the columns present in the file)


def read_rows(upload) -> tuple[list[_Row], list[str], list[RowError]]:
    """(rows, ignored header names, errors) of a CSV file; file-level problems raise ``ImportRefused``."""
    text = _decode(_read_bytes(upload))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise _file_error("The file is empty.") from None
    except csv.Error as exc:
        raise _file_error(f"The header row is not valid CSV ({exc}).") from None

    columns: dict[int, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        column = ALIASES.get(_header_key(name))
        if column is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if column in seen:
            raise _file_error(f"Two columns mean {column}: “{seen[column]}” and “{name.strip()}”. Keep one.")
        seen[column] = name.strip()
        columns[index] = column
    known = ", ".join(COLUMN_ALIASES)
    if not columns:
        raise _file_error(f"The first row must be a header naming the columns ({known}); no known column "
                          f"name was found in it.")
    if "name" not in seen:
        raise _file_error(f"There is no name column. The header must name a “name” column (others: {known}).")

    rows: list[_Row] = []
    errors: list[RowError] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportRefused("The file is not valid CSV.", [RowError(
                start, "file", f"This row is not valid CSV ({exc}); look for a quote (\") that is opened but "
                               "never closed.")]) from None
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _file_error(f"The file has more than {MAX_ROWS} rows. Split it into smaller files.")
        extra = [c for c in cells[len(header):] if c.strip()]
        if extra:
            errors.append(RowError(start, "", f"This row has {len(cells)} cells but the header names {len(header)} "
                                              "columns (a delimiter inside an unquoted cell?)."))
        values = {column: _unescape(cells[i]) if i < len(cells) else "" for i, column in columns.items()}
        rows.append(_Row(start, values))
    if not rows:
        raise _file_error("The file has a header but no contacts.")
    return rows, ignored, errors


# --- importing ----------------------------------------------------------------------------------------

def _existing_by_email(workspace_id: int, emails: Iterable[str]) -> dict[str, Contact]:
    emails = sorted(set(emails))
    found: dict[str, Contact] = {}
    for start in range(0, len(emails), BATCH):
        chunk = emails[start:start + BATCH]
        for contact in (Contact.objects.filter(workspace_id=workspace_id).annotate(lower_email=Lower("email"))
                        .filter(lower_email__in=chunk).order_by("pk")):
            found.setdefault(contact.lower_email, contact)
    return found


def _update_of(existing: Contact, row: _Row, cleaned: dict) -> tuple[dict, list[str]]:
    """The changes an ``update`` import makes: every non-empty cell replaces the contact's value;
    tags are added to the contact's own."""
    changes = {}
    errors = []
    for column, raw in row.values.items():
        if not raw.strip():
            continue
        if column == "tags":
            tags = set(existing.tag_list) | {t for t in cleaned["tags"].split(",") if t}
            if len(tags) > MAX_TAGS or len(stored_tags(tags)) > MAX_TAGS_CHARS:
                errors.append(f"{existing.name} would have more than {MAX_TAGS} tags.")
            value = stored_tags(tags)
        else:
            value = cleaned[column]
        if getattr(existing, column) != value:
            changes[column] = value
    return changes, errors


def contacts_import(*, actor, workspace_id: int, file, on_duplicate: str = "error", dry_run: bool = False,
                    filename: str = "") -> ImportResult:
    """Import contacts from a CSV file (UTF-8, with or without BOM; comma- or semicolon-separated;
    a header row naming the columns). ``on_duplicate`` says what a row whose email is already in the
    book does: ``error`` (the default: the import is refused, naming the contact), ``skip`` or
    ``update`` (its non-empty cells replace the contact's values; its tags are added). All or nothing:
    any error raises ``ImportRefused`` listing every row's errors, and nothing is written.
    ``dry_run`` checks the file and answers the counts without writing."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=CONTACTS_MANAGE)
    if on_duplicate not in ON_DUPLICATE:
        raise Invalid("Choose what to do with duplicates.",
                      errors={"on_duplicate": [f"One of: {', '.join(ON_DUPLICATE)}."]})
    ws = access.workspace
    filename = filename or getattr(file, "name", "") or ""
    rows, ignored, errors = read_rows(file)
    result = ImportResult(rows=len(rows), dry_run=dry_run, ignored_columns=ignored)

    checked: list[tuple[_Row, dict]] = []
    for row in rows:
        cleaned, field_errors = clean_contact(row.values)
        for column, messages in field_errors.items():
            errors.extend(RowError(row.number, column, m) for m in messages)
        checked.append((row, cleaned))

    by_email: dict[str, list[int]] = {}
    for row, cleaned in checked:
        if cleaned.get("email"):
            by_email.setdefault(cleaned["email"], []).append(row.number)
    for email, numbers in by_email.items():
        if len(numbers) > 1:
            for n in numbers:
                others = ", ".join(str(o) for o in numbers if o != n)
                errors.append(RowError(n, "email", f"{email} is also on row{'s' if len(numbers) > 2 else ''} "
                                                   f"{others} of the file; each contact once, please."))
    existing = _existing_by_email(ws.pk, by_email)

    new: list[Contact] = []
    updates: list[tuple[Contact, dict]] = []
    now = timezone.now()
    creator = actor if getattr(actor, "is_authenticated", False) else None
    for row, cleaned in checked:
        match = existing.get(cleaned.get("email") or "")
        if match is None:
            new.append(Contact(workspace=ws, created_by=creator, created_at=now, **cleaned))
        elif on_duplicate == "error":
            errors.append(RowError(row.number, "email", f"{match.email} is already in your contacts as "
                                                        f"“{match.name}” (contact #{match.pk}). Choose “skip” or "
                                                        "“update” for rows already in the book."))
        elif on_duplicate == "skip":
            result.skipped += 1
            result.skipped_rows.append({"row": row.number, "email": match.email,
                                        "existing": {"id": match.pk, "name": match.name}})
        else:
            changes, update_errors = _update_of(match, row, cleaned)
            errors.extend(RowError(row.number, "tags", m) for m in update_errors)
            updates.append((match, changes))

    if errors:
        errors.sort(key=lambda e: (e.row or 0, CONTACT_FIELDS.index(e.field) if e.field in CONTACT_FIELDS else -1))
        bad_rows = len({e.row for e in errors})
        result.errors = errors
        raise ImportRefused(f"{bad_rows} row{'s' if bad_rows != 1 else ''} of the file "
                            f"{'have' if bad_rows != 1 else 'has'} errors; nothing was imported.", errors, result)

    result.created = len(new)
    result.updated = sum(1 for _, changes in updates if changes)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            if new:
                Contact.objects.bulk_create(new, batch_size=BATCH)
            changed = []
            if updates:
                locked = Contact.objects.select_for_update().in_bulk([c.pk for c, ch in updates if ch])
                for contact, changes in updates:
                    if changes and contact.pk in locked:
                        target = locked[contact.pk]
                        for column, value in changes.items():
                            setattr(target, column, value)
                        target.updated_at = now
                        changed.append(target)
                fields = sorted({c for _, ch in updates for c in ch} | {"updated_at"})
                if changed:
                    Contact.objects.bulk_update(changed, fields, batch_size=BATCH)
            audit.record(actor=actor, action="contacts.imported", obj=ws, workspace_id=ws.pk, after={
                "file": filename[:200], "rows": result.rows, "created": result.created, "updated": len(changed),
                "skipped": result.skipped, "on_duplicate": on_duplicate})
    except IntegrityError:
        raise Conflict("Someone added a contact with one of these emails while the file was imported; nothing "
                       "was imported. Try again.", code="contact_duplicate") from None
    result.updated = len(changed)
    return result


# --- exporting ----------------------------------------------------------------------------------------

def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def export_row(contact: Contact) -> list[str]:
    return [safe_cell(v) for v in (contact.name, ContactRole(contact.role).label if contact.role in ContactRole.values
                                   else contact.role, contact.organisation, contact.email, contact.phone,
                                   contact.city, ", ".join(contact.tag_list), contact.notes)]


def export_lines(contacts) -> Iterator[str]:
    """The CSV text, line by line: a UTF-8 BOM (so spreadsheets read the accents), the header, then
    one row per contact, read from the database in chunks."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8") + writer.writerow(EXPORT_HEADER)
    for contact in contacts.iterator(chunk_size=2000):
        yield writer.writerow(export_row(contact))


def export_filename(workspace) -> str:
    return f"{workspace.slug}-contacts-{dt.date.today().isoformat()}.csv"


SAMPLE_ROWS = [
    ("Mara Berg", "Talent buyer", "Lantern Hall", "mara@lantern-hall.example.org", "+49 30 1234567", "Berlin",
     "club, indie", "Books Tuesdays to Thursdays; prefers email."),
    ("Jon Okafor", "Agent", "Northern Lights Agency", "jon@northern-lights.example.org", "", "Manchester",
     "agent, uk", ""),
]


def sample_lines() -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8") + writer.writerow(EXPORT_HEADER)
    for row in SAMPLE_ROWS:
        yield writer.writerow([safe_cell(v) for v in row])
