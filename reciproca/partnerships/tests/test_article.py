"""An organisation's French article is stored on it, guessed from its name when it is
registered, chosen among the known articles, edited in the admin and used by every sentence."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from reciproca.core.exceptions import DomainError
from reciproca.core.language import au, du, le
from reciproca.partnerships import services
from reciproca.partnerships.models import Organisation, guess_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "article"),
    [
        ("Département de l'Isère", "le"),
        ("Wilaya de Constantine", "la"),
        ("Région Souss-Massa", "la"),
        ("Union européenne", "l'"),
        ("Association Eau Vive Isère", "l'"),
        ("Gouvernorat de Bethléem", "le"),
        ("Hydro-Alpes Ingénierie", ""),
        ("La Poste", ""),
    ],
)
def test_the_article_is_guessed_from_the_first_word(name, article):
    assert guess_article(name) == article


def test_a_registered_organisation_gets_its_article_and_the_sentences_use_it(world):
    region = services.create_organisation(
        by=world.admin, name="Région Béni Mellal-Khénifra", kind=Organisation.Kind.PARTNER_AUTHORITY
    )
    assert region.article == "la"
    union = services.create_organisation(
        by=world.admin, name="Commission", kind=Organisation.Kind.EU, article="la"
    )
    with translation.override("fr"):
        assert le(region) == "la Région Béni Mellal-Khénifra"
        assert du(union) == "de la Commission"
        assert au(world.isere) == "au Département de l'Isère"
    with pytest.raises(DomainError):
        services.create_organisation(
            by=world.admin, name="Ville de Vienne", kind=Organisation.Kind.OTHER, article="el"
        )


def test_the_admin_edits_the_article(admin_client, world):
    page = admin_client.get(
        reverse("admin:partnerships_organisation_change", args=[world.constantine.pk])
    )
    assert page.status_code == 200
    assert 'name="article"' in page.content.decode()
