"""The funding plan and the project's finance page read in a fixed number of queries, whatever
the number of lines, sources and transactions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciproca.finance import plan as plans
from reciproca.finance import services
from reciproca.projects.models import Project

pytestmark = pytest.mark.django_db


def _grow(world: Any, project: Project, n: int) -> None:
    for i in range(n):
        services.set_budget_line(
            project=project,
            by=world.officer,
            year=2025,
            category="TRAINING",
            amount=100 + i,
            currency="DZD",
        )
        services.add_funding_source(
            project=project,
            by=world.officer,
            kind="HOST_OWN",
            label=f"source {i}",
            amount=1,
            status="GRANTED",
        )
        services.record_transaction(
            project=project,
            by=world.officer,
            kind="EXPENDITURE",
            value_date=date(2025, 1, 10),
            amount=10,
            currency="DZD",
            description=f"dépense {i}",
        )


def _count(callable_: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def test_the_plan_and_the_page_cost_the_same_at_2_and_at_12_of_everything(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    client.force_login(world.officer)
    url = f"/finances/projet/{project.pk}/"
    _grow(world, project, 2)
    small_plan = _count(lambda: plans.funding_plan(project))
    small_page = _count(lambda: client.get(url))
    _grow(world, project, 10)
    assert _count(lambda: plans.funding_plan(project)) == small_plan
    assert _count(lambda: client.get(url)) == small_page
