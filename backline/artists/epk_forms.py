"""The press kit editor's forms."""

from django import forms

from backline.core.currencies import currency_choices
from backline.core.forms import Form
from backline.media.picker import asset_pick

from .epk_models import Visibility


class PressKitForm(Form):
    visibility = forms.ChoiceField(label="Who can see your press kit", choices=Visibility.choices,
                                   widget=forms.RadioSelect)
    short_bio = forms.CharField(label="Short bio", max_length=300, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Up to 300 characters: the line promoters read first.")
    long_bio = forms.CharField(label="Long bio", max_length=10000, required=False,
                               widget=forms.Textarea(attrs={"rows": 8}))
    achievements = forms.CharField(label="Achievements", max_length=3000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="One per line, e.g. “Played Fusion Festival 2025”.")
    media_links = forms.CharField(label="Music and video links", max_length=6500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="One link per line: Spotify, Apple Music, Bandcamp, SoundCloud, YouTube or "
                                            "Vimeo. They are shown with the provider's own player.")
    hero = asset_pick("Main photo", kinds="images", multiple=False, empty_label="No main photo")
    photos = asset_pick("Gallery", kinds="images")
    documents = asset_pick("Documents", kinds="documents",
                           help_text="Stage plot, input list, one-sheet… from your media library.")
    show_upcoming_shows = forms.BooleanField(label="Show our upcoming confirmed shows", required=False)
    booking_name = forms.CharField(label="Booking contact name", max_length=120, required=False)
    booking_email = forms.EmailField(label="Booking email", required=False,
                                     help_text="Date requests from the page are sent here.")
    booking_phone = forms.CharField(label="Booking phone", max_length=40, required=False)
    fee_min = forms.DecimalField(label="Fee from", min_value=0, max_value=99999999, decimal_places=2, required=False)
    fee_max = forms.DecimalField(label="Fee up to", min_value=0, max_value=99999999, decimal_places=2, required=False)
    fee_currency = forms.ChoiceField(label="Currency", required=False)

    def __init__(self, *args, currency="EUR", **kwargs):
        """Call ``backline.media.picker.offer_library(form, request)`` before validating or rendering."""
        super().__init__(*args, **kwargs)
        self.fields["fee_currency"].choices = currency_choices(currency)


class QuoteForm(Form):
    quote = forms.CharField(label="Quote", max_length=600, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label="Source", max_length=120, help_text="e.g. “The Quietus”")
    link = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    date = forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}))


QuoteFormSet = forms.formset_factory(QuoteForm, extra=1, max_num=12, validate_max=True, can_delete=True)
