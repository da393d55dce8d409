from decimal import Decimal

import pytest

from reciproca.projects import workflow
from reciproca.results import services
from reciproca.results.tests.conftest import breakdown, build_framework, build_plan


def test_smoke(project, world):
    f = build_framework(project, world)
    build_plan(project, world)
    unmet = {u.check: u.reason for u in workflow.unmet_conditions(project, "start_implementation")}
    assert "results_framework_defined" not in unmet, unmet
    assert "evaluation_plan_validated" not in unmet, unmet
    p = f["periods"][0]
    services.report_value(project=project, by=world.constantine_editor, indicator=f["people"], period=p, value=Decimal(10), breakdown=breakdown(10))
