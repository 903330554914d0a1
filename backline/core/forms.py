"""Form helpers: Bootstrap styling for every widget, and service errors shown on the form."""

from django import forms
from django.forms.renderers import TemplatesSetting

from .currencies import currency_choices
from .errors import DomainError, Invalid
from .places import get_city


class BootstrapRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class StyledMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):  # CheckboxSelectMultiple too
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        for name, field in self.fields.items():
            if isinstance(field, CurrencyField):  # the record's own code shows even if no longer listed
                field.keep(self.initial.get(name) or field.initial)

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal on the form: field errors where the field exists, the rest on top."""
        if isinstance(exc, Invalid) and exc.errors:
            for field, messages in exc.errors.items():
                target = field if field in self.fields else None
                if field == "geoname_id" and "city" in self.fields:
                    target = "city"
                for message in messages:
                    self.add_error(target, message)
            if not self.non_field_errors() and not any(f in self.fields for f in exc.errors):
                self.add_error(None, exc.detail)
        else:
            self.add_error(None, exc.detail)


class Form(StyledMixin, forms.Form):
    pass


class ModelForm(StyledMixin, forms.ModelForm):
    pass


class CitySelect(forms.Select):
    """Renders only the chosen city as an option; the rest come from the autocomplete endpoint."""

    def get_context(self, name, value, attrs):
        city = get_city(value[0] if isinstance(value, (list, tuple)) and value else value)
        self.choices = [("", "")] + ([(city.geoname_id, city.label)] if city else [])
        return super().get_context(name, value, attrs)


class CityField(forms.TypedChoiceField):
    """A city from the gazetteer, chosen through the autocomplete; cleans to its geoname id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Start typing; choosing a city fills its coordinates and time zone.")
        kwargs.setdefault("widget", CitySelect)
        super().__init__(coerce=int, empty_value=None, choices=[], **kwargs)
        self.widget.attrs["data-autocomplete-url"] = "/api/v1/places/cities"

    def valid_value(self, value) -> bool:
        return get_city(value) is not None

    def to_python(self, value):
        value = super().to_python(value)
        if value not in (None, "") and get_city(value) is None:
            raise forms.ValidationError("Choose a city from the list.")
        return value

    def validate(self, value):
        if self.required and value in (None, ""):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        # Any gazetteer city is a valid choice; the options are loaded on demand.
        if value not in (None, "") and get_city(value) is None:
            raise forms.ValidationError("Choose a city from the list.")


class CurrencyField(forms.ChoiceField):
    """A currency chosen from the ISO 4217 list with a search box (tom-select), never typed freely.
    Lower case is accepted ("eur"); a code no longer listed that a record already holds still shows: pass
    it to ``keep``. Forms give the workspace's (or the booking's) currency as the initial value."""

    default_error_messages = {"invalid_choice": "Choose a currency from the list (an ISO code such as EUR)."}

    def __init__(self, *, current: str = "", **kwargs):
        kwargs.setdefault("help_text", "Type to search, e.g. EUR, GBP, USD.")
        super().__init__(choices=currency_choices(current), **kwargs)
        self.widget.attrs.update({"data-searchable": "", "data-max-items": "1"})

    def keep(self, current) -> None:
        self.choices = currency_choices(str(current or "").upper())

    def to_python(self, value):
        return super().to_python(value).strip().upper()
