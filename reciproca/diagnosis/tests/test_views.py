"""The diagnosis pages: who sees what (404 outside one's scope, 403 without edit rights, 405
for the wrong method), forms that work without JavaScript, and the matrix cell edited in place
with HTMX."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from reciproca.diagnosis import services
from reciproca.diagnosis.models import (
    Alternative,
    DiagnosisSignOff,
    Dimension,
    Direction,
    ImpactCell,
    ImpactResponse,
    Need,
    Side,
)
from reciproca.projects import services as project_services

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def objects(completed, world):
    """A need, a negative cell with its response, the alternative, an assessment of Alice."""
    diagnosis = completed.diagnosis
    return {
        "need": Need.objects.filter(diagnosis=diagnosis).first(),
        "cell": ImpactCell.objects.filter(
            diagnosis=diagnosis, direction=Direction.NEGATIVE
        ).first(),
        "response": ImpactResponse.objects.filter(cell__diagnosis=diagnosis).first(),
        "alternative": Alternative.objects.filter(diagnosis=diagnosis).first(),
        "assessment": diagnosis.assessments.filter(assessor=world.officer).first(),
    }


def read_urls(project, objects):
    pk = project.pk
    return [
        reverse("diagnosis:overview", args=[pk]),
        reverse("diagnosis:matrix_proposal", args=[pk]),
        reverse("diagnosis:matrix", args=[pk, objects["alternative"].pk]),
        reverse("diagnosis:compare", args=[pk]),
        reverse("diagnosis:grid_proposal", args=[pk]),
        reverse("diagnosis:grid", args=[pk, objects["alternative"].pk]),
        reverse("diagnosis:versions", args=[pk]),
        reverse("diagnosis:conformity", args=[pk]),
        reverse("diagnosis:cell", args=[pk, "proposition", "partner", "social", "direct", "short"])
        + "?vue=case",
    ]


def edit_urls(project, objects):
    pk = project.pk
    return [
        reverse("diagnosis:need_create", args=[pk]),
        reverse("diagnosis:need_edit", args=[pk, objects["need"].pk]),
        reverse("diagnosis:cell", args=[pk, "proposition", "partner", "social", "direct", "short"]),
        reverse("diagnosis:response_create", args=[pk, objects["cell"].pk]),
        reverse("diagnosis:response_edit", args=[pk, objects["response"].pk]),
        reverse("diagnosis:alternative_create", args=[pk]),
        reverse("diagnosis:alternative_edit", args=[pk, objects["alternative"].pk]),
        reverse("diagnosis:reversibility", args=[pk]),
        reverse("diagnosis:involvement", args=[pk]),
    ]


def post_only_urls(project, objects):
    pk = project.pk
    return [
        reverse("diagnosis:need_delete", args=[pk, objects["need"].pk]),
        reverse("diagnosis:response_delete", args=[pk, objects["response"].pk]),
        reverse("diagnosis:alternative_delete", args=[pk, objects["alternative"].pk]),
        reverse("diagnosis:assessment_delete", args=[pk, objects["assessment"].pk]),
        reverse("diagnosis:sign_off", args=[pk]),
        reverse("diagnosis:withdraw_sign_off", args=[pk]),
    ]


def test_anonymous_is_sent_to_login(completed, objects, client):
    for url in read_urls(completed, objects) + edit_urls(completed, objects):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], url


def test_outsiders_and_other_partners_get_404(completed, objects, client, world):
    for user in (world.outsider, world.bethlehem_editor):
        client.force_login(user)
        for url in read_urls(completed, objects) + edit_urls(completed, objects):
            assert client.get(url).status_code == 404, url
        for url in post_only_urls(completed, objects):
            assert client.post(url).status_code == 404, url


def test_unknown_objects_and_coordinates_are_404(completed, client, world):
    client.force_login(world.officer)
    pk = completed.pk
    assert client.get(reverse("diagnosis:overview", args=[999999])).status_code == 404
    assert client.get(reverse("diagnosis:matrix", args=[pk, 999999])).status_code == 404
    assert client.get(reverse("diagnosis:matrix", args=[pk, "autre"])).status_code == 404
    assert (
        client.get(
            reverse("diagnosis:cell", args=[pk, "proposition", "mars", "social", "direct", "short"])
        ).status_code
        == 404
    )
    assert client.get(reverse("diagnosis:need_edit", args=[pk, 999999])).status_code == 404


def test_an_object_of_another_project_is_404(completed, objects, client, world):
    other = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Autre projet"
    )
    client.force_login(world.officer)
    assert (
        client.get(reverse("diagnosis:need_edit", args=[other.pk, objects["need"].pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("diagnosis:response_delete", args=[other.pk, objects["response"].pk])
        ).status_code
        == 404
    )


@pytest.mark.charter("PRI-1")
def test_readers_read_every_page_but_cannot_change_anything(completed, objects, client, world):
    for user in (world.constantine_reader, world.elected):
        client.force_login(user)
        for url in read_urls(completed, objects):
            assert client.get(url).status_code == 200, url
        page = text(client.get(reverse("diagnosis:overview", args=[completed.pk])))
        assert "Valider le diagnostic" not in page
        assert "Ajouter un besoin" not in page
        for url in edit_urls(completed, objects):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url
        for url in post_only_urls(completed, objects):
            assert client.post(url).status_code == 403, url
    assert Need.objects.filter(pk=objects["need"].pk).exists()


def test_wrong_methods_are_405(completed, objects, client, world):
    client.force_login(world.officer)
    for url in post_only_urls(completed, objects):
        assert client.get(url).status_code == 405, url
    for url in read_urls(completed, objects)[:2]:
        assert client.post(url).status_code == 405, url
    assert client.delete(reverse("diagnosis:need_create", args=[completed.pk])).status_code == 405


@pytest.mark.charter("PRI-1")
def test_the_partner_editor_uses_every_form(completed, objects, client, world):
    client.force_login(world.constantine_editor)
    pk = completed.pk
    for url in edit_urls(completed, objects) + read_urls(completed, objects):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("diagnosis:need_create", args=[pk]),
        {
            "side": "PARTNER", "title": "Assainissement", "population_concerned": "Habitants",
            "evidence": "Enquête 2024.", "author_organisation": world.constantine.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert Need.objects.get(title="Assainissement").author_organisation == world.constantine
    response = client.post(
        reverse("diagnosis:response_create", args=[pk, objects["cell"].pk]),
        {"kind": "AVOID", "description": "Évacuation des déblais.",
         "owner_name": "Chef de chantier",
         "due_date": (timezone.localdate() + timedelta(days=10)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        reverse("diagnosis:grid", args=[pk, "proposition"]),
        {"score__climate": "2", "justification__climate": "Moins de pompage."},
    )
    assert response.status_code == 302
    assert (
        completed.diagnosis.assessments.get(
            assessor=world.constantine_editor, criterion_code="climate", alternative=None
        ).score
        == 2
    )
    response = client.post(reverse("diagnosis:sign_off", args=[pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert (
        DiagnosisSignOff.objects.get(organisation=world.constantine).signed_by
        == world.constantine_editor
    )


def test_a_form_error_is_shown_next_to_the_form(project, client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("diagnosis:need_create", args=[project.pk]),
        {"side": "PARTNER", "title": "Eau", "population_concerned": "Habitants", "evidence": "x",
         "author_organisation": world.bethlehem.pk},
    )  # fmt: skip
    assert response.status_code == 422
    response = client.post(
        reverse(
            "diagnosis:cell",
            args=[project.pk, "proposition", "host", "economic", "indirect", "long"],
        ),
        {"direction": "NEGATIVE", "justification": ""},
    )
    assert response.status_code == 422
    page = text(response)
    assert "Justifiez le sens de l'effet indiqué." in page
    assert "Le formulaire contient des erreurs" in page


def test_the_matrix_is_an_accessible_table(completed, client, world):
    client.force_login(world.officer)
    page = text(client.get(reverse("diagnosis:matrix_proposal", args=[completed.pk])))
    assert page.count('<table class="matrix">') == 2
    assert '<th scope="col">Court terme</th>' in page
    assert '<th scope="rowgroup" rowspan="2">Social</th>' in page
    assert '<th scope="row">Direct</th>' in page
    # A direction is a sign and a word, not a colour alone.
    assert '<span aria-hidden="true">▼</span> négatif' in page
    assert (
        'Modifier<span class="visually-hidden"> : Social, direct, moyen terme — Constantine</span>'
        in page
    )


def test_a_cell_is_edited_in_place_with_htmx(project, client, world):
    client.force_login(world.constantine_editor)
    url = reverse(
        "diagnosis:cell",
        args=[project.pk, "proposition", "partner", "cultural", "indirect", "long"],
    )
    form = client.get(url, **HTMX)
    assert form.status_code == 200
    fragment = text(form)
    assert fragment.startswith('<form class="cell-form"')
    assert "<legend>Culturel, indirect, long terme — Constantine</legend>" in fragment
    assert f'hx-post="{url}"' in fragment
    assert 'id="case-proposition-partner-cultural-indirect-long-direction_0"' in fragment

    invalid = client.post(url, {"direction": "POSITIVE", "justification": "x"}, **HTMX)
    assert invalid.status_code == 422
    assert "Indiquez l'ampleur de l'effet" in text(invalid)

    saved = client.post(
        url,
        {
            "direction": "POSITIVE",
            "magnitude": "2",
            "likelihood": "3",
            "justification": "Fête de l'eau.",
        },
        **HTMX,
    )
    assert saved.status_code == 200
    cell_html = text(saved)
    assert "<form" not in cell_html
    assert (
        "positif" in cell_html
        and "Fête de l'eau." in cell_html
        and "Case enregistrée." in cell_html
    )
    cell = ImpactCell.objects.get(dimension=Dimension.CULTURAL, side=Side.PARTNER)
    assert (cell.direction, cell.magnitude, cell.likelihood) == ("POSITIVE", 2, 3)
    assert cell.author_organisation == world.constantine

    cancel = client.get(url + "?vue=case", **HTMX)
    assert "Fête de l'eau." in text(cancel)


def test_without_javascript_the_cell_form_is_a_page(project, client, world):
    client.force_login(world.officer)
    url = reverse(
        "diagnosis:cell", args=[project.pk, "proposition", "host", "social", "direct", "short"]
    )
    page = client.get(url)
    assert page.status_code == 200 and "<!doctype html>" in page.content.decode()
    response = client.post(url, {"direction": "NONE", "justification": "Sans effet en Isère."})
    assert response.status_code == 302
    assert response["Location"].endswith("#case-proposition-host-social-direct-short")


def test_a_frozen_diagnosis_refuses_changes_with_the_reason(completed, client, world):
    services.sign_off_diagnosis(project=completed, by=world.officer)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    client.force_login(world.officer)
    response = client.get(reverse("diagnosis:need_create", args=[completed.pk]), follow=True)
    assert "Le diagnostic est figé : le projet a été soumis à la décision." in text(response)
    url = reverse(
        "diagnosis:cell", args=[completed.pk, "proposition", "host", "social", "direct", "short"]
    )
    refused = client.post(url, {"direction": "NONE", "justification": "x"}, **HTMX)
    assert refused.status_code == 422
    assert "Le diagnostic est figé" in text(refused)
    page = text(client.get(reverse("diagnosis:overview", args=[completed.pk])))
    assert "Valider le diagnostic" not in page
    assert "Le diagnostic est figé" in page


def test_overview_shows_each_part(completed, client, world):
    client.force_login(world.officer)
    page = text(client.get(reverse("diagnosis:overview", args=[completed.pk])))
    for expected in (
        "Validation par les partenaires",
        "Valider le diagnostic",
        "Avant la soumission à la décision",
        "Besoins identifiés ensemble",
        "Matrice des impacts de la proposition",
        "Réponses aux impacts négatifs",
        "Tri des déchets de chantier.",
        "Ne rien faire",
        "Chaque tranche de travaux est indépendante.",
        "Grille de développement durable",
        "Direction de l'environnement",
        "Mme la vice-présidente",
    ):
        assert expected in page, expected
    assert page.count('class="radar-series"') == 2


@pytest.mark.charter("PRJ-7")
def test_the_comparison_shows_every_option(completed, client, world):
    services.add_alternative(
        project=completed, by=world.constantine_editor, title="Camions-citernes en été"
    )
    client.force_login(world.constantine_reader)
    page = text(client.get(reverse("diagnosis:compare", args=[completed.pk])))
    for title in ("Proposition", "Ne rien faire", "Camions-citernes en été"):
        assert f'<th scope="col" class="num">{title}</th>' in page
    # The new alternative has no score yet: it is in the legend, not drawn as zeros.
    assert page.count('class="radar-series"') == 2
    assert "Camions-citernes en été (pas encore notée)" in page
    assert "Lutte contre le changement climatique" in page


@pytest.mark.charter("PRJ-7")
def test_the_comparison_says_when_no_alternative_exists(project, client, world):
    client.force_login(world.officer)
    page = text(client.get(reverse("diagnosis:compare", args=[project.pk])))
    assert "la charte demande d'en comparer au moins une" in page


@pytest.mark.charter("PRJ-13")
def test_the_services_and_elected_officials_are_edited_on_the_diagnosis(project, client, world):
    client.force_login(world.constantine_editor)
    response = client.post(
        reverse("diagnosis:involvement", args=[project.pk]),
        {"services": [world.service.pk], "elected_officials": [world.elected_official.pk]},
    )
    assert response.status_code == 302
    assert list(project.services.all()) == [world.service]
    assert list(project.elected_officials.all()) == [world.elected_official]
    page = text(client.get(reverse("diagnosis:involvement", args=[project.pk])))
    assert "La charte en demande au moins 1 service et 1 élu." in page


def test_an_assessor_takes_back_their_own_score_only(completed, objects, client, world):
    client.force_login(world.constantine_editor)
    url = reverse("diagnosis:assessment_delete", args=[completed.pk, objects["assessment"].pk])
    assert client.post(url).status_code == 403
    client.force_login(world.officer)
    assert client.post(url).status_code == 302
    assert not completed.diagnosis.assessments.filter(pk=objects["assessment"].pk).exists()


def test_pages_work_in_arabic_right_to_left(completed, client, world):
    client.force_login(world.constantine_editor)
    client.cookies.load({"django_language": "ar"})
    page = client.get(reverse("diagnosis:overview", args=[completed.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
