"""Forms of the outreach pages: a template, the sender identity, composing an email. They only shape
input; every rule (merge fields, addresses, limits) is the services' and comes back as form errors."""

from __future__ import annotations

from django import forms
from django.conf import settings

from backline.core.forms import Form

from .models import TemplateKind
from .services.email_templates import FOLLOW_UP_MAX_DAYS


class TemplateForm(Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=TemplateKind.choices, label="Used for")
    subject = forms.CharField(max_length=200, help_text="Merge fields work here too, e.g. {{ act }} at {{ venue }}.")
    body = forms.CharField(max_length=10000, widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
                           help_text="Plain text or Markdown. A blank line starts a new paragraph.")
    follow_up_days = forms.IntegerField(required=False, min_value=1, max_value=FOLLOW_UP_MAX_DAYS,
                                        label="Follow up after (days without a reply)")
    follow_up_template = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                                label="Follow-up template")

    def __init__(self, *args, follow_up_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_template"].choices = [("", "No follow-up")] + list(follow_up_choices)

    def service_values(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "kind": d["kind"], "subject": d["subject"], "body": d["body"],
                "follow_up_days": d.get("follow_up_days"), "follow_up_template_id": d.get("follow_up_template")}

    def add_domain_error(self, exc) -> None:
        errors = getattr(exc, "errors", None) or {}
        if "follow_up_template_id" in errors:
            errors = {("follow_up_template" if k == "follow_up_template_id" else k): v for k, v in errors.items()}
            exc.errors = errors
        super().add_domain_error(exc)


class SenderForm(Form):
    from_name = forms.CharField(max_length=100, label="From name",
                                help_text="What recipients see as the sender, e.g. “Mara at Lantern Hall”.")
    from_email = forms.EmailField(label="From address", help_text=(
        "Your email provider must be allowed to send for this address's domain (SPF/DKIM), or mail may be "
        "marked as spam. Replies come back into Backline either way."))
    signature = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="Added under every email. Plain text or Markdown.")
    hourly_limit = forms.IntegerField(required=False, min_value=1, label="Emails an hour at most")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = settings.OUTREACH_HOURLY_LIMIT
        self.fields["hourly_limit"].max_value = site
        self.fields["hourly_limit"].widget.attrs["max"] = site
        self.fields["hourly_limit"].help_text = f"Empty: this site's limit, {site}. It cannot be higher."


class ComposeForm(Form):
    template = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Template")
    contacts = forms.TypedMultipleChoiceField(required=False, coerce=int, label="To")
    to = forms.CharField(required=False, label="Other addresses", widget=forms.Textarea(attrs={
        "rows": 2, "placeholder": "Mara Berg <mara@example.org>, booking@venue.example"}),
        help_text="Separate addresses with commas or new lines.")
    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}))
    booking = forms.IntegerField(required=False, widget=forms.HiddenInput)
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)
    skip_refused = forms.BooleanField(required=False, label="Send to the others and skip the refused addresses")

    def __init__(self, *args, template_choices=(), contact_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "None (your own message)")] + list(template_choices)
        self.fields["contacts"].choices = list(contact_choices)
        self.fields["contacts"].widget.attrs.update({"data-searchable": "1", "data-testid": "compose-contacts"})
