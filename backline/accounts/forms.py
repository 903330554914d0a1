"""The accounts web forms: a person's profile, a workspace's profile, social links and invitations;
and django-allauth's own forms (log-in, sign-up, passwords, emails) with Bootstrap styling, named in
``ACCOUNT_FORMS`` (the flows themselves are allauth's)."""

import math
import time
import zoneinfo

from allauth.account import forms as aa
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError

from backline.core.errors import Invalid
from backline.core.forms import CityField, CurrencyField, Form, StyledMixin

from .models import Role, SocialPlatform, WorkspaceKind
from .permissions import roles_for_kind

TIME_ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
ALLOWED_AVATAR_FORMATS = {"JPEG", "PNG", "WEBP"}


def time_zone_field(**kwargs):
    return forms.ChoiceField(choices=[(z, z.replace("_", " ")) for z in TIME_ZONES], **kwargs)


def check_avatar(upload) -> None:
    """Refuse a picture that is too big, not an image, or an image of another type (checked by
    reading it with Pillow, not by trusting the name or the declared content type)."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat
    from PIL import Image, UnidentifiedImageError

    if upload.size > settings.MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        raise Invalid("The picture is too large.", errors={"avatar": [f"The picture is larger than {limit}."]})
    try:
        image = Image.open(upload)
        image.verify()
        kind = (image.format or "").upper()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise Invalid("Not a picture.", errors={"avatar": ["Upload a JPEG, PNG or WebP picture."]}) from exc
    finally:
        upload.seek(0)
    if kind not in ALLOWED_AVATAR_FORMATS:
        raise Invalid("Wrong picture type.", errors={"avatar": ["Upload a JPEG, PNG or WebP picture."]})


class ProfileForm(Form):
    name = forms.CharField(max_length=120, required=False)
    pronouns = forms.CharField(max_length=40, required=False, help_text="Optional, e.g. she/her, they/them")
    phone = forms.CharField(max_length=40, required=False)
    time_zone = time_zone_field(help_text="Times are shown to you in this zone.")
    avatar = forms.ImageField(required=False, help_text="JPEG, PNG or WebP, at most 5 MB.")

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):
            try:
                check_avatar(avatar)
            except Invalid as exc:
                raise forms.ValidationError(exc.errors["avatar"][0]) from exc
        return avatar


class WorkspaceProfileForm(Form):
    name = forms.CharField(max_length=120)
    city = CityField(required=False)
    time_zone = time_zone_field(help_text="Filled from the city; change it only if the city's zone is wrong.")
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    contact_email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    currency = CurrencyField(help_text="Offers, quotes and inquiries start in it.")
    commission_percent = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                            required=False, help_text="Default agency commission (%)")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != WorkspaceKind.AGENCY:
            del self.fields["commission_percent"]


class NewOrganisationForm(WorkspaceProfileForm):
    """Promoter and agency workspaces (acts and venues have their own forms in their apps)."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, kind=kind, **kwargs)
        del self.fields["time_zone"]
        self.fields["currency"].initial = "EUR"


class SocialLinkForm(Form):
    platform = forms.ChoiceField(choices=SocialPlatform.choices)
    url = forms.URLField(label="Address", assume_scheme="https")


SocialLinkFormSet = forms.formset_factory(SocialLinkForm, extra=2, max_num=20, can_delete=True)


class InvitationForm(Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[])

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles_for_kind(kind)]
        self.fields["role"].initial = Role.MEMBER


# --- django-allauth's forms -----------------------------------------------------------------------

def seconds_until_allowed(request, *, action: str, key: str | None = None) -> int:
    """How long until allauth's rate limit for ``action`` lets this client (and ``key``) try again:
    the time until enough of the counted attempts leave their window; the longest window when the
    counters cannot be read (a rate per key without the key)."""
    rates = ratelimit.get_rates(app="allauth.account", action=action)
    now, waits = time.time(), []
    for rate in rates:
        if rate.per == "key" and key is None:
            waits.append(rate.duration)
            continue
        cache_key = ratelimit.get_cache_key(request, app="allauth.account", action=action, rate=rate, key=key,
                                            user=request.user if request.user.is_authenticated else None)
        live = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]  # newest first
        if len(live) >= rate.amount:
            waits.append(live[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(max(waits, default=max((r.duration for r in rates), default=60))))


class LoginForm(StyledMixin, aa.LoginForm):
    retry_after: int | None = None  # set when the failed-login limit refused the attempt (the view answers 429)

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if any(error.code == "too_many_login_attempts" for error in exc.error_list):
                key = get_adapter()._get_login_attempts_cache_key(self.request, **self.user_credentials())
                self.retry_after = seconds_until_allowed(self.request, action="login_failed", key=key)
                minutes = math.ceil(self.retry_after / 60)
                wait = "a minute" if minutes <= 1 else f"{minutes} minutes"
                raise ValidationError(f"Too many failed login attempts. Try again in {wait}, or use “Forgot your "
                                      "password?” to set a new one.", code="too_many_login_attempts") from exc
            raise


def password_hint() -> str:
    """One short line instead of Django's list of every rule: the length and the common-password check
    (the rules people actually meet). A rule that fails says so itself, under the field."""
    from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators

    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    return f"At least {max(lengths)} characters; not a common password." if lengths else "Not a common password."


class PasswordHintMixin:
    """A new password's field shows ``password_hint()`` up front, not four rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = password_hint()


class SignupForm(PasswordHintMixin, StyledMixin, aa.SignupForm):
    """Sign-up asks for the person's name, so others see it (line-ups, members, invitations) rather than
    the first half of an email address; allauth saves the account, then ``signup`` sets the name."""

    name = forms.CharField(label="Your name", max_length=120, help_text="Shown to your team and the people you book with.",
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    field_order = ["name", "email", "password1", "password2"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class AddEmailForm(StyledMixin, aa.AddEmailForm):
    pass


class ChangePasswordForm(PasswordHintMixin, StyledMixin, aa.ChangePasswordForm):
    pass


class SetPasswordForm(PasswordHintMixin, StyledMixin, aa.SetPasswordForm):
    pass


class ResetPasswordForm(StyledMixin, aa.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PasswordHintMixin, StyledMixin, aa.ResetPasswordKeyForm):
    pass
