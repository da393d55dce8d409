"""The diagnosis leads to a decision (PRJ-4): implement, adjust (the diagnosis reopens and needs
new sign-offs), reject, or redesign (a linked project starts from a copy of the diagnosis)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import services
from reciproca.diagnosis.gates import diagnosis_shared
from reciproca.diagnosis.models import (
    Assessment,
    Diagnosis,
    DiagnosisSignOff,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Need,
    Side,
)
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.projects.services import TransitionRefused


@pytest.fixture
def submitted(completed, world):
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    services.sign_off_diagnosis(project=completed, by=world.officer)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    completed.refresh_from_db()
    return completed


def decide(project, by, outcome, **kwargs):
    return project_services.record_decision(
        project=project, by=by, outcome=outcome,
        rationale=kwargs.pop("rationale", "Le diagnostic partagé le justifie."),
        deliberation_reference=kwargs.pop("deliberation_reference", "CP-2025-042"), **kwargs,
    )  # fmt: skip


@pytest.mark.charter("PRJ-4")
def test_implement_keeps_the_validated_diagnosis(submitted, world):
    decide(submitted, world.elected, Decision.Outcome.IMPLEMENT)
    submitted.refresh_from_db()
    assert submitted.stage == Stage.ELABORATION
    assert diagnosis_shared(submitted, {}) == []
    with pytest.raises(DomainError, match="figé depuis la décision du"):
        services.set_reversibility_statement(project=submitted, by=world.officer, text="Autre.")


@pytest.mark.charter("PRJ-4")
def test_a_decision_without_rationale_is_refused(submitted, world):
    with pytest.raises(DomainError) as caught:
        decide(submitted, world.officer, Decision.Outcome.IMPLEMENT, rationale="  ")
    assert caught.value.reasons == ["La motivation de la décision est obligatoire."]
    assert not Decision.objects.filter(project=submitted).exists()


@pytest.mark.charter("PRJ-4")
@pytest.mark.charter("PRJ-2")
def test_the_decision_needs_the_shared_diagnosis(project, world):
    # A project placed at the decision stage without a shared diagnosis cannot be decided.
    Project.objects.filter(pk=project.pk).update(stage=Stage.DECISION)
    project.refresh_from_db()
    with pytest.raises(TransitionRefused) as caught:
        decide(project, world.officer, Decision.Outcome.IMPLEMENT)
    assert (
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine."
        in caught.value.reasons
    )


@pytest.mark.charter("PRJ-4")
def test_adjust_reopens_the_diagnosis_and_requires_new_sign_offs(submitted, world, client):
    decide(
        submitted, world.elected, Decision.Outcome.ADJUST, rationale="Revoir les impacts en Isère."
    )
    submitted.refresh_from_db()
    assert submitted.stage == Stage.DIAGNOSIS
    # The sign-offs the decision was taken on no longer count.
    assert diagnosis_shared(submitted, {}) == [
        "Le diagnostic partagé n'a pas été validé par le Département de l'Isère.",
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine.",
    ]
    with pytest.raises(TransitionRefused):
        project_services.transition_project(
            project=submitted, transition="submit_for_decision", by=world.officer
        )
    client.force_login(world.constantine_editor)
    page = client.get(reverse("diagnosis:overview", args=[submitted.pk])).content.decode()
    assert "La validation de la Wilaya de Constantine a été retirée le" in page
    assert "suite à la décision « ajuster » du" in page
    assert "Valider le diagnostic" in page

    # The diagnosis is editable again; the change opens version 2.
    services.set_impact_cell(
        project=submitted, by=world.constantine_editor, side=Side.HOST,
        dimension=Dimension.SOCIAL, directness=Directness.INDIRECT, horizon=Horizon.LONG,
        direction=Direction.POSITIVE, magnitude=1, likelihood=2, justification="Précisé.",
    )  # fmt: skip
    diagnosis = Diagnosis.objects.get(project=submitted)
    assert diagnosis.version == 2
    withdrawn = DiagnosisSignOff.objects.filter(diagnosis=diagnosis, version=1)
    assert withdrawn.count() == 2
    assert all(s.withdrawn_reason.startswith("la décision « ajuster » du") for s in withdrawn)
    assert all("CP-2025-042" in s.withdrawn_reason for s in withdrawn)

    services.sign_off_diagnosis(project=submitted, by=world.constantine_editor)
    services.sign_off_diagnosis(project=submitted, by=world.officer)
    project_services.transition_project(
        project=submitted, transition="submit_for_decision", by=world.officer
    )
    submitted.refresh_from_db()
    assert submitted.stage == Stage.DECISION


@pytest.mark.charter("PRJ-4")
def test_signing_again_without_change_after_adjust_opens_a_new_version(submitted, world):
    decide(submitted, world.officer, Decision.Outcome.ADJUST)
    signoff = services.sign_off_diagnosis(project=submitted, by=world.officer)
    assert signoff.version == 2
    assert diagnosis_shared(submitted, {}) == [
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine."
    ]


@pytest.mark.charter("PRJ-4")
def test_redesign_opens_a_linked_project_with_a_copy_of_the_diagnosis(submitted, world):
    decision = decide(
        submitted,
        world.elected,
        Decision.Outcome.REDESIGN,
        new_title="Réseaux d'eau gérés par les usagers",
    )
    new = decision.new_project
    assert new.redesigned_from == submitted
    assert new.stage == Stage.DIAGNOSIS
    old_diagnosis = Diagnosis.objects.get(project=submitted)
    copy = Diagnosis.objects.get(project=new)
    assert copy.copied_from == old_diagnosis
    assert copy.version == 1
    assert copy.reversibility_statement == old_diagnosis.reversibility_statement
    assert (
        Need.objects.filter(diagnosis=copy).count()
        == Need.objects.filter(diagnosis=old_diagnosis).count()
        == 2
    )
    assert (
        ImpactCell.objects.filter(diagnosis=copy).count()
        == ImpactCell.objects.filter(diagnosis=old_diagnosis).count()
    )
    assert ImpactResponse.objects.filter(cell__diagnosis=copy).count() == 1
    assert (
        Assessment.objects.filter(diagnosis=copy).count()
        == Assessment.objects.filter(diagnosis=old_diagnosis).count()
    )
    assert [a.title for a in copy.alternatives.all()] == ["Ne rien faire"]
    # Cells of the copied alternative point to the copy's alternative, not the old one.
    assert not ImpactCell.objects.filter(
        diagnosis=copy, alternative__diagnosis=old_diagnosis
    ).exists()
    # The partners validate the new diagnosis anew.
    assert not DiagnosisSignOff.objects.filter(diagnosis=copy).exists()
    assert diagnosis_shared(new, {}) == [
        "Le diagnostic partagé n'a pas été validé par le Département de l'Isère.",
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine.",
    ]
    # The old diagnosis stays as it was decided.
    assert diagnosis_shared(submitted, {}) == []


@pytest.mark.charter("PRJ-4")
def test_reject_closes_the_project_and_freezes_the_diagnosis(submitted, world):
    decide(submitted, world.officer, Decision.Outcome.REJECT)
    submitted.refresh_from_db()
    assert submitted.stage == Stage.CLOSED
    with pytest.raises(DomainError, match="figé"):
        services.add_alternative(project=submitted, by=world.officer, title="Autre")


@pytest.mark.charter("PRJ-4")
def test_a_project_edit_after_adjust_records_the_reopening_once(submitted, world):
    decide(submitted, world.officer, Decision.Outcome.ADJUST)
    submitted.refresh_from_db()
    project_services.update_project(project=submitted, by=world.officer, summary="Revu.")
    diagnosis = Diagnosis.objects.get(project=submitted)
    assert diagnosis.version == 2
    reasons = {s.withdrawn_reason for s in DiagnosisSignOff.objects.filter(diagnosis=diagnosis)}
    assert len(reasons) == 1 and reasons.pop().startswith("la décision « ajuster » du")
    services.set_reversibility_statement(project=submitted, by=world.officer, text="Revu aussi.")
    assert Diagnosis.objects.get(project=submitted).version == 2
