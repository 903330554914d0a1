"""Web forms for the pipeline. They shape input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from backline.core.forms import Form

from .models import Source

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DEAL_TYPES = [("guarantee", "Guarantee (flat fee)"), ("versus", "Versus (guarantee vs % of receipts)"),
              ("door", "Door deal (% of door after expenses)"), ("flat", "Flat price (agency quote)")]


class InquiryForm(Form):
    title = forms.CharField(max_length=160, help_text="e.g. Friday club night, Wedding at Schloss Britz")
    source = forms.ChoiceField(choices=Source.choices)
    act = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Act wanted")
    venue = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    client = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    package = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    contact_name = forms.CharField(max_length=120, required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(max_length=40, required=False)
    date_from = forms.DateField(widget=DATE, required=False, label="Date (or first date)")
    date_to = forms.DateField(widget=DATE, required=False, label="Last date")
    starts_at = forms.DateTimeField(widget=DATETIME, required=False, label="Show starts", help_text="If the time is known.")
    ends_at = forms.DateTimeField(widget=DATETIME, required=False, label="Show ends")
    location = forms.CharField(max_length=200, required=False)
    budget = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    currency = forms.CharField(max_length=3, required=False, help_text="ISO code, e.g. EUR")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def __init__(self, *args, acts=(), venues=(), clients=(), packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in (("act", acts), ("venue", venues), ("client", clients), ("package", packages)):
            self.fields[name].choices = [("", "—")] + [(pk, label) for pk, label in rows]
            if not rows:
                del self.fields[name]


class AskForm(Form):
    """An act asks a venue or promoter for a date. ``to`` is "v<venue id>" or "w<promoter workspace id>"."""

    to = forms.ChoiceField(label="Venue or promoter", help_text="Type to search by name or city.")
    date_from = forms.DateField(widget=DATE, label="Date")
    date_to = forms.DateField(widget=DATE, required=False, label="Or a range, until",
                              help_text="Leave empty to ask for one date.")
    start_time = forms.TimeField(widget=TIME, required=False, label="Show starts",
                                 help_text="If you have a time in mind (one date only).")
    end_time = forms.TimeField(widget=TIME, required=False, label="Show ends")
    budget = forms.DecimalField(required=False, min_value=0, decimal_places=2, label="Fee you hope for")
    currency = forms.CharField(max_length=3, required=False, help_text="e.g. EUR")
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
                              help_text="Who you are, what kind of show, links. It opens the conversation with them.")

    def __init__(self, *args, venues=(), promoters=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups = []
        if venues:
            groups.append(("Venues", [(f"v{pk}", label) for pk, label in venues]))
        if promoters:
            groups.append(("Promoters", [(f"w{pk}", label) for pk, label in promoters]))
        self.fields["to"].choices = [("", "Choose…"), *groups]
        self.fields["to"].widget.attrs["data-searchable"] = "1"
        self.fields["to"].widget.attrs["data-max-items"] = "1"

    def clean(self):
        d = super().clean()
        if d.get("date_to") and d.get("start_time") and d.get("date_to") != d.get("date_from"):
            self.add_error("start_time", "Times go with one date: leave the range empty or the times out.")
        if bool(d.get("start_time")) != bool(d.get("end_time")):
            self.add_error("end_time", "Give the start and the end, or neither.")
        return d

    def target(self) -> dict:
        """``venue_id`` or ``buyer_workspace_id`` for ``services.inquiry_request``."""
        to = self.cleaned_data.get("to") or ""
        key = {"v": "venue_id", "w": "buyer_workspace_id"}.get(to[:1])
        return {key: int(to[1:])} if key and to[1:].isdigit() else {}

    def span(self, tz) -> dict:
        """The show's start and end as aware datetimes in ``tz`` (the venue's), when times are given;
        an end at or before the start is after midnight."""
        d = self.cleaned_data
        if not (d.get("date_from") and d.get("start_time") and d.get("end_time")):
            return {}
        import datetime as dt

        start = dt.datetime.combine(d["date_from"], d["start_time"], tzinfo=tz)
        end = dt.datetime.combine(d["date_from"], d["end_time"], tzinfo=tz)
        if end <= start:
            end += dt.timedelta(days=1)
        return {"starts_at": start, "ends_at": end}


class BookingEditForm(Form):
    """An inquiry's or booking's details, with only the fields its stage lets change
    (``workflow.editable``). The date and times are the show's local ones: ``starts`` and ``ends`` on
    ``date`` (an end at or before the start is the next morning)."""

    title = forms.CharField(max_length=160)
    act = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Act")
    venue = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    stage = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Stage or room")
    client = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    package = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    date = forms.DateField(widget=DATE, required=False, label="Date",
                           help_text="The date asked for, or the first of a range.")
    date_to = forms.DateField(widget=DATE, required=False, label="Last date", help_text="Only for a range of dates.")
    starts = forms.TimeField(widget=TIME, required=False, label="Starts")
    ends = forms.TimeField(widget=TIME, required=False, label="Ends", help_text="Before the start: the next morning.")
    location = forms.CharField(max_length=200, required=False)
    source = forms.ChoiceField(choices=Source.choices)
    contact_name = forms.CharField(max_length=120, required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(max_length=40, required=False)
    budget = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    currency = forms.CharField(max_length=3, required=False, help_text="ISO code, e.g. EUR")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    # form field → the service's field(s) it changes
    SERVICE = {"act": "act_id", "venue": "venue_id", "stage": "stage_id", "client": "client_id",
               "package": "package_id", "date": "date_from", "date_to": "date_to", "starts": "starts_at",
               "ends": "ends_at"}

    def __init__(self, *args, editable=frozenset(), timed=False, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or {}
        for name in list(self.fields):
            wanted = {"starts_at", "date_from"} if name == "date" else {self.SERVICE.get(name, name)}
            if not wanted & set(editable):
                del self.fields[name]
        for name in ("act", "venue", "stage", "client", "package"):
            if name in self.fields:
                rows = choices.get(name) or []
                if not rows and name != "stage":
                    del self.fields[name]
                    continue
                self.fields[name].choices = [("", "—")] + [(pk, label) for pk, label in rows]
                if len(rows) > 8:
                    self.fields[name].widget.attrs["data-searchable"] = ""
        if "date_to" not in self.fields and "date" in self.fields:
            self.fields["date"].help_text = ""
        if timed:  # a hold, an offer with a date or a confirmed show keeps its date and times
            for name in ("date", "starts", "ends"):
                if name in self.fields:
                    self.fields[name].required = True

    def clean(self):
        data = super().clean()
        starts, ends, day = data.get("starts"), data.get("ends"), data.get("date")
        if (starts is None) != (ends is None) and not self.errors.get("starts") and not self.errors.get("ends"):
            self.add_error("ends" if ends is None else "starts", "Give the start and the end, or neither.")
        if starts is not None and day is None and "date" in self.fields and not self.errors.get("date"):
            self.add_error("date", "Give the date the show is on.")
        return data


class HoldForm(Form):
    starts_at = forms.DateTimeField(widget=DATETIME, label="Show starts")
    ends_at = forms.DateTimeField(widget=DATETIME, label="Show ends")
    expires_at = forms.DateTimeField(widget=DATETIME, required=False, label="Hold expires",
                                     help_text="Empty: in 14 days, or at the show if sooner.")


class OfferForm(Form):
    deal_type = forms.ChoiceField(choices=DEAL_TYPES)
    guarantee = forms.DecimalField(required=False, decimal_places=2)
    percent = forms.DecimalField(required=False, decimal_places=2, label="Percent")
    basis = forms.ChoiceField(choices=[("net", "of net"), ("gross", "of gross")], required=False)
    expenses = forms.DecimalField(required=False, decimal_places=2, label="Agreed expenses")
    bonus_tickets = forms.IntegerField(required=False, label="Bonus at tickets sold")
    bonus_amount = forms.DecimalField(required=False, decimal_places=2, label="Bonus amount")
    deposit_percent = forms.DecimalField(required=False, decimal_places=2, label="Deposit %")
    deposit_due = forms.DateField(widget=DATE, required=False)
    ticket_price = forms.DecimalField(required=False, decimal_places=2)
    capacity = forms.IntegerField(required=False)
    set_minutes = forms.IntegerField(required=False, label="Set length (minutes)")
    load_in = forms.TimeField(widget=TIME, required=False)
    doors = forms.TimeField(widget=TIME, required=False)
    curfew = forms.TimeField(widget=TIME, required=False)
    radius_km = forms.IntegerField(required=False, label="Radius (km)")
    radius_days = forms.IntegerField(required=False, label="Radius (days)")
    currency = forms.CharField(max_length=3, required=False)
    package = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                     help_text="Agencies: the package this quote is for (its price is the guarantee)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        if packages:
            self.fields["package"].choices = [("", "Custom price")] + [(p.pk, f"{p.name} · {p.price} {p.currency}")
                                                                       for p in packages]
        else:
            del self.fields["package"]

    def terms(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "package" in d:
            d["package_id"] = d.pop("package")
        tickets, amount = d.pop("bonus_tickets", None), d.pop("bonus_amount", None)
        if tickets is not None or amount is not None:
            d["bonuses"] = [{"tickets": tickets or 0, "amount": amount or 0}]
        return d


class ReasonForm(Form):
    reason = forms.CharField(max_length=300)


class AssignForm(Form):
    performer = forms.TypedChoiceField(coerce=int)
    payout = forms.DecimalField(min_value=0, decimal_places=2)
    role = forms.CharField(max_length=120, required=False)
    override_reason = forms.CharField(max_length=300, required=False, label="Override reason",
                                      help_text="Owners and admins: to assign someone booked elsewhere, say why.")

    def __init__(self, *args, performers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performer"].choices = [(p.pk, p.name) for p in performers]


class AdvanceForm(Form):
    load_in = forms.TimeField(widget=TIME, required=False)
    soundcheck = forms.TimeField(widget=TIME, required=False)
    doors = forms.TimeField(widget=TIME, required=False)
    curfew = forms.TimeField(widget=TIME, required=False)
    changeover_minutes = forms.IntegerField(required=False, min_value=0, max_value=240, label="Changeover (minutes)")
    set_times = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
                                help_text="One line a slot, e.g. 21:00 The Owls (75 min)")
    backline = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
                               label="Backline and PA", help_text="What the venue provides, what the act brings")
    parking = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
    contacts = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000,
                               help_text="Name, role, phone")
    hospitality = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    guest_list = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
