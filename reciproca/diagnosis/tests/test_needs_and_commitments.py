"""Needs identified jointly (PRI-2); themes suggest SDG targets, DAC markers and purpose codes
that a person confirms (PRJ-15), with the markers' significance rules (PRJ-14)."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.models import Need, Side
from reciproca.projects import services as project_services
from reciproca.projects.models import ProjectMarker
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget


@pytest.mark.charter("PRI-2")
def test_needs_of_both_sides_are_shown_together_with_their_authors(project, world, client):
    services.add_need(
        project=project, by=world.constantine_editor, side=Side.PARTNER,
        title="Eau potable en continu", population_concerned="Habitants de quatre communes",
        evidence="Relevés des coupures 2023.",
    )  # fmt: skip
    services.add_need(
        project=project, by=world.officer, side=Side.HOST,
        title="Expérience internationale des agents", population_concerned="Agents",
        evidence="Revue des compétences.",
    )  # fmt: skip
    # An officer records a need the partner expressed, in the partner's name.
    services.add_need(
        project=project, by=world.officer, side=Side.PARTNER, title="Formation des techniciens",
        population_concerned="Techniciens communaux", evidence="Plan de formation de la wilaya.",
        author_organisation=world.constantine,
    )  # fmt: skip
    authors = {n.title: n.author_organisation for n in Need.objects.all()}
    assert authors == {
        "Eau potable en continu": world.constantine,
        "Expérience internationale des agents": world.isere,
        "Formation des techniciens": world.constantine,
    }
    for user in (world.officer, world.constantine_reader):
        client.force_login(user)
        page = unescape(
            client.get(reverse("diagnosis:overview", args=[project.pk])).content.decode()
        )
        assert "Constantine (territoire partenaire)" in page
        assert "Isère (territoire de la collectivité)" in page
        assert page.count("Apporté par la Wilaya de Constantine") == 2
        assert page.count("Apporté par le Département de l'Isère") == 1
        assert "Relevés des coupures 2023." in page


@pytest.mark.charter("PRI-2")
def test_a_need_has_its_population_evidence_and_a_participating_author(project, world):
    with pytest.raises(DomainError) as caught:
        services.add_need(
            project=project, by=world.officer, side=Side.PARTNER, title="Eau",
            population_concerned=" ", evidence="",
        )  # fmt: skip
    assert caught.value.reasons == [
        "Indiquez la population concernée par le besoin.",
        "Indiquez les éléments qui établissent le besoin.",
    ]
    with pytest.raises(DomainError, match="ne participe pas au projet"):
        services.add_need(
            project=project, by=world.officer, side=Side.PARTNER, title="Eau",
            population_concerned="Habitants", evidence="Relevés.",
            author_organisation=world.bethlehem,
        )  # fmt: skip


@pytest.mark.charter("PRJ-15")
def test_themes_suggest_targets_markers_and_codes_and_a_person_confirms(
    project, world, reference, client
):
    project_services.set_project_tags(
        project=project, by=world.officer,
        themes=engine.themes().filter(code__in=["desertification", "water-soil"]),
    )  # fmt: skip
    project.refresh_from_db()
    suggestions = queries.suggestions(project)
    assert set(suggestions["sdg_targets"]) >= {"15.3", "6.4", "2.4"}
    assert sorted(suggestions["sdg_targets"]["2.4"]) == [
        "Lutte contre la désertification",
        "Sauvegarde des ressources en eau et en sol",
    ]
    assert set(suggestions["policy_markers"]) == {"2", "7", "8"}
    assert "31130" in suggestions["purpose_codes"]
    # Nothing is recorded until a person confirms.
    assert project.sdg_targets.count() == 0
    assert not ProjectMarker.objects.filter(project=project).exists()

    # The confirmation page lists the suggestions, pre-ticked.
    client.force_login(world.constantine_editor)
    page = client.get(reverse("diagnosis:commitments", args=[project.pk])).content.decode()
    assert (
        "suggéré par Lutte contre la désertification, Sauvegarde des ressources en eau et en sol"
        in page
    )
    target = SdgTarget.objects.get(code="15.3")
    assert f'value="{target.pk}"' in page and "checked" in page

    # Karim confirms part of them, with the desertification marker at level 3 (allowed for 8).
    code_31130 = PurposeCode.objects.get(code="31130")
    desertification = PolicyMarker.objects.get(code="8")
    environment = PolicyMarker.objects.get(code="2")
    response = client.post(
        reverse("diagnosis:commitments", args=[project.pk]),
        {
            "formulaire": "commitments",
            "sdg_targets": [target.pk],
            "other_sdg_targets": "6.1",
            "purpose_codes": [code_31130.pk],
            "marker__8": "3",
            "marker__2": "1",
        },
    )
    assert response.status_code == 302
    assert sorted(project.sdg_targets.values_list("code", flat=True)) == ["15.3", "6.1"]
    assert list(project.purpose_codes.values_list("code", flat=True)) == ["31130"]
    assert {
        (m.marker_id, m.significance.code) for m in ProjectMarker.objects.filter(project=project)
    } == {(desertification.pk, "3"), (environment.pk, "1")}


@pytest.mark.charter("PRJ-14")
def test_marker_significance_3_is_only_for_desertification_and_4_only_for_rmnch(
    project, world, reference
):
    three = PolicySignificance.objects.get(code="3")
    four = PolicySignificance.objects.get(code="4")
    gender = PolicyMarker.objects.get(code="1")
    with pytest.raises(DomainError) as caught:
        project_services.confirm_commitments(
            project=project, by=world.officer, sdg_targets=[], purpose_codes=[],
            markers=[(gender, three)],
        )  # fmt: skip
    assert caught.value.reasons == [
        "Le niveau 3 n'est admis que pour le marqueur « désertification » (8) : "
        "« Egalité des genres » (1) ne peut pas le recevoir."
    ]
    with pytest.raises(DomainError, match="Le niveau 4 n'est admis que pour le marqueur"):
        project_services.confirm_commitments(
            project=project, by=world.officer, sdg_targets=[], purpose_codes=[],
            markers=[(PolicyMarker.objects.get(code="8"), four)],
        )  # fmt: skip
    assert not ProjectMarker.objects.filter(project=project).exists()
    project_services.confirm_commitments(
        project=project, by=world.officer, sdg_targets=[], purpose_codes=[],
        markers=[
            (PolicyMarker.objects.get(code="9"), four),
            (PolicyMarker.objects.get(code="8"), three),
        ],
    )  # fmt: skip
    assert ProjectMarker.objects.filter(project=project).count() == 2


@pytest.mark.charter("PRJ-14")
def test_the_form_refuses_a_wrong_significance_with_the_reason(project, world, reference, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("diagnosis:commitments", args=[project.pk]),
        {"formulaire": "commitments", "marker__1": "3"},
    )
    assert response.status_code == 422
    assert "Le niveau 3 n'est admis que pour le marqueur « désertification » (8)" in unescape(
        response.content.decode()
    )
