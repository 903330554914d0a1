"""django-allauth's own forms, with Bootstrap styling (the flows themselves are allauth's)."""

import math
import time

from allauth.account import forms as aa
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError

from backline.core.forms import StyledMixin


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


class SignupForm(StyledMixin, aa.SignupForm):
    pass


class AddEmailForm(StyledMixin, aa.AddEmailForm):
    pass


class ChangePasswordForm(StyledMixin, aa.ChangePasswordForm):
    pass


class SetPasswordForm(StyledMixin, aa.SetPasswordForm):
    pass


class ResetPasswordForm(StyledMixin, aa.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(StyledMixin, aa.ResetPasswordKeyForm):
    pass
