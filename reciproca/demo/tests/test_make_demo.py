"""`make demo` runs as production does and in the database the commands of a fresh checkout
use, so that the README's `uv run reciproca charter show` after `make demo` reads the demo."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _target(name: str) -> str:
    match = re.search(rf"^{re.escape(name)}:.*?\n((?:\t.*\n|#.*\n|\s*\n)*)", MAKEFILE, re.M)
    assert match, name
    return match.group(1)


def test_the_demo_database_is_the_default_database_of_a_fresh_checkout():
    demo_db = re.search(r"^DEMO_DB := (\S+)$", MAKEFILE, re.M).group(1)  # type: ignore[union-attr]
    # The default when DATABASE_URL is not set (config/settings.py).
    settings_text = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    assert "BASE_DIR / 'var' / 'reciproca.sqlite3'" in settings_text
    assert demo_db == "var/reciproca.sqlite3"
    # No target of the demo points the commands at another database.
    for target in ("demo", "demo-data", "serve-prod"):
        assert "DATABASE_URL=" not in _target(target).replace("DATABASE_URL=sqlite:///path", "")


def test_the_demo_runs_with_debug_off_and_serves_its_static_files():
    for target in ("demo", "demo-data", "serve-prod"):
        assert "RECIPROCA_DEBUG=1" not in _target(target), target
    serve = _target("serve-prod")
    assert "collectstatic" in serve and "runserver" in serve
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
