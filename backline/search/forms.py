"""The directory's filter forms (GET, so a search is a shareable address). They clean into the
selectors' filters; the selectors check again, so the API and the pages refuse the same things."""

from __future__ import annotations

import re

from django import forms

from backline.artists.forms import genre_field
from backline.core.forms import CityField, Form
from backline.core.places import resolve_city

from . import directory


class GenreSlugsField(forms.MultipleChoiceField):
    """Genre slugs, offered from the list (read only when the field is shown) but checked by their form
    alone: an unknown slug matches nothing, so a search costs no read of the genre list."""

    def valid_value(self, value) -> bool:
        return isinstance(value, str) and re.fullmatch(r"[-\w]{1,40}", value) is not None


def _genres():
    field = genre_field()
    return GenreSlugsField(choices=field.choices, required=False, widget=field.widget, help_text=field.help_text)


class CityKeyField(CityField):
    """A city by its readable key ("berlin-de", what shared addresses carry) or its geoname id (what the
    autocomplete sends); cleans to the geoname id, and shows the chosen city either way."""

    def to_python(self, value):
        if value in (None, ""):
            return super().to_python(value)
        city = resolve_city(value)
        if city is None:
            raise forms.ValidationError("Choose a city from the list.")
        return super().to_python(str(city.geoname_id))

    def prepare_value(self, value):
        city = resolve_city(value) if value not in (None, "") else None
        return city.geoname_id if city else value


YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


def _radius():
    return forms.IntegerField(label="Within (km)", min_value=1, max_value=directory.MAX_RADIUS_KM, required=False,
                              initial=directory.DEFAULT_RADIUS_KM,
                              help_text=f"From the city; at most {directory.MAX_RADIUS_KM} km.",
                              error_messages={"max_value": f"Choose a distance between 1 and {directory.MAX_RADIUS_KM} km.",
                                              "min_value": f"Choose a distance between 1 and {directory.MAX_RADIUS_KM} km."})


class ActDirectoryForm(Form):
    genres = _genres()
    city = CityKeyField(label="Near", required=False, help_text="Start typing a city.")
    radius_km = _radius()
    members_min = forms.IntegerField(label="Line-up from", min_value=1, max_value=directory.MAX_MEMBERS, required=False)
    members_max = forms.IntegerField(label="Line-up up to", min_value=1, max_value=directory.MAX_MEMBERS, required=False)
    free_on = forms.DateField(label="Free on", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Everyone in the line-up free that day.")
    press_kit = forms.ChoiceField(label="Has a press kit", choices=YES_NO, required=False)
    verified = forms.BooleanField(label="Verified only", required=False)
    fee_band = forms.ChoiceField(label="Typical fee", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["genres"].widget.attrs["data-max-items"] = str(directory.MAX_GENRES)
        self.fields["genres"].help_text = "Any of these; type to search."
        self.fields["fee_band"].choices = [("", "Any"), *directory.fee_band_choices()]
        self.fields["fee_band"].help_text = "In the act's own currency, from the fee its press kit publishes."

    def filters(self) -> directory.ActFilters:
        d = self.cleaned_data
        press_kit = d.get("press_kit")
        return directory.ActFilters(
            genres=d.get("genres") or [], city=d.get("city"), radius_km=d.get("radius_km") or directory.DEFAULT_RADIUS_KM,
            members_min=d.get("members_min"), members_max=d.get("members_max"),
            press_kit=None if not press_kit else press_kit == "yes", verified=bool(d.get("verified")),
            fee_band=d.get("fee_band") or "", free_on=d.get("free_on"))


class VenueDirectoryForm(Form):
    kind = forms.ChoiceField(label="Show", required=False,
                             choices=[("", "Venues and promoters"), ("venue", "Venues"), ("promoter", "Promoters")])
    city = CityKeyField(label="Near", required=False, help_text="Start typing a city.")
    radius_km = _radius()
    capacity_min = forms.IntegerField(label="Capacity from", min_value=0, max_value=directory.MAX_CAPACITY, required=False)
    capacity_max = forms.IntegerField(label="Capacity up to", min_value=0, max_value=directory.MAX_CAPACITY, required=False)
    genres = _genres()
    verified = forms.BooleanField(label="Verified only", required=False)
    has_backline = forms.BooleanField(label="Has backline", required=False, help_text="Drums, amps and the like on site.")

    def filters(self) -> directory.VenueFilters:
        d = self.cleaned_data
        return directory.VenueFilters(
            kind=d.get("kind") or "", city=d.get("city"),
            radius_km=d.get("radius_km") or directory.DEFAULT_RADIUS_KM, capacity_min=d.get("capacity_min"),
            capacity_max=d.get("capacity_max"), genres=d.get("genres") or [], verified=bool(d.get("verified")),
            has_backline=bool(d.get("has_backline")))
