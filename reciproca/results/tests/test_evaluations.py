"""Evaluations and the gates implementation → evaluation and evaluation → closed (PRJ-8,
PRJ-5); lessons learned searchable across the projects one may see; participation (OBJ-2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.projects.models import Project, Stage
from reciproca.results import queries, services
from reciproca.results.models import Criterion, Level
from reciproca.results.tests.conftest import breakdown, build_framework, unmet

RATINGS = {c: (3, f"Éléments pour {c}") for c in Criterion.values}


def _stage(project, stage):
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()


@pytest.mark.charter("PRJ-8")
def test_evaluation_needs_every_ended_period_approved(project, world):
    parts = build_framework(project, world, periods=1)
    period = parts["periods"][0]
    period.end = date(2020, 12, 31)
    period.start = date(2020, 1, 1)
    period.save()
    _stage(project, Stage.IMPLEMENTATION)
    assert "« S1 » n'est pas approuvé" in unmet(project, "start_evaluation")["reporting_up_to_date"]
    services.report_value(
        project=project,
        by=world.constantine_editor,
        indicator=parts["people"],
        period=period,
        value=Decimal(5),
        breakdown=breakdown(5),
    )
    services.report_value(
        project=project,
        by=world.constantine_editor,
        indicator=parts["governance"],
        period=period,
        narrative="Progrès.",
    )
    services.submit_report(project=project, by=world.constantine_editor, period=period)
    services.approve_report(project=project, by=world.officer, period=period)
    assert "reporting_up_to_date" not in unmet(project, "start_evaluation")


@pytest.mark.charter("PRJ-5")
def test_closing_needs_a_complete_evaluation_and_each_partner_s_response(project, world):
    build_framework(project, world, sign=False)
    _stage(project, Stage.EVALUATION)
    assert "Aucune évaluation" in unmet(project, "close")["evaluation_completed"]
    partial = {c: RATINGS[c] for c in ("RELEVANCE", "IMPACT")}
    evaluation = services.record_evaluation(
        project=project,
        by=world.officer,
        timing="FINAL",
        title="Évaluation finale",
        ratings=partial,
        findings="Constats.",
        recommendations="Recommandations.",
        lessons="Associer la régie dès le diagnostic.",
        completed_on=date(2031, 6, 1),
    )
    reason = unmet(project, "close")["evaluation_completed"]
    assert "efficience" in reason and "n'a pas donné sa réponse" in reason
    evaluation = services.record_evaluation(
        project=project,
        by=world.officer,
        timing="FINAL",
        title="Évaluation finale complète",
        ratings=RATINGS,
        findings="Constats.",
        recommendations="Recommandations.",
        lessons="Associer la régie dès le diagnostic.",
        completed_on=date(2031, 7, 1),
    )
    services.respond_to_evaluation(
        project=project, by=world.officer, evaluation=evaluation, text="Nous retenons."
    )
    with pytest.raises(PermissionDenied):
        services.respond_to_evaluation(
            project=project, by=world.constantine_reader, evaluation=evaluation, text="x"
        )
    assert "Wilaya de Constantine" in unmet(project, "close")["evaluation_completed"]
    services.respond_to_evaluation(
        project=project, by=world.constantine_editor, evaluation=evaluation, text="Nous adoptons."
    )
    assert "evaluation_completed" not in unmet(project, "close")


def test_a_rating_needs_its_evidence(project, world):
    build_framework(project, world, sign=False)
    with pytest.raises(DomainError, match="éléments probants"):
        services.record_evaluation(
            project=project,
            by=world.officer,
            timing="MID_TERM",
            title="Mi-parcours",
            ratings={"IMPACT": (2, " ")},
        )


def test_lessons_are_searchable_across_the_projects_one_may_see(project, world, client):
    build_framework(project, world, sign=False)
    services.record_evaluation(
        project=project,
        by=world.officer,
        timing="FINAL",
        title="Finale",
        ratings=RATINGS,
        lessons="Les fontainiers formés restent en poste.",
        completed_on=date(2031, 1, 1),
    )
    assert queries.lessons_visible_to(world.constantine_reader, "fontainiers").count() == 1
    assert queries.lessons_visible_to(world.bethlehem_editor, "fontainiers").count() == 0
    client.force_login(world.officer)
    assert (
        "restent en poste" in client.get("/resultats/enseignements/?q=fontainiers").content.decode()
    )


@pytest.mark.charter("OBJ-2")
def test_participation_by_sex_and_age_gives_the_share_of_women_and_young_people(
    project, world, client
):
    parts = build_framework(project, world, sign=False)
    services.record_participation(
        project=project,
        by=world.constantine_editor,
        activity=parts["activity"],
        held_on=date(2030, 3, 1),
        label="Atelier",
        breakdown={"F|15-24": "6", "F|25-64": "4", "M|15-24": "2", "M|25-64": "8"},
    )
    rows = queries.participation_shares(world.officer)
    assert [(r.year, r.total, r.women, r.young) for r in rows] == [(2030, 20, 10, 8)]
    assert rows[0].women_share == 50.0
    assert queries.participation_shares(world.bethlehem_editor) == []
    client.force_login(world.officer)
    page = client.get("/resultats/participation/").content.decode()
    assert "<svg" in page and "50 %" in page


@pytest.mark.charter("OBJ-2")
def test_participation_on_something_else_than_an_activity_is_refused(project, world):
    parts = build_framework(project, world, sign=False)
    with pytest.raises(DomainError, match="activité"):
        services.record_participation(
            project=project,
            by=world.officer,
            activity=parts["objective"],
            held_on=date(2030, 1, 1),
            label="x",
            breakdown={"F|15-24": "1"},
        )
    assert parts["objective"].level == Level.OBJECTIVE
