"""The audit log: administrators only, filtered, exported with the same filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.projects import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    user = User.objects.create_user("adeline", organisation=world.isere)
    RoleGrant.objects.create(user=user, role=Role.ADMIN, organisation=world.isere)
    return user


@pytest.fixture
def events(world):
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau potable rurale",
        programme=world.constantine_programme,
    )  # fmt: skip
    services.update_project(project=project, by=world.constantine_editor, title_fr="Eau rurale")
    return project


@pytest.mark.parametrize("who", ["officer", "constantine_editor", "elected", "outsider"])
def test_only_administrators_read_the_log(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("accounts:audit-log")).status_code == 404


def test_the_log_filters_by_actor_and_exports_the_same_rows(client, world, admin, events):
    client.force_login(admin)
    url = reverse("accounts:audit-log")
    everything = client.get(url)
    assert everything.status_code == 200
    page = client.get(url, {"actor": world.constantine_editor.pk})
    html = page.content.decode()
    assert "projects.project.updated" in html and "projects.project.created" not in html
    export = client.get(url, {"actor": world.constantine_editor.pk, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["projects.project.updated"]
    assert rows[0]["actor"] == "karim"


def test_a_bad_filter_shows_no_event_and_no_error(client, admin, events):
    client.force_login(admin)
    page = client.get(reverse("accounts:audit-log"), {"since": "not-a-date"})
    assert page.status_code == 200
