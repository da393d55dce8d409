"""The portfolio's participation (OBJ-2) counts the projects' activities and the ledger's
exchanges alike: the results and finance apps each register their source with
`projects.participation`, and the page adds them up per year and per partnership."""

from __future__ import annotations

from datetime import date

import pytest

from reciproca.finance import services as finance_services
from reciproca.results import queries, services
from reciproca.results.tests.conftest import build_framework


def _exchange(world, partnership, by, participants, start=date(2030, 5, 12)):
    return finance_services.record_exchange(
        partnership=partnership,
        by=by,
        kind="YOUTH",
        direction="TO_HOST",
        title="Échange de jeunes à Grenoble",
        start_date=start,
        end_date=start,
        competences="animation",
        benefits_partner="formation des animateurs",
        benefits_host="ouverture des jeunes isérois",
        objectives=["OBJ-2"],
        participants=participants,
    )


@pytest.fixture
def counted(project, world):
    parts = build_framework(project, world, sign=False)
    services.record_participation(
        project=project,
        by=world.constantine_editor,
        activity=parts["activity"],
        held_on=date(2030, 3, 1),
        label="Atelier",
        breakdown={"F|15-24": "6", "F|25-64": "4", "M|15-24": "2", "M|25-64": "8"},
    )
    # An exchange of the same partnership and year: 5 young women, 3 men over 30.
    _exchange(
        world,
        world.constantine_partnership,
        world.constantine_editor,
        {("F", "18_29"): 5, ("M", "30_59"): 3},
    )
    # Another year, exchanges only.
    _exchange(
        world,
        world.constantine_partnership,
        world.officer,
        {("F", "U18"): 2, ("M", "U18"): 2},
        start=date(2031, 7, 1),
    )
    # Bethlehem's partnership: not Constantine's to see.
    _exchange(world, world.bethlehem_partnership, world.bethlehem_editor, {("F", "60P"): 4})
    return parts


@pytest.mark.charter("OBJ-2")
def test_the_share_of_women_and_young_people_counts_activities_and_exchanges(
    project, world, counted
):
    rows = queries.participation_shares(world.constantine_editor)
    assert [(r.year, r.partnership, r.total, r.women, r.young) for r in rows] == [
        (2030, world.constantine_partnership.name, 28, 15, 13),
        (2031, world.constantine_partnership.name, 4, 2, 4),
    ]
    assert dict(rows[0].by_source) == {"activities": 20, "exchanges": 8}
    # Per partnership, every year.
    (whole,) = queries.participation_shares(world.constantine_editor, per_year=False)
    assert (whole.total, whole.women, whole.young) == (32, 17, 17)
    assert dict(whole.by_source) == {"activities": 20, "exchanges": 12}
    # Each source is scoped by its own policy: Bethlehem's editor sees only Bethlehem's.
    (other,) = queries.participation_shares(world.bethlehem_editor)
    assert (other.partnership, other.total, other.women, other.young) == (
        world.bethlehem_partnership.name,
        4,
        4,
        0,
    )


@pytest.mark.charter("OBJ-2")
def test_the_participation_page_shows_both_sources_in_its_chart_and_tables(
    project, world, counted, client, django_assert_max_num_queries
):
    client.force_login(world.constantine_editor)
    with django_assert_max_num_queries(30):
        page = client.get("/resultats/participation/").content.decode()
    assert "<svg" in page
    assert (
        "dont activités des projets" in page and "dont échanges du registre de réciprocité" in page
    )
    years = page[page.index('data-testid="participation-years"') :]
    # 2030: 28 participants, 20 at activities and 8 on exchanges; 15 women (54 %).
    assert "<td>28</td><td>20</td><td>8</td><td>15 (54 %)</td><td>13 (46 %)</td>" in years
    partnerships = page[page.index('data-testid="participation-partnerships"') :]
    assert "<td>32</td><td>20</td><td>12</td><td>17 (53 %)</td><td>17 (53 %)</td>" in partnerships
    assert world.bethlehem_partnership.name not in page
