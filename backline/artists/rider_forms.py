"""Forms of the rider pages: one form per kind of rider, and the input list as a formset."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from backline.core.forms import Form
from backline.core.stagefit import BacklineItem
from backline.media.picker import asset_pick

from .models import MAX_INPUT_CHANNELS, MAX_MONITOR_MIXES


class InputRowForm(Form):
    channel = forms.IntegerField(min_value=1, max_value=MAX_INPUT_CHANNELS, label="Ch",
                                 error_messages={"required": "Enter the channel number."})
    source = forms.CharField(max_length=80, label="Source", help_text="",
                             error_messages={"required": "Enter the source (what plugs into this channel)."})
    mic = forms.CharField(max_length=80, required=False, label="Mic or DI")
    stand = forms.CharField(max_length=40, required=False, label="Stand")
    notes = forms.CharField(max_length=200, required=False, label="Notes")


InputFormSet = forms.formset_factory(InputRowForm, extra=3, max_num=MAX_INPUT_CHANNELS, validate_max=True,
                                     can_delete=True)


def error_summary(form, rows=None) -> list[dict]:
    """Every error of the page in one list for the top of the form: what to fix, and a link to the field."""
    items = [{"text": str(e), "href": "#rider-form"} for e in form.non_field_errors()]
    if rows is not None:
        items += [{"text": str(e), "href": "#input-rows"} for e in rows.non_form_errors()]
        for number, row in enumerate(rows, start=1):
            for name, errors in row.errors.items():
                href = f"#{row[name].id_for_label}" if name in row.fields else "#input-rows"
                items += [{"text": f"Input {number}: {e}", "href": href} for e in errors]
    for name, errors in form.errors.items():
        if name in form.fields:
            items += [{"text": f"{form[name].label}: {e}", "href": f"#{form[name].id_for_label}"} for e in errors]
        elif name != NON_FIELD_ERRORS:  # a service's refusal of the input list
            items += [{"text": str(e), "href": "#input-rows"} for e in errors]
    return items


def _count(label: str, top: int, **kw) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=top, required=False, **kw)


class TechnicalRiderForm(Form):
    monitor_mix_count = _count("Monitor mixes", MAX_MONITOR_MIXES)
    monitor_mix_notes = forms.CharField(label="What each mix is for", required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 3}),
                                        help_text="One line per mix, in order: for example “Vocals, wedge”.")
    backline_brings = forms.MultipleChoiceField(label="Backline the act brings", choices=BacklineItem.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    backline_needs = forms.MultipleChoiceField(label="Backline the act needs from the venue", choices=BacklineItem.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    power_outlets = _count("Power outlets on stage", 200)
    three_phase = forms.BooleanField(label="Needs three-phase power", required=False)
    stage_width_m = forms.DecimalField(label="Stage width needed (m)", min_value=0.5, max_value=100, decimal_places=1,
                                       required=False)
    stage_depth_m = forms.DecimalField(label="Stage depth needed (m)", min_value=0.5, max_value=100, decimal_places=1,
                                       required=False)
    stage_plot_id = asset_pick("Stage plot", kinds="plots", multiple=False, empty_label="No stage plot",
                               help_text="A photo or PDF from the act's media library.")
    changeover_minutes = _count("Changeover (minutes)", 600)
    notes = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        count = data.pop("monitor_mix_count") or 0
        notes = [line.strip() for line in data.pop("monitor_mix_notes").splitlines()]
        data["monitor_mixes"] = [(notes[i] if i < len(notes) else "") for i in range(count)]
        return data

    @staticmethod
    def initial_from(rider) -> dict:
        return {"monitor_mix_count": len(rider.monitor_mixes), "monitor_mix_notes": "\n".join(rider.monitor_mixes),
                **{f: getattr(rider, f) for f in ("backline_brings", "backline_needs", "power_outlets", "three_phase",
                                                  "stage_width_m", "stage_depth_m", "stage_plot_id",
                                                  "changeover_minutes", "notes")}}


class HospitalityRiderForm(Form):
    guest_list = _count("Guest-list places", 500)
    meals = _count("Meals", 200)
    meal_notes = forms.CharField(label="Dietary notes", max_length=300, required=False)
    drinks = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rooms = _count("Rooms for the night", 100)
    room_type = forms.CharField(label="Type of room", max_length=120, required=False)
    parking = _count("Parking places", 50)
    dressing_room = forms.CharField(max_length=300, required=False)
    notes = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_from(rider) -> dict:
        return {f: getattr(rider, f) for f in ("guest_list", "meals", "meal_notes", "drinks", "rooms", "room_type",
                                               "parking", "dressing_room", "notes")}
