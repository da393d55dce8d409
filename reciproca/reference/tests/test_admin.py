"""Administrators browse and search the codelists; nobody adds, deletes or recodes a code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.reference import models

CODELISTS = [
    models.SdgGoal,
    models.SdgTarget,
    models.PurposeCategory,
    models.PurposeCode,
    models.PolicyMarker,
    models.PolicySignificance,
    models.OrganisationType,
    models.Currency,
    models.OrganisationRole,
]


@pytest.fixture
def loaded(db):
    """The codelists: loaded once per session by the test plugin (reciproca.testing)."""


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:reference_{model._meta.model_name}_{action}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CODELISTS, ids=lambda m: m.__name__)
def test_admin_lists_and_shows_each_codelist(admin_client, loaded, model):
    obj = model.objects.order_by("position").first()
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    page = admin_client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()  # the code is shown, not editable


@pytest.mark.django_db
def test_admin_searches_by_code_and_french_name(admin_client, loaded):
    url = admin_url(models.PurposeCode, "changelist")
    assert "15150" in admin_client.get(url, {"q": "15150"}).content.decode()
    page = admin_client.get(url, {"q": "société civile"}).content.decode()
    assert "15150" in page


@pytest.mark.django_db
def test_admin_cannot_add_or_delete_a_code(admin_client, loaded):
    marker = models.PolicyMarker.objects.get(code="8")
    assert admin_client.get(admin_url(models.PolicyMarker, "add")).status_code == 403
    assert admin_client.get(admin_url(models.PolicyMarker, "delete", marker.pk)).status_code == 403


@pytest.mark.django_db
def test_admin_saves_a_translation_but_not_a_code(admin_client, loaded):
    significance = models.PolicySignificance.objects.get(code="1")
    response = admin_client.post(
        admin_url(models.PolicySignificance, "change", significance.pk),
        {
            "code": "99",
            "name_fr": "objectif significatif",
            "name_en": "significant objective",
            "name_ar": "",
            "name_hy": "",
            "description_fr": "",
            "description_en": getattr(significance, "description_en"),
            "description_ar": "",
            "description_hy": "",
        },
    )
    assert response.status_code == 302
    significance.refresh_from_db()
    assert significance.code == "1"
    assert getattr(significance, "name_fr") == "objectif significatif"
