"""The "request a date" form of an act's public page."""

import datetime as dt

from django import forms
from django.utils import timezone

from backline.core.forms import Form


class StageSelect(forms.Select):
    """Each stage names its venue (``data-parent``) so the page lists only the chosen venue's stages; the
    form checks it again."""

    def __init__(self, venue_of: dict, **kwargs):
        super().__init__(**kwargs)
        self.venue_of = venue_of

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        venue = self.venue_of.get(getattr(value, "value", value))
        if venue is not None:
            option["attrs"]["data-parent"] = str(venue)
        return option


class DateRequestForm(Form):
    name = forms.CharField(label="Your name", max_length=120)
    email = forms.EmailField(label="Your email")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    where = forms.CharField(label="Venue or city", max_length=160)
    message = forms.CharField(label="Message", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A field people don't see: filled in, it is a robot.
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)
    # "Send it anyway" after the warning that the day is asked already or taken: that day (another day is
    # checked again).
    confirm = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, buyers=(), venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.buyers = list(buyers)
        self.venues = {v.pk: v for v in venues}
        if self.buyers:  # a logged-in buyer: the inquiry is logged in their workspace
            for name in ("name", "email", "where"):
                del self.fields[name]
            self.fields["buyer"] = forms.TypedChoiceField(label="For", coerce=int,
                                                          choices=[(w.pk, w.name) for w in self.buyers])
            order = ["buyer", "date", "message", "website", "confirm"]
            if self.venues:
                many = len(self.buyers) > 1
                self.fields["venue"] = forms.TypedChoiceField(
                    label="Venue", coerce=int, required=False, empty_value=None,
                    choices=[("", "No venue yet"), *((v.pk, f"{v.name} ({v.workspace.name})" if many else v.name)
                                                     for v in self.venues.values())])
                order.insert(1, "venue")
                self._add_stage(many)
                order.insert(2, "stage")
            for name in ("buyer", "venue", "stage"):
                if name in self.fields:
                    self.fields[name].widget.attrs["class"] = "form-select"
            self.order_fields(order)

    def _add_stage(self, many: bool) -> None:
        """The stage (room), each named with its venue (two venues may both have a "Main room", and the closed
        list shows only the option); with one venue of one stage, both are preselected."""
        groups = [(s.pk, f"{v.name} ({v.workspace.name}) — {s.name}" if many else f"{v.name} — {s.name}")
                  for v in self.venues.values() for s in v.stages.all()]
        self.stages = {s.pk: (s, v) for v in self.venues.values() for s in v.stages.all()}
        self.fields["stage"] = forms.TypedChoiceField(
            label="Stage", coerce=int, required=False, empty_value=None, choices=[("", "No stage yet"), *groups],
            widget=StageSelect({pk: v.pk for pk, (_, v) in self.stages.items()},
                               attrs={"data-options-of": self.add_prefix("venue")}),
            error_messages={"invalid_choice": "Choose one of the stages of your venues."},
            help_text="A venue with one stage gets it without choosing.")
        if len(self.venues) == 1 and len(self.stages) == 1 and not self.is_bound:
            self.initial = {**self.initial, "venue": next(iter(self.venues)), "stage": next(iter(self.stages))}

    def clean(self):
        data = super().clean()
        venue = self.venues.get(data.get("venue")) if data.get("venue") else None
        if venue is not None and data.get("buyer") and venue.workspace_id != data["buyer"]:
            self.add_error("venue", f"{venue.name} belongs to {venue.workspace.name}: choose it under “For”, "
                                    "or another venue.")
        if "stage" in self.fields and not self.errors:
            self._clean_stage(data, venue)
        return data

    def _clean_stage(self, data: dict, venue) -> None:
        stage = self.stages.get(data.get("stage")) if data.get("stage") else None
        if stage is None:
            only = list(venue.stages.all()) if venue is not None else []
            data["stage"] = only[0].pk if len(only) == 1 else None  # one stage: that one
        elif venue is None:
            self.add_error("stage", f"{stage[0].name} is a stage of {stage[1].name}: choose that venue too.")
        elif stage[1].pk != venue.pk:
            self.add_error("stage", f"{stage[0].name} is a stage of {stage[1].name}, not of {venue.name}: "
                                    f"choose one of the stages of {venue.name}.")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError("That date has passed: ask for today or a later date.")
        if day > timezone.localdate() + dt.timedelta(days=3 * 366):
            raise forms.ValidationError("Ask for a date within the next three years.")
        return day
