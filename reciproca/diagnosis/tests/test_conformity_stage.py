"""Issue 7: the conformity report judges each clause once, at the project's current stage; the
clauses only later gates cite are "pas encore applicable", those of the gates a redesign
skipped are "sans objet"; a gate passed is judged as it was evaluated when it was passed."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from reciproca.charter import engine
from reciproca.charter.conformity import Status, Timing
from reciproca.diagnosis import services
from reciproca.projects import queries
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Stage


@pytest.fixture
def at_decision(completed, world):
    services.sign_off_diagnosis(project=completed, by=world.officer)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    project_services.transition_project(
        project=completed, transition="submit_for_decision", by=world.officer
    )
    completed.refresh_from_db()
    assert completed.stage == Stage.DECISION
    return completed


def _cited_by(timing: dict[str, str], wanted: set[str]) -> set[str]:
    return {
        code
        for name, conditions in engine.gates().items()
        if timing.get(name) in wanted
        for condition in conditions
        for code in condition.clauses
    }


@pytest.mark.charter("PRJ-8")
def test_at_the_decision_stage_no_later_gate_fails(at_decision):
    timing = queries.gate_timing(at_decision)
    assert timing["submit_for_decision"] == Timing.PAST
    assert timing["decide"] == Timing.CURRENT
    assert timing["start_implementation"] == timing["close"] == Timing.LATER
    report = queries.conformity_report(at_decision)
    by_code = {c.code: c for c in report.clauses}
    # PRJ-8 (every partner signs each stage) is only asked from elaboration on.
    assert by_code["PRJ-8"].status == Status.NOT_YET
    assert by_code["PRJ-8"].status_label == "pas encore applicable"
    applicable = _cited_by(timing, {Timing.PAST, Timing.CURRENT})
    for clause in report.clauses:
        if clause.status == Status.UNMET:
            assert clause.code in applicable, clause.code
        # Judged once: a condition appears once per clause, whatever the gates citing it.
        checks = [c.check for c in clause.conditions]
        assert len(checks) == len(set(checks)), clause.code
    assert by_code["PRJ-2"].status == Status.MET
    assert [c.transition for c in by_code["PRJ-2"].conditions] == ["decide"]


@pytest.mark.charter("PRJ-8")
def test_the_report_page_of_a_project_at_decision_has_no_failure(at_decision, world, client):
    client.force_login(world.elected)
    page = unescape(
        client.get(reverse("diagnosis:conformity", args=[at_decision.pk])).content.decode()
    )
    assert "pas encore applicable" in page
    row = page[page.index('<tr id="PRJ-8">') : page.index("</tr>", page.index('<tr id="PRJ-8">'))]
    assert "non respectée" not in row


def test_a_passed_gate_is_judged_as_it_was_recorded(at_decision, world):
    # The diagnosis sign-offs are withdrawn afterwards in the data (not through a service):
    # the gate passed at submission stays met in the report, as recorded then.
    from reciproca.diagnosis.models import DiagnosisSignOff

    DiagnosisSignOff.objects.filter(diagnosis__project=at_decision).delete()
    recorded = queries.recorded_gates(at_decision, ["submit_for_decision"])
    assert recorded["submit_for_decision"].is_ready
    report = queries.conformity_report(at_decision)
    by_code = {c.code: c for c in report.clauses}
    # PRJ-14 is only cited by the passed submission gate: met, as it was.
    assert by_code["PRJ-14"].status == Status.MET
    # PRJ-2 is cited by the current gate too (decide): judged now, it fails.
    assert by_code["PRJ-2"].status == Status.UNMET


@pytest.mark.charter("PRJ-4")
def test_a_project_closed_by_redesign_has_the_skipped_gates_not_applicable(at_decision, world):
    project_services.record_decision(
        project=at_decision, by=world.officer, outcome=Decision.Outcome.REDESIGN,
        rationale="Une autre approche.", new_title="Eau potable, deuxième approche",
    )  # fmt: skip
    at_decision.refresh_from_db()
    timing = queries.gate_timing(at_decision)
    assert timing["decide"] == Timing.PAST
    assert timing["start_implementation"] == timing["close"] == Timing.SKIPPED
    by_code = {c.code: c for c in queries.conformity_report(at_decision).clauses}
    assert by_code["PRJ-8"].status == Status.NOT_APPLICABLE
    assert by_code["PRJ-2"].status == Status.MET  # as recorded by the decision
