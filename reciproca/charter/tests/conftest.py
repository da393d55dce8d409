"""Fixtures of the charter app's tests: the shipped charter, a second authority's charter,
and throw-away gate conditions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pydantic import BaseModel

from reciproca.charter import conditions
from reciproca.charter.loader import load_charter
from reciproca.charter.models import Charter
from reciproca.testing import ensure_reference_loaded

HERE = Path(__file__).parent
EXAMPLE_FILE = HERE / "charters" / "ville-exemple.yaml"


@pytest.fixture(autouse=True)
def _reference_tables_and_no_charter(request: pytest.FixtureRequest) -> None:
    """Every test using the database starts with the codelists a charter's codes are checked
    against, and without any charter: each test loads the charters it is about."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_reference_loaded()
        Charter.objects.all().delete()


@pytest.fixture
def isere(db: Any) -> Charter:
    """The shipped Isère charter, loaded and active."""
    return load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE)).charter


@pytest.fixture
def example_text() -> str:
    return EXAMPLE_FILE.read_text(encoding="utf-8")


@pytest.fixture
def write_charter(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "charte.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def scratch_conditions() -> Iterator[Callable[..., None]]:
    """Register conditions for one test; the registry is restored afterwards."""
    saved = dict(conditions._REGISTRY)

    def add(
        code: str,
        check: Callable[[Any, Any], list[str]] | None = None,
        *,
        params: type[BaseModel] = conditions.NoParams,
    ) -> None:
        if check is None:
            conditions.register_planned(
                code, label=f"libellé {code}", capability="une capacité", params=params
            )
        else:
            conditions.register(code, label=f"libellé {code}", params=params)(check)

    yield add
    conditions._REGISTRY.clear()
    conditions._REGISTRY.update(saved)
