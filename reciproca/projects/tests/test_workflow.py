"""The lifecycle through the services: gates from the charter, reasons, decisions, audit."""

from __future__ import annotations

import pytest

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import events_for
from reciproca.projects import services, workflow
from reciproca.projects.models import Decision, Project, ProjectPartner, SignOff, Stage
from reciproca.projects.services import TransitionRefused


@pytest.fixture
def project(world):
    return services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable rurale",
        programme=world.constantine_programme,
    )


def _place(project: Project, stage: Stage) -> Project:
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    return project


@pytest.mark.charter("PRI-1")
def test_a_new_project_is_co_owned_by_the_department_and_the_partner(project, world):
    owners = {p.organisation for p in project.partners.all() if p.signs_off}
    assert owners == {world.isere, world.constantine}


@pytest.mark.charter("PRI-1")
def test_partners_named_gate_names_the_missing_co_owner(project, world):
    ProjectPartner.objects.filter(project=project, organisation=world.constantine).update(
        role=ProjectPartner.Role.FUNDER
    )
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    assert any("Wilaya de Constantine" in r for r in refused.value.reasons)
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


@pytest.mark.charter("PRJ-2")
def test_submitting_for_decision_is_refused_with_every_reason(project, world):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    events_before = events_for(project).count()
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(
            project=project, transition="submit_for_decision", by=world.officer
        )
    checks = {u.check for u in refused.value.unmet}
    # The diagnosis, themes and cross-cutting involvement are all missing: all are listed.
    assert {"diagnosis_shared", "themes_tagged", "cross_cutting_involvement"} <= checks
    assert all(u.reason for u in refused.value.unmet)
    assert any("PRJ-2" in u.clauses for u in refused.value.unmet)
    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS
    assert events_for(project).count() == events_before


def test_a_transition_from_the_wrong_stage_says_which_stage_it_needs(project, world):
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(
            project=project, transition="start_evaluation", by=world.officer
        )
    assert "mise en œuvre" in refused.value.reasons[0]


def test_each_transition_is_an_audit_event_with_who_why_before_and_after(project, world):
    services.transition_project(
        project=project, transition="start_diagnosis", by=world.officer, reason="Besoin exprimé."
    )
    event = events_for(project).get(action="projects.project.start_diagnosis")
    assert event.actor == world.officer
    assert event.reason == "Besoin exprimé."
    assert event.before["stage"] == Stage.IDEA
    assert event.after["stage"] == Stage.DIAGNOSIS


def test_suspension_and_resumption_need_a_reason_and_block_other_steps(project, world):
    with pytest.raises(DomainError):
        services.transition_project(project=project, transition="suspend", by=world.officer)
    services.transition_project(
        project=project, transition="suspend", by=world.officer, reason="Élections locales."
    )
    project.refresh_from_db()
    assert project.is_suspended
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    assert "suspendu" in refused.value.reasons[0]
    services.transition_project(
        project=project, transition="resume", by=world.officer, reason="Reprise."
    )
    project.refresh_from_db()
    assert not project.is_suspended
    actions = list(events_for(project).values_list("action", flat=True))
    assert "projects.project.suspend" in actions and "projects.project.resume" in actions


@pytest.mark.charter("PRJ-4")
def test_a_decision_without_rationale_is_refused_and_records_nothing(project, world):
    _place(project, Stage.DECISION)
    with pytest.raises(DomainError) as refused:
        services.record_decision(
            project=project, by=world.officer, outcome=Decision.Outcome.IMPLEMENT, rationale="  "
        )
    assert "motivation" in refused.value.reasons[0]
    assert not Decision.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.stage == Stage.DECISION


@pytest.mark.charter("PRJ-4")
def test_a_decision_needs_the_shared_diagnosis(project, world):
    _place(project, Stage.DECISION)
    with pytest.raises(TransitionRefused) as refused:
        services.record_decision(
            project=project,
            by=world.officer,
            outcome=Decision.Outcome.IMPLEMENT,
            rationale="Pertinent.",
        )
    assert {u.check for u in refused.value.unmet} == {"diagnosis_shared"}


@pytest.mark.charter("PRJ-8")
def test_a_stage_change_missing_a_sign_off_names_who_is_missing(project, world):
    _place(project, Stage.IMPLEMENTATION)
    _reporting_on_schedule(project, world)
    unmet = workflow.unmet_conditions(project, "start_evaluation")
    assert [u.reason for u in unmet] == [
        "L'étape « mise en œuvre » n'a pas été validée par le Département de l'Isère.",
        "L'étape « mise en œuvre » n'a pas été validée par la Wilaya de Constantine.",
    ]
    services.sign_off_stage(project=project, by=world.constantine_editor)
    unmet = workflow.unmet_conditions(project, "start_evaluation")
    assert [u.reason for u in unmet] == [
        "L'étape « mise en œuvre » n'a pas été validée par le Département de l'Isère."
    ]
    services.sign_off_stage(project=project, by=world.officer)
    services.transition_project(project=project, transition="start_evaluation", by=world.officer)
    project.refresh_from_db()
    assert project.stage == Stage.EVALUATION


def _reporting_on_schedule(project: Project, world) -> None:
    """A monitoring period still running: the results app's `reporting_up_to_date` holds."""
    import datetime as dt

    from reciproca.results import services as results_services

    today = dt.date.today()
    results_services.add_period(
        project=project, by=world.officer, label="En cours",
        start=today, end=today + dt.timedelta(days=90),
    )  # fmt: skip


@pytest.mark.charter("PRJ-8")
def test_editing_the_project_withdraws_the_sign_offs_of_its_stage(project, world):
    _place(project, Stage.IMPLEMENTATION)
    services.sign_off_stage(project=project, by=world.constantine_editor)
    services.update_project(project=project, by=world.officer, title_fr="Eau potable (révisé)")
    signoff = SignOff.objects.get(project=project)
    assert signoff.withdrawn_at is not None
    assert events_for(project).filter(action="projects.stage.signoffs_withdrawn").exists()


@pytest.mark.charter("PRJ-8")
def test_only_a_co_owner_s_user_signs_off_and_only_once(project, world):
    with pytest.raises(PermissionDenied):
        services.sign_off_stage(project=project, by=world.constantine_reader)
    services.sign_off_stage(project=project, by=world.constantine_editor)
    with pytest.raises(DomainError):
        services.sign_off_stage(project=project, by=world.constantine_editor)


@pytest.mark.charter("PRJ-9")
def test_implementation_needs_a_programme_and_an_agreement_in_force(project, world):
    services.update_project(project=project, by=world.officer, programme=None)
    _place(project, Stage.ELABORATION)
    checks = {u.check: u for u in workflow.unmet_conditions(project, "start_implementation")}
    assert "programme_set" in checks
    assert "agreement_in_force" in checks
    assert "Wilaya de Constantine" in checks["agreement_in_force"].reason
    # The results app's conditions are real: without a plan, the reason says so.
    assert "evaluation_plan_validated" in checks
    assert "dispositif d'évaluation" in checks["evaluation_plan_validated"].reason
    # Gates whose data arrive later fail closed, with a reason saying so.
    assert "funding_plan_complete" in checks
    assert "pas encore" in checks["funding_plan_complete"].reason


@pytest.mark.charter("PRE-1")
def test_an_agreement_in_force_satisfies_its_condition(project, world):
    import datetime as dt
    from decimal import Decimal

    from reciproca.partnerships import services as partnership_services

    _place(project, Stage.ELABORATION)
    partnership_services.create_agreement(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Convention 2024",
        purpose="Coopération",
        forecast_amount=Decimal("1000"),
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2099, 1, 1),
    )
    checks = {u.check for u in workflow.unmet_conditions(project, "start_implementation")}
    assert "agreement_in_force" not in checks


def _awaiting_decision(project: Project, world) -> Project:
    """Through the real gates: a diagnosis shared by both partners, submitted for decision."""
    from reciproca.demo.diagnoses import build_demo_diagnosis

    build_demo_diagnosis(
        project, by_host=world.officer, by_partner=world.constantine_editor, level="shared"
    )
    services.transition_project(project=project, transition="submit_for_decision", by=world.officer)
    project.refresh_from_db()
    assert project.stage == Stage.DECISION
    return project


@pytest.mark.charter("PRJ-4")
def test_reject_closes_and_adjust_returns_to_the_diagnosis(world):
    rejected = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="A"
    )
    adjusted = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="B"
    )
    for project, outcome, stage in (
        (rejected, Decision.Outcome.REJECT, Stage.CLOSED),
        (adjusted, Decision.Outcome.ADJUST, Stage.DIAGNOSIS),
    ):
        _awaiting_decision(project, world)
        decision = services.record_decision(
            project=project,
            by=world.elected,
            outcome=outcome,
            rationale="Au vu du diagnostic.",
            deliberation_reference="CP-2026-01",
        )
        project.refresh_from_db()
        assert project.stage == stage
        assert decision.deliberation_reference == "CP-2026-01"
        event = events_for(project).get(action="projects.project.decided")
        assert event.after["outcome"] == outcome and event.reason == "Au vu du diagnostic."


@pytest.mark.charter("PRJ-4")
def test_redesign_opens_a_new_linked_project(project, world):
    _awaiting_decision(project, world)
    decision = services.record_decision(
        project=project,
        by=world.officer,
        outcome=Decision.Outcome.REDESIGN,
        rationale="Un autre projet répond mieux au besoin.",
        new_title="Citernes communales",
    )
    new = decision.new_project
    assert new is not None and new.redesigned_from == project
    assert new.title == "Citernes communales" and new.stage == Stage.DIAGNOSIS
    assert {p.organisation_id for p in new.partners.all()} == {
        p.organisation_id for p in project.partners.all()
    }
