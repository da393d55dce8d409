"""Project forms. They validate input against the choices the user may pick from; every write
goes through `reciproca.projects.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciproca.charter import engine
from reciproca.core.forms import RevisionForm
from reciproca.core.language import marked_french
from reciproca.partnerships.models import ElectedOfficial, Partnership, Programme, Service
from reciproca.partnerships.policies import partnerships_visible_to
from reciproca.projects.models import Decision, Project, Stage
from reciproca.projects.policies import partnerships_open_to_new_projects
from reciproca.reference.models import PurposeCode, SdgTarget
from reciproca.territories.models import Territory

CONTENT_LANGUAGES = (
    ("fr", "Français", "ltr"),
    ("en", "English", "ltr"),
    ("ar", "العربية", "rtl"),
    ("hy", "Հայերեն", "ltr"),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partnership) -> str:
        return f"{obj.partner.name} — {obj.name}"


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return f"{obj.partnership.partner.display_name} — {obj}"


class ProjectFilterForm(forms.Form):
    """The project list's filters: only values among the choices are used to filter; the sort
    is one of `SORTS` (a column header link), the search a plain text."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Dans le titre, la référence, le résumé et le nom du partenaire."),
    )
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", _("Toutes les étapes")), *Stage.choices]
    )
    partnership = PartnershipChoiceField(
        label=_("Partenariat"),
        required=False,
        queryset=Partnership.objects.none(),
        empty_label=_("Tous les partenariats"),
    )
    ending = forms.ChoiceField(
        label=_("Fin prévue"),
        required=False,
        choices=[("", _("Toutes les dates")), ("90", _("Dans les 90 jours"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            partnerships_visible_to(user).select_related("partner").order_by("partner__name")
        )


class ProjectCreateForm(forms.Form):
    partnership = PartnershipChoiceField(
        label=_("Partenariat"),
        queryset=Partnership.objects.none(),
        empty_label=_("Choisissez le partenariat"),
        help_text=_(
            "La collectivité et l'autorité partenaire seront co-maîtres d'ouvrage du projet."
        ),
    )
    title = forms.CharField(label=_("Titre"), max_length=255)
    summary = forms.CharField(
        label=_("Résumé"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    objectives = forms.CharField(
        label=_("Objectifs"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    programme = ProgrammeChoiceField(
        label=_("Programme concerté"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Aucun pour l'instant"),
        help_text=_("Le programme pluriannuel du territoire dans lequel le projet s'inscrit."),
    )
    start_date = forms.DateField(label=_("Début prévu"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Fin prévue"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_partnerships = partnerships_open_to_new_projects(user)
        partnership_field = self.fields["partnership"]
        programme_field = self.fields["programme"]
        assert isinstance(partnership_field, forms.ModelChoiceField)
        assert isinstance(programme_field, forms.ModelChoiceField)
        partnership_field.queryset = open_partnerships.select_related("partner").order_by(
            "partner__name"
        )
        programme_field.queryset = (
            Programme.objects.filter(partnership__in=open_partnerships.values("pk"))
            .select_related("partnership__partner")
            .order_by("partnership__partner__name", "-start_date")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partnership, programme = data.get("partnership"), data.get("programme")
        if partnership and programme and programme.partnership_id != partnership.pk:
            self.add_error("programme", _("Ce programme n'appartient pas au partenariat choisi."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin prévue précède le début prévu."))
        return data


class ProjectEditForm(RevisionForm):
    """Title, summary and objectives in the four content languages, programme and dates."""

    programme = ProgrammeChoiceField(
        label=_("Programme concerté"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Aucun"),
    )
    start_date = forms.DateField(label=_("Début prévu"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Fin prévue"), required=False, widget=DateInput())

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        initial: dict[str, Any] = cls.revision_initial(obj) | {
            "programme": obj.programme_id,
            "start_date": obj.start_date,
            "end_date": obj.end_date,
        }
        for code, _name, _direction in CONTENT_LANGUAGES:
            for field in ("title", "summary", "objectives"):
                initial[f"{field}_{code}"] = getattr(obj, f"{field}_{code}") or ""
        return initial

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs["initial"] = self.initial_from(project)
        super().__init__(*args, **kwargs)
        self.project = project
        programme_field = self.fields["programme"]
        assert isinstance(programme_field, forms.ModelChoiceField)
        programme_field.queryset = Programme.objects.filter(
            partnership_id=project.partnership_id
        ).select_related("partnership__partner")
        for code, _name, direction in CONTENT_LANGUAGES:
            attrs = {"lang": code, "dir": direction}
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Titre"),
                max_length=255,
                required=code == "fr",
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Résumé"),
                required=False,
                widget=forms.Textarea(attrs={**attrs, "rows": 4}),
            )
            self.fields[f"objectives_{code}"] = forms.CharField(
                label=_("Objectifs"),
                required=False,
                widget=forms.Textarea(attrs={**attrs, "rows": 4}),
            )

    def language_groups(self) -> list[tuple[str, str, str, list[forms.BoundField]]]:
        return [
            (
                code,
                name,
                direction,
                [self[f"{field}_{code}"] for field in ("title", "summary", "objectives")],
            )
            for code, name, direction in CONTENT_LANGUAGES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin prévue précède le début prévu."))
        return data

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the project's, for `services.update_project`."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "revision"}


class TaggedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # A theme or code with no text in the reader's language shows in French, marked so.
        return marked_french(obj, str(obj))


class ProjectTagsForm(RevisionForm):
    themes = TaggedChoiceField(
        label=_("Thèmes prioritaires de la charte"),
        required=False,
        queryset=engine.themes().none(),
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = TaggedChoiceField(
        label=_("Cibles des objectifs de développement durable"),
        required=False,
        queryset=SdgTarget.objects.none(),
        help_text=_("Plusieurs choix possibles (Ctrl ou Cmd + clic)."),
    )
    purpose_codes = TaggedChoiceField(
        label=_("Codes-objet CAD (secteurs)"),
        required=False,
        queryset=PurposeCode.objects.none(),
        help_text=_("Plusieurs choix possibles (Ctrl ou Cmd + clic)."),
    )
    locations = TaggedChoiceField(
        label=_("Lieux"),
        required=False,
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    services = TaggedChoiceField(
        label=_("Services de la collectivité impliqués"),
        required=False,
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    elected_officials = TaggedChoiceField(
        label=_("Élus impliqués"),
        required=False,
        queryset=ElectedOfficial.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return cls.revision_initial(obj) | {
            name: list(getattr(obj, name).all())
            for name in (
                "themes",
                "sdg_targets",
                "purpose_codes",
                "locations",
                "services",
                "elected_officials",
            )
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs["initial"] = self.initial_from(project)
        super().__init__(*args, **kwargs)
        country_id = project.partnership.territory.country_id
        querysets = {
            "themes": engine.themes(),
            "sdg_targets": SdgTarget.objects.filter(is_active=True).order_by("position", "code"),
            "purpose_codes": PurposeCode.objects.filter(is_active=True).order_by("code"),
            "locations": Territory.objects.filter(country_id=country_id).select_related("country"),
            "services": Service.objects.all(),
            "elected_officials": ElectedOfficial.objects.all(),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choisissez une décision : mettre en œuvre, ajuster, rejeter ou concevoir un "
                "autre projet."
            )
        },
    )
    rationale = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pourquoi cette décision, au vu du diagnostic partagé."),
        error_messages={"required": _("La motivation de la décision est obligatoire.")},
    )
    deliberation_reference = forms.CharField(
        label=_("Référence de la délibération"),
        required=False,
        max_length=120,
        help_text=_("Par exemple : CP 2025-04-12 n° 37."),
    )
    new_title = forms.CharField(
        label=_("Titre du nouveau projet"),
        required=False,
        max_length=255,
        help_text=_(
            "Seulement pour « concevoir un autre projet » : le nouveau projet reprend le "
            "diagnostic."
        ),
    )
