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
