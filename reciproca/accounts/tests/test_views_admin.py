"""The admin pages of users, roles, organisations, partnerships and the read-only project and
audit-log pages open for an administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.projects import services


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "accounts/rolegrant",
        "partnerships/organisation",
        "partnerships/partnership",
        "partnerships/agreement",
        "partnerships/programme",
        "partnerships/service",
        "partnerships/electedofficial",
        "projects/project",
        "core/auditevent",
    ],
)
def test_admin_lists_open_for_a_superuser(client, world, model):
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    services.create_project(partnership=world.constantine_partnership, by=world.officer, title="P")
    client.force_login(world.admin)
    app_label, model_name = model.split("/")
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


def test_projects_and_audit_events_are_read_only_in_the_admin(client, world):
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="P"
    )
    client.force_login(world.admin)
    assert client.get(reverse("admin:projects_project_add")).status_code == 403
    response = client.post(
        reverse("admin:projects_project_change", args=[project.pk]), {"title_fr": "Autre"}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "P"


def test_the_partnership_admin_opens_with_its_agreements_and_history(client, world):
    world.admin.is_superuser = world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    pk = world.constantine_partnership.pk
    assert (
        client.get(reverse("admin:partnerships_partnership_change", args=[pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:partnerships_partnership_history", args=[pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:accounts_user_change", args=[world.officer.pk])).status_code
        == 200
    )
