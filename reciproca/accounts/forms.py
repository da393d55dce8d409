"""The sign-in form: Django's authentication form with the words and hints of our pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Les deux champs tiennent compte des majuscules."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    # Set by the sign-in view while the client's address waits (accounts/throttle.py): the form
    # then refuses with this reason and checks no password.
    refusal: str = ""

    def clean(self) -> dict[str, Any]:
        if self.refusal:
            raise forms.ValidationError(self.refusal, code="throttled")
        return super().clean()
