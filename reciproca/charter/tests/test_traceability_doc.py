"""docs/charter-traceability.md says what is true: it is the coverage command's own output."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command

TRACEABILITY = settings.BASE_DIR / "docs" / "charter-traceability.md"


def test_the_traceability_table_is_up_to_date():
    out = io.StringIO()
    call_command(
        "charter",
        "coverage",
        "--file",
        str(settings.BASE_DIR / "reciproca" / "charter" / "charters" / "isere.yaml"),
        "--format",
        "markdown",
        stdout=out,
    )
    assert TRACEABILITY.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/charter-traceability.md is stale: run `make traceability`"
    )
