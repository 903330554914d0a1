"""Web forms for scheduling. A simple repeat picker builds the RRULE; the service validates it."""

from __future__ import annotations

import datetime as dt

from django import forms

from backline.core.forms import Form

from .models import EventKind, State

WEEKDAYS = [("MO", "Mon"), ("TU", "Tue"), ("WE", "Wed"), ("TH", "Thu"), ("FR", "Fri"), ("SA", "Sat"), ("SU", "Sun")]
REPEATS = [("weekly", "Every week"), ("biweekly", "Every other week"), ("daily", "Every day"),
           ("monthly", "Every month (same date)"), ("custom", "Custom RRULE")]
SLOT_EXAMPLE = "2026-12-05 19:00-22:00\n2026-12-06 14:00-17:00"
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def rrule_from(repeat: str, days: list[str], custom: str) -> str:
    if repeat == "custom":
        return custom
    if repeat == "daily":
        return "FREQ=DAILY"
    if repeat == "monthly":
        return "FREQ=MONTHLY"
    interval = ";INTERVAL=2" if repeat == "biweekly" else ""
    return f"FREQ=WEEKLY{interval}" + (f";BYDAY={','.join(days)}" if days else "")


def repeat_of(rrule: str) -> tuple[str, list[str]]:
    """The simple picker's reading of a rule, or ("custom", []) when it has more than the picker shows."""
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p) if "\n" not in rrule else {}
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    keys = set(parts)
    if parts.get("FREQ") == "DAILY" and keys == {"FREQ"}:
        return "daily", []
    if parts.get("FREQ") == "MONTHLY" and keys == {"FREQ"}:
        return "monthly", []
    if parts.get("FREQ") == "WEEKLY" and keys <= {"FREQ", "BYDAY", "INTERVAL"} and all(d in dict(WEEKDAYS) for d in days):
        return ("biweekly" if parts.get("INTERVAL") == "2" else "weekly" if parts.get("INTERVAL", "1") == "1" else "custom"), days
    return "custom", []


class ChoiceWidgetsMixin:
    """Radio buttons and checkbox lists are Bootstrap check inputs, not text boxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                field.widget.attrs["class"] = "form-check-input"


class RuleForm(ChoiceWidgetsMixin, Form):
    state = forms.ChoiceField(choices=[(State.FREE, "Free"), (State.BUSY, "Busy")], widget=forms.RadioSelect)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME, help_text="Earlier than the start runs past midnight; 00:00–00:00 is all day.")
    repeat = forms.ChoiceField(choices=REPEATS, initial="weekly")
    days = forms.MultipleChoiceField(choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple,
                                     help_text="For weekly patterns; none means the weekday of the first day.")
    rrule = forms.CharField(required=False, max_length=500, label="Custom RRULE",
                            help_text="RFC 5545, e.g. FREQ=MONTHLY;BYDAY=1SA (the first Saturday of each month).")
    starts_on = forms.DateField(widget=DATE, label="From")
    ends_on = forms.DateField(widget=DATE, required=False, label="Until", help_text="Leave empty to repeat forever.")
    exdates = forms.CharField(required=False, label="Except on", help_text="Dates to skip, comma-separated (YYYY-MM-DD).")
    label = forms.CharField(required=False, max_length=120, label="Note (only you see it)")

    def clean(self):
        data = super().clean()
        if data.get("repeat") == "custom" and not data.get("rrule"):
            self.add_error("rrule", "Write the rule, or choose a simple repeat.")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"state": d["state"], "start_time": d["start_time"], "end_time": d["end_time"],
                "rrule": rrule_from(d["repeat"], d["days"], d["rrule"]), "starts_on": d["starts_on"],
                "ends_on": d["ends_on"], "label": d["label"],
                "exdates": [x.strip() for x in (d["exdates"] or "").split(",") if x.strip()]}

    @classmethod
    def initial_for(cls, rule) -> dict:
        repeat, days = repeat_of(rule.rrule)
        return {"state": rule.state, "start_time": rule.start_time, "end_time": rule.end_time, "repeat": repeat,
                "days": days, "rrule": rule.rrule if repeat == "custom" else "", "starts_on": rule.starts_on,
                "ends_on": rule.ends_on, "exdates": ", ".join(rule.exdates or []), "label": rule.label}


class RuleEditForm(RuleForm):
    from_date = forms.DateField(widget=DATE, required=False, label="Apply the change from",
                                help_text="Leave empty to change the whole pattern, past included.")


class DefaultStateForm(Form):
    default_state = forms.ChoiceField(choices=State.choices, label="Any other time I am",
                                      help_text="Unknown is never counted as free.")


class EventForm(ChoiceWidgetsMixin, Form):
    title = forms.CharField(max_length=160)
    kind = forms.ChoiceField(choices=EventKind.choices)
    starts_at = forms.DateTimeField(widget=DATETIME, label="Starts")
    ends_at = forms.DateTimeField(widget=DATETIME, label="Ends")
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    participant_ids = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                                                     label="Who takes part")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_ids"].choices = [(m.pk, m.name) for m in members]


class CancelForm(Form):
    reason = forms.CharField(max_length=300)


class PollForm(Form):
    title = forms.CharField(max_length=160)
    kind = forms.ChoiceField(choices=EventKind.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    slots = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "placeholder": SLOT_EXAMPLE}),
                            help_text="One slot a line: date start-end (in the act's time zone).")

    def parsed_slots(self, tz) -> list[tuple[dt.datetime, dt.datetime]]:
        slots = []
        for n, line in enumerate(self.cleaned_data["slots"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                day, times = line.split(maxsplit=1)
                start_s, end_s = (t.strip() for t in times.split("-"))
                date = dt.date.fromisoformat(day)
                start = dt.datetime.combine(date, dt.time.fromisoformat(start_s), tzinfo=tz)
                end = dt.datetime.combine(date, dt.time.fromisoformat(end_s), tzinfo=tz)
            except ValueError:
                raise forms.ValidationError(f"Line {n}: write it as 2026-12-05 19:00-22:00.")
            if end <= start:
                end += dt.timedelta(days=1)
            slots.append((start, end))
        if not slots:
            raise forms.ValidationError("Propose at least one slot.")
        return slots


class ShareLinkForm(Form):
    label = forms.CharField(max_length=120, required=False, help_text="For you, e.g. the promoter's name.")
    starts_on = forms.DateField(widget=DATE, label="From")
    ends_on = forms.DateField(widget=DATE, label="Until")
    min_hours = forms.DecimalField(min_value=0, max_value=24, initial=3, decimal_places=1, label="At least (hours)")
    window_start = forms.TimeField(widget=TIME, required=False, initial=dt.time(18), label="Between")
    window_end = forms.TimeField(widget=TIME, required=False, initial=dt.time(2), label="and")
