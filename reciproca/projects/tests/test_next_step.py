"""Issue 7: the project page leads with the next step and its progress, groups repeated
reasons, links each unmet condition to where it is fixed, offers the transition as primary only
when it would pass; the stepper shows the path really taken; the smaller page fixes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reciproca.core.models import events_for
from reciproca.projects import queries, services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.projects.views import FOLD_AFTER


@pytest.fixture
def project(world):
    return services.create_project(
        partnership=world.constantine_partnership,
        by=world.officer,
        title="Eau potable rurale",
        programme=world.constantine_programme,
    )


def _place(project: Project, stage: Stage) -> Project:
    Project.objects.filter(pk=project.pk).update(stage=stage)
    project.refresh_from_db()
    return project


def _page(client, user, project) -> str:
    client.force_login(user)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _section(content: str, section_id: str) -> str:
    start = content.index(f'<section id="{section_id}"')
    return content[start : content.index("</section>", start)]


def test_the_page_leads_with_the_next_step_and_its_progress(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    (gate,) = [g for g in queries.checklist(project) if g.name == "submit_for_decision"]
    met = sum(c.is_met for c in gate.conditions)
    content = _page(client, world.officer, project)
    # The next step comes before the description, the partners and the full checklist.
    assert content.index('id="next-step"') < content.index('id="about-title"')
    assert content.index('id="next-step"') < content.index('id="checklist"')
    panel = _section(content, "next-step")
    assert "Prochaine étape : Soumettre à la décision" in panel
    total = len(gate.conditions)
    assert (
        f"{met} condition{'s' if met > 1 else ''} remplie{'s' if met > 1 else ''} sur {total}"
        in panel
    )
    assert f'<progress max="{total}" value="{met}"' in panel


def test_each_unmet_condition_links_to_the_page_where_it_is_fixed(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    panel = _section(_page(client, world.officer, project), "next-step")
    assert reverse("diagnosis:overview", args=[project.pk]) + "#validation" in panel
    assert reverse("diagnosis:grid_proposal", args=[project.pk]) in panel
    assert reverse("diagnosis:involvement", args=[project.pk]) in panel


def test_repeated_reasons_fold_under_one_line(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    (gate,) = [g for g in queries.checklist(project) if g.name == "submit_for_decision"]
    long = [c for c in gate.unmet if len(c.details) > FOLD_AFTER]
    assert long, "the empty diagnosis has a condition with many reasons"
    panel = _section(_page(client, world.officer, project), "next-step")
    for condition in long:
        n = len(condition.details)
        assert f"<summary>{n} points à reprendre</summary>" in panel
    assert panel.count("<details") == len(long)


def test_the_transition_is_primary_only_when_it_would_pass(client, world, project):
    panel = _section(_page(client, world.officer, project), "next-step")
    # At the idea stage both partners are named: opening the diagnosis would pass.
    assert re.search(r'<button type="submit" class="button">Ouvrir le diagnostic partagé', panel)
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    panel = _section(_page(client, world.officer, project), "next-step")
    assert re.search(
        r'class="button button--secondary" aria-describedby="next-step-why">Soumettre', panel
    )
    assert "Le passage sera refusé tant que" in panel


def test_a_reader_is_told_why_there_is_no_action(client, world, project):
    panel = _section(_page(client, world.constantine_reader, project), "next-step")
    assert 'id="read-only-note"' in panel
    assert "<form" not in panel
    panel = _section(_page(client, world.officer, project), "next-step")
    assert 'id="read-only-note"' not in panel


def _stepper(content: str) -> dict[str, str]:
    nav = content[content.index('<ol class="stages">') : content.index("</ol>")]
    return dict(
        re.findall(r'data-status="(\w+)">\s*(?:<s>)?([^<]+)', nav)[i][::-1] for i in range(7)
    )


def test_a_project_closed_by_redesign_shows_the_stages_it_skipped(client, world, project):
    _place(project, Stage.CLOSED)
    Decision.objects.create(
        project=project, outcome=Decision.Outcome.REDESIGN, rationale="Autre approche."
    )
    content = _page(client, world.officer, project)
    steps = _stepper(content)
    assert steps["Idée"] == "done"
    assert steps["Décision"] == "done"
    assert steps["Élaboration"] == steps["Mise en œuvre"] == steps["Évaluation"] == "skipped"
    assert steps["Clos"] == "current"
    assert "non parcourue" in content
    assert "concevoir un autre projet" in _section(content, "next-step")


def test_a_project_that_went_the_whole_way_has_no_skipped_stage(client, world, project):
    _place(project, Stage.IMPLEMENTATION)
    Decision.objects.create(
        project=project, outcome=Decision.Outcome.IMPLEMENT, rationale="Allons-y."
    )
    steps = _stepper(_page(client, world.officer, project))
    assert "skipped" not in steps.values()
    assert steps["Élaboration"] == "done" and steps["Mise en œuvre"] == "current"


def test_the_decision_step_names_the_outcome(client, world, project):
    _place(project, Stage.ELABORATION)
    Decision.objects.create(
        project=project, outcome=Decision.Outcome.IMPLEMENT, rationale="Allons-y."
    )
    content = _page(client, world.officer, project)
    nav = content[content.index('<ol class="stages">') : content.index("</ol>")]
    assert '<span class="subline">mettre en œuvre</span>' in nav


def test_a_closed_project_awaits_no_sign_off(client, world, project):
    assert "validation de l'étape en attente" in _page(client, world.officer, project)
    _place(project, Stage.CLOSED)
    assert "validation de l'étape en attente" not in _page(client, world.officer, project)


def test_the_suspension_reason_is_on_the_page_and_the_form_is_folded(client, world, project):
    content = _page(client, world.officer, project)
    start = content.index('aria-labelledby="suspend-title"')
    assert content.index("<details", start) < content.index('name="reason"', start)
    assert "<textarea" not in content[start : content.index("</section>", start)]
    services.transition_project(
        project=project, transition="suspend", by=world.officer, reason="Élections locales."
    )
    content = _page(client, world.officer, project)
    assert 'id="suspension-reason"' in content
    assert "Élections locales." in content[: content.index('id="next-step"')]
    assert events_for(project).filter(action="projects.project.suspend").exists()


def test_the_agreement_condition_leads_to_the_partnerships_agreements(client, world, project):
    client.force_login(world.officer)
    response = client.get(reverse("projects:partnership_agreements", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("partnerships:detail", args=[world.constantine_partnership.pk])
        + "#agreements-title"
    )
    client.force_login(world.bethlehem_editor)
    assert (
        client.get(reverse("projects:partnership_agreements", args=[project.pk])).status_code == 404
    )
