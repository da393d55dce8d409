"""The command line on a database that is not migrated says what to run, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reciproca.__main__ import unmigrated_message

ROOT = Path(__file__).resolve().parents[3]


def test_a_command_on_an_unmigrated_database_says_what_to_run(tmp_path):
    database = tmp_path / "empty.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("RECIPROCA_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "reciproca", "charter", "show"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "n'est pas à jour" in result.stderr
    assert "reciproca migrate" in result.stderr
    assert str(database) in result.stderr


@pytest.mark.django_db
def test_a_migrated_database_lets_the_command_run():
    assert unmigrated_message() is None
