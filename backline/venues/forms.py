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


class VerificationRequestForm(Form):
    business_registration = forms.CharField(max_length=200, required=False, label="Business registration",
                                            help_text="Company or trade register name and number")
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False,
                               label="Anything else", help_text="Licences, press, who we can call: what shows the venue is real")
    documents = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                               help_text="From your media library: registration papers, photos of the room")

    def __init__(self, *args, workspace, **kwargs):
        from backline.media.models import Asset

        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Asset.objects.filter(workspace=workspace).order_by("-created_at", "-id")
