"""Forms of the finance pages; they only shape input, the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reciproca.core.forms import RevisionForm
from reciproca.finance import calls
from reciproca.finance.models import (
    CURRENCY_CHOICES,
    AgeBand,
    BudgetCategory,
    DeclarationProfile,
    Exchange,
    FundingSearch,
    PartnerRevenue,
    Sex,
    SourceKind,
    SourceStatus,
    Transaction,
)
from reciproca.partnerships.models import Organisation, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=1980, max_value=2100)
    category = forms.ChoiceField(label=_("Catégorie"), choices=BudgetCategory.choices)
    label = forms.CharField(label=_("Intitulé"), required=False, max_length=255)
    amount = forms.DecimalField(label=_("Montant"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Devise"), choices=CURRENCY_CHOICES, initial="EUR")
    reason = forms.CharField(label=_("Motif (facultatif)"), required=False, max_length=500)


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=Transaction.Kind.choices)
    value_date = forms.DateField(label=_("Date de valeur"), widget=DATE)
    amount = forms.DecimalField(label=_("Montant"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Devise"), choices=CURRENCY_CHOICES, initial="EUR")
    category = forms.ChoiceField(
        label=_("Catégorie"), choices=[("", "—"), *BudgetCategory.choices], required=False
    )
    description = forms.CharField(label=_("Objet"), max_length=255)
    host_funds = forms.BooleanField(
        label=_("Sur fonds propres de la collectivité"), required=False, initial=True
    )
    document = forms.FileField(
        label=_("Pièce justificative (PDF, PNG ou JPEG)"),
        required=False,
        help_text=_("Le contenu du fichier est vérifié ; 10 Mo au plus."),
    )


class FundingSourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Origine"), choices=SourceKind.choices)
    label = forms.CharField(label=_("Intitulé"), max_length=255)
    amount = forms.DecimalField(label=_("Montant"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Devise"), choices=CURRENCY_CHOICES, initial="EUR")
    status = forms.ChoiceField(label=_("Statut"), choices=SourceStatus.choices)
    in_kind = forms.BooleanField(label=_("Apport en nature"), required=False)
    call = forms.ChoiceField(label=_("Appel à projets"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["call"]).choices = [("", "—"), *calls.choices()]


class PlanForm(RevisionForm):
    """The funding plan's rates date and notes; its revision is the plan's (0: none yet)."""

    rates_date = forms.DateField(
        label=_("Convertir aux taux du"),
        widget=DATE,
        help_text=_("Les montants en devises sont convertis en euros aux taux de cette date."),
    )
    notes = forms.CharField(label=_("Remarques"), required=False, widget=forms.Textarea)

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        if obj is None:
            return cls.revision_initial(None)
        return cls.revision_initial(obj) | {"rates_date": obj.rates_date, "notes": obj.notes}


class RateForm(forms.Form):
    currency = forms.ChoiceField(
        label=_("Devise"), choices=[c for c in CURRENCY_CHOICES if c[0] != "EUR"]
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    rate = forms.DecimalField(
        label=_("Unités pour 1 EUR"), min_value=0, max_digits=18, decimal_places=6
    )
    source = forms.CharField(label=_("Source"), max_length=255)


class RatesFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des taux"),
        help_text=_("Colonnes : currency,date,rate,source ; tout ou rien."),
    )


class RevenueForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation partenaire"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label=_("Année"), min_value=1980, max_value=2100)
    kind = forms.ChoiceField(label=_("Nature"), choices=PartnerRevenue.Kind.choices)
    label = forms.CharField(label=_("Origine"), max_length=255)
    amount = forms.DecimalField(label=_("Montant"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Devise"), choices=CURRENCY_CHOICES)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ExchangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=Exchange.Kind.choices)
    direction = forms.ChoiceField(label=_("Sens"), choices=Exchange.Direction.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=255)
    start_date = forms.DateField(label=_("Du"), widget=DATE)
    end_date = forms.DateField(label=_("Au"), widget=DATE)
    place = forms.CharField(label=_("Lieu"), max_length=255, required=False)
    competences = forms.CharField(label=_("Compétences partagées"), widget=forms.Textarea)
    benefits_partner = forms.CharField(
        label=_("Bénéfices pour le partenaire"), widget=forms.Textarea
    )
    benefits_host = forms.CharField(label=_("Bénéfices pour l'Isère"), widget=forms.Textarea)
    objectives = forms.MultipleChoiceField(
        label=_("Objectifs de la charte servis"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, objectives: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["objectives"]).choices = objectives
        for sex, sex_label in Sex.choices:
            for age, age_label in AgeBand.choices:
                self.fields[f"p_{sex}_{age}"] = forms.IntegerField(
                    label=f"{sex_label}, {age_label}", min_value=0, initial=0, required=False
                )

    def participants(self) -> dict[tuple[str, str], int]:
        return {
            (sex, age): int(self.cleaned_data.get(f"p_{sex}_{age}") or 0)
            for sex in Sex.values
            for age in AgeBand.values
        }

    def participant_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("p_")]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("p_")]


class StaffTimeForm(forms.Form):
    staff_member = forms.CharField(label=_("Agent"), max_length=255)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.all(), required=False
    )
    skills = forms.CharField(label=_("Compétences mobilisées"), max_length=255)
    mission = forms.CharField(label=_("Mission"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Année"), min_value=1980, max_value=2100)
    days = forms.DecimalField(label=_("Jours"), min_value=0, max_digits=6, decimal_places=1)
    daily_rate = forms.DecimalField(
        label=_("Coût journalier (EUR)"), min_value=0, max_digits=10, decimal_places=2
    )


class SponsorshipForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Entreprise"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.COMPANY),
    )
    employee = forms.CharField(label=_("Salarié"), max_length=255)
    skills = forms.CharField(label=_("Compétences"), max_length=255, required=False)
    start_date = forms.DateField(label=_("Du"), widget=DATE)
    end_date = forms.DateField(label=_("Au"), widget=DATE)
    days = forms.DecimalField(label=_("Jours"), min_value=0, max_digits=6, decimal_places=1)
    daily_cost = forms.DecimalField(
        label=_("Coût journalier (salaire et charges, EUR)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    receipt_number = forms.CharField(label=_("Reçu fiscal"), max_length=80, required=False)


class DeclarationProfileForm(forms.Form):
    channel_code = forms.CharField(
        label=_("Canal (CRS)"),
        max_length=5,
        help_text=_("Code CRS à cinq chiffres, par exemple 11004."),
    )
    aid_type = forms.ChoiceField(label=_("Type d'aide"), choices=DeclarationProfile.AidType.choices)
    action_type = forms.ChoiceField(
        label=_("Type d'action"), choices=DeclarationProfile.ActionType.choices
    )


class FundingSearchForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation partenaire"), queryset=Organisation.objects.none()
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    funder = forms.CharField(label=_("Bailleur sollicité"), max_length=255)
    amount = forms.DecimalField(
        label=_("Montant sollicité"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    currency = forms.ChoiceField(label=_("Devise"), choices=CURRENCY_CHOICES)
    outcome = forms.ChoiceField(label=_("Issue"), choices=FundingSearch.Outcome.choices)
    notes = forms.CharField(label=_("Remarques"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
