"""Server time of a project's results page against a bare page, in the same run.

Builds a throw-away SQLite database with the Isère world and one project whose results
framework has 50 indicators × 12 periods, every value disaggregated over sex × age group (2×4),
then times, through Django's test client (the whole middleware stack, templates and SVG charts):

- the results page (`/resultats/<project>/`),
- against the reference: a bare page of the same stack (`/resultats/notifications/`, empty).

It prints the best of several runs in seconds, the queries, and the ratio results / bare; the
ratio, not the seconds, is what to compare between machines.
Run: `uv run python bench/bench_results_page.py`.
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
os.environ.setdefault(
    "RECIPROCA_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from reciproca.projects import services as project_services  # noqa: E402
from reciproca.testing import make_world  # noqa: E402
from reciproca.testing.results_data import big_framework  # noqa: E402

REPEAT = 7


def _time(client: Client, url: str) -> tuple[float, int]:
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


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    call_command("charter", "load", verbosity=0)
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], ALLOWED_HOSTS=["*"]
    ):
        world = make_world()
        project = project_services.create_project(
            partnership=world.constantine_partnership, by=world.officer, title="Banc d'essai"
        )
        big_framework(project, world.officer, indicators=50, periods=12)
        client = Client()
        client.force_login(world.constantine_editor)
        bare_s, bare_q = _time(client, "/resultats/notifications/")
        page_s, page_q = _time(client, f"/resultats/{project.pk}/")
    print(f"{'page':<40} {'s':>8} {'q':>4}")
    print(f"{'bare page (notifications, empty)':<40} {bare_s:>8.4f} {bare_q:>4}")
    print(f"{'results page 50 ind. x 12 per. x 2x4':<40} {page_s:>8.4f} {page_q:>4}")
    print(f"ratio results / bare: {page_s / bare_s:.1f}")


if __name__ == "__main__":
    main()
