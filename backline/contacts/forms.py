"""Forms of the contacts book. They only collect input: the rules (required name, valid email, phone
characters, tags, duplicates) are the service's, shown on the form through ``add_domain_error``."""

from django import forms

from backline.core.forms import Form

from .csv_files import MAX_BYTES, MAX_ROWS
from .models import Contact, ContactRole
from .services import MAX_LENGTHS, MAX_TAG_LENGTH, MAX_TAGS


class ContactForm(Form):
    name = forms.CharField(max_length=MAX_LENGTHS["name"])
    role = forms.ChoiceField(choices=ContactRole.choices, initial=ContactRole.OTHER)
    organisation = forms.CharField(required=False, max_length=MAX_LENGTHS["organisation"],
                                   help_text="The venue, promoter, agency or company they work for.")
    email = forms.CharField(required=False, max_length=MAX_LENGTHS["email"],
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(required=False, max_length=MAX_LENGTHS["phone"],
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    city = forms.CharField(required=False, max_length=MAX_LENGTHS["city"])
    tags = forms.CharField(required=False, max_length=1000,
                           help_text=f"Comma-separated, e.g. “festival, jazz, uk”: at most {MAX_TAGS} tags of "
                                     f"{MAX_TAG_LENGTH} characters.")
    notes = forms.CharField(required=False, max_length=MAX_LENGTHS["notes"],
                            widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def for_contact(cls, contact: Contact, data=None):
        initial = {f: getattr(contact, f) for f in ("name", "role", "organisation", "email", "phone", "city", "notes")}
        initial["tags"] = ", ".join(contact.tag_list)
        return cls(data, initial=initial)

    def changes(self, contact: Contact | None = None) -> dict:
        """The cleaned fields (only those that differ from ``contact``'s when editing)."""
        data = dict(self.cleaned_data)
        if contact is None:
            return data
        current = {f: getattr(contact, f) for f in data}
        current["tags"] = ", ".join(contact.tag_list)
        return {f: v for f, v in data.items() if v != current[f]}


class ImportForm(Form):
    file = forms.FileField(label="CSV file", help_text=(
        f"UTF-8, comma- or semicolon-separated, with a header row; at most {MAX_BYTES // (1024 * 1024)} MB and "
        f"{MAX_ROWS} rows."), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    on_duplicate = forms.ChoiceField(initial="error", label="When an email is already in your contacts", choices=[
        ("error", "Stop and list them (nothing is imported)"),
        ("skip", "Skip those rows; keep the contacts as they are"),
        ("update", "Update those contacts with the file's non-empty cells (tags are added)"),
    ], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_duplicate"].widget.attrs["class"] = "form-check-input"


class MergeForm(Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
