"""The engine other apps ask: gates, their evaluation (failing closed), rules, clauses, themes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pytest
from django.conf import settings
from pydantic import Field

from reciproca.charter import conditions, engine
from reciproca.charter.loader import load_charter, load_charter_text
from reciproca.charter.models import Charter

from .conftest import EXAMPLE_FILE


def _example_with_gate(check: str, params: str = "") -> str:
    """The example charter with `check` as the condition of its `decide` gate."""
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    gate = f"      - check: {check}\n        clauses: [PRJ-1, PRI-1]\n"
    if params:
        gate += f"        params: {params}\n"
    return text.replace("      - check: diagnosis_shared\n        clauses: [PRJ-1, PRI-1]\n", gate)


@pytest.mark.django_db
def test_without_a_charter_the_engine_refuses_and_says_how_to_load_one() -> None:
    with pytest.raises(engine.CharterNotLoaded) as refused:
        engine.evaluate("decide", object())

    assert "reciproca charter load" in refused.value.reasons[0]
    with pytest.raises(engine.CharterNotLoaded):
        engine.rule("min_alternatives", 1)


@pytest.mark.django_db
def test_a_condition_not_yet_built_fails_closed_with_its_reason(
    scratch_conditions: Callable[..., None],
) -> None:
    scratch_conditions("charter_test_planned")
    load_charter_text(text=_example_with_gate("charter_test_planned"))

    unmet = engine.evaluate("decide", object())

    assert len(unmet) == 1
    assert unmet[0].check == "charter_test_planned"
    assert unmet[0].clauses == ("PRJ-1", "PRI-1")
    assert unmet[0].label == "libellé charter_test_planned"
    assert "ne peut pas encore être vérifié" in unmet[0].reason
    assert "une capacité" in unmet[0].reason
    assert engine.gate("decide")[0].is_planned


class _MinParams(conditions.Params):
    min_alternatives: Annotated[int, Field(ge=0)] | None = None


@pytest.mark.django_db
def test_each_reason_of_a_check_is_one_unmet_condition(
    scratch_conditions: Callable[..., None],
) -> None:
    seen: list[tuple[Any, Any]] = []

    def check(subject: Any, params: _MinParams) -> list[str]:
        seen.append((subject, params))
        return [f"il manque {name}" for name in subject]

    scratch_conditions("charter_test_real", check, params=_MinParams)
    load_charter_text(text=_example_with_gate("charter_test_real", "{min_alternatives: 3}"))

    unmet = engine.evaluate("decide", ["Constantine", "Bethléem"])

    assert [u.reason for u in unmet] == ["il manque Constantine", "il manque Bethléem"]
    assert engine.evaluate("decide", []) == []
    # The check receives its validated parameter model.
    assert seen[0][1] == _MinParams(min_alternatives=3)
    assert not engine.gate("decide")[0].is_planned


@pytest.mark.django_db
def test_a_check_reads_the_rules_of_the_charter_it_is_evaluated_against(
    scratch_conditions: Callable[..., None],
) -> None:
    received: dict[str, Any] = {}

    def check(subject: Any, params: Any) -> list[str]:
        received["min_alternatives"] = engine.rule("min_alternatives")
        received["agreement_warning_days"] = engine.rule("agreement_warning_days")
        return []

    scratch_conditions("charter_test_rules", check)
    example = load_charter_text(text=_example_with_gate("charter_test_rules")).charter
    load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE))

    assert engine.evaluate("decide", object(), charter=example) == []
    # The example charter sets min_alternatives: 2; it does not set the warning: the default.
    assert received == {"min_alternatives": 2, "agreement_warning_days": 180}


@pytest.mark.django_db
def test_a_real_check_replaces_a_planned_one_whatever_the_order() -> None:
    saved = dict(conditions._REGISTRY)
    try:

        def check(subject: Any, params: dict[str, Any]) -> list[str]:
            return []

        conditions.register_planned("charter_test_order", label="prévue", capability="plus tard")
        conditions.register("charter_test_order", label="réelle")(check)
        conditions.register_planned("charter_test_order", label="prévue", capability="plus tard")

        spec = conditions.get("charter_test_order")
        assert not spec.is_planned and spec.check is check
    finally:
        conditions._REGISTRY.clear()
        conditions._REGISTRY.update(saved)


@pytest.mark.django_db
def test_a_transition_without_conditions_is_open(isere: Charter) -> None:
    assert engine.gate("suspend") == []
    assert engine.evaluate("resume", object()) == []
    with pytest.raises(ValueError, match="unknown transition"):
        engine.gate("launch")


@pytest.mark.django_db
def test_evaluating_a_gate_reads_the_charter_once(
    scratch_conditions: Callable[..., None], django_assert_num_queries: Any
) -> None:
    scratch_conditions("charter_test_planned")
    load_charter_text(text=_example_with_gate("charter_test_planned"))

    with django_assert_num_queries(1):
        unmet = engine.evaluate("decide", object())

    assert [u.check for u in unmet] == ["charter_test_planned"]


@pytest.mark.django_db
def test_rules_have_defaults_only_when_asked(isere: Charter) -> None:
    assert engine.rule("min_alternatives") == 1
    assert engine.rule("agreement_warning_days", 90) == 180
    assert engine.rule("not_in_this_charter", 7) == 7
    with pytest.raises(KeyError):
        engine.rule("not_in_this_charter")
    assert engine.rule("impact_dimensions") == ["SOCIAL", "ECONOMIC", "ENVIRONMENTAL", "CULTURAL"]


@pytest.mark.django_db
def test_texts_follow_the_active_language_with_french_as_fallback(isere: Charter) -> None:
    from django.utils import translation

    equality = engine.principles()[0]
    assert str(equality.name) == "Égalité"
    with translation.override("hy"):
        assert str(equality.name) == "Հավասարություն"
        # No Armenian text for the principle's body: French is shown.
        assert str(equality.text).startswith("Au-delà")
    grid = engine.sd_grid()
    assert grid is not None and grid.score_priority_themes
    assert grid.finalities[0].code == "climate"
