"""Issue 7: the dashboard's "À faire" panel, per person, with counts, scoped by the policies;
other apps fill it through the registry (projects/todo.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reciproca.partnerships.models import Agreement
from reciproca.projects import services, todo
from reciproca.projects.models import Project, Stage


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


def _lists(client, user) -> dict[str, todo.TodoList]:
    client.force_login(user)
    response = client.get(reverse("projects:dashboard"))
    assert response.status_code == 200
    return {item.key: item for item in response.context["todo_lists"]}


def test_the_registry_holds_the_lists_of_projects_and_diagnosis():
    assert todo.keys() == ["stage_signoffs", "diagnosis_signoffs", "decisions", "agreements"]


def test_a_stage_awaiting_my_organisations_sign_off_is_listed_until_signed(client, world, project):
    _place(project, Stage.ELABORATION)
    lists = _lists(client, world.constantine_editor)
    assert lists["stage_signoffs"].count == 1
    assert lists["stage_signoffs"].items[0].url == reverse("projects:detail", args=[project.pk])
    services.sign_off_stage(project=project, by=world.constantine_editor)
    assert _lists(client, world.constantine_editor)["stage_signoffs"].count == 0
    # Isère has not signed yet: its officer still has it to do.
    assert _lists(client, world.officer)["stage_signoffs"].count == 1


def test_a_stage_without_a_sign_off_gate_is_not_listed(client, world, project):
    _place(project, Stage.DECISION)  # the Isère charter asks no stage sign-off to decide
    assert _lists(client, world.officer)["stage_signoffs"].count == 0


def test_a_diagnosis_awaiting_my_sign_off_is_listed(client, world, project):
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    lists = _lists(client, world.constantine_editor)
    assert lists["diagnosis_signoffs"].count == 1
    assert lists["diagnosis_signoffs"].items[0].url.endswith("#validation")


def test_decisions_waiting_are_counted_for_who_decides(client, world, project):
    _place(project, Stage.DECISION)
    assert _lists(client, world.elected)["decisions"].count == 1
    assert _lists(client, world.officer)["decisions"].count == 1
    assert _lists(client, world.constantine_reader)["decisions"].count == 0


def test_readers_and_outsiders_have_nothing_to_sign(client, world, project):
    _place(project, Stage.ELABORATION)
    lists = _lists(client, world.constantine_reader)
    assert lists["stage_signoffs"].count == 0
    lists = _lists(client, world.outsider)
    assert all(item.count == 0 for item in lists.values())


def test_agreements_expiring_are_counted_and_shown_in_the_panel(client, world):
    today = timezone.localdate()
    Agreement.objects.create(
        partnership=world.constantine_partnership, title="Convention 2022-2025",
        purpose="Eau.", forecast_amount=1000, valid_from=today - timedelta(days=900),
        valid_until=today + timedelta(days=20),
    )  # fmt: skip
    lists = _lists(client, world.officer)
    assert lists["agreements"].count == 1
    assert _lists(client, world.bethlehem_editor)["agreements"].count == 0
    client.force_login(world.officer)
    content = client.get(reverse("projects:dashboard")).content.decode()
    start = content.index('id="todo"')
    assert content.index("Convention 2022-2025", start) < content.index('id="stages-title"')


def test_another_app_can_add_a_list(client, world, monkeypatch):
    monkeypatch.setattr(todo, "_PROVIDERS", dict(todo._PROVIDERS))
    todo.register(
        "returned_reports",
        lambda user: todo.TodoList(key="returned_reports", title="Rapports renvoyés", count=2),
        order=50,
    )
    lists = _lists(client, world.officer)
    assert lists["returned_reports"].count == 2
    content = client.get(reverse("projects:dashboard")).content.decode()
    assert "Rapports renvoyés" in content
