from django import forms

from .models import Channel


class PreferencesForm(forms.Form):
    """A select per notification type: in the app, by email at once, in a daily digest, or off."""

    def __init__(self, *args, preferences: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for type, label, channel in preferences:
            self.fields[type] = forms.ChoiceField(label=label, choices=Channel.choices, initial=channel)
