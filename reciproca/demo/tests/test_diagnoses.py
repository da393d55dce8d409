"""The demo diagnoses put a project at each point of the story, through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.charter import engine
from reciproca.demo.diagnoses import build_demo_diagnosis
from reciproca.diagnosis import services
from reciproca.diagnosis.gates import diagnosis_shared
from reciproca.diagnosis.models import Diagnosis, DiagnosisSignOff
from reciproca.projects import services as project_services
from reciproca.projects import workflow
from reciproca.projects.models import Stage


@pytest.fixture
def reference(db):
    """The SDG, DAC purpose code and policy marker codelists the demo diagnoses use."""
    from reciproca.reference import loaders

    loaders.load_sdg_goals()
    loaders.load_sdg_targets()
    loaders.load_purpose_categories()
    loaders.load_purpose_codes()
    loaders.load_policy_markers()
    loaders.load_policy_significances()


def new_project(world, title, themes):
    project = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title=title,
        programme=world.constantine_programme,
    )  # fmt: skip
    project_services.set_project_tags(
        project=project, by=world.officer, themes=engine.themes().filter(code__in=themes),
        services=[world.service], elected_officials=[world.elected_official],
    )  # fmt: skip
    return project


def build(world, level, themes=("water-soil",)):
    project = new_project(world, f"Projet {level}", list(themes))
    build_demo_diagnosis(
        project, by_host=world.officer, by_partner=world.constantine_editor, level=level
    )
    project.refresh_from_db()
    return project


def test_empty_and_in_progress(world, reference):
    empty = build(world, "empty")
    assert Diagnosis.objects.get(project=empty).needs.count() == 0
    in_progress = build(world, "in_progress")
    assert in_progress.stage == Stage.DIAGNOSIS
    reasons = [u.reason for u in workflow.unmet_conditions(in_progress, "submit_for_decision")]
    assert any("n'a pas de réponse" in r for r in reasons)
    assert any("Le diagnostic partagé n'a pas été validé" in r for r in reasons)


@pytest.mark.parametrize("themes", [("water-soil",), ("cultural-diversity",), ("local-powers",)])
def test_one_signed_then_shared(world, reference, themes):
    one = build(world, "one_signed", themes)
    assert diagnosis_shared(one, {}) == [
        "Le diagnostic partagé n'a pas été validé par le Département de l'Isère."
    ]
    # Everything but the host's sign-off is there: signing makes it submittable.
    services.sign_off_diagnosis(project=one, by=world.officer)
    assert workflow.unmet_conditions(one, "submit_for_decision") == []


def test_shared_is_ready_for_the_decision_and_decided_moves_on(world, reference, client):
    shared = build(world, "shared")
    assert workflow.unmet_conditions(shared, "submit_for_decision") == []
    assert (
        DiagnosisSignOff.objects.filter(
            diagnosis__project=shared, withdrawn_at__isnull=True
        ).count()
        == 2
    )
    decided = build(world, "decided", ("essential-services", "water-soil"))
    assert decided.stage == Stage.ELABORATION
    assert decided.decisions.get().deliberation_reference.startswith("Commission permanente")
    assert decided.markers.exists() and decided.sdg_targets.exists()
    client.force_login(world.constantine_reader)
    for name in ("overview", "compare", "versions", "conformity"):
        assert client.get(reverse(f"diagnosis:{name}", args=[decided.pk])).status_code == 200


def test_unknown_level_is_refused(world):
    with pytest.raises(ValueError, match="level must be one of"):
        build_demo_diagnosis(
            new_project(world, "x", []),
            by_host=world.officer,
            by_partner=world.constantine_editor,
            level="done",
        )
