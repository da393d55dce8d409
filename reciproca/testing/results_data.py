"""A large results framework written in bulk, for the query-count test and bench/: N
indicators × P periods, every value disaggregated over sex × age group (2×4), with targets,
reports and current values. Test data only: the services are exercised by the app's tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from reciproca.projects.models import Project
from reciproca.results.models import (
    Indicator,
    Level,
    Period,
    Report,
    ResultNode,
    ResultsFramework,
    Target,
    Value,
)

DIMENSIONS = {"sex": ["F", "M"], "age_group": ["0-14", "15-24", "25-64", "65+"]}


def big_framework(
    project: Project, by: Any, *, indicators: int = 50, periods: int = 12
) -> ResultsFramework:
    framework, _created = ResultsFramework.objects.get_or_create(project=project)
    objective = ResultNode.objects.create(
        framework=framework, level=Level.OBJECTIVE, title="Objectif"
    )
    outcomes = [
        ResultNode.objects.create(
            framework=framework, parent=objective, level=Level.OUTCOME, title=f"Effet {i}"
        )
        for i in range(5)
    ]
    made_periods = Period.objects.bulk_create(
        Period(
            framework=framework,
            label=f"M{m + 1:02d}",
            start=date(2030 + m // 12, m % 12 + 1, 1),
            end=date(2030 + m // 12, m % 12 + 1, 28),
        )
        for m in range(periods)
    )
    Report.objects.bulk_create(Report(period=p) for p in made_periods)
    made = Indicator.objects.bulk_create(
        Indicator(
            node=outcomes[i % len(outcomes)],
            title=f"Indicateur {i}",
            kind=Indicator.Kind.QUANTITATIVE,
            aggregation=Indicator.Aggregation.CUMULATIVE
            if i % 2
            else Indicator.Aggregation.PER_PERIOD,
            unit="personnes",
            baseline=Decimal(0),
            baseline_date=date(2029, 1, 1),
            dimensions=DIMENSIONS,
            position=i,
        )
        for i in range(indicators)
    )
    cells = [f"{s}|{a}" for s in DIMENSIONS["sex"] for a in DIMENSIONS["age_group"]]
    Target.objects.bulk_create(
        Target(indicator=ind, period=p, value=Decimal(100)) for ind in made for p in made_periods
    )
    Value.objects.bulk_create(
        Value(
            indicator=ind,
            period=p,
            revision=1,
            value=Decimal(8 * (n + 1)),
            breakdown={c: str(n + 1) for c in cells},
            entered_by=by,
        )
        for ind in made
        for n, p in enumerate(made_periods)
    )
    return framework
