"""How much the access scoping costs on the lists people use most.

Builds a throw-away SQLite database with N projects over the Isère world, then times, for a
partner editor (who sees one partnership) and for the department's officer (who sees all):

- the scoped project list the pages and the API use (`projects.queries.project_list`),
- against the reference measured in the same run: the same rows read unscoped with the same
  joins (`Project.objects.select_related(...).prefetch_related(...)`).

It prints seconds, queries and the ratio scoped / reference for N and 10×N projects; the ratio,
not the seconds, is what to compare between machines.
Run: `uv run python bench/bench_scoped_lists.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_db}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Prefetch  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from reciproca.projects.models import Project, ProjectPartner  # noqa: E402
from reciproca.projects.queries import project_list  # noqa: E402
from reciproca.testing import make_world  # noqa: E402

REPEAT = 5


def _grow(world, total: int) -> None:
    have = Project.objects.count()
    partnerships = [world.constantine_partnership, world.bethlehem_partnership]
    new = [
        Project(reference=f"BENCH-{i:06d}", title=f"Projet {i}", partnership=partnerships[i % 2])
        for i in range(have, total)
    ]
    Project.objects.bulk_create(new)
    ProjectPartner.objects.bulk_create(
        [
            ProjectPartner(project=p, organisation_id=p.partnership.host_id, role="LEAD")
            for p in Project.objects.filter(
                reference__startswith="BENCH-", partners__isnull=True
            ).select_related("partnership")
        ]
    )


def _time(fn) -> tuple[float, int]:
    best = float("inf")
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            rows = fn()
            best = min(best, time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        assert rows is not None
    return best, queries


def _reference() -> list[Project]:
    return list(
        Project.objects.select_related(
            "partnership__partner", "partnership__territory", "programme"
        ).prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "themes",
        )
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = make_world()
    header = ("projects", "who", "scoped s", "q", "reference s", "q", "ratio")
    print("{:>9} {:<22} {:>9} {:>3} {:>12} {:>3} {:>6}".format(*header))
    for total in (200, 2000):
        _grow(world, total)
        ref_s, ref_q = _time(_reference)
        for label, user in (
            ("officer (all)", world.officer),
            ("partner (one half)", world.constantine_editor),
        ):
            s, q = _time(lambda user=user: list(project_list(user)))
            print(
                f"{total:>9} {label:<22} {s:>9.4f} {q:>3} {ref_s:>12.4f} {ref_q:>3}"
                f" {s / ref_s:>6.2f}"
            )


if __name__ == "__main__":
    main()
