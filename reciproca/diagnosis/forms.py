"""Forms of the diagnosis pages: they only read input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciproca.core.forms import RevisionForm
from reciproca.diagnosis.grid import Criterion
from reciproca.diagnosis.models import (
    Direction,
    Level,
    ResponseKind,
    Score,
    Side,
)
from reciproca.partnerships.models import ElectedOfficial, Organisation, Service


class NeedForm(RevisionForm):
    side = forms.ChoiceField(label=_("Territoire concerné"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Besoin"), max_length=255)
    population_concerned = forms.CharField(label=_("Population concernée"), max_length=255)
    evidence = forms.CharField(
        label=_("Éléments qui établissent le besoin"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Études, données, témoignages, visites : d'où vient ce constat ?"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    author_organisation = forms.ModelChoiceField(
        label=_("Organisation autrice"), queryset=Organisation.objects.none()
    )

    def __init__(
        self, *args: Any, organisations: Any, side_labels: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [(s.value, side_labels[s.value]) for s in Side]  # type: ignore[attr-defined]
        self.fields["author_organisation"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {
            "side": obj.side,
            "title": obj.title,
            "population_concerned": obj.population_concerned,
            "evidence": obj.evidence,
            "description": obj.description,
            "author_organisation": obj.author_organisation_id,
        }


class CellForm(RevisionForm):
    direction = forms.ChoiceField(
        label=_("Sens de l'effet"), choices=Direction.choices, widget=forms.RadioSelect
    )
    magnitude = forms.TypedChoiceField(
        label=_("Ampleur"),
        choices=[("", _("— sans objet —")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Pour un effet positif ou négatif."),
    )
    likelihood = forms.TypedChoiceField(
        label=_("Probabilité"),
        choices=[("", _("— sans objet —")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Pour un effet positif ou négatif."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire sauf si l'effet est inconnu."),
    )

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        """A cell not filled yet is revision 0."""
        if obj is None:
            return cls.revision_initial(None)
        return cls.revision_initial(obj) | {
            "direction": obj.direction,
            "magnitude": obj.magnitude,
            "likelihood": obj.likelihood,
            "justification": obj.justification,
        }


class ResponseForm(RevisionForm):
    kind = forms.ChoiceField(label=_("Réponse"), choices=ResponseKind.choices)
    description = forms.CharField(
        label=_("Mesure prévue"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisation responsable"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    owner_name = forms.CharField(
        label=_("Responsable (personne ou service)"),
        max_length=255,
        required=False,
        help_text=_("Une organisation, une personne ou les deux."),
    )
    due_date = forms.DateField(
        label=_("Échéance"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {
            "kind": obj.kind,
            "description": obj.description,
            "owner_organisation": obj.owner_organisation_id,
            "owner_name": obj.owner_name,
            "due_date": obj.due_date,
        }


class AlternativeForm(RevisionForm):
    title = forms.CharField(label=_("Intitulé de l'alternative"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_do_nothing = forms.BooleanField(label=_("C'est l'option « ne rien faire »"), required=False)

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {
            "title": obj.title,
            "description": obj.description,
            "is_do_nothing": obj.is_do_nothing,
        }


class ReversibilityForm(RevisionForm):
    """The diagnosis' own text: its revision is the diagnosis'."""

    text = forms.CharField(
        label=_("Réversibilité et sortie"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Comment revenir sur le choix ou sortir du projet, à quel coût, et ce qui reste "
            "aux partenaires."
        ),
    )

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {"text": obj.reversibility_statement}


class GridForm(forms.Form):
    """The acting assessor's scores for one option: a score and a justification per criterion.

    A criterion left without a score is not scored (nothing is written for it).
    """

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score__{criterion.code}"] = forms.TypedChoiceField(
                label=_("Note — %(criterion)s") % {"criterion": criterion.name},
                choices=[("", _("— non noté —")), *Score.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"justification__{criterion.code}"] = forms.CharField(
                label=_("Justification — %(criterion)s") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [
            (c, self[f"score__{c.code}"], self[f"justification__{c.code}"]) for c in self.criteria
        ]

    def scores(self) -> dict[str, tuple[int, str]]:
        result = {}
        for criterion in self.criteria:
            score = self.cleaned_data.get(f"score__{criterion.code}")
            justification = self.cleaned_data.get(f"justification__{criterion.code}") or ""
            if score is not None:
                result[criterion.code] = (score, justification)
        return result


class ThemesForm(RevisionForm):
    """The project's themes: its revision is the project's."""

    themes: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Thèmes prioritaires de la charte"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {"themes": [t.pk for t in obj.themes.all()]}


class CommitmentsForm(RevisionForm):
    """The SDG targets, purpose codes and markers to confirm, the suggestions pre-listed; the
    revision is the project's."""

    sdg_targets: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Cibles ODD"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_sdg_targets = forms.CharField(
        label=_("Autres cibles ODD (codes séparés par des virgules, p. ex. 6.1, 16.7)"),
        required=False,
    )
    purpose_codes: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Codes-objet CAD"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_purpose_codes = forms.CharField(
        label=_("Autres codes-objet CAD (codes à 5 chiffres séparés par des virgules)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        targets: Any,
        codes: Any,
        markers: list[Any],
        significances: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg_targets"].queryset = targets  # type: ignore[attr-defined]
        self.fields["purpose_codes"].queryset = codes  # type: ignore[attr-defined]
        self.markers = markers
        self.significances = {s.code: s for s in significances}
        choices = [("", _("— non retenu —"))] + [(s.code, str(s)) for s in significances]
        for marker in markers:
            self.fields[f"marker__{marker.code}"] = forms.ChoiceField(
                label=_("Marqueur CAD %(code)s — %(marker)s")
                % {"code": marker.code, "marker": marker.name},
                choices=choices,
                required=False,
            )

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return (
            cls.revision_initial(obj)
            | {
                "sdg_targets": [t.pk for t in obj.sdg_targets.all()],
                "purpose_codes": [c.pk for c in obj.purpose_codes.all()],
            }
            | {
                f"marker__{m.marker.code}": m.significance.code
                for m in obj.markers.select_related("marker", "significance")
            }
        )

    def marker_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(m, self[f"marker__{m.code}"]) for m in self.markers]

    def marker_pairs(self) -> list[tuple[Any, Any]]:
        pairs = []
        for marker in self.markers:
            code = self.cleaned_data.get(f"marker__{marker.code}")
            if code:
                pairs.append((marker, self.significances[code]))
        return pairs


def split_codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]


class InvolvementForm(RevisionForm):
    """The services and elected officials involved: the revision is the project's."""

    services = forms.ModelMultipleChoiceField(
        label=_("Services de la collectivité impliqués"),
        queryset=Service.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    elected_officials = forms.ModelMultipleChoiceField(
        label=_("Élus impliqués"),
        queryset=ElectedOfficial.objects.order_by("full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {
            "services": [s.pk for s in obj.services.all()],
            "elected_officials": [e.pk for e in obj.elected_officials.all()],
        }


class WithdrawSignOffForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du retrait"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
