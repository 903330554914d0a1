from django import forms

from backline.core.forms import CityField, Form


class VenueForm(Form):
    name = forms.CharField(max_length=120)
    city = CityField()
    address = forms.CharField(max_length=200, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    capacity = forms.IntegerField(min_value=1, max_value=200_000, help_text="Total capacity, standing or seated")
    website = forms.URLField(required=False, assume_scheme="https")
    phone = forms.CharField(max_length=40, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False)


class StageForm(Form):
    name = forms.CharField(max_length=80)
    capacity = forms.IntegerField(min_value=1, max_value=200_000)
