"""Administrators browse countries and territories, correct territories, and never rewrite a
stored territory code."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from reciproca.territories.models import Country, Territory, TerritorySuccession

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    """Countries and partner territories: loaded once per session by the test plugin."""


@pytest.mark.parametrize("model", [Country, Territory, TerritorySuccession], ids=str)
def test_admin_lists_and_shows_each_model(admin_client, loaded, model):
    name = model._meta.model_name
    assert admin_client.get(reverse(f"admin:territories_{name}_changelist")).status_code == 200
    obj = model.objects.first()
    page = admin_client.get(reverse(f"admin:territories_{name}_change", args=[obj.pk]))
    assert page.status_code == 200


def test_admin_finds_a_territory_by_code_or_name(admin_client, loaded):
    url = reverse("admin:territories_territory_changelist")
    assert "Tadla-Azilal" in admin_client.get(url, {"q": "MA-12"}).content.decode()
    assert "MA-13" in admin_client.get(url, {"q": "Souss-Massa-Drâa"}).content.decode()


def test_a_stored_code_is_read_only(admin_client, loaded):
    territory = Territory.objects.get(iso_code="PS-BTH")
    page = admin_client.get(reverse("admin:territories_territory_change", args=[territory.pk]))
    assert 'name="iso_code"' not in page.content.decode()
    assert 'name="valid_from"' in page.content.decode()


def test_countries_cannot_be_added(admin_client, loaded):
    assert admin_client.get(reverse("admin:territories_country_add")).status_code == 403


def test_an_administrator_adds_a_partner_commune(admin_client, loaded):
    senegal = Country.objects.get(iso2="SN")
    response = admin_client.post(
        reverse("admin:territories_territory_add"),
        {
            "name_fr": "Commune de Kédougou",
            "name_en": "Kédougou",
            "name_ar": "",
            "name_hy": "",
            "country": senegal.pk,
            "kind": Territory.Kind.MUNICIPALITY,
            "iso_code": "",
            "valid_from": "2014-06-29",
            "valid_until": "",
            "parent": "",
            "note": "",
            "successions_out-TOTAL_FORMS": "0",
            "successions_out-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commune = Territory.objects.get(name_fr="Commune de Kédougou")
    assert commune.valid_from == date(2014, 6, 29)
