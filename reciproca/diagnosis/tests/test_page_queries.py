"""Exact query counts of the three pages an officer and a partner read most: the project page,
the shared diagnosis and the charter conformity report. The charter is read once per request
and each gate condition's data once per evaluation, so these counts are fixed; a change that
moves one is seen here (issue 6 brought them from 40 / 42 / 54 to 28 / 30 / 36, issue 11 to
these: the project read once with what has rows, the checks reading the rows the page holds)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciproca.diagnosis import services

EXACT = {
    "projects:detail": 16,  # 15 + the stage placement (projects.queries.stage_placement)
    "diagnosis:overview": 15,
    # judged at the project's stage: later gates (results, funding) cost no query here
    "diagnosis:conformity": 15,
}


@pytest.mark.parametrize("url_name", list(EXACT))
def test_the_page_runs_a_fixed_number_of_queries(
    url_name, completed, world, client, django_assert_num_queries
):
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    client.force_login(world.officer)
    url = reverse(url_name, args=[completed.pk])
    assert client.get(url).status_code == 200  # warm the per-process caches (content types)
    with django_assert_num_queries(EXACT[url_name]):
        response = client.get(url)
    assert response.status_code == 200
