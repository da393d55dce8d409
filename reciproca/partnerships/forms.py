"""The partnership's access page: invite a person, take a role back (accounts/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reciproca.accounts.models import Role
from reciproca.partnerships.models import Organisation, Partnership


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation de la personne"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Langue de l'invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(
            pk__in=[partnership.host_id, partnership.partner_id]
        ).order_by("name")
        self.fields["role"].initial = Role.PARTNER_EDITOR
        self.fields["organisation"].initial = partnership.partner_id


class RevokeForm(forms.Form):
    grant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Pourquoi retirer ce rôle ?"), max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
