"""Web forms for the pipeline. They shape input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from backline.core.errors import Invalid
from backline.core.forms import CurrencyField, Form
from backline.core.timeutil import check_planned

from . import deals
from .models import Source

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DEAL_TYPES = [("guarantee", "Guarantee: a fixed fee"), ("versus", "Versus: guarantee vs a %"),
              ("door", "Door deal: a % of the door"), ("flat", "Flat price: a quote to a client")]


def searchable(field, count: int) -> None:
    """A long list of choices (41 acts on the demo) gets a search box (tom-select, from main.js)."""
    if count > 8:
        field.widget.attrs.update({"data-searchable": "", "data-max-items": "1"})


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
    location = forms.CharField(max_length=200, required=False,
                               help_text="Only where the show is not at a venue on Backline: a wedding, a festival site.")
    budget = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    currency = CurrencyField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def __init__(self, *args, acts=(), venues=(), clients=(), packages=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in (("act", acts), ("venue", venues), ("client", clients), ("package", packages)):
            self.fields[name].choices = [("", "—")] + [(pk, label) for pk, label in rows]
            if not rows:
                del self.fields[name]
            else:
                searchable(self.fields[name], len(rows))
        if len(venues) == 1 and not self.is_bound:  # a venue with one room: it is that one
            self.fields["venue"].initial = venues[0][0]


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
    currency = CurrencyField(required=False)
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
    budget = forms.DecimalField(required=False, min_value=0, decimal_places=2,
                                error_messages={"min_value": "A budget cannot be negative."})
    currency = CurrencyField(required=False, help_text="")
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
                if not rows:  # nothing to choose (an agency names no act or venue; a venue without stages)
                    del self.fields[name]
                    continue
                self.fields[name].choices = [("", "—")] + [(pk, label) for pk, label in rows]
                searchable(self.fields[name], len(rows))
        if timed:  # a show with its times is on one date: it moves with its start
            self.fields.pop("date_to", None)
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
        for name in ("date", "date_to"):  # a moved date out of range is said under it, not under the times
            if data.get(name) and name in self.changed_data and not self.errors.get(name):
                try:
                    check_planned(date_from=data[name])
                except Invalid as exc:
                    self.add_error(name, exc.errors["date_from"][0])
        last = data.get("date_to")
        if last and day and not self.errors.get("date_to"):
            if last < day:
                self.add_error("date_to", "The last date is before the date. Choose a later one, or leave it empty.")
            elif starts is not None and last != day:
                self.add_error("date_to", "A show with a start and end time is on one date. Leave the last date "
                                          "empty, or clear the times to ask for a range of dates.")
        return data


class HoldForm(Form):
    starts_at = forms.DateTimeField(widget=DATETIME, label="Show starts")
    ends_at = forms.DateTimeField(widget=DATETIME, label="Show ends")
    expires_at = forms.DateTimeField(widget=DATETIME, required=False, label="Hold expires",
                                     help_text="Empty: in 14 days, or at the show if sooner.")


class OfferForm(Form):
    """An offer, counter-offer or quote, showing only what its deal type uses (``deals.TERMS``)."""

    deal_type = forms.ChoiceField(choices=DEAL_TYPES, label="Deal type")
    package = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                     help_text="Its price is the quote's price unless you enter another.")
    guarantee = forms.DecimalField(required=False, decimal_places=2, min_value=0, label="Guarantee")
    percent = forms.DecimalField(required=False, decimal_places=2, min_value=0, max_value=100,
                                 label="Act's percentage", help_text="Of the receipts, for example 70.")
    basis = forms.ChoiceField(choices=[("net", "Net receipts"), ("gross", "Gross ticket sales")], required=False,
                              label="Percentage of", help_text="Net: ticket sales minus taxes, fees and expenses.")
    expenses = forms.DecimalField(required=False, decimal_places=2, min_value=0, label="Agreed expenses",
                                  help_text="Taken off the receipts before the percentage.")
    currency = CurrencyField(required=False)
    deposit_percent = forms.DecimalField(required=False, decimal_places=2, min_value=0, max_value=100,
                                         label="Deposit %", help_text="Of the fee, often 50.")
    deposit_due = forms.DateField(widget=DATE, required=False, label="Deposit due")
    ticket_price = forms.DecimalField(required=False, decimal_places=2, min_value=0)
    capacity = forms.IntegerField(required=False, min_value=1)
    bonus_tickets = forms.IntegerField(required=False, min_value=1, label="Bonus at tickets",
                                       help_text="Tickets sold to earn it.")
    bonus_amount = forms.DecimalField(required=False, decimal_places=2, min_value=0, label="Bonus amount")
    radius_km = forms.IntegerField(required=False, min_value=1, label="Radius (km)")
    radius_days = forms.IntegerField(required=False, min_value=1, label="Radius (days)",
                                     help_text="Before and after the show.")
    set_minutes = forms.IntegerField(required=False, min_value=1, label="Set length", help_text="In minutes.")
    load_in = forms.TimeField(widget=TIME, required=False, label="Load-in")
    doors = forms.TimeField(widget=TIME, required=False)
    curfew = forms.TimeField(widget=TIME, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    attachments = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Files to send with it",
        help_text="Documents and photos from your media library, such as a tech pack or a stage plot.")

    # form fields → the deal term they fill (the two bonus fields make one bonus)
    TERM = {"bonus_tickets": "bonuses", "bonus_amount": "bonuses"}
    SHOW = ("set_minutes", "load_in", "doors", "curfew")  # not deal terms: the show's timings
    GROUPS = (("Deal", ("deal_type", "package", "guarantee", "percent", "basis", "expenses", "currency")),
              ("Deposit", ("deposit_percent", "deposit_due")),
              ("Tickets", ("ticket_price", "capacity", "bonus_tickets", "bonus_amount")),
              ("Radius clause", ("radius_km", "radius_days")),
              ("The show", SHOW), ("", ("notes",)), ("Files", ("attachments",)))

    def __init__(self, *args, packages=(), deal_types=None, preview_url="", quote=False, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        if files:  # the sender's library (``services.attachable_assets``); no library, no question
            self.fields["attachments"].choices = [(a.pk, f"{a} ({a.get_kind_display().lower()})") for a in files]
        else:
            del self.fields["attachments"]
        self.preview_url = preview_url
        if deal_types:
            self.fields["deal_type"].choices = [c for c in DEAL_TYPES if c[0] in deal_types]
        if len(self.fields["deal_type"].choices) == 1:  # nothing to choose (an agency quotes a price): not asked
            self.initial["deal_type"] = self.fields["deal_type"].choices[0][0]
            self.fields["deal_type"].widget = forms.HiddenInput()
        chosen = self._chosen_type()
        uses = set(deals.TERMS[chosen]) | {"deal_type", "currency", "notes", "attachments", *self.SHOW}
        if chosen == deals.DealType.FLAT:
            uses -= {"doors"}  # a private or corporate show has no doors
            self.fields["guarantee"].label = "Price"
        elif quote:  # an agency's quote: the amount its client pays
            self.fields["guarantee"].label = "Fee"
        elif chosen == deals.DealType.VERSUS:
            self.fields["guarantee"].help_text = "Paid whatever the door takes."
        for name in list(self.fields):
            if self.TERM.get(name, name) not in uses and not (name == "package" and packages and
                                                               chosen == deals.DealType.FLAT):
                del self.fields[name]
        if "package" in self.fields:
            self.fields["package"].choices = [("", "Custom price")] + [
                (p.pk, f"{p.name} · {deals.format_money(p.price, p.currency)}") for p in packages]
            self.fields["package"].widget.attrs.update({"hx-get": preview_url, "hx-trigger": "change",
                                                        "hx-target": "closest form", "hx-swap": "outerHTML",
                                                        "hx-include": "closest form"})
        self.fields["deal_type"].widget.attrs.update({"hx-get": preview_url, "hx-trigger": "change",
                                                      "hx-target": "closest form", "hx-swap": "outerHTML",
                                                      "hx-include": "closest form"})

    def _chosen_type(self) -> deals.DealType:
        value = (self.data.get(self.add_prefix("deal_type")) if self.is_bound else None) or \
            self.initial.get("deal_type") or self.fields["deal_type"].choices[0][0]
        allowed = [c[0] for c in self.fields["deal_type"].choices]
        return deals.DealType(value if value in allowed else allowed[0])

    @property
    def chosen_type(self) -> deals.DealType:
        return self._chosen_type()

    def groups(self):
        """(heading, bound fields) for each group of the form that has a field for this deal type."""
        out = []
        for heading, names in self.GROUPS:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                out.append((heading, fields))
        return out

    def terms(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "package" in d:
            d["package_id"] = d.pop("package")
        if "attachments" in d:
            d["attachment_ids"] = d.pop("attachments")
        tickets, amount = d.pop("bonus_tickets", None), d.pop("bonus_amount", None)
        if tickets is not None or amount is not None:
            d["bonuses"] = [{"tickets": tickets or 0, "amount": amount or 0}]
        return d

    def draft(self, currency: str) -> deals.Deal:
        """The deal as typed so far, for the live summary: what does not parse is left out (reads TBC)."""
        values = {}
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            if raw in (None, ""):
                continue
            try:
                values[name] = field.clean(raw)
            except forms.ValidationError:
                continue
        bonuses = ()
        if values.get("bonus_tickets") and values.get("bonus_amount") is not None:
            bonuses = (deals.Bonus(values["bonus_tickets"], values["bonus_amount"]),)
        return deals.Deal(
            currency=(values.get("currency") or currency).upper(), deal_type=self.chosen_type,
            guarantee=values.get("guarantee"), percent=values.get("percent"), basis=values.get("basis") or "net",
            expenses=values.get("expenses") or deals.ZERO, bonuses=bonuses, deposit_percent=values.get("deposit_percent"),
            deposit_due=values.get("deposit_due"), ticket_price=values.get("ticket_price"),
            capacity=values.get("capacity"), radius_km=values.get("radius_km"), radius_days=values.get("radius_days"))


class ReasonForm(Form):
    reason = forms.CharField(max_length=300)


class AssignForm(Form):
    """Who plays the show and what they are paid; starts with nobody chosen, and says what is missing
    beside the field, in the words Who's free uses."""

    performer = forms.TypedChoiceField(coerce=int, error_messages={
        "required": "Choose a performer.", "invalid_choice": "Choose a performer from the list."})
    payout = forms.DecimalField(min_value=0, decimal_places=2, error_messages={
        "min_value": "A payout cannot be below 0.", "invalid": "Enter the payout as a number, e.g. 150."})
    role = forms.CharField(max_length=120, required=False)
    override_reason = forms.CharField(max_length=300, required=False, label="Override reason",
                                      help_text="Owners and admins: to assign someone booked elsewhere, say why.")

    def __init__(self, *args, performers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.names = {p.pk: p.name for p in performers}
        self.fields["performer"].choices = [("", "Choose a performer"), *self.names.items()]
        searchable(self.fields["performer"], len(self.names))

    def add_error(self, field, error):
        """A field in error is drawn red and read out with its message (``<id>-error`` beside it)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs['class'].replace(' is-invalid', '')} is-invalid"
                attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean(self):
        data = super().clean()
        if self.has_error("payout", "required"):
            who = self.names.get(data.get("performer"), "the performer")
            self.errors["payout"] = self.error_class([f"Enter what {who} is paid for this show (0 if nothing)."])
        return data


def grow_box() -> forms.Textarea:
    """A text box of at least three lines that grows with its text where the browser can (CSS field-sizing)."""
    return forms.Textarea(attrs={"rows": 3, "class": "bl-grow"})


class AdvanceForm(Form):
    load_in = forms.TimeField(widget=TIME, required=False)
    soundcheck = forms.TimeField(widget=TIME, required=False)
    doors = forms.TimeField(widget=TIME, required=False)
    curfew = forms.TimeField(widget=TIME, required=False)
    changeover_minutes = forms.IntegerField(required=False, min_value=0, max_value=240, label="Changeover (minutes)")
    set_times = forms.CharField(widget=grow_box(), required=False, max_length=2000,
                                help_text="One line a slot, e.g. 21:00 The Owls (75 min)")
    backline = forms.CharField(widget=grow_box(), required=False, max_length=2000,
                               label="Backline and PA", help_text="What the venue provides, what the act brings")
    parking = forms.CharField(widget=grow_box(), required=False, max_length=1000)
    contacts = forms.CharField(widget=grow_box(), required=False, max_length=1000,
                               help_text="Name, role, phone")
    hospitality = forms.CharField(widget=grow_box(), required=False, max_length=2000)
    guest_list = forms.CharField(widget=grow_box(), required=False, max_length=2000)
    notes = forms.CharField(widget=grow_box(), required=False, max_length=2000)
