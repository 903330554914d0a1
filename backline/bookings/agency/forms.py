"""The agency back office's forms: a client's details and a package."""

from django import forms

from backline.core.forms import CurrencyField, Form


class ClientForm(Form):
    name = forms.CharField(max_length=120)
    company = forms.CharField(max_length=120, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    city_name = forms.CharField(max_length=120, required=False, label="City")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class PackageForm(Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    duration_minutes = forms.IntegerField(min_value=15, max_value=1440, label="Duration (minutes)")
    performer_count = forms.IntegerField(min_value=1, max_value=100, initial=1, label="Performers")
    price = forms.DecimalField(min_value=0, decimal_places=2)
    currency = CurrencyField(required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Offered (untick to deactivate)")


class WhosFreeForm(Form):
    """A day (and optionally part of it) to see which performers are free."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(required=False, label="From", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(required=False, label="To", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                          help_text="Leave both empty for the whole day; a time before “From” is the next morning.")
