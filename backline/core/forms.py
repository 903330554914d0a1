"""Form helpers: Bootstrap styling for every widget, and service errors shown on the form."""

from django import forms
from django.forms.renderers import TemplatesSetting

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
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

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
