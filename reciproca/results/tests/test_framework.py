"""The results framework (PRJ-1) and the evaluation plan (PRJ-5) as shared content: gates,
sign-offs withdrawn on change, policies, the freeze."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.core.models import events_for
from reciproca.projects import budget, workflow
from reciproca.projects.models import Project, Stage
from reciproca.results import services
from reciproca.results.models import Indicator, Level, ResultsSignOff
from reciproca.results.tests.conftest import build_framework, build_plan


def _unmet(project, transition="start_implementation"):
    out: dict[str, str] = {}
    for u in workflow.unmet_conditions(project, transition):
        out[u.check] = (out.get(u.check, "") + " " + u.reason).strip()
    return out


@pytest.mark.charter("PRJ-1")
def test_without_a_framework_implementation_is_refused_with_the_reason(project, world):
    unmet = _unmet(project)
    assert "cadre de résultats" in unmet["results_framework_defined"]


@pytest.mark.charter("PRJ-1")
def test_a_measurable_framework_signed_by_both_partners_meets_its_condition(project, world):
    build_framework(project, world)
    assert "results_framework_defined" not in _unmet(project)


@pytest.mark.charter("PRJ-1")
def test_an_indicator_without_baseline_or_target_is_named(project, world):
    parts = build_framework(project, world, sign=False)
    services.add_indicator(
        project=project,
        by=world.officer,
        node=parts["objective"],
        title="Taux de coupure",
        kind=Indicator.Kind.QUANTITATIVE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
    )
    reason = _unmet(project)["results_framework_defined"]
    assert "« Taux de coupure » n'a pas son unité" in reason
    assert "« Taux de coupure » n'a pas de cible" in reason
    assert "Wilaya de Constantine n'a pas validé" in reason or "n'a pas validé" in reason


@pytest.mark.charter("PRJ-8")
def test_a_change_after_sign_off_withdraws_it_and_opens_the_next_version(project, world):
    parts = build_framework(project, world)
    services.add_period(
        project=project,
        by=world.constantine_editor,
        label="S9",
        start=date(2040, 1, 1),
        end=date(2040, 6, 30),
    )
    framework = project.results_framework
    framework.refresh_from_db()
    assert framework.version == 2
    assert not ResultsSignOff.objects.filter(
        framework=framework, subject="FRAMEWORK", withdrawn_at__isnull=True
    ).exists()
    reason = _unmet(project)["results_framework_defined"]
    assert "version 2" in reason
    assert events_for(project).filter(action="results.framework.signoffs_withdrawn").exists()
    assert parts["people"].pk


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_edits_and_a_reader_or_outsider_does_not(project, world):
    services.add_node(
        project=project,
        by=world.constantine_editor,
        level=Level.OBJECTIVE,
        title="Objectif du partenaire",
    )
    for user in (world.constantine_reader, world.outsider):
        with pytest.raises(PermissionDenied):
            services.add_node(project=project, by=user, level=Level.OBJECTIVE, title="Refusé")


def test_the_levels_hang_in_order(project, world):
    with pytest.raises(DomainError, match="se rattache"):
        services.add_node(
            project=project, by=world.officer, level=Level.OUTPUT, title="Sans parent"
        )


@pytest.mark.charter("PRI-4")
def test_an_activity_is_led_by_a_partner_of_the_project(project, world):
    parts = build_framework(project, world, sign=False)
    assert parts["activity"].led_by == world.constantine
    with pytest.raises(DomainError, match="organisation partenaire"):
        services.add_node(
            project=project,
            by=world.officer,
            level=Level.ACTIVITY,
            title="Ailleurs",
            parent=parts["activity"].parent,
            led_by=world.bethlehem,
        )


@pytest.mark.charter("PRI-4")
def test_local_governance_capacity_is_a_standard_indicator_family(project, world):
    parts = build_framework(project, world, sign=False)
    assert parts["governance"].family == Indicator.Family.GOVERNANCE


@pytest.mark.charter("PRJ-10")
def test_the_partner_s_development_plan_and_both_sides_actors_are_recorded(project, world, client):
    build_framework(project, world, sign=False)
    services.set_alignment(
        project=project,
        by=world.constantine_editor,
        development_plan="Plan communal de développement 2025-2030",
        development_plan_reference="PCD-2025",
        development_plan_objectives="Axe 2 : eau potable",
        actors_host="Régie des eaux de Grenoble",
        actors_partner="Association des usagers",
    )
    client.force_login(world.constantine_reader)
    page = client.get(f"/resultats/{project.pk}/").content.decode()
    assert "Plan communal de développement 2025-2030" in page
    assert "Association des usagers" in page


def test_a_closed_project_s_results_are_frozen(project, world):
    Project.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)
    project.refresh_from_db()
    with pytest.raises(ContentFrozen):
        services.add_node(
            project=project, by=world.officer, level=Level.OBJECTIVE, title="Trop tard"
        )


@pytest.mark.charter("PRJ-5")
def test_a_plan_missing_criteria_or_a_partner_member_is_refused_with_what_is_missing(
    project, world
):
    services.update_plan(project=project, by=world.officer, timings=["FINAL"], cost=Decimal(100))
    services.add_question(
        project=project, by=world.officer, criterion="RELEVANCE", text="Pertinent ?"
    )
    services.add_team_member(
        project=project, by=world.officer, name="Claire", organisation=world.isere
    )
    reason = _unmet(project)["evaluation_plan_validated"]
    assert "efficacité" in reason and "viabilité" in reason
    assert "aucun membre de Wilaya de Constantine" in reason or "aucun membre de" in reason
    assert "pertinence" not in reason.split("sur :")[1].split(".")[0]


@pytest.mark.charter("PRJ-5")
def test_a_complete_plan_validated_by_both_partners_meets_its_condition(project, world):
    build_plan(project, world)
    assert "evaluation_plan_validated" not in _unmet(project)
    services.add_question(
        project=project, by=world.officer, criterion="IMPACT", text="Et ensuite ?"
    )
    assert "version 2 du dispositif" in _unmet(project)["evaluation_plan_validated"]


@pytest.mark.charter("PRJ-5")
def test_the_plan_page_says_when_the_budget_is_not_known_and_warns_under_the_threshold(
    project, world, client
):
    build_plan(project, world, sign=False)
    client.force_login(world.officer)
    assert "pas encore connu" in client.get(f"/resultats/{project.pk}/dispositif/").content.decode()
    saved = list(budget._provider)
    try:
        budget.register_provider(
            lambda p, currency, as_of: budget.BudgetTotal(
                Decimal(200000), currency, date(2030, 1, 1)
            )
        )
        page = client.get(f"/resultats/{project.pk}/dispositif/").content.decode()
        assert "3,5 %" in page or "3.5 %" in page
        assert "sous le seuil de 7" in page
    finally:
        budget._provider[:] = saved


def test_only_a_co_owner_signs_off_and_once(project, world):
    build_framework(project, world, sign=False)
    with pytest.raises(PermissionDenied):
        services.sign_off(project=project, by=world.constantine_reader, subject="FRAMEWORK")
    services.sign_off(project=project, by=world.constantine_editor, subject="FRAMEWORK")
    with pytest.raises(DomainError):
        services.sign_off(project=project, by=world.constantine_editor, subject="FRAMEWORK")


def test_the_printable_report_uses_the_same_charts_as_the_page(project, world, client):
    build_framework(project, world)
    client.force_login(world.constantine_reader)
    page = client.get(f"/resultats/{project.pk}/").content.decode()
    report = client.get(f"/resultats/{project.pk}/rapport/").content.decode()
    chart = page[page.index('<svg xmlns="http://www.w3.org/2000/svg"') :].split("</svg>")[0]
    assert chart in report
    client.force_login(world.outsider)
    assert client.get(f"/resultats/{project.pk}/rapport/").status_code == 404
