"""Loading charter files: the shipped Isère charter, another authority's, and refusals that
name the line and field and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from reciproca.charter import conditions, engine
from reciproca.charter.apps import PLANNED_CONDITIONS
from reciproca.charter.loader import (
    CharterFileError,
    CharterReactivationRefused,
    CharterVersionConflict,
    load_charter,
    load_charter_text,
    parse_charter,
)
from reciproca.charter.models import Charter, Clause, Theme
from reciproca.core.models import AuditEvent, events_for

from .conftest import EXAMPLE_FILE

ALL_CLAUSES = (
    [f"PRE-{n}" for n in range(1, 6)]
    + ["FND-1"]
    + [f"PRI-{n}" for n in range(1, 5)]
    + [f"OBJ-{n}" for n in range(1, 4)]
    + [f"PRJ-{n}" for n in range(1, 16)]
)
# Every clause has its mechanism since money (PRE-4, PRE-5, PRJ-11, PRI-3, FND-1, OBJ-1,
# OBJ-3) and pooling (PRJ-12) arrived: none is marked planned any more.
PLANNED: set[str] = set()


def _line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def _state() -> tuple[int, int, int, int, int | None]:
    active = Charter.objects.filter(is_active=True).values_list("pk", flat=True).first()
    return (
        Charter.objects.count(),
        Clause.objects.count(),
        Theme.objects.count(),
        AuditEvent.objects.count(),
        active,
    )


# --- the shipped charter ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_isere_charter_loads_with_its_28_clauses_and_16_themes() -> None:
    result = load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE))

    charter = result.charter
    assert result.created and charter.is_active
    assert charter.slug == "isere"
    assert charter.authority == "Département de l'Isère"
    assert [c.code for c in engine.clauses()] == ALL_CLAUSES
    assert {c.code for c in engine.clauses() if c.is_planned} == PLANNED
    assert engine.themes().count() == 16
    assert len(engine.principles()) == 4
    assert [o.code for o in engine.objectives()] == ["OBJ-1", "OBJ-2", "OBJ-3"]


@pytest.mark.django_db
@pytest.mark.charter("PRJ-15")
def test_the_priority_themes_are_charter_data_with_their_suggestions(isere: Charter) -> None:
    themes = {theme.code: theme for theme in engine.themes()}

    water = themes["water-soil"]
    assert water.sdg_targets == ["6.4", "6.5", "6.6", "2.4", "15.3"]
    assert water.policy_markers == ["2", "7", "8"]
    assert water.purpose_codes == ["14010", "14015", "14040", "31140", "31130"]
    # 16.10 stays 16.10: SDG targets are text, never numbers.
    assert "16.10" in themes["citizen-expression"].sdg_targets
    assert themes["essential-services"].purpose_codes[:3] == ["14030", "14031", "14032"]
    for theme in themes.values():
        assert theme.name_fr and theme.name_en and theme.name_ar and theme.name_hy
    with translation.override("en"):
        assert str(themes["local-powers"].name) == "Autonomous local powers"
    with translation.override("ar"):
        assert themes["desertification"].name == "مكافحة التصحر"


@pytest.mark.django_db
def test_the_isere_gates_name_every_condition_with_the_clauses_behind_it(isere: Charter) -> None:
    gates = engine.gates()

    assert [c.check for c in gates["start_diagnosis"]] == ["partners_named"]
    assert {c.check for c in gates["submit_for_decision"]} == {
        "diagnosis_shared", "impact_dimensions_addressed", "negative_impacts_answered",
        "alternatives_assessed", "sustainability_assessed", "cross_cutting_involvement",
        "themes_tagged",
    }  # fmt: skip
    implementation = {c.check: c.clauses for c in gates["start_implementation"]}
    assert implementation["evaluation_plan_validated"] == ("PRJ-5",)
    assert implementation["stage_signed_by_all_partners"] == ("PRJ-8",)
    assert gates["suspend"] == [] and gates["resume"] == []
    used = {c.check for gate_conditions in gates.values() for c in gate_conditions}
    # Every condition the charter names is registered (planned, or real once its app arrives).
    assert set(PLANNED_CONDITIONS) <= used <= conditions.known_codes()


@pytest.mark.django_db
def test_loading_writes_one_audit_event_on_the_new_charter(isere: Charter) -> None:
    events = list(events_for(isere))

    assert [e.action for e in events] == ["charter.charter.loaded"]
    assert events[0].after["version"] == isere.version
    assert events[0].after["clauses"] == 28


# --- another authority -----------------------------------------------------------------------


@pytest.mark.django_db
def test_another_authoritys_charter_loads_and_replaces_the_active_one(isere: Charter) -> None:
    result = load_charter(path=EXAMPLE_FILE)

    isere.refresh_from_db()
    assert not isere.is_active
    assert engine.active_charter() == result.charter
    assert result.charter.authority == "Ville d'Exemple"
    assert result.charter.adopted_date == date(2021, 6, 30)
    assert [c.code for c in engine.clauses()] == ["PRI-1", "PRJ-1", "PRJ-2"]
    assert [t.code for t in engine.themes()] == ["water", "culture"]
    # A plain string is the French text.
    assert engine.themes().get(code="culture").name_fr == "Échanges culturels"
    assert engine.rule("min_alternatives") == 2
    assert [c.check for c in engine.gate("decide")] == ["diagnosis_shared"]
    assert engine.gate("submit_for_decision") == []
    event = events_for(result.charter).get()
    assert event.before == {"charter": "isere", "version": isere.version}


# --- reloading -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reloading_the_same_version_is_a_no_op_that_says_so(isere: Charter) -> None:
    before = _state()

    result = load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE))

    assert not result.created and not result.activated
    assert result.charter == isere
    assert "rien n'a changé" in result.message
    assert _state() == before


@pytest.mark.django_db
def test_a_comment_change_is_not_a_content_change(isere: Charter) -> None:
    text = Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8")

    result = load_charter_text(text="# relu en 2025\n" + text)

    assert not result.created
    assert Charter.objects.count() == 1


@pytest.mark.django_db
def test_the_same_version_with_other_content_is_refused(isere: Charter) -> None:
    text = Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8")
    before = _state()

    with pytest.raises(CharterVersionConflict, match="changez le numéro de version"):
        load_charter_text(text=text.replace("min_alternatives: 1", "min_alternatives: 2"))

    assert _state() == before


@pytest.mark.django_db
def test_a_new_version_becomes_active_and_the_old_one_is_kept(isere: Charter) -> None:
    text = Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8")

    result = load_charter_text(
        text=text.replace('version: "1.0"', 'version: "1.1"').replace(
            "min_alternatives: 1", "min_alternatives: 2"
        )
    )

    assert result.created
    assert engine.active_charter().version == "1.1"
    assert engine.rule("min_alternatives") == 2
    assert Charter.objects.count() == 2
    assert engine.clauses().count() == 28


@pytest.mark.django_db
def test_an_earlier_charter_is_put_back_in_force_only_when_asked(isere: Charter) -> None:
    example = load_charter(path=EXAMPLE_FILE).charter

    with pytest.raises(CharterReactivationRefused) as refused:
        load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE))
    assert "--reactivate" in refused.value.reasons[0]
    assert engine.active_charter() == example

    result = load_charter(path=Path(settings.RECIPROCA_CHARTER_FILE), reactivate=True)

    assert result.activated and not result.created
    assert "de nouveau en vigueur" in result.message
    assert engine.active_charter() == isere
    assert Charter.objects.count() == 2
    assert sorted(e.action for e in events_for(isere)) == [
        "charter.charter.activated",
        "charter.charter.loaded",
    ]


# --- refusals --------------------------------------------------------------------------------


def _mutations(text: str) -> dict[str, tuple[str, str, str]]:
    """name → (broken text, the line to point at, the field) for each kind of mistake."""
    return {
        "yaml syntax": (
            text.replace("    text: Les projets sont évalués.", "    text: Les projets: évalués."),
            "Les projets: évalués.",
            "",
        ),
        "unknown key": (
            text.replace(
                "    section: Projets\n    text: Un diagnostic",
                "    section: Projets\n    colour: rouge\n    text: Un diagnostic",
            ),
            "colour: rouge",
            "clauses[1].colour",
        ),
        "missing clause text": (
            text.replace("    text: Les projets sont évalués.\n", ""),
            "- id: PRJ-2",
            "clauses[2].text",
        ),
        "duplicate clause id": (
            # Quoted, so the test finds this line rather than the first PRJ-1.
            text.replace("- id: PRJ-2", '- id: "PRJ-1"'),
            '- id: "PRJ-1"',
            "clauses[2].id",
        ),
        "unknown condition code": (
            text.replace("check: diagnosis_shared", "check: diagnosis_sharde"),
            "check: diagnosis_sharde",
            "gates[0].conditions[0].check",
        ),
        "gate naming an unknown clause": (
            text.replace("clauses: [PRJ-1, PRI-1]", "clauses: [PRJ-1, PRI-1, PRJ-9]"),
            "clauses: [PRJ-1, PRI-1, PRJ-9]",
            "gates[0].conditions[0].clauses[2]",
        ),
        "unquoted SDG target": (
            text.replace('sdg_targets: ["4.7"]', "sdg_targets: [4.10]"),
            "sdg_targets: [4.10]",
            "themes[1].sdg_targets[0]",
        ),
        "malformed clause id": (
            text.replace("- id: PRJ-2", "- id: prj2"),
            "- id: prj2",
            "clauses[2].id",
        ),
        "unknown transition": (
            text.replace("transition: decide", "transition: decider"),
            "transition: decider",
            "gates[0].transition",
        ),
        "duplicate key": (
            text.replace('  version: "1"\n', '  version: "1"\n  version: "2"\n'),
            'version: "2"',
            "charter.version",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind",
    [
        "yaml syntax",
        "unknown key",
        "missing clause text",
        "duplicate clause id",
        "unknown condition code",
        "gate naming an unknown clause",
        "unquoted SDG target",
        "malformed clause id",
        "unknown transition",
        "duplicate key",
    ],
)
def test_a_malformed_file_is_refused_with_its_line_and_field_and_changes_nothing(
    isere: Charter, example_text: str, kind: str
) -> None:
    broken, needle, field = _mutations(example_text)[kind]
    assert broken != example_text
    before = _state()

    with pytest.raises(CharterFileError) as refused:
        load_charter_text(text=broken, source="ville-exemple.yaml")

    problem = refused.value.problems[0]
    assert problem.line == _line_of(broken, needle), refused.value.reasons
    assert problem.field == field
    if field:
        assert str(problem).startswith(f"ligne {problem.line}, champ {field} : ")
    assert _state() == before
    assert engine.active_charter() == isere


def test_every_problem_is_reported_in_file_order(example_text: str) -> None:
    broken = example_text.replace("    text: Les projets sont évalués.\n", "").replace(
        "    section: Principes\n", "    section: Principes\n    colour: rouge\n"
    )

    with pytest.raises(CharterFileError) as refused:
        parse_charter(text=broken)

    assert [p.field for p in refused.value.problems] == ["clauses[0].colour", "clauses[2].text"]


def test_an_unquoted_number_is_explained() -> None:
    with pytest.raises(CharterFileError) as refused:
        parse_charter(text=EXAMPLE_FILE.read_text().replace('version: "1"', "version: 1.10"))

    assert "guillemets" in refused.value.problems[0].message


def test_a_clause_naming_a_gate_that_does_not_cite_it_is_refused(example_text: str) -> None:
    broken = example_text.replace("    planned: true\n", "    planned: true\n    gates: [decide]\n")

    with pytest.raises(CharterFileError) as refused:
        parse_charter(text=broken, check_references=False)

    assert refused.value.problems[0].field == "clauses[2].gates[0]"


@pytest.mark.parametrize("text", ["", "   \n", "# rien\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    with pytest.raises(CharterFileError, match="vide"):
        parse_charter(text=text)


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(CharterFileError, match="table de clés"):
        parse_charter(text="- charter\n- clauses\n")


def test_yaml_tags_that_build_objects_are_refused() -> None:
    # safe_load semantics: a python/object tag is an error, never a constructed object.
    with pytest.raises(CharterFileError) as refused:
        parse_charter(text="charter: !!python/object/apply:os.system ['true']\n")

    assert refused.value.problems[0].line == 1


@pytest.mark.django_db
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CharterFileError, match="lecture impossible"):
        load_charter(path=tmp_path / "absent.yaml")
    assert Charter.objects.count() == 0


def test_the_shipped_charter_parses_without_a_database() -> None:
    document = parse_charter(
        text=Path(settings.RECIPROCA_CHARTER_FILE).read_text(encoding="utf-8"),
        check_references=False,
    )

    assert len(document.clauses) == 28
    assert len(document.themes) == 16
    assert document.sd_grid is not None and len(document.sd_grid.finalities) == 5


def test_write_charter_fixture_round_trips(write_charter: Callable[[str], Path]) -> None:
    path = write_charter(EXAMPLE_FILE.read_text())
    document = parse_charter(text=path.read_text(), check_references=False)
    assert document.charter.slug == "ville-exemple"


@pytest.mark.django_db
def test_the_full_example_of_the_format_documentation_is_a_valid_charter() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "charter-format.md").read_text(encoding="utf-8")
    example = doc.split("## Full example")[1].split("```yaml\n")[1].split("```")[0]

    document = parse_charter(text=example)

    assert document.charter.slug == "ville-exemple"
    assert document.sd_grid is not None and not document.sd_grid.score_priority_themes
