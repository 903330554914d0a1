"""Web forms for scheduling. The repeat builder composes the RRULE; the service validates it."""

from __future__ import annotations

import datetime as dt

from django import forms

from backline.core.forms import Form

from .models import EventKind, State
from .rrule_words import short_day

WEEKDAYS = [("MO", "Mon"), ("TU", "Tue"), ("WE", "Wed"), ("TH", "Thu"), ("FR", "Fri"), ("SA", "Sat"), ("SU", "Sun")]
REPEATS = [("weekly", "Weekly"), ("daily", "Daily"), ("monthly", "Monthly (same date)")]
ENDS = [("never", "Never"), ("on", "On"), ("after", "After")]  # "On [date]", "After [6] times"
MAX_BUILDER_INTERVAL = 99
MAX_BUILDER_COUNT = 500
SLOT_EXAMPLE = "2026-12-05 19:00-22:00\n2026-12-06 14:00-17:00"
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def compose_rrule(*, repeat: str, interval: int = 1, days: list[str] = (), count: int | None = None) -> str:
    """The RRULE the builder's choices mean: ``compose_rrule(repeat="weekly", interval=2, days=["FR"])`` is
    ``FREQ=WEEKLY;INTERVAL=2;BYDAY=FR``. Weekdays only count for weekly patterns; the rule's own first
    day and end date are kept beside the text (``starts_on``, ``ends_on``), not in it."""
    parts = [f"FREQ={repeat.upper()}"]
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    order = [code for code, _ in WEEKDAYS]
    if repeat == "weekly" and days:
        parts.append("BYDAY=" + ",".join(sorted(set(days), key=order.index)))
    if count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def builder_of(rrule: str) -> dict | None:
    """The builder's choices for a rule, or None when the rule says more than the builder shows (it then
    opens under "Advanced", still described in words)."""
    if "\n" in rrule or ":" in rrule:
        return None
    try:
        parts = dict(p.split("=", 1) for p in rrule.strip().split(";") if p)
    except ValueError:
        return None
    freq = parts.get("FREQ", "")
    if freq not in ("DAILY", "WEEKLY", "MONTHLY") or not set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "COUNT"}:
        return None
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if days and (freq != "WEEKLY" or not all(d in dict(WEEKDAYS) for d in days)):
        return None
    try:
        interval, count = int(parts.get("INTERVAL", "1")), int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        return None
    if not 1 <= interval <= MAX_BUILDER_INTERVAL or (count is not None and not 1 <= count <= MAX_BUILDER_COUNT):
        return None
    return {"repeat": freq.lower(), "interval": interval, "days": days, "count": count}


class DateListInput(forms.Widget):
    """Several dates under one name: each chosen date a hidden ``exdates`` value (shown as a chip), and one
    date picker to add the next. A comma-separated value (an older page) is read too."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        values = [values] if isinstance(values, str) else values
        return [part.strip() for value in values for part in str(value).split(",") if part.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class DateListField(forms.Field):
    """A set of dates, cleaned to a sorted list without repeats."""

    widget = DateListInput

    def to_python(self, value) -> list[dt.date]:
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        out = set()
        for item in values:
            if isinstance(item, dt.date):
                out.add(item)
                continue
            try:
                out.add(dt.date.fromisoformat(str(item).strip()))
            except ValueError:
                raise forms.ValidationError(f"“{item}” is not a date: pick it in the calendar.", code="invalid")
        return sorted(out)

    def chosen(self, value) -> list[dict]:
        """The dates to show back as chips, as far as they read as dates."""
        try:
            return [{"iso": d.isoformat(), "text": short_day(d)} for d in self.to_python(value)]
        except forms.ValidationError:
            return []


class ChoiceWidgetsMixin:
    """Radio buttons and checkbox lists are Bootstrap check inputs, not text boxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                field.widget.attrs["class"] = "form-check-input"


class RuleForm(ChoiceWidgetsMixin, Form):
    """A repeating pattern, built from plain choices (repeat daily, weekly or monthly; every N; on which
    weekdays; until a date or N times); the server composes the RRULE. The raw rule can still be
    written under "Advanced", and then replaces the choices."""

    state = forms.ChoiceField(choices=[(State.FREE, "Free"), (State.BUSY, "Busy")], widget=forms.RadioSelect)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME, help_text="Earlier than the start runs past midnight; 00:00–00:00 is all day.")
    repeat = forms.ChoiceField(choices=REPEATS, initial="weekly", label="Repeat")
    interval = forms.IntegerField(min_value=1, max_value=MAX_BUILDER_INTERVAL, required=False, initial=1, label="Every",
                                  help_text="2 is every other week (or day, or month).",
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    days = forms.MultipleChoiceField(choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple,
                                     label="On", help_text="For weekly patterns; none means the weekday of the first day.")
    starts_on = forms.DateField(widget=DATE, label="From")
    ends = forms.ChoiceField(choices=ENDS, required=False, initial="never", widget=forms.RadioSelect, label="Ends")
    ends_on = forms.DateField(widget=DATE, required=False, label="Last day")
    count = forms.IntegerField(min_value=1, max_value=MAX_BUILDER_COUNT, required=False, label="Number of times",
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    rrule = forms.CharField(required=False, max_length=500, label="Repeat rule (iCalendar RRULE)",
                            widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
                            help_text="For patterns the choices above cannot say (the first Saturday of each month, "
                                      "say), in iCalendar (RFC 5545) syntax; the user guide has examples. When filled "
                                      "in, it replaces the choices above.")
    exdates = DateListField(required=False, label="Except on",
                            help_text="Days the pattern skips (a holiday, a family do): pick a date and add it.")
    label = forms.CharField(required=False, max_length=120, label="Note (only you see it)")

    def clean(self):
        data = super().clean()
        ends = data.get("ends") or ("after" if data.get("count") else "on" if data.get("ends_on") else "never")
        if ends == "never" and data.get("count"):
            ends = "after"  # "Never" is the preselected choice: a number typed in "After … times" means after
        data["ends"] = ends
        if data.get("rrule"):
            return data  # the advanced rule decides; the service checks it
        if ends == "on" and not data.get("ends_on") and "ends_on" not in self.errors:
            self.add_error("ends_on", "Choose the last day, or choose that the pattern never ends.")
        if ends == "after" and not data.get("count") and "count" not in self.errors:
            self.add_error("count", "Say how many times, or choose that the pattern never ends.")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        ends = d.get("ends", "never")
        rrule = d["rrule"].strip() if d.get("rrule") else compose_rrule(
            repeat=d["repeat"], interval=d.get("interval") or 1, days=d["days"],
            count=d.get("count") if ends == "after" else None)
        return {"state": d["state"], "start_time": d["start_time"], "end_time": d["end_time"], "rrule": rrule,
                "starts_on": d["starts_on"], "ends_on": d["ends_on"] if ends == "on" or d.get("rrule") else None,
                "label": d["label"], "exdates": [day.isoformat() for day in d["exdates"] or []]}

    @property
    def skipped_days(self) -> list[dict]:
        """The "except on" dates chosen so far, as chips: ``{"iso": "2027-12-24", "text": "Fri 24 Dec 2027"}``."""
        return self.fields["exdates"].chosen(self["exdates"].value())

    @property
    def advanced(self) -> bool:
        """Whether the "Advanced" part opens: the rule is more than the builder shows, or it was used."""
        return bool(self["rrule"].value())

    @classmethod
    def initial_for(cls, rule) -> dict:
        built = builder_of(rule.rrule)
        common = {"state": rule.state, "start_time": rule.start_time, "end_time": rule.end_time,
                  "starts_on": rule.starts_on, "ends_on": rule.ends_on,
                  "exdates": list(rule.exdates or []), "label": rule.label}
        if built is None:
            return {**common, "repeat": "weekly", "interval": 1, "rrule": rule.rrule,
                    "ends": "on" if rule.ends_on else "never"}
        ends = "after" if built["count"] else "on" if rule.ends_on else "never"
        return {**common, "repeat": built["repeat"], "interval": built["interval"], "days": built["days"],
                "count": built["count"], "ends": ends, "rrule": ""}


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
