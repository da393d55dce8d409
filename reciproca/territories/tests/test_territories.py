"""Territories change: a territory has a validity period and successors, and a code is never
stored without its period (charter clause PRE-2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from reciproca.territories.loaders import (
    TerritoryDataError,
    load_countries,
    load_territories,
)
from reciproca.territories.models import Country, Territory, TerritorySuccession
from reciproca.territories.queries import current_successors, territory_at

pytestmark = [pytest.mark.django_db, pytest.mark.charter("PRE-2")]


@pytest.fixture
def territories(no_reference):
    # From empty tables: the session's reference data is cleared for this test.
    load_countries()
    return load_territories()


def by_code(code: str) -> Territory:
    return Territory.objects.get(iso_code=code)


def test_countries_come_from_iso_3166_with_french_names(territories):
    assert Country.objects.count() == 249
    algeria = Country.objects.get(iso2="DZ")
    assert algeria.name == "Algérie"
    assert algeria.iso3 == "DZA"
    with translation.override("en"):
        assert algeria.name == "Algeria"
    with translation.override("ar"):
        assert algeria.name == "الجزائر"
    with translation.override("hy"):
        assert Country.objects.get(iso2="AM").name == "Հայաստան"


def test_every_partner_territory_is_loaded(territories):
    codes = set(Territory.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    assert {"FR-38", "DZ-25", "AM-GR", "MA-12", "MA-13", "SN-KE", "SN-TC", "PS-BTH"} <= codes
    assert by_code("PS-BTH").name == "Bethléem"
    assert by_code("AM-GR").kind == Territory.Kind.MARZ
    assert by_code("DZ-25").kind == Territory.Kind.WILAYA


def test_isere_is_in_auvergne_rhone_alpes_which_succeeded_rhone_alpes(territories):
    isere = Territory.objects.select_related("parent").get(iso_code="FR-38")
    assert isere.parent is not None and isere.parent.iso_code == "FR-ARA"
    rhone_alpes = by_code("FR-V")
    assert rhone_alpes.valid_until == date(2015, 12, 31)
    [successor] = current_successors(rhone_alpes)
    assert successor.territory.iso_code == "FR-ARA"
    assert successor.is_legal_successor


def test_kedougou_department_has_no_code_and_sits_in_the_region(territories):
    department = Territory.objects.select_related("parent").get(
        kind=Territory.Kind.DEPARTMENT, country__iso2="SN"
    )
    assert department.iso_code == ""
    assert department.parent is not None and department.parent.iso_code == "SN-KE"
    assert "vérifier" in department.note


def test_a_code_means_the_territory_that_held_it_on_that_date(territories):
    tadla_azilal = territory_at("MA-12", date(2010, 1, 1))
    assert tadla_azilal is not None
    assert tadla_azilal.name == "Tadla-Azilal"
    # Since 2019 ISO gives MA-12 to Dakhla-Oued Ed-Dahab, which is not in our list.
    assert territory_at("MA-12", date(2020, 1, 1)) is None
    # MA-05 was Fès-Boulemane's code before the reform: not Béni Mellal-Khénifra.
    assert territory_at("MA-05", date(2010, 1, 1)) is None
    reborn = territory_at("ma-05", date(2020, 1, 1))
    assert reborn is not None and reborn.name == "Béni Mellal-Khénifra"


def test_a_code_can_be_reused_by_a_later_territory(territories):
    morocco = Country.objects.get(iso2="MA")
    dakhla = Territory.objects.create(
        name="Dakhla-Oued Ed-Dahab",
        country=morocco,
        kind=Territory.Kind.REGION,
        iso_code="MA-12",
        valid_from=date(2015, 9, 4),
    )
    earlier = territory_at("MA-12", date(2010, 1, 1))
    assert earlier is not None and earlier.name == "Tadla-Azilal"
    assert territory_at("MA-12", date(2020, 1, 1)) == dakhla


def test_a_code_is_never_stored_without_its_period(territories):
    morocco = Country.objects.get(iso2="MA")
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(
            name="Sans date", country=morocco, kind=Territory.Kind.REGION, iso_code="MA-99"
        )


def test_two_territories_cannot_hold_a_code_at_the_same_time(territories):
    overlapping = Territory(
        name="Chevauchement",
        country=Country.objects.get(iso2="MA"),
        kind=Territory.Kind.REGION,
        iso_code="MA-12",
        valid_from=date(2010, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "iso_code" in error.value.message_dict


def test_souss_massa_draa_split_with_souss_massa_as_legal_successor(territories):
    successors = current_successors(by_code("MA-13"))
    assert [(s.territory.name, s.is_legal_successor) for s in successors] == [
        ("Souss-Massa", True),
        ("Drâa-Tafilalet", False),
    ]


def test_tadla_azilal_leads_to_beni_mellal_khenifra(territories):
    [successor] = current_successors(by_code("MA-12"))
    assert successor.territory.iso_code == "MA-05"
    assert successor.is_legal_successor


def test_a_current_territory_is_its_own_current_successor(territories):
    constantine = by_code("DZ-25")
    assert [s.territory for s in current_successors(constantine)] == [constantine]


def test_successions_are_followed_over_several_generations(territories, django_assert_num_queries):
    # A fictitious later reform: Souss-Massa itself merged into a new region in 2030.
    souss_massa = by_code("MA-09")
    souss_massa.valid_until = date(2029, 12, 31)
    souss_massa.save()
    later = Territory.objects.create(
        name="Grand Sud",
        country=souss_massa.country,
        kind=Territory.Kind.REGION,
        iso_code="MA-99",
        valid_from=date(2030, 1, 1),
    )
    TerritorySuccession.objects.create(
        predecessor=souss_massa,
        successor=later,
        effective_date=date(2030, 1, 1),
        kind=TerritorySuccession.Kind.MERGED,
        is_legal_successor=True,
    )
    origin = by_code("MA-13")
    with django_assert_num_queries(2):
        successors = current_successors(origin, on_date=date(2031, 1, 1))
    assert [(s.territory.name, s.is_legal_successor) for s in successors] == [
        ("Grand Sud", True),
        ("Drâa-Tafilalet", False),
    ]
    # Before the fictitious reform, the chain stops at today's regions.
    assert [s.territory.name for s in current_successors(origin, on_date=date(2020, 1, 1))] == [
        "Souss-Massa",
        "Drâa-Tafilalet",
    ]


def test_loading_twice_changes_nothing(territories):
    counts = (Territory.objects.count(), TerritorySuccession.objects.count())
    second = load_territories()
    assert (second.territories.created, second.territories.updated) == (0, 0)
    assert (second.successions.created, second.successions.updated) == (0, 0)
    assert (Territory.objects.count(), TerritorySuccession.objects.count()) == counts
    assert load_countries().updated == 0


def test_the_loader_refuses_two_holders_of_a_code_at_once(tmp_path: Path, no_reference):
    load_countries()
    path = tmp_path / "territories.yaml"
    path.write_text(
        """
territories:
  - {iso_code: MA-12, country: MA, kind: REGION, name: {fr: A}, valid_from: 1997-01-01}
  - {iso_code: MA-12, country: MA, kind: REGION, name: {fr: B}, valid_from: 2019-01-01}
""",
        encoding="utf-8",
    )
    with pytest.raises(TerritoryDataError, match="MA-12"):
        load_territories(path)
    assert not Territory.objects.exists()


def test_the_loader_refuses_a_code_without_a_start_date(tmp_path: Path, no_reference):
    load_countries()
    path = tmp_path / "territories.yaml"
    path.write_text(
        "territories:\n  - {iso_code: MA-05, country: MA, kind: REGION, name: {fr: X}}\n",
        encoding="utf-8",
    )
    with pytest.raises(TerritoryDataError, match="date de début"):
        load_territories(path)


def test_the_loader_refuses_a_file_that_contradicts_a_stored_territory(territories):
    # Someone recorded, by hand, another holder of MA-13 during Souss-Massa-Drâa's period.
    Territory.objects.create(
        name="Saisie erronée",
        country=Country.objects.get(iso2="MA"),
        kind=Territory.Kind.REGION,
        iso_code="MA-13",
        valid_from=date(2010, 1, 1),
    )
    with pytest.raises(TerritoryDataError, match="MA-13"):
        load_territories()
