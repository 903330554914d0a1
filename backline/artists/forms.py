from django import forms

from backline.core.forms import CityField, Form

from .models import ActType, Genre


def genre_field(**kwargs):
    return forms.MultipleChoiceField(
        choices=lambda: list(Genre.objects.values_list("slug", "name")), required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "1", "data-max-items": "5"}),
        help_text="Up to five; type to search.", **kwargs)


class ActCreateForm(Form):
    name = forms.CharField(max_length=120, label="Act name")
    act_type = forms.ChoiceField(choices=ActType.choices, label="Type")
    genres = genre_field()
    city = CityField(required=False, label="Home city")
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    plays_in_act = forms.BooleanField(required=False, initial=True, label="I play in this act")
    instruments = forms.CharField(max_length=200, required=False, help_text="What you play, e.g. vocals, guitar")


class ActDetailsForm(Form):
    act_type = forms.ChoiceField(choices=ActType.choices, label="Type")
    genres = genre_field()
    formed_year = forms.IntegerField(min_value=1900, max_value=2100, required=False, label="Formed in")


class ActMemberForm(Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(required=False, help_text="Links this member to their Backline account.")
    instruments = forms.CharField(max_length=200, required=False)
    is_optional = forms.BooleanField(required=False, label="Occasional or substitute player",
                                     help_text="Optional members do not block the act's availability.")


class PerformerForm(Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    skills = forms.CharField(max_length=200, required=False, help_text="Instruments, roles or acts, comma-separated")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
    user = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Linked account",
                                  help_text="Link to an agency member so they see their gigs in the performer portal.")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Not linked")] + [(m.user_id, f"{m.user.display_name} ({m.user.email})")
                                                              for m in members]
