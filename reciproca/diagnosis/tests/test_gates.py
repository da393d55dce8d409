"""The submission gate reads the diagnosis: each charter rule holds, and each violation is
refused by `transition_project(..., "submit_for_decision")` with a reason naming what is
missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reciproca.charter import conditions
from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import services
from reciproca.diagnosis.models import Dimension, Direction, Directness, Horizon, ImpactCell, Side
from reciproca.diagnosis.tests.conftest import complete, fill_matrix, score_grid, sign_as_row
from reciproca.projects import services as project_services
from reciproca.projects.models import Stage
from reciproca.projects.services import TransitionRefused


def submit(project, by):
    return project_services.transition_project(
        project=project, transition="submit_for_decision", by=by
    )


def sign_both(project, world):
    sign_as_row(project, world.constantine_editor)
    sign_as_row(project, world.officer)


def refusal(project, by) -> list[str]:
    with pytest.raises(TransitionRefused) as caught:
        submit(project, by)
    return caught.value.reasons


def test_every_diagnosis_condition_is_registered_not_planned():
    for code in (
        "diagnosis_shared",
        "impact_dimensions_addressed",
        "negative_impacts_answered",
        "alternatives_assessed",
        "sustainability_assessed",
    ):
        assert not conditions.get(code).is_planned


@pytest.mark.charter("PRJ-2")
def test_decision_stage_needs_a_diagnosis_signed_by_every_partner(completed, world):
    reasons = refusal(completed, world.officer)
    assert "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine." in reasons
    assert "Le diagnostic partagé n'a pas été validé par le Département de l'Isère." in reasons

    services.sign_off_diagnosis(project=completed, by=world.officer)
    reasons = refusal(completed, world.officer)
    assert reasons == ["Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine."]

    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    submit(completed, world.officer)
    completed.refresh_from_db()
    assert completed.stage == Stage.DECISION


@pytest.mark.charter("PRJ-2")
def test_an_empty_diagnosis_cannot_be_submitted(project, world):
    reasons = refusal(project, world.officer)
    assert "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine." in reasons
    assert any("Aucun impact social n'est évalué pour Constantine" in r for r in reasons)


@pytest.mark.charter("PRJ-3")
def test_matrix_cells_have_every_coordinate(project, world):
    cell = services.set_impact_cell(
        project=project, by=world.constantine_editor, side=Side.HOST,
        dimension=Dimension.CULTURAL, directness=Directness.INDIRECT, horizon=Horizon.LONG,
        direction=Direction.POSITIVE, magnitude=2, likelihood=1,
        justification="Échanges entre écoles.",
    )  # fmt: skip
    assert cell.coordinates == ("HOST", "CULTURAL", "INDIRECT", "LONG")
    assert cell.author_organisation == world.constantine
    # The same coordinates are one cell: filling it again replaces it.
    services.set_impact_cell(
        project=project, by=world.officer, side=Side.HOST, dimension=Dimension.CULTURAL,
        directness=Directness.INDIRECT, horizon=Horizon.LONG, direction=Direction.NONE,
        justification="Finalement sans effet.",
    )  # fmt: skip
    cell = ImpactCell.objects.get(pk=cell.pk)
    assert (cell.direction, cell.magnitude, cell.author_organisation) == ("NONE", None, world.isere)
    assert ImpactCell.objects.filter(diagnosis__project=project).count() == 1


@pytest.mark.charter("PRJ-3")
def test_a_known_effect_needs_its_justification_magnitude_and_likelihood(project, world):
    with pytest.raises(DomainError) as caught:
        services.set_impact_cell(
            project=project, by=world.officer, side=Side.PARTNER, dimension=Dimension.SOCIAL,
            directness=Directness.DIRECT, horizon=Horizon.SHORT, direction=Direction.NEGATIVE,
        )  # fmt: skip
    assert "Justifiez le sens de l'effet indiqué." in caught.value.reasons
    assert "Indiquez l'ampleur de l'effet (faible, moyenne ou forte)." in caught.value.reasons
    # "Unknown" needs nothing more, but does not count as addressing the dimension.
    services.set_impact_cell(
        project=project, by=world.officer, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.DIRECT, horizon=Horizon.SHORT, direction=Direction.UNKNOWN,
    )  # fmt: skip
    reasons = refusal(project, world.officer)
    assert any("Aucun impact social n'est évalué pour Constantine" in r for r in reasons)


@pytest.mark.charter("PRJ-3")
@pytest.mark.charter("PRJ-13")
def test_submission_refused_while_a_dimension_is_unaddressed(project, world):
    complete(project, world)
    # Only the cultural dimension of Isère's side is missing.
    ImpactCell.objects.filter(
        diagnosis__project=project, alternative__isnull=True, side=Side.HOST,
        dimension=Dimension.CULTURAL,
    ).delete()  # fmt: skip
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert reasons == [
        "Aucun impact culturel n'est évalué pour Isère : renseignez au moins une case avec un "
        "sens connu et une justification."
    ]


@pytest.mark.charter("PRJ-13")
def test_services_and_elected_officials_minimum(project, world):
    complete(project, world)
    project_services.set_project_tags(
        project=project, by=world.officer, services=[], elected_officials=[]
    )
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert "0 services de la collectivité impliqués ; la charte en demande au moins 1." in reasons
    assert "0 élus impliqués ; la charte en demande au moins 1." in reasons
    project_services.set_project_tags(
        project=project, by=world.officer, services=[world.service],
        elected_officials=[world.elected_official],
    )  # fmt: skip
    sign_both(project, world)  # the change withdrew the sign-offs
    submit(project, world.officer)


@pytest.mark.charter("PRJ-6")
def test_a_negative_cell_without_response_is_refused(project, world):
    complete(project, world)
    services.set_impact_cell(
        project=project, by=world.constantine_editor, side=Side.HOST,
        dimension=Dimension.ECONOMIC, directness=Directness.DIRECT, horizon=Horizon.SHORT,
        direction=Direction.NEGATIVE, magnitude=1, likelihood=3,
        justification="Temps des agents mis à disposition.",
    )  # fmt: skip
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert reasons == [
        "L'impact négatif de la case « économique · direct · court terme » (territoire de la "
        "collectivité hôte, proposition) n'a pas de réponse (limiter, anticiper, gérer ou éviter) "
        "avec un responsable et une échéance."
    ]


@pytest.mark.charter("PRJ-6")
def test_a_response_needs_an_owner_and_a_due_date_and_a_negative_cell(project, world):
    cell = services.set_impact_cell(
        project=project, by=world.officer, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.INDIRECT, horizon=Horizon.SHORT, direction=Direction.NEGATIVE,
        magnitude=2, likelihood=2, justification="Relogement temporaire.",
    )  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.add_response(
            cell=cell, by=world.officer, kind="AVOID", description="x", due_date=None
        )
    assert (
        "Indiquez le responsable de la réponse (organisation ou personne)." in caught.value.reasons
    )
    assert "Indiquez l'échéance de la réponse." in caught.value.reasons
    response = services.add_response(
        cell=cell, by=world.constantine_editor, kind="ANTICIPATE",
        description="Plan de relogement négocié.", owner_name="Direction du logement",
        due_date=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    assert response.owner_label == "Direction du logement"
    positive = services.set_impact_cell(
        project=project, by=world.officer, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.DIRECT, horizon=Horizon.SHORT, direction=Direction.POSITIVE,
        magnitude=2, likelihood=2, justification="Moins de coupures.",
    )  # fmt: skip
    with pytest.raises(DomainError, match="impact négatif"):
        services.add_response(
            cell=positive, by=world.officer, kind="LIMIT", description="x",
            owner_name="y", due_date=timezone.localdate(),
        )  # fmt: skip


@pytest.mark.charter("PRJ-7")
def test_no_alternative_is_refused(project, world):
    complete(project, world)
    for alternative in project.diagnosis.alternatives.all():
        services.remove_alternative(alternative=alternative, by=world.officer)
    services.set_reversibility_statement(project=project, by=world.officer, text="")
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert reasons == [
        "Le diagnostic compare 0 solutions alternatives à la proposition ; la charte en "
        "demande au moins 1 (« ne rien faire » est admis).",
        "L'énoncé de réversibilité et de sortie n'est pas rédigé.",
    ]


@pytest.mark.charter("PRJ-7")
def test_an_alternative_is_assessed_on_the_same_matrix_and_grid(project, world):
    complete(project, world)
    other = services.add_alternative(
        project=project, by=world.officer, title="Camions-citernes en été"
    )
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert len(reasons) == 2
    assert reasons[0].startswith(
        "L'alternative « Camions-citernes en été » n'est pas évaluée sur la matrice des impacts"
    )
    assert reasons[1].startswith(
        "L'alternative « Camions-citernes en été » n'est pas notée sur la grille"
    )
    fill_matrix(project, world.officer, alternative=other)
    score_grid(project, world.officer, alternative=other, score=2)
    sign_both(project, world)
    submit(project, world.officer)


@pytest.mark.charter("PRJ-7")
def test_only_one_do_nothing_alternative(project, world):
    services.add_alternative(
        project=project, by=world.officer, title="Ne rien faire", is_do_nothing=True
    )
    with pytest.raises(DomainError, match="« ne rien faire »"):
        services.add_alternative(
            project=project, by=world.constantine_editor, title="Statu quo", is_do_nothing=True
        )


@pytest.mark.charter("PRJ-14")
def test_every_grid_criterion_is_scored_with_a_justification(project, world):
    complete(project, world)
    from reciproca.diagnosis.models import Assessment

    Assessment.objects.filter(
        diagnosis__project=project, alternative__isnull=True, criterion_code="climate"
    ).delete()
    sign_both(project, world)
    reasons = refusal(project, world.officer)
    assert reasons == [
        "Le critère « Lutte contre le changement climatique » de la grille de développement "
        "durable n'est pas noté (une note justifiée par un évaluateur nommé)."
    ]
    with pytest.raises(DomainError) as caught:
        services.assess_options(project=project, by=world.officer, scores={"climate": (3, " ")})
    assert caught.value.reasons == [
        "« Lutte contre le changement climatique » : justifiez la note."
    ]
    with pytest.raises(DomainError, match="de 0 à 4"):
        services.assess_options(project=project, by=world.officer, scores={"climate": (5, "x")})
    services.assess_options(
        project=project, by=world.constantine_editor, scores={"climate": (2, "Moins de pompage.")}
    )
    sign_both(project, world)
    submit(project, world.officer)


@pytest.mark.charter("PRJ-14")
def test_the_grid_is_the_charters_finalities_process_elements_and_the_projects_themes(
    project, world
):
    from reciproca.diagnosis.grid import project_criteria

    codes = [c.code for c in project_criteria(project)]
    assert codes[:5] == [
        "climate", "biodiversity-resources", "cohesion-solidarity", "human-fulfilment",
        "responsible-production",
    ]  # fmt: skip
    assert len(codes) == 10
    complete(project, world)
    assert [c.code for c in project_criteria(project)][-1] == "theme:water-soil"


@pytest.mark.charter("PRJ-14")
def test_several_assessors_each_keep_their_score(project, world):
    services.assess_options(project=project, by=world.officer, scores={"climate": (4, "Fort.")})
    services.assess_options(
        project=project, by=world.constantine_editor, scores={"climate": (2, "Moyen.")}
    )
    services.assess_options(project=project, by=world.officer, scores={"climate": (3, "Révisé.")})
    from reciproca.diagnosis.queries import build_options

    proposal = build_options(project.diagnosis)[0]
    assert sorted((a.assessor.username, a.score) for a in proposal.scores["climate"]) == [
        ("alice", 3),
        ("karim", 2),
    ]
    assert proposal.mean_score("climate") == 2.5
