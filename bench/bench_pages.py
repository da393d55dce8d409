"""What the main pages cost as the projects grow: queries and server time per page.

Builds a throw-away SQLite database (reference data, the Isère charter, the test world), adds
N projects to the Isère–Constantine partnership (ending within the month, each with a few
audit events), then requests each page with Django's test client as the department's officer
and as Constantine's partner editor: the best of a few runs, and the number of queries.
Run: `uv run python bench/bench_pages.py [N ...]` (default 300 and 1000).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_db}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RECIPROCA_STAFF_2FA", "0")
os.environ.setdefault("RECIPROCA_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from reciproca.core.models import AuditEvent  # noqa: E402
from reciproca.projects.models import Project, ProjectPartner  # noqa: E402
from reciproca.testing import make_world  # noqa: E402

REPEAT = 5


def _grow(world, total: int) -> None:
    have = Project.objects.count()
    ending = timezone.localdate() + timedelta(days=30)
    Project.objects.bulk_create(
        Project(
            reference=f"BENCH-{i:06d}",
            title=f"Projet {i}",
            partnership=world.constantine_partnership,
            end_date=ending,
        )
        for i in range(have, total)
    )
    fresh = list(Project.objects.filter(reference__startswith="BENCH-", partners__isnull=True))
    ProjectPartner.objects.bulk_create(
        ProjectPartner(project=p, organisation_id=organisation, role=role)
        for p in fresh
        for organisation, role in (
            (world.constantine_partnership.host_id, "LEAD"),
            (world.constantine_partnership.partner_id, "CO_OWNER"),
        )
    )
    kind = ContentType.objects.get_for_model(Project)
    AuditEvent.objects.bulk_create(
        AuditEvent(action=action, actor=world.officer, subject_type=kind, subject_id=p.pk)
        for p in fresh
        for action in ("projects.project.created", "projects.project.suspend")
    )


def _time(client: Client, url: str) -> tuple[float, int]:
    client.get(url)
    best = float("inf")
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return best, queries


def main(sizes: list[int]) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = make_world()
    print(f"{'projects':>9} {'who':<16} {'page':<22} {'ms':>8} {'queries':>8}")
    for total in sizes:
        _grow(world, total)
        sample = Project.objects.filter(reference__startswith="BENCH-").first()
        assert sample is not None
        pages = {
            "dashboard": reverse("projects:dashboard"),
            "partnership list": reverse("partnerships:list"),
            "partnership page": reverse(
                "partnerships:detail", args=[world.constantine_partnership.pk]
            ),
            "project list": reverse("projects:list"),
            "project page": reverse("projects:detail", args=[sample.pk]),
            "API projects": "/api/v1/projects/",
            "API schema": "/api/v1/schema/",
        }
        for label, user in (("officer", world.officer), ("partner", world.constantine_editor)):
            client = Client()
            client.force_login(user)
            for page, url in pages.items():
                seconds, queries = _time(client, url)
                print(f"{total:>9} {label:<16} {page:<22} {seconds * 1000:>8.1f} {queries:>8}")


if __name__ == "__main__":
    # plain static files (no collected manifest), as in the tests
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        main([int(a) for a in sys.argv[1:]] or [300, 1000])
