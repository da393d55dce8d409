"""The cumulative totals through the database: any sequence of reports, approvals and
corrections gives the totals of the current revisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciproca.results import queries, services
from reciproca.results.models import Report
from reciproca.results.tests.conftest import breakdown, build_framework


@pytest.mark.charter("PRJ-1")
@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 500), st.booleans()), min_size=1, max_size=8
    )
)
def test_totals_on_the_page_follow_reports_and_corrections(project, world, ops):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        parts = build_framework(project, world, periods=3)
        people, periods = parts["people"], parts["periods"]
        expected: dict[int, int] = {}
        for index, value, approve in ops:
            period = periods[index]
            state = Report.objects.get(period=period).state
            if state == Report.State.SUBMITTED:
                services.approve_report(project=project, by=world.officer, period=period)
                state = Report.State.APPROVED
            services.report_value(
                project=project,
                by=world.constantine_editor,
                indicator=people,
                period=period,
                value=Decimal(value),
                breakdown=breakdown(value),
                reason="correction" if state == Report.State.APPROVED else "",
            )
            expected[index] = value
            if approve and Report.objects.get(period=period).state != Report.State.SUBMITTED:
                services.report_value(
                    project=project,
                    by=world.constantine_editor,
                    indicator=parts["governance"],
                    period=period,
                    narrative="ok",
                )
                services.submit_report(project=project, by=world.constantine_editor, period=period)
        page = queries.results_page(project)
        row = next(r for n in page.nodes for r in n.indicators if r.indicator.pk == people.pk)
        running = 0
        for i, point in enumerate(row.points):
            running += expected.get(i, 0)
            assert point.cumulative == (running if any(k <= i for k in expected) else None)
    finally:
        transaction.savepoint_rollback(sid)
