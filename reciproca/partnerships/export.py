"""A full export of one organisation's data, in open formats (issue "Trust", part 6).

What belongs to an organisation: the partnerships it hosts or is partner in, and everything
attached to them whatever app holds it (agreements, programmes, projects and their diagnoses,
results, money, coordination records, their history and audit events, their documents); its
own record, its members (without any credential) and their role grants. The models are found
through the app registry by their foreign keys, so an app added later is exported without a
line here; reference data shared by every organisation (territories, codelists, the SDGs, the
charter) is named by its codes in the rows and not copied.

The file is a zip archive:
- `LISEZMOI.txt`: what the archive holds, in French;
- `manifest.json`: the organisation, when the export was made, the number of rows per model;
- `csv/<app>.<model>.csv`: one UTF-8 CSV per model, a header of field names, one row per object
  (foreign keys as ids, many-to-many as `;`-separated ids), readable by any spreadsheet;
- `json/<app>.<model>.json`: the same rows as JSON;
- `documents/…`: the stored files the exported rows point to.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reciproca.core.models import AuditEvent
from reciproca.partnerships.models import Organisation, Partnership

FORMAT = 1
# Never exported: credentials, sessions, the framework's own tables, the charter and reference
# data every organisation shares.
SKIPPED_APPS = {
    "admin",
    "auth",
    "contenttypes",
    "sessions",
    "authtoken",
    "otp_totp",
    "otp_static",
    "django_otp",
    "django_tasks_db",
    "reference",
    "territories",
    "charter",
}
SECRET_FIELDS = {"password", "key", "token", "token_digest", "secret", "bin_key"}
_DEPTH = 4


@dataclass(frozen=True)
class ExportSummary:
    rows: int
    documents: int
    models: dict[str, int]


def _paths(model: type[models.Model], targets: tuple[type[models.Model], ...]) -> list[str]:
    """Every chain of foreign keys (`a__b`) from `model` that reaches one of `targets`, shortest
    first, at most `_DEPTH` long; a chain stops at the first target it meets."""
    found: list[str] = []
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(_DEPTH):
        following: list[tuple[type[models.Model], str]] = []
        for current, path in frontier:
            for field in current._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete:
                    continue
                related = field.related_model
                if related is None or related._meta.app_label in SKIPPED_APPS:
                    continue
                step = f"{path}__{field.name}" if path else field.name
                if related in targets:
                    found.append(step)
                else:
                    following.append((related, step))
        frontier = following
    return found


def _scope(organisation: Organisation) -> dict[type[models.Model], Q]:
    """For each model, the rows that belong to the organisation (models with none: absent)."""
    partnerships = Partnership.objects.filter(Q(host=organisation) | Q(partner=organisation))
    ids = list(partnerships.values_list("pk", flat=True))
    scope: dict[type[models.Model], Q] = {}
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED_APPS or not model._meta.managed:
            continue
        if model is AuditEvent:
            continue  # below: its subject is a generic relation
        if model is Partnership:
            scope[model] = Q(pk__in=ids)
            continue
        if model is Organisation:
            scope[model] = Q(pk=organisation.pk)
            continue
        condition = Q()
        for path in _paths(model, (Partnership, Organisation)):
            last = _last_model(model, path)
            condition |= (
                Q(**{f"{path}__in": ids})
                if last is Partnership
                else Q(**{f"{path}": organisation.pk})
            )
        if condition:
            scope[model] = condition
    return scope


def _last_model(model: type[models.Model], path: str) -> type[models.Model]:
    current = model
    for name in path.split("__"):
        current = current._meta.get_field(name).related_model  # type: ignore[assignment]
    return current


def _rows(model: type[models.Model], condition: Q) -> Iterator[dict[str, Any]]:
    fields = [f for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
    many = [f for f in model._meta.many_to_many if f.name not in SECRET_FIELDS]
    queryset = model._default_manager.filter(condition).distinct().order_by("pk")
    if many:
        queryset = queryset.prefetch_related(*(f.name for f in many))
    for obj in queryset.iterator(chunk_size=2000) if not many else queryset:
        row: dict[str, Any] = {}
        for field in fields:
            value = field.value_from_object(obj)
            if isinstance(field, models.FileField):
                value = value.name if value else ""
            row[field.attname if field.is_relation else field.name] = value
        for field in many:
            row[field.name] = sorted(o.pk for o in getattr(obj, field.name).all())
        yield row


def _csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ";".join(map(str, v))
                if isinstance(v, list)
                else json.dumps(v, cls=DjangoJSONEncoder, ensure_ascii=False)
                if isinstance(v, dict)
                else ""
                if v is None
                else v
                for k, v in row.items()
            }
        )
    return out.getvalue()


README = """Export des données de {name}
Fait le {when} par Reciproca.

Cette archive contient tout ce qui appartient à l'organisation : les partenariats dont elle est
hôte ou partenaire et tout ce qui s'y rattache (conventions, programmes, projets, diagnostics,
résultats, finances, mutualisation, historique et journal d'audit), sa fiche, ses membres (sans
aucun identifiant de connexion) et leurs rôles, et les documents déposés.

- manifest.json : l'organisation, la date, le nombre de lignes par table ;
- csv/ : une table par fichier (UTF-8, en-tête des noms de champs ; les clés étrangères sont des
  identifiants, les listes sont séparées par « ; ») ;
- json/ : les mêmes lignes en JSON ;
- documents/ : les fichiers déposés que ces lignes désignent.

Les données de référence communes (territoires, nomenclatures, ODD, charte) sont désignées par
leurs codes et ne sont pas copiées.
"""


def export_organisation(organisation: Organisation, path: Path) -> ExportSummary:
    """Write `organisation`'s data to `path` (a zip file); return what it holds."""
    counts: dict[str, int] = {}
    documents: dict[str, Path] = {}
    subjects: dict[type[models.Model], list[Any]] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, condition in sorted(_scope(organisation).items(), key=lambda i: _label(i[0])):
            rows = list(_rows(model, condition))
            if not rows:
                continue
            label = _label(model)
            counts[label] = len(rows)
            subjects[model] = [r["id"] for r in rows if "id" in r]
            archive.writestr(f"csv/{label}.csv", _csv(rows))
            archive.writestr(
                f"json/{label}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            )
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    for row in rows:
                        if row.get(field.name):
                            documents[row[field.name]] = Path(field.storage.path(row[field.name]))
        events = _events(subjects)
        if events:
            counts[_label(AuditEvent)] = len(events)
            archive.writestr(f"csv/{_label(AuditEvent)}.csv", _csv(events))
            archive.writestr(
                f"json/{_label(AuditEvent)}.json",
                json.dumps(events, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            )
        written = 0
        for name, file in sorted(documents.items()):
            if file.is_file():
                archive.write(file, f"documents/{name}")
                written += 1
        when = timezone.now()
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": FORMAT,
                    "organisation": {"id": organisation.pk, "name": organisation.name},
                    "made_at": when.isoformat(),
                    "models": counts,
                    "documents": written,
                },
                indent=1,
                ensure_ascii=False,
                sort_keys=True,
            ),
        )
        archive.writestr(
            "LISEZMOI.txt", README.format(name=organisation.name, when=when.date().isoformat())
        )
    return ExportSummary(rows=sum(counts.values()), documents=written, models=counts)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _events(subjects: dict[type[models.Model], list[Any]]) -> list[dict[str, Any]]:
    """The audit events whose subject is one of the exported objects."""
    from django.contrib.contenttypes.models import ContentType

    condition = Q()
    for model, ids in subjects.items():
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(subject_type=content_type, subject_id__in=ids)
    if not condition:
        return []
    return list(_rows(AuditEvent, condition))
