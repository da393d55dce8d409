"""The background import started from the web: the worker (`reciproca db_worker`) runs it,
the page polls its `ImportRun` for progress."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import task

from reciproca.pooling import services
from reciproca.pooling.models import ImportRun


@task()
def run_import(run_id: int) -> int:
    run = ImportRun.objects.get(pk=run_id)
    by = (
        get_user_model().objects.filter(pk=run.started_by_id).first() if run.started_by_id else None
    )
    path = Path(run.path)
    try:
        services.import_iati(paths=[path], by=by, run=run, parallel=True)
    finally:
        if path.exists() and path.parent.name == "pooling-uploads":
            path.unlink()
    return run_id
