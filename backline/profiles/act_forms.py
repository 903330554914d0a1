"""The "request a date" form of an act's public page."""

import datetime as dt

from django import forms
from django.utils import timezone

from backline.core.forms import Form


class DateRequestForm(Form):
    name = forms.CharField(label="Your name", max_length=120)
    email = forms.EmailField(label="Your email")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    where = forms.CharField(label="Venue or city", max_length=160)
    message = forms.CharField(label="Message", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A field people don't see: filled in, it is a robot.
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.buyers = list(buyers)
        if self.buyers:  # a logged-in buyer: the inquiry is logged in their workspace
            for name in ("name", "email", "where"):
                del self.fields[name]
            self.fields["buyer"] = forms.TypedChoiceField(label="For", coerce=int,
                                                          choices=[(w.pk, w.name) for w in self.buyers])
            self.order_fields(["buyer", "date", "message", "website"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError("That date has passed: ask for today or a later date.")
        if day > timezone.localdate() + dt.timedelta(days=3 * 366):
            raise forms.ValidationError("Ask for a date within the next three years.")
        return day
