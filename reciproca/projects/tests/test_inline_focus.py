"""Issue 7: after an inline (htmx) form error, the focus lands on the errors: htmx focuses the
element with `autofocus` in the swapped content."""

from __future__ import annotations

import re

from django.urls import reverse

from reciproca.projects import services
from reciproca.projects.models import Project, Stage


def test_a_refused_decision_focuses_its_errors(client, world):
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau"
    )
    Project.objects.filter(pk=project.pk).update(stage=Stage.DECISION)
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:decide", args=[project.pk]), {"rationale": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert re.search(
        r'<div class="error-summary" role="alert" tabindex="-1" autofocus>',
        (response.content.decode()),
    )


def test_an_invalid_matrix_cell_focuses_its_errors(client, world):
    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau"
    )
    services.transition_project(project=project, transition="start_diagnosis", by=world.officer)
    client.force_login(world.constantine_editor)
    url = reverse(
        "diagnosis:cell", args=[project.pk, "proposition", "partner", "social", "direct", "long"]
    )
    fresh = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<fieldset tabindex="-1" autofocus>' in fresh
    invalid = client.post(
        url, {"direction": "POSITIVE", "justification": "x"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert '<fieldset tabindex="-1">' in invalid
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in invalid
    assert invalid.count("autofocus") == 1
