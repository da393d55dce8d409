"""The sign-in form: Django's authentication form with the words and hints of our pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
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


class InvitationAcceptForm(forms.Form):
    """The invited person chooses how they sign in and which language they read."""

    username = forms.CharField(
        label=_("Identifiant"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )  # fmt: skip
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas seulement des chiffres, ni trop courant."),
    )  # fmt: skip
    password_again = forms.CharField(
        label=_("Le même mot de passe, encore"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Langue de l'interface"), choices=settings.LANGUAGES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Les deux mots de passe diffèrent."))
        return data
