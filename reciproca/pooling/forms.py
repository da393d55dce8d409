from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reciproca.pooling.models import Coordination


class FinderForm(forms.Form):
    french_only = forms.BooleanField(label=_("Acteurs français seulement"), required=False)
    radius_km = forms.IntegerField(
        label=_("Rayon autour des lieux (km)"), required=False, min_value=0, max_value=500
    )
    include_country = forms.BooleanField(
        label=_("Inclure les activités du pays sans lieu plus précis"), required=False
    )
    min_score = forms.IntegerField(label=_("Score minimal"), required=False, min_value=0)
    q = forms.CharField(label=_("Mot du titre"), required=False, max_length=100)

    def filters(self) -> dict[str, object]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "french_only": bool(data.get("french_only")),
            "radius_km": float(data.get("radius_km") or 0),
            "include_country": bool(data.get("include_country")),
            "min_score": int(data.get("min_score") or 0),
            "text": (data.get("q") or "").strip(),
        }


class CoordinationForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Décision"), choices=Coordination.Outcome.choices)
    note = forms.CharField(
        label=_("Ce qui a été convenu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier IATI (.xml, .zip, .tar.xz)"))
