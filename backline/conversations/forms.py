"""Forms of the conversation pages. Files and recipients come straight from the request (several of
each); the services check them, and their refusals are shown on these forms."""

from __future__ import annotations

from django import forms

from backline.core.forms import Form

from .attachments import ACCEPT
from .services import MAX_BODY, MAX_SUBJECT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _body_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label="Message", required=required, max_length=MAX_BODY, strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_BODY,
                                     "placeholder": "Write a message… (Markdown works: **bold**, _italic_, lists, links)"}),
        error_messages={"max_length": f"At most {MAX_BODY:,} characters."})


class MultipleFileField(forms.FileField):
    """Several files in one field (the checks that matter, type and size, are the service's)."""

    def clean(self, data, initial=None):
        if not data:
            return []
        single = super().clean
        return [single(d, initial) for d in data] if isinstance(data, (list, tuple)) else [single(data, initial)]


def _files_field() -> forms.FileField:
    return MultipleFileField(label="Attach files", required=False,
                             widget=MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT}))


class MessageForm(Form):
    body = _body_field()
    files = _files_field()


class DirectThreadForm(Form):
    subject = forms.CharField(label="Subject", max_length=MAX_SUBJECT)
    body = _body_field(required=True)
    files = _files_field()


class InternalThreadForm(Form):
    subject = forms.CharField(label="Subject", max_length=MAX_SUBJECT)
    body = _body_field(required=True)
    everyone = forms.BooleanField(label="Everyone in the workspace", required=False, initial=True)
    members = forms.MultipleChoiceField(label="Or only these people", required=False,
                                        widget=forms.CheckboxSelectMultiple)
    files = _files_field()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(u.pk), u.display_name) for u in people]


class SupportThreadForm(Form):
    subject = forms.CharField(label="Subject", max_length=MAX_SUBJECT)
    body = _body_field(required=True)
    include_buyer = forms.BooleanField(label="Include the buyer (the venue or promoter) in this conversation",
                                       required=False)
    files = _files_field()


class PartyForm(Form):
    workspace = forms.IntegerField(label="Workspace", min_value=1)
