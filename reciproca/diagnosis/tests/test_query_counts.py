"""Pages and API lists cost a fixed number of queries, whatever the number of cells,
alternatives or assessors."""

from __future__ import annotations

from django.urls import reverse

from reciproca.accounts.models import Role
from reciproca.diagnosis import services
from reciproca.diagnosis.models import Dimension, Direction, Directness, Horizon, Side
from reciproca.diagnosis.tests.conftest import score_grid, sign_as_row
from reciproca.testing import make_user

# The overview and the conformity report also evaluate gate conditions (a fixed number each).
PAGE_QUERIES = 18  # the project page: 17 + the stage placement
API_QUERIES = 8


def grow(project, world, *, alternatives: int, assessors: int) -> None:
    """Every cell of every option filled, more alternatives, more assessors."""
    options = [None] + [
        services.add_alternative(project=project, by=world.officer, title=f"Alternative {n}")
        for n in range(alternatives)
    ]
    for option in options:
        for side in Side:
            for dimension in Dimension:
                for directness in Directness:
                    for horizon in Horizon:
                        services.set_impact_cell(
                            project=project, by=world.officer, side=side, dimension=dimension,
                            directness=directness, horizon=horizon, direction=Direction.NEGATIVE,
                            magnitude=1, likelihood=1, justification="Effet.", alternative=option,
                        )  # fmt: skip
    people = [
        make_user(f"assessor{n}", world.isere, role=Role.OFFICER, organisation=world.isere)
        for n in range(assessors)
    ]
    for person in people:
        for option in options:
            score_grid(project, person, alternative=option, score=2)


PAGES = ["overview", "matrix_proposal", "compare", "grid_proposal", "versions", "conformity"]
API_LISTS = [
    "diagnosis-need-list", "diagnosis-cell-list", "diagnosis-response-list",
    "diagnosis-alternative-list", "diagnosis-assessment-list", "diagnosis-signoff-list",
    "diagnosis-version-list", "diagnosis-list",
]  # fmt: skip


def measure(client, urls, limit, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured.captured_queries)
    return counts


def test_pages_do_not_grow_with_the_diagnosis(
    completed, world, client, django_assert_max_num_queries
):
    client.force_login(world.constantine_editor)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    urls = [reverse(f"diagnosis:{name}", args=[completed.pk]) for name in PAGES]
    for url in urls:  # warm the per-process caches (content types, the charter's clauses)
        client.get(url)
    small = measure(client, urls, PAGE_QUERIES, django_assert_max_num_queries)
    grow(completed, world, alternatives=3, assessors=3)
    # The grown diagnosis has negative impacts left unanswered: signed as a row.
    sign_as_row(completed, world.constantine_editor)
    large = measure(client, urls, PAGE_QUERIES, django_assert_max_num_queries)
    assert large == small


def test_api_lists_do_not_grow(completed, world, client, django_assert_max_num_queries):
    client.force_login(world.constantine_editor)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    urls = [reverse(f"api:{name}") for name in API_LISTS]
    small = measure(client, urls, API_QUERIES, django_assert_max_num_queries)
    grow(completed, world, alternatives=3, assessors=3)
    # The grown diagnosis has negative impacts left unanswered: signed as a row.
    sign_as_row(completed, world.constantine_editor)
    large = measure(client, urls, API_QUERIES, django_assert_max_num_queries)
    assert large == small
