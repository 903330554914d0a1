"""The agency back office's forms: a client's details and a package."""

from django import forms

from backline.core.forms import Form


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
    currency = forms.CharField(max_length=3, required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Offered (untick to deactivate)")
