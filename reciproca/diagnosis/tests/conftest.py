"""Fixtures of the diagnosis tests: a project of the Isère–Constantine partnership at the
diagnosis stage, the reference codelists, and `complete` which fills every part of the
diagnosis the submission gate checks (but signs nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reciproca.charter import engine
from reciproca.diagnosis import grid, services
from reciproca.diagnosis.models import Dimension, Direction, Directness, Horizon, Side
from reciproca.projects import services as project_services
from reciproca.projects.models import Project


@pytest.fixture
def reference(db: Any) -> None:
    """The SDG, DAC purpose code and policy marker codelists: loaded once per test session
    (reciproca.testing.plugin), so this only asks for the database."""


@pytest.fixture
def project(world: Any) -> Project:
    """A project co-owned by Isère (lead) and Constantine, at the diagnosis stage."""
    project = project_services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable dans les communes rurales",
        programme=world.constantine_programme,
    )
    project_services.transition_project(
        project=project, transition="start_diagnosis", by=world.officer
    )
    project.refresh_from_db()
    return project


def fill_matrix(project: Project, by: Any, *, alternative: Any = None) -> None:
    """One justified positive cell per dimension and territory."""
    for side in Side:
        for dimension in Dimension:
            services.set_impact_cell(
                project=project, by=by, side=side, dimension=dimension,
                directness=Directness.DIRECT, horizon=Horizon.MEDIUM,
                direction=Direction.POSITIVE, magnitude=2, likelihood=2,
                justification=f"Effet {dimension.label} attendu.", alternative=alternative,
            )  # fmt: skip


def score_grid(project: Project, by: Any, *, alternative: Any = None, score: int = 3) -> None:
    services.assess_options(
        project=project,
        by=by,
        scores={
            c.code: (score, "Justification de la note.") for c in grid.project_criteria(project)
        },
        alternative=alternative,
    )


def complete(project: Project, world: Any) -> None:
    """Everything the submission gate checks except the partners' sign-offs."""
    services.add_need(
        project=project, by=world.constantine_editor, side=Side.PARTNER,
        title="Eau potable en continu", population_concerned="Habitants de quatre communes",
        evidence="Relevés des coupures 2023.",
    )  # fmt: skip
    services.add_need(
        project=project, by=world.officer, side=Side.HOST,
        title="Expérience internationale des agents",
        population_concerned="Agents du service de l'eau",
        evidence="Revue des compétences 2024.",
    )  # fmt: skip
    project_services.set_project_tags(
        project=project, by=world.officer, themes=engine.themes().filter(code="water-soil")
    )
    project_services.set_project_tags(
        project=project, by=world.officer, services=[world.service],
        elected_officials=[world.elected_official],
    )  # fmt: skip
    fill_matrix(project, world.officer)
    negative = services.set_impact_cell(
        project=project, by=world.constantine_editor, side=Side.PARTNER,
        dimension=Dimension.ENVIRONMENTAL, directness=Directness.DIRECT, horizon=Horizon.SHORT,
        direction=Direction.NEGATIVE, magnitude=1, likelihood=3,
        justification="Déchets de chantier.",
    )  # fmt: skip
    services.add_response(
        cell=negative, by=world.constantine_editor, kind="LIMIT",
        description="Tri des déchets de chantier.", owner_organisation=world.constantine,
        due_date=timezone.localdate() + timedelta(days=90),
    )  # fmt: skip
    score_grid(project, world.officer)
    do_nothing = services.add_alternative(
        project=project, by=world.constantine_editor, title="Ne rien faire", is_do_nothing=True
    )
    fill_matrix(project, world.constantine_editor, alternative=do_nothing)
    score_grid(project, world.constantine_editor, alternative=do_nothing, score=1)
    services.set_reversibility_statement(
        project=project, by=world.officer, text="Chaque tranche de travaux est indépendante."
    )


@pytest.fixture
def completed(project: Project, world: Any) -> Project:
    complete(project, world)
    return project


def sign_as_row(project: Project, by: Any) -> Any:
    """A partner's sign-off written as its row, on a diagnosis that may be incomplete.

    The sign-off service refuses an incomplete diagnosis (`IncompleteDiagnosis`); the tests
    that isolate another rule (one gate condition, the withdrawal on change, the cause's
    wording) start from signed, incomplete content, so they write the sign-off themselves."""
    from django.db import transaction

    from reciproca.diagnosis.models import DiagnosisSignOff
    from reciproca.diagnosis.services.base import _open

    with transaction.atomic():
        diagnosis = _open(project, by)
        signoff = DiagnosisSignOff.objects.create(
            diagnosis=diagnosis,
            version=diagnosis.version,
            organisation_id=by.organisation_id,
            signed_by=by,
        )
        services.refresh_snapshot(diagnosis)
    return signoff
