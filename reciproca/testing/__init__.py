"""Test support, above every app: personas and the small world (`personas`), the data each
test session loads once (`session_data`) and the pytest plugin that wires them (`plugin`,
registered by the root conftest.py)."""

from reciproca.testing.personas import (
    PASSWORD,
    World,
    ensure_charter_loaded,
    ensure_reference_loaded,
    make_user,
    make_world,
)

__all__ = [
    "PASSWORD",
    "World",
    "ensure_charter_loaded",
    "ensure_reference_loaded",
    "make_user",
    "make_world",
]
