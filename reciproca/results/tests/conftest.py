"""Fixtures of the results tests: a project of the Isère–Constantine partnership in
elaboration, and helpers that build a framework, a plan and periods through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from reciproca.projects import services as project_services
from reciproca.projects.models import Project, Stage
from reciproca.results import services
from reciproca.results.models import Criterion, Indicator, Level, Timing


@pytest.fixture(autouse=True)
def _private_root(settings: Any, tmp_path: Any) -> None:
    settings.RECIPROCA_PRIVATE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def project(world: Any) -> Project:
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable dans les communes rurales",
        programme=world.constantine_programme,
    )
    Project.objects.filter(pk=project.pk).update(stage=Stage.ELABORATION)
    project.refresh_from_db()
    return project


def build_framework(
    project: Project, world: Any, *, sign: bool = True, periods: int = 2
) -> dict[str, Any]:
    """An objective → outcome → output → activity chain with one disaggregated quantitative
    indicator, one qualitative one, `periods` periods with targets; signed by both partners."""
    officer, karim = world.officer, world.constantine_editor
    objective = services.add_node(
        project=project, by=officer, level=Level.OBJECTIVE, title="Accès à l'eau"
    )
    outcome = services.add_node(
        project=project, by=karim, level=Level.OUTCOME, title="Ménages raccordés", parent=objective
    )
    output = services.add_node(
        project=project, by=karim, level=Level.OUTPUT, title="Réseau posé", parent=outcome
    )
    activity = services.add_node(
        project=project,
        by=karim,
        level=Level.ACTIVITY,
        title="Formation des fontainiers",
        parent=output,
        led_by=world.constantine,
    )
    people = services.add_indicator(
        project=project,
        by=officer,
        node=outcome,
        title="Personnes raccordées",
        kind=Indicator.Kind.QUANTITATIVE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
        unit="personnes",
        baseline=Decimal(0),
        baseline_date=date(2024, 1, 1),
        dimensions=services.dimensions_from_templates(["sex", "age_group"]),
    )
    governance = services.add_indicator(
        project=project,
        by=karim,
        node=output,
        title="Capacité de la régie communale",
        kind=Indicator.Kind.QUALITATIVE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
        family=Indicator.Family.GOVERNANCE,
    )
    made = []
    for i in range(periods):
        period = services.add_period(
            project=project,
            by=officer,
            label=f"S{i + 1}",
            start=date(2030 + i, 1, 1),
            end=date(2030 + i, 12, 31),
        )
        services.set_target(
            project=project,
            by=officer,
            indicator=people,
            period=period,
            value=Decimal(100 * (i + 1)),
        )
        made.append(period)
    if sign:
        services.sign_off(project=project, by=officer, subject="FRAMEWORK")
        services.sign_off(project=project, by=karim, subject="FRAMEWORK")
    return {
        "objective": objective,
        "activity": activity,
        "people": people,
        "governance": governance,
        "periods": made,
    }


def build_plan(project: Project, world: Any, *, sign: bool = True) -> None:
    officer, karim = world.officer, world.constantine_editor
    services.update_plan(
        project=project,
        by=officer,
        timings=[Timing.MID_TERM, Timing.FINAL],
        participants="Usagers, élus",
        cost=Decimal(7000),
    )
    for criterion in Criterion.values:
        services.add_question(
            project=project, by=karim, criterion=criterion, text=f"Question {criterion}"
        )
    services.add_team_member(project=project, by=officer, name="Claire", organisation=world.isere)
    services.add_team_member(
        project=project, by=karim, name="Amine", organisation=world.constantine
    )
    if sign:
        services.sign_off(project=project, by=officer, subject="PLAN")
        services.sign_off(project=project, by=karim, subject="PLAN")


def breakdown(total: int) -> dict[str, str]:
    """A breakdown of `total` over the 2×4 cross-tab (all in the first cell but one)."""
    return {"F|15-24": str(total - 1), "M|25-64": "1"}


def unmet(project: Project, transition: str) -> dict[str, str]:
    """Each unmet condition of `transition` with all its reasons."""
    from reciproca.projects import workflow

    out: dict[str, str] = {}
    for u in workflow.unmet_conditions(project, transition):
        out[u.check] = (out.get(u.check, "") + " " + u.reason).strip()
    return out
