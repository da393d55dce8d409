"""Backup and restore of a whole instance: every object and every stored document, in one
file that restores on SQLite or PostgreSQL alike.

The file is a zip archive of open formats:
- `manifest.json`: the format version, when and from which engine it was made, the applied
  migrations of each app and the number of objects of each model;
- `data.json`: every row as Django's JSON serialization; the manifest names each content type
  and permission id it uses (`migrate` recreates those with other ids in another database: the
  restore maps them by name);
- `documents/private/…` and `documents/media/…`: the files of the private store
  (`core/uploads.py`) and of the media root.

`restore` needs a migrated database at the same migrations and without domain data (or
`replace=True`, which empties it first); it loads everything in one transaction, puts the
documents back, then counts every model against the manifest: any difference undoes it all.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from reciproca.core.exceptions import DomainError
from reciproca.core.uploads import private_root

FORMAT = 1
# Rebuilt by `migrate` or transient: never backed up, never compared.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
}


@dataclass(frozen=True)
class Summary:
    objects: int
    documents: int
    models: dict[str, int]


def _models() -> list[Any]:
    return [m for m in apps.get_models() if m._meta.label_lower not in EXCLUDED and m._meta.managed]


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _document_roots() -> dict[str, Path]:
    return {"private": private_root(), "media": Path(settings.MEDIA_ROOT)}


def backup(path: Path) -> Summary:
    """Write the whole instance to `path` (a zip file)."""
    counts = _counts()
    rows: list[dict[str, Any]] = []
    for model in _models():
        rows.extend(_rows(model, natural=False))
    documents = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": FORMAT,
                    "made_at": timezone.now().isoformat(),
                    "engine": connection.vendor,
                    "migrations": _migrations(),
                    "models": counts,
                    "content_types": {
                        str(ct.pk): [ct.app_label, ct.model] for ct in ContentType.objects.all()
                    },
                    "permissions": {
                        str(p.pk): [p.content_type.app_label, p.codename]
                        for p in Permission.objects.select_related("content_type")
                    },
                },
                indent=1,
                sort_keys=True,
            ),
        )
        archive.writestr("data.json", json.dumps(rows, cls=FullPrecisionEncoder, indent=0))
        for kind, root in _document_roots().items():
            if not root.is_dir():
                continue
            for file in sorted(p for p in root.rglob("*") if p.is_file()):
                archive.write(file, f"documents/{kind}/{file.relative_to(root).as_posix()}")
                documents += 1
    return Summary(objects=sum(counts.values()), documents=documents, models=counts)


def _domain_rows() -> int:
    """Rows a restore would collide with: everything but what `migrate` and the reference
    loaders may have put in a fresh database is still counted; the caller decides."""
    return sum(_counts().values())


def restore(path: Path, *, replace: bool = False) -> Summary:
    """Load a backup into this database (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise DomainError(f"{path}: not a Reciproca backup ({error})") from error
    with archive:
        names = set(archive.namelist())
        if not {"manifest.json", "data.json"} <= names:
            raise DomainError(f"{path}: not a Reciproca backup (no manifest.json or data.json)")
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise DomainError(f"{path}: backup format {manifest.get('format')}, expected {FORMAT}")
        here = _migrations()
        missing = {
            f"{app}.{name}"
            for app, applied in manifest["migrations"].items()
            for name in applied
            if name not in here.get(app, [])
        }
        if missing:
            raise DomainError(
                "this database lacks migrations the backup was made at: "
                + ", ".join(sorted(missing)[:10])
                + " — run `reciproca migrate` first"
            )
        if _domain_rows() and not replace:
            raise DomainError(
                "this database already holds data: restore into an empty migrated database, "
                "or pass --replace to empty it first"
            )
        data = json.dumps(_remap(json.loads(archive.read("data.json")), manifest))
        documents = [n for n in names if n.startswith("documents/") and not n.endswith("/")]
        with transaction.atomic():
            if replace:
                _empty()
            objects = list(serializers.deserialize("json", data, handle_forward_references=True))
            with connection.constraint_checks_disabled():
                for obj in objects:
                    obj.save()
            deferred = [o for o in objects if o.deferred_fields]
            for obj in deferred:
                obj.save_deferred_fields()
            connection.check_constraints()
            _reset_sequences()
            counts = _counts()
            expected = {k: v for k, v in manifest["models"].items() if k in counts}
            differ = {k: (v, counts[k]) for k, v in expected.items() if counts[k] != v}
            if differ:
                raise DomainError(f"restored counts differ from the backup: {differ}")
        roots = _document_roots()
        for name in documents:
            _prefix, kind, relative = name.split("/", 2)
            if kind not in roots or ".." in Path(relative).parts:
                continue
            target = roots[kind] / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    return Summary(objects=sum(counts.values()), documents=len(documents), models=counts)


def _empty() -> None:
    """Delete every backed-up row (and the many-to-many links) inside the restore's transaction:
    foreign keys are checked at commit on both engines, so the order does not matter."""
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and m._meta.label_lower not in EXCLUDED
    }
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def _remap(rows: list[dict[str, Any]], manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Content type and permission ids of the backup, turned into this database's ids."""
    here_ct = {(c.app_label, c.model): c.pk for c in ContentType.objects.all()}
    ct_map = {int(k): here_ct.get(tuple(v)) for k, v in manifest["content_types"].items()}
    here_perm = {
        (p.content_type.app_label, p.codename): p.pk
        for p in Permission.objects.select_related("content_type")
    }
    perm_map = {int(k): here_perm.get(tuple(v)) for k, v in manifest["permissions"].items()}
    for row in rows:
        model = apps.get_model(row["model"])
        for field in model._meta.get_fields():
            value = row["fields"].get(field.name)
            if value is None or not getattr(field, "related_model", None):
                continue
            if field.related_model is ContentType and not field.many_to_many:
                row["fields"][field.name] = ct_map.get(value)
            elif field.related_model is Permission and field.many_to_many:
                row["fields"][field.name] = [perm_map[v] for v in value if perm_map.get(v)]
    return rows


def _reset_sequences() -> None:
    """PostgreSQL's id sequences follow the restored ids (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _rows(model: Any, *, natural: bool) -> list[dict[str, Any]]:
    return serializers.serialize(
        "python",
        model._default_manager.order_by("pk").iterator(chunk_size=2000),
        use_natural_foreign_keys=natural,
    )


def model_digest() -> dict[str, str]:
    """A digest of every model's rows, to compare two databases object by object (content
    types by name: their ids differ between databases)."""
    digests: dict[str, str] = {}
    for model in _models():
        # Canonical: PostgreSQL's jsonb orders an object's keys its own way.
        canonical = json.dumps(
            _rows(model, natural=True), cls=FullPrecisionEncoder, sort_keys=True, ensure_ascii=False
        )
        digests[model._meta.label_lower] = hashlib.sha256(canonical.encode()).hexdigest()
    return digests
