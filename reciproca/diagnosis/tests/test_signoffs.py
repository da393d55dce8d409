"""Partner validation (PRI-1, PRJ-2): co-editing with equal rights, sign-offs per organisation,
withdrawal on any later change, and the version history that keeps what each side signed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.core.models import events_for
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.gates import diagnosis_shared
from reciproca.diagnosis.models import (
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
    Dimension,
    Direction,
    Directness,
    Horizon,
    Need,
    Side,
)
from reciproca.diagnosis.tests.conftest import fill_matrix, sign_as_row
from reciproca.diagnosis.versions import diff
from reciproca.projects import services as project_services
from reciproca.projects.models import ProjectPartner


def set_cell(project, by, direction=Direction.POSITIVE, justification="Moins de coupures."):
    return services.set_impact_cell(
        project=project, by=by, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.DIRECT, horizon=Horizon.SHORT, direction=direction,
        magnitude=2, likelihood=3, justification=justification,
    )  # fmt: skip


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_co_edits_with_the_same_rights_as_the_officer(project, world):
    # Karim (Constantine) writes, Alice (Isère) changes what he wrote, and the other way round.
    cell = set_cell(project, world.constantine_editor)
    assert cell.author_organisation == world.constantine
    cell = set_cell(project, world.officer, justification="Précisé par le Département.")
    assert cell.author_organisation == world.isere
    alternative = services.add_alternative(project=project, by=world.officer, title="Ne rien faire")
    services.update_alternative(
        alternative=alternative, by=world.constantine_editor, title="Statu quo"
    )
    services.set_reversibility_statement(
        project=project, by=world.constantine_editor, text="Réversible."
    )
    assert Diagnosis.objects.get(project=project).reversibility_statement == "Réversible."


@pytest.mark.charter("PRI-1")
def test_readers_outsiders_and_other_partners_cannot_edit(project, world):
    for user in (world.constantine_reader, world.elected, world.outsider, world.bethlehem_editor):
        with pytest.raises(PermissionDenied):
            set_cell(project, user)


@pytest.mark.charter("PRI-1")
def test_nothing_is_validated_by_one_side_alone(completed, world):
    services.sign_off_diagnosis(project=completed, by=world.officer)
    assert diagnosis_shared(completed, {}) == [
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine."
    ]
    # One side cannot sign for the other, nor twice.
    with pytest.raises(DomainError, match="déjà validé"):
        services.sign_off_diagnosis(project=completed, by=world.admin)
    with pytest.raises(PermissionDenied):
        services.sign_off_diagnosis(project=completed, by=world.constantine_reader)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    assert diagnosis_shared(completed, {}) == []


@pytest.mark.charter("PRI-1")
def test_a_project_without_its_partner_as_co_owner_cannot_be_shared(completed, world):
    ProjectPartner.objects.filter(project=completed, organisation=world.constantine).update(
        role=ProjectPartner.Role.FUNDER
    )
    services.sign_off_diagnosis(project=completed, by=world.officer)
    assert diagnosis_shared(completed, {}) == [
        "La Wilaya de Constantine doit être co-maître d'ouvrage pour valider le diagnostic."
    ]


@pytest.mark.charter("PRI-1")
@pytest.mark.charter("PRJ-2")
def test_a_change_after_a_sign_off_withdraws_it_and_keeps_both_versions(project, world, client):
    set_cell(project, world.constantine_editor)
    sign_as_row(project, world.constantine_editor)
    diagnosis = Diagnosis.objects.get(project=project)
    assert diagnosis.version == 1

    # Alice edits a cell: Karim's validation is withdrawn, a second version opens.
    set_cell(
        project, world.officer, direction=Direction.NEGATIVE, justification="Travaux bruyants."
    )
    signoff = DiagnosisSignOff.objects.get(organisation=world.constantine)
    assert signoff.version == 1
    assert signoff.withdrawn_at is not None
    assert signoff.withdrawn_by == world.officer
    assert signoff.withdrawn_reason == (
        "la modification de la case « social · direct · court terme » (territoire partenaire, "
        "proposition) par Alice"
    )
    diagnosis.refresh_from_db()
    assert diagnosis.version == 2
    assert diagnosis_shared(project, {}) == [
        "Le diagnostic partagé n'a pas été validé par le Département de l'Isère.",
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine.",
    ]

    # The partners are told on the diagnosis page, and the project's timeline records it.
    client.force_login(world.constantine_editor)
    page = client.get(reverse("diagnosis:overview", args=[project.pk])).content.decode()
    assert "La validation de la Wilaya de Constantine a été retirée le" in page
    assert "suite à la modification de la case « social · direct · court terme »" in page
    assert "par Alice" in page
    actions = [e.action for e in events_for(project)]
    assert "diagnosis.signoffs.withdrawn" in actions
    assert "diagnosis.cell.updated" in actions

    # The history keeps both versions: what Karim signed, and what changed since.
    versions = {v.number: v for v in queries.versions(diagnosis)}  # as the history reads them
    assert sorted(versions) == [1, 2]
    signed_cell = versions[1].snapshot["cells"]["proposal|PARTNER|SOCIAL|DIRECT|SHORT"]
    assert signed_cell["direction"] == "POSITIVE"
    current_cell = versions[2].snapshot["cells"]["proposal|PARTNER|SOCIAL|DIRECT|SHORT"]
    assert current_cell["direction"] == "NEGATIVE"
    changes = diff(versions[1].snapshot, versions[2].snapshot)
    assert [c.what for c in changes] == [
        "case « social · direct · court terme » (territoire partenaire, proposition) : négatif"
    ]
    page = client.get(reverse("diagnosis:versions", args=[project.pk])).content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert "Validation retirée le" in page
    assert "Modification : case « social · direct · court terme »" in page

    # Karim signs version 2, then Alice: shared again.
    sign_as_row(project, world.constantine_editor)
    sign_as_row(project, world.officer)
    assert diagnosis_shared(project, {}) == []
    assert (
        DiagnosisSignOff.objects.get(withdrawn_at__isnull=True, organisation=world.isere).version
        == 2
    )


@pytest.mark.charter("PRJ-2")
def test_a_change_without_sign_off_stays_in_the_same_version(project, world):
    set_cell(project, world.officer)
    set_cell(project, world.constantine_editor, justification="Autre justification.")
    assert Diagnosis.objects.get(project=project).version == 1
    assert DiagnosisVersion.objects.filter(diagnosis__project=project).count() == 1


@pytest.mark.charter("PRJ-2")
def test_every_kind_of_change_withdraws_the_sign_offs(project, world):
    def signed_then(change):
        sign_as_row(project, world.constantine_editor)
        change()
        assert not DiagnosisSignOff.objects.filter(
            diagnosis__project=project, withdrawn_at__isnull=True
        ).exists()

    needs: list[Need] = []

    def add_need():
        needs.append(
            services.add_need(
                project=project,
                by=world.officer,
                side=Side.HOST,
                title="Formation",
                population_concerned="Agents",
                evidence="Entretiens annuels.",
            )
        )

    signed_then(add_need)
    signed_then(
        lambda: services.update_need(need=needs[0], by=world.officer, title="Formation des agents")
    )
    signed_then(
        lambda: services.set_reversibility_statement(project=project, by=world.officer, text="Oui.")
    )
    signed_then(
        lambda: services.assess_options(
            project=project, by=world.officer, scores={"climate": (2, "x")}
        )
    )
    signed_then(
        lambda: project_services.set_project_tags(
            project=project, by=world.officer, services=[world.service], elected_officials=[]
        )
    )
    # A change of the project's own fields (the proposal) withdraws them too.
    signed_then(
        lambda: project_services.update_project(
            project=project, by=world.officer, summary="Nouveau résumé."
        )
    )
    assert Diagnosis.objects.get(project=project).version == 7


def test_an_organisation_can_take_back_its_validation(project, world):
    sign_as_row(project, world.constantine_editor)
    with pytest.raises(DomainError, match="motif"):
        services.withdraw_diagnosis_signoff(
            project=project, by=world.constantine_editor, reason=" "
        )
    signoff = services.withdraw_diagnosis_signoff(
        project=project, by=world.constantine_editor, reason="Le conseil de wilaya veut relire."
    )
    assert signoff.withdrawn_reason.startswith("son retrait par Karim")
    assert Diagnosis.objects.get(project=project).version == 1


def test_the_diagnosis_is_frozen_after_submission(completed, world):
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    services.sign_off_diagnosis(project=completed, by=world.officer)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    with pytest.raises(DomainError) as caught:
        set_cell(completed, world.officer)
    assert caught.value.reasons == [
        "Le diagnostic est figé : le projet a été soumis à la décision."
    ]
    # The decision is taken on what both partners signed: the project's description and its
    # commitments are frozen with the diagnosis until the decision is recorded.
    with pytest.raises(ContentFrozen):
        project_services.update_project(project=completed, by=world.officer, summary="Précision.")
    with pytest.raises(ContentFrozen):
        project_services.set_project_tags(project=completed, by=world.officer, themes=[])
    assert (
        Diagnosis.objects.get(project=completed).signoffs.filter(withdrawn_at__isnull=True).count()
        == 2
    )


def test_alternatives_can_be_filled_by_either_side(project, world):
    alternative = services.add_alternative(
        project=project, by=world.constantine_editor, title="Citernes"
    )
    fill_matrix(project, world.officer, alternative=alternative)
    assert alternative.cells.count() == 8
