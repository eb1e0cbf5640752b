"""The one field of the two-factor pages: a code from the app, or a recovery code."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        """Spaces and dashes people type between groups do not count; recovery codes are
        lower case (django-otp's StaticToken)."""
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()

    def refuse(self, message: str) -> None:
        self.add_error("code", message)


def is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked before any sign-in attempt.

    AuthenticationForm sets the username's max_length after the field is built, so no
    validator enforces it: a 300-character name reached authenticate(), and django-axes'
    record of the failed attempt (a 255-character column) broke with a 500 on PostgreSQL.
    """

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        if len(username) > limit:
            raise forms.ValidationError(f"A username has at most {limit} characters.")
        return username
