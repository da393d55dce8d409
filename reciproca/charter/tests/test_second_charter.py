"""A second authority's charter, written without Python, loaded and enforced end to end: its
gates refuse and allow transitions through the projects services and show on the project page,
its parameters are honoured, and its mistakes are refused at load with line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from reciproca.charter import engine
from reciproca.charter.loader import CharterFileError, load_charter, load_charter_text
from reciproca.charter.models import Charter
from reciproca.partnerships.models import ElectedOfficial, Organisation, Participation
from reciproca.projects import services
from reciproca.projects.models import Project, Stage
from reciproca.projects.services import TransitionRefused

REGION_FILE = Path(__file__).parent / "charters" / "region-exemple.yaml"

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(world: Any) -> Charter:
    return load_charter(path=REGION_FILE).charter


@pytest.fixture
def project(world: Any, region: Charter) -> Project:
    return services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Échanges de jeunes agriculteurs",
        programme=world.constantine_programme,
    )


def _youth_association(world: Any, *, role: str = "association de jeunesse") -> Organisation:
    association = Organisation.objects.create(
        name="Jeunes de Constantine", kind=Organisation.Kind.ASSOCIATION
    )
    Participation.objects.create(
        organisation=association, programme=world.constantine_programme, role=role
    )
    return association


def _officials(project: Project, count: int) -> None:
    for number in range(count):
        project.elected_officials.add(
            ElectedOfficial.objects.create(full_name=f"Élu·e régional·e {number}")
        )


def _refusal(project: Project, world: Any, transition: str = "start_diagnosis") -> list[Any]:
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(project=project, transition=transition, by=world.officer)
    return list(refused.value.unmet)


@pytest.mark.charter("COO-1")
@pytest.mark.charter("COO-2")
def test_its_gates_refuse_with_its_own_clauses(project: Project, world: Any) -> None:
    unmet = _refusal(project, world)

    assert [(u.check, u.clauses) for u in unmet] == [
        ("count_at_least", ("COO-1",)),
        ("count_at_least", ("COO-2",)),
    ]
    assert "acteurs du projet de nature « association » au rôle « jeunesse »" in unmet[0].reason
    assert unmet[1].reason == ("élus impliqués : 0 ; la charte en demande au moins 2.")
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


@pytest.mark.charter("COO-2")
def test_two_elected_officials_are_needed_one_is_not_enough(project: Project, world: Any) -> None:
    _youth_association(world)
    _officials(project, 1)

    unmet = _refusal(project, world)
    assert [u.clauses for u in unmet] == [("COO-2",)]
    assert "1 ; la charte en demande au moins 2" in unmet[0].reason

    _officials(project, 1)
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)

    project.refresh_from_db()
    assert project.stage == Stage.DIAGNOSIS


@pytest.mark.charter("COO-1")
def test_an_association_without_a_youth_role_does_not_count(project: Project, world: Any) -> None:
    _youth_association(world, role="appui technique")
    _officials(project, 2)

    unmet = _refusal(project, world)

    assert [u.clauses for u in unmet] == [("COO-1",)]


@pytest.mark.charter("COO-3")
def test_only_the_charters_own_themes_count(project: Project, world: Any, region: Charter) -> None:
    Project.objects.filter(pk=project.pk).update(stage=Stage.DIAGNOSIS)
    project.refresh_from_db()
    isere_theme = engine.themes(charter=Charter.objects.get(slug="isere"))[0]
    project.themes.add(isere_theme)

    unmet = _refusal(project, world, "submit_for_decision")
    assert [(u.check, u.clauses) for u in unmet] == [("themes_tagged", ("COO-3",))]

    project.themes.add(engine.themes().get(code="jeunesse"))
    assert engine.check_gate("submit_for_decision", project).is_met


@pytest.mark.charter("COO-1")
@pytest.mark.charter("COO-2")
def test_the_project_page_lists_its_clauses_and_reasons(
    client: Any, project: Project, world: Any
) -> None:
    _officials(project, 1)
    client.force_login(world.officer)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "COO-1" in page and "COO-2" in page
    assert "Au moins 2 : élus impliqués" in page
    assert "élus impliqués : 1 ; la charte en demande au moins 2." in page
    assert "PRI-1" not in page  # Isère's gate is not the one in force


def _broken(old: str, new: str) -> str:
    text = REGION_FILE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "{measure: project.elected_officials, min: 2}",
            "{measure: project.elected_officials, minimum: 2}",
            "gates[0].conditions[1].params.minimum",
            "champ inconnu",
        ),
        (
            "{measure: project.elected_officials, min: 2}",
            "{measure: project.elected_officials, min: deux}",
            "gates[0].conditions[1].params.min",
            "nombre entier attendu",
        ),
        (
            "{measure: project.elected_officials, min: 2}",
            "{measure: project.elected, min: 2}",
            "gates[0].conditions[1].params.measure",
            "mesure inconnue : project.elected",
        ),
        (
            "kind: ASSOCIATION,",
            "kind: YOUTH_CLUB,",
            "gates[0].conditions[0].params.kind",
            "valeur inconnue",
        ),
        (
            'sdg_targets: ["2.4"]',
            'sdg_targets: ["99.z"]',
            "themes[1].sdg_targets[0]",
            "cible ODD inconnue : 99.z",
        ),
        (
            'purpose_codes: ["31120"]',
            'purpose_codes: ["99999"]',
            "themes[1].purpose_codes[0]",
            "code-objet CAD inconnu : 99999",
        ),
        (
            'policy_markers: ["6"]',
            'policy_markers: ["42"]',
            "themes[1].policy_markers[0]",
            "marqueur CAD inconnu : 42",
        ),
        ("min_alternatives: 0", "min_alternatives: -5", "rules.min_alternatives", "au moins 0"),
        (
            "min_alternatives: 0",
            "min_alternative: 1",
            "rules.min_alternative",
            "règle inconnue",
        ),
        (
            "min_alternatives: 0",
            "agreement_warning_days: deux",
            "rules.agreement_warning_days",
            "nombre entier attendu",
        ),
    ],
)
def test_its_mistakes_are_refused_at_load_with_line_and_field(
    world: Any, old: str, new: str, field: str, message: str
) -> None:
    before = Charter.objects.count()

    with pytest.raises(CharterFileError) as refused:
        load_charter_text(text=_broken(old, new))

    broken = _broken(old, new)
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if new in text)
    problem = next((p for p in refused.value.problems if p.field == field), None)
    assert problem is not None, [str(p) for p in refused.value.problems]
    assert problem.line == line, str(problem)
    assert message in problem.message
    assert str(problem).startswith(f"ligne {line}, champ {field} : ")
    assert Charter.objects.count() == before
