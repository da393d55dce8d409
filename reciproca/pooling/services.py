"""Every write of the pooling app: imports (IATI, CSV), the finder's consultations and the
coordination decisions. Keyword-only, an explicit `by=` actor (None: the operator at the
command line), a policy check, one audit event."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.pooling import ingest, policies
from reciproca.pooling.models import Activity, Consultation, Coordination, ImportRun
from reciproca.pooling.sources import iter_sources, total_size
from reciproca.projects.models import Project


def _require_manager(by: Any) -> None:
    if by is not None and not policies.can_manage_index(by):
        raise PermissionDenied(
            _(
                "Seuls les administrateurs et chargés de mission de la collectivité "
                "alimentent l'index."
            )
        )


def import_iati(
    *,
    paths: list[Path],
    by: Any,
    run: ImportRun | None = None,
    progress: Callable[[ingest.FileResult], None] | None = None,
    parallel: bool = False,
) -> tuple[ImportRun, ingest.RunResult]:
    """Import IATI files, folders and archives; one transaction per file (`ingest.py`).
    `parallel`: read and map in a second process while this one writes."""
    _require_manager(by)
    for path in paths:
        if not path.exists():
            raise DomainError(_("Fichier ou dossier introuvable : %(path)s") % {"path": path})
    if run is None:
        run = ImportRun.objects.create(
            path=", ".join(str(p) for p in paths)[:500],
            name=", ".join(p.name for p in paths)[:255],
            started_by=by if getattr(by, "pk", None) else None,
        )
    run.state = ImportRun.State.RUNNING
    run.bytes_total = total_size(paths)
    run.save(update_fields=["state", "bytes_total"])

    def on_file(result: ingest.FileResult) -> None:
        run.files_done += 1
        run.activities += result.activities
        run.quarantined += result.quarantined
        run.bytes_done = min(run.bytes_total, run.bytes_done + result.size)
        if result.refused:
            run.error = (run.error + f"\n{result.key} : {result.error}").strip()[:5000]
        ImportRun.objects.filter(pk=run.pk).update(
            files_done=run.files_done,
            activities=run.activities,
            quarantined=run.quarantined,
            bytes_done=run.bytes_done,
            error=run.error,
        )
        if progress:
            progress(result)

    try:
        if parallel:
            result = ingest.ingest_parallel(paths, progress=on_file)
        else:
            result = ingest.ingest(iter_sources(paths), progress=on_file)
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportRun.State.FAILED, error=str(error)[:5000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        run.state = ImportRun.State.DONE
        run.finished_at = timezone.now()
        run.bytes_done = run.bytes_total
        run.save(update_fields=["state", "finished_at", "bytes_done"])
        record_event(
            action="pooling.import",
            by=by,
            subject=run,
            after={
                "files": len(result.files),
                "activities": result.activities,
                "quarantined": result.quarantined,
                "refused": [f.key for f in result.files if f.refused],
            },
        )
    return run, result


@transaction.atomic
def record_consultation(*, project: Project, by: Any, found: int) -> Consultation | None:
    """The finder was opened for the project by someone who works on it (once a day each)."""
    if not policies.can_record_coordination(by, project):
        return None
    today = timezone.localdate()
    existing = Consultation.objects.filter(project=project, by=by, at__date=today).first()
    if existing is not None:
        if existing.found != found:
            Consultation.objects.filter(pk=existing.pk).update(found=found)
        return existing
    consultation = Consultation.objects.create(project=project, by=by, found=found)
    record_event(action="pooling.consulted", by=by, subject=project, after={"found": found})
    return consultation


@transaction.atomic
def record_coordination(
    *,
    project: Project,
    activity: Activity,
    outcome: str,
    note: str = "",
    by: Any,
) -> Coordination:
    """What the partners agreed with the actor of a found activity (PRJ-12, PRJ-13)."""
    if not policies.can_record_coordination(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    if outcome not in Coordination.Outcome.values:
        raise DomainError(_("Décision de coordination inconnue : %(value)s") % {"value": outcome})
    note = (note or "").strip()
    if outcome != Coordination.Outcome.NO_OVERLAP and not note:
        raise DomainError(
            _("Dites en une phrase ce qui a été convenu avec l'acteur (la note est requise).")
        )
    coordination = Coordination.objects.create(
        project=project,
        activity=activity,
        activity_identifier=activity.identifier,
        activity_title=activity.title[:2000],
        outcome=outcome,
        note=note,
        recorded_by=by,
    )
    record_event(
        action="pooling.coordination",
        by=by,
        subject=project,
        reason=note,
        after={
            "activity": activity.identifier,
            "title": activity.title[:200],
            "actor": activity.reporting_org_name[:200],
            "outcome": outcome,
        },
    )
    return coordination


def start_upload_import(*, upload: Any, by: Any) -> ImportRun:
    """Save an uploaded file under `var/pooling-uploads/` and queue its import."""
    from django.conf import settings

    from reciproca.pooling.sources import ARCHIVE_SUFFIXES, XML_SUFFIXES

    _require_manager(by)
    if by is None:
        raise PermissionDenied(_("Un import depuis le web a un auteur."))
    name = Path(upload.name).name
    if not name.lower().endswith(XML_SUFFIXES + ARCHIVE_SUFFIXES):
        raise DomainError(
            _("Déposez un fichier .xml, .zip ou .tar.xz (reçu : %(name)s).") % {"name": name}
        )
    folder = Path(settings.BASE_DIR) / "var" / "pooling-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        run = ImportRun.objects.create(path="", name=name[:255], started_by=by)
        target = folder / f"{run.pk}-{name}"
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        run.path = str(target)
        run.bytes_total = target.stat().st_size
        run.save(update_fields=["path", "bytes_total"])
        record_event(action="pooling.upload", by=by, subject=run, after={"name": name})
    from reciproca.pooling.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run
