"""`reciproca backup` and `reciproca restore` round-trip every object and document, on this
database and into the other engine (SQLite ⇄ PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from reciproca.core import backup

# A project with a completed shared diagnosis (needs, matrix, alternatives, scores).
from reciproca.diagnosis.tests.conftest import completed, project, reference  # noqa: F401
from reciproca.partnerships.models import Agreement

ROOT = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def instance(world, completed, settings, tmp_path):  # noqa: F811
    """The personas' world, a completed shared diagnosis and a signed agreement's document."""
    settings.RECIPROCA_PRIVATE_ROOT = tmp_path / "private"
    agreement = Agreement(
        partnership=world.constantine_partnership, title="Convention", purpose="Eau",
        forecast_amount=1000, valid_from=date(2026, 1, 1),
    )  # fmt: skip
    agreement.document = SimpleUploadedFile("c.pdf", PDF)
    agreement.save()
    return agreement


@pytest.mark.django_db
def test_a_backup_restores_every_object_and_document(instance, tmp_path, settings):
    file = tmp_path / "backup.zip"
    before = backup.model_digest()
    made = backup.backup(file)
    assert made.documents == 1 and made.models["diagnosis.impactcell"] > 0
    assert {"manifest.json", "data.json"} <= set(zipfile.ZipFile(file).namelist())

    # Lose everything, documents included, then restore.
    document = Path(instance.document.path)
    document.unlink()
    restored = backup.restore(file, replace=True)
    assert restored.models == made.models
    assert backup.model_digest() == before
    assert document.read_bytes() == PDF


@pytest.mark.django_db
def test_times_keep_their_microseconds(instance, tmp_path):
    """Django's JSON cuts times to the millisecond: a backup must not (0.000412 s is not 0)."""
    from reciproca.core.models import AuditEvent

    event = AuditEvent.objects.order_by("pk").first()
    exact = event.at.replace(microsecond=412)
    AuditEvent.objects.filter(pk=event.pk).update(at=exact)
    file = tmp_path / "backup.zip"
    backup.backup(file)
    backup.restore(file, replace=True)
    assert AuditEvent.objects.get(pk=event.pk).at == exact


@pytest.mark.django_db
def test_a_restore_into_a_database_with_data_is_refused_without_replace(instance, tmp_path):
    file = tmp_path / "backup.zip"
    backup.backup(file)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(file))


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(world, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    before = backup.model_digest()
    with pytest.raises(CommandError, match="not a Reciproca backup"):
        call_command("restore", str(bad), "--replace")
    assert backup.model_digest() == before


def _other_engine(tmp_path: Path) -> tuple[str, object]:
    """A scratch database of the other engine, and how to drop it."""
    if connection.vendor == "sqlite":
        psycopg = pytest.importorskip("psycopg")
        name = f"reciproca_restore_{uuid.uuid4().hex[:8]}"
        try:
            admin = psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
            )
        except psycopg.OperationalError as error:
            pytest.skip(f"no PostgreSQL server to restore into: {error}")
        admin.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        return f"postgres://postgres@127.0.0.1:5432/{name}", drop
    return f"sqlite:///{tmp_path / 'other.sqlite3'}", lambda: None


def _run(url: str, *args: str, private: Path) -> str:
    env = {**os.environ, "DATABASE_URL": url, "RECIPROCA_PRIVATE_ROOT": str(private)}
    result = subprocess.run(
        [sys.executable, "-m", "reciproca", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.django_db
def test_a_backup_restores_into_the_other_engine(instance, tmp_path):
    file = tmp_path / "backup.zip"
    backup.backup(file)
    before = backup.model_digest()
    url, drop = _other_engine(tmp_path)
    private = tmp_path / "other-private"
    try:
        _run(url, "migrate", "--noinput", "-v", "0", private=private)
        _run(url, "restore", str(file), private=private)
        digest = _run(
            url, "shell", "-c",
            "import json; from reciproca.core.backup import model_digest; "
            "print(json.dumps(model_digest()))",
            private=private,
        )  # fmt: skip
    finally:
        drop()  # type: ignore[operator]
    assert json.loads(digest.strip().splitlines()[-1]) == before
    assert (private / "agreements").is_dir()
