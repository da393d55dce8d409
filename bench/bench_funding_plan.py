"""What computing a project's funding plan costs (conversion of every amount at its date, the
calls' rules, the in-kind valuation), against reading the same rows.

Builds a throw-away SQLite database with the Isère world and a year of monthly rates, then for
a project with N budget lines, N sources (in EUR, DZD and XOF) and N transactions times:

- `finance.plan.funding_plan(project)` — what the page, the API and `funding_plan_complete` read;
- against the reference measured in the same run: the same rows read without any computation.

It prints seconds, queries and the ratio plan / reference for N and 10×N; compare the ratios,
not the seconds, between machines. Run: `uv run python bench/bench_funding_plan.py`.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_db}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from reciproca.finance import plan as plans  # noqa: E402
from reciproca.finance import services  # noqa: E402
from reciproca.finance.models import (  # noqa: E402
    BudgetLine,
    ExchangeRate,
    FundingPlan,
    FundingSource,
    SkillsSponsorship,
    StaffTime,
    Transaction,
)
from reciproca.projects import services as project_services  # noqa: E402
from reciproca.testing import make_world  # noqa: E402

REPEAT = 5
CURRENCIES = ("EUR", "DZD", "XOF")


def _grow(project, total: int) -> None:
    have = BudgetLine.objects.filter(project=project).count()
    n = total - have
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            year=2025,
            category="TRAINING",
            amount=1000 + i,
            currency=CURRENCIES[i % 3],
        )
        for i in range(n)
    )
    FundingSource.objects.bulk_create(
        FundingSource(
            project=project,
            kind="HOST_OWN",
            side="FRENCH",
            label=f"source {i}",
            amount=900 + i,
            currency=CURRENCIES[i % 3],
            status="GRANTED",
            call="daect-general-2024" if i == 0 else "",
        )
        for i in range(n)
    )
    Transaction.objects.bulk_create(
        Transaction(
            project=project,
            kind="EXPENDITURE",
            value_date=date(2025, 1 + i % 12, 15),
            amount=10 + i,
            currency=CURRENCIES[i % 3],
            description=f"dépense {i}",
        )
        for i in range(n)
    )


def _reference(project) -> list:
    rows: list = []
    for model in (BudgetLine, FundingSource, Transaction, StaffTime, SkillsSponsorship):
        rows.extend(model.objects.filter(project=project))
    rows.extend(ExchangeRate.objects.all())
    rows.append(FundingPlan.objects.filter(project=project).first())
    return rows


def _time(fn) -> tuple[float, int]:
    best = float("inf")
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            assert fn() is not None
            best = min(best, time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return best, queries


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = make_world()
    rates = "currency,date,rate,source\n" + "".join(
        f"DZD,2025-{m:02d}-01,{140 + m / 10:.2f},bench\n" for m in range(1, 13)
    )
    services.load_rates(by=world.officer, text=rates)
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Banc d'essai",
        start_date=date(2025, 1, 1),
        end_date=date(2026, 6, 30),
    )
    services.set_funding_plan(project=project, by=world.officer, rates_date=date(2025, 1, 15))
    header = ("N", "plan s", "q", "reference s", "q", "ratio")
    print("{:>6} {:>9} {:>3} {:>12} {:>3} {:>6}".format(*header))
    for total in (100, 1000):
        _grow(project, total)
        ref_s, ref_q = _time(lambda: _reference(project))
        s, q = _time(lambda: plans.funding_plan(project))
        print(f"{total:>6} {s:>9.4f} {q:>3} {ref_s:>12.4f} {ref_q:>3} {s / ref_s:>6.2f}")


if __name__ == "__main__":
    main()
