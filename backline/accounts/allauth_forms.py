"""django-allauth's own forms, with Bootstrap styling (the flows themselves are allauth's)."""

from allauth.account import forms as aa

from backline.core.forms import StyledMixin


class LoginForm(StyledMixin, aa.LoginForm):
    pass


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
