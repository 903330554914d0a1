from django import forms

from backline.core.forms import CityField, Form
from backline.core.stagefit import BacklineItem
from backline.media.picker import asset_pick

from .models import MAX_GENRES, Stage, Visibility
from .services import SPEC_FIELDS


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


class VenuePageForm(Form):
    """The public page's settings, on the venue's edit page."""

    slug = forms.CharField(label="Public address", max_length=80, required=False,
                           help_text="Your page lives at /v/your-address/. Leave empty to make one from name and city.")
    visibility = forms.ChoiceField(label="Who sees your public page", choices=Visibility.choices, required=False)
    genres = forms.CharField(label="Genres you book", max_length=600, required=False,
                             help_text=f"Separated by commas, at most {MAX_GENRES}, e.g. indie rock, jazz, folk")

    def clean_genres(self) -> list[str]:
        return [g.strip() for g in self.cleaned_data["genres"].split(",") if g.strip()]


NOT_STATED = [("unknown", "Not stated"), ("true", "Yes"), ("false", "No")]
# The stage form's sections: (heading, fields). The template renders one fieldset per section.
SPEC_SECTIONS = (
    ("The stage", ("name", "capacity", "width_m", "depth_m", "height_m")),
    ("Sound", ("pa_make", "pa_power_w", "console", "inputs", "monitor_mixes")),
    ("Backline", ("backline_available", "backline_notes")),
    ("Power and lighting", ("power_outlets", "three_phase", "lighting")),
    ("Load-in and curfew", ("load_in_distance_m", "load_in_steps", "load_in_lift", "load_in_notes", "curfew")),
    ("Capacity per layout", ("capacity_standing", "capacity_seated")),
    ("Accessibility", ("step_free", "accessible_toilet", "hearing_loop", "accessibility_notes")),
    ("Photos and tech pack", ("photo_ids", "document_ids")),
)


class StageSpecForm(Form):
    """A stage's tech spec, in sections; empty means "not stated". Photos and documents come from the
    venue workspace's media library."""

    def __init__(self, *args, **kwargs):
        """Call ``backline.media.picker.offer_library(form, request)`` before validating or rendering."""
        super().__init__(*args, **kwargs)
        # Reordered only after StyledMixin styled them, so the new widgets get their classes below.
        self.fields = {name: self.fields[name] for _, names in SPEC_SECTIONS for name in names}

    def sections(self):
        return [(title, [self[n] for n in names]) for title, names in SPEC_SECTIONS]


def _spec_fields() -> dict:
    fields = forms.fields_for_model(Stage, fields=("name", "capacity", *SPEC_FIELDS))
    for name in ("three_phase", "load_in_lift", "step_free", "accessible_toilet", "hearing_loop"):
        widget = forms.NullBooleanSelect()
        widget.choices = NOT_STATED
        fields[name] = forms.NullBooleanField(label=fields[name].label, required=False, widget=widget)
    fields["backline_available"] = forms.MultipleChoiceField(
        label="Backline the stage has", choices=BacklineItem.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    fields["curfew"] = forms.TimeField(label="Curfew (local time)", required=False,
                                       widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}))
    for name in ("backline_notes", "lighting", "load_in_notes", "accessibility_notes"):
        fields[name].widget = forms.Textarea(attrs={"rows": 2, "class": "form-control", "maxlength": 1000})
    fields["photo_ids"] = asset_pick("Photos", kinds="images", help_text="From your media library")
    fields["document_ids"] = asset_pick("Tech pack documents", kinds="documents", help_text="From your media library")
    return fields


StageSpecForm.base_fields = _spec_fields()
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
