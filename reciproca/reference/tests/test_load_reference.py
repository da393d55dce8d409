"""`reciproca load_reference` fills the codelists from the official files, in French first,
and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from reciproca.reference import models
from reciproca.territories.models import Country, Territory, TerritorySuccession

ALL_MODELS = (
    models.SdgGoal,
    models.SdgTarget,
    models.PurposeCategory,
    models.PurposeCode,
    models.PolicyMarker,
    models.PolicySignificance,
    models.OrganisationType,
    models.Currency,
    models.OrganisationRole,
    Country,
    Territory,
    TerritorySuccession,
)


def run_load_reference() -> str:
    out = StringIO()
    call_command("load_reference", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def loaded(no_reference) -> str:
    # A first load, into tables emptied for this test (the session loaded them already).
    return run_load_reference()


@pytest.mark.django_db
def test_reports_a_count_per_list(loaded):
    assert "Objectifs ODD : 17" in loaded
    assert "Cibles ODD : 169" in loaded
    assert "Codes-objet CAD : 325" in loaded
    assert "Pays : 249" in loaded
    assert "Territoires : 14" in loaded


@pytest.mark.django_db
def test_sdgs_have_17_goals_and_169_targets_in_french(loaded):
    assert models.SdgGoal.objects.count() == 17
    assert models.SdgTarget.objects.count() == 169

    target = models.SdgTarget.objects.select_related("goal").get(code="16.7")
    assert target.goal.code == "16"
    assert target.name.startswith("Faire en sorte que le dynamisme")
    assert "prise de décisions" in target.name
    with translation.override("en"):
        assert target.name.startswith("Ensure responsive, inclusive")


@pytest.mark.django_db
def test_sdg_targets_come_in_the_official_order(loaded):
    codes = list(models.SdgTarget.objects.filter(goal__code="1").values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    goals = list(models.SdgGoal.objects.values_list("code", flat=True)[:11])
    assert goals == [str(n) for n in range(1, 12)]


@pytest.mark.django_db
def test_purpose_codes_have_french_names_and_their_category(loaded):
    code = models.PurposeCode.objects.select_related("category").get(code="15150")
    assert code.name == "Participation démocratique et société civile"
    assert code.category.code == "151"
    assert code.is_active
    # No French in Sector.xml for 15120: the name comes from the codeforIATI translation.
    assert (
        models.PurposeCode.objects.get(code="15120").name == "Gestion financière du secteur public"
    )


@pytest.mark.django_db
def test_withdrawn_codes_are_kept_but_inactive(loaded):
    withdrawn = models.PurposeCode.objects.get(code="11321")
    assert not withdrawn.is_active
    assert models.PurposeCode.objects.filter(is_active=False).count() == 30
    assert not models.Currency.objects.filter(is_active=False).filter(code="EUR").exists()


@pytest.mark.django_db
def test_policy_markers_include_desertification(loaded):
    marker = models.PolicyMarker.objects.get(code="8")
    assert "désertification" in marker.name
    # No official French for marker 11 nor for significance levels: Reciproca's own French
    # (data/supplements/fr.json) fills the French slot; English stays in the English one.
    disability = models.PolicyMarker.objects.get(code="11")
    assert disability.name == "Inclusion et autonomisation des personnes handicapées"
    with translation.override("en"):
        assert disability.name == "Disability"
    assert models.PolicySignificance.objects.get(code="1").name == "objectif significatif"
    assert list(models.PolicySignificance.objects.values_list("code", flat=True)) == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]


@pytest.mark.django_db
def test_the_partners_currencies_exist_with_french_names(loaded):
    codes = ["XOF", "MAD", "DZD", "AMD", "ILS", "JOD", "EUR", "USD"]
    currencies = {c.code: c for c in models.Currency.objects.filter(code__in=codes)}
    assert sorted(currencies) == sorted(codes)
    assert all(c.is_active for c in currencies.values())
    assert currencies["XOF"].name == "Franc CFA (BCEAO)"
    assert currencies["MAD"].name == "Dirham marocain"


@pytest.mark.django_db
def test_organisation_roles_and_types(loaded):
    assert models.OrganisationRole.objects.get(code="4").name == "Mise en œuvre"
    # French for "Local Government" is missing in the XML, given by the translation file.
    assert models.OrganisationType.objects.get(code="11").name == "Gouvernement local"


@pytest.mark.django_db
def test_a_second_run_changes_nothing(loaded):
    counts = {model: model.objects.count() for model in ALL_MODELS}
    second = run_load_reference()
    assert {model: model.objects.count() for model in ALL_MODELS} == counts
    assert "ajouts" not in second and "modifications" not in second
    for model in (models.PurposeCode, models.SdgTarget, models.Currency):
        assert model.objects.values("code").distinct().count() == model.objects.count()


@pytest.mark.django_db
def test_a_reload_restores_official_text_and_keeps_missing_translations(loaded):
    # French exists in the source: an edit is undone by the next load.
    models.PolicyMarker.objects.filter(code="8").update(name_fr="modifié à la main")
    # No French in the source: an administrator's translation survives.
    models.PolicySignificance.objects.filter(code="1").update(name_fr="objectif significatif")
    models.PolicySignificance.objects.filter(code="2").update(name_hy="հիմնական նպատակ")

    output = run_load_reference()

    assert "Marqueurs CAD : 12 (modifications : 1)" in output
    assert "désertification" in models.PolicyMarker.objects.get(code="8").name
    significance = models.PolicySignificance.objects.get(code="1")
    assert significance.name == "objectif significatif"
    principal = models.PolicySignificance.objects.get(code="2")
    assert getattr(principal, "name_hy") == "հիմնական նպատակ"


@pytest.mark.django_db
def test_the_load_costs_a_bounded_number_of_queries(no_reference, django_assert_max_num_queries):
    # Bulk writes: the count depends on the number of lists, not on their 1,000+ rows.
    with django_assert_max_num_queries(75):
        run_load_reference()
