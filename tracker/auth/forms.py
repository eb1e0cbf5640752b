"""The one field of the two-factor pages: a code from the app, or a recovery code."""

import re

from django import forms


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
