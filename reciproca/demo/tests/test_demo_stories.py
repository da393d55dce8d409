"""Issue 7: each demo diagnosis tells its own project's story: the Rhumel sanitation project
lists its own needs, not the drinking-water project's."""

from __future__ import annotations

from reciproca.demo.diagnoses import SANITATION, WATER, build_demo_diagnosis
from reciproca.demo.tests.test_diagnoses import new_project
from reciproca.diagnosis.models import Need


def _needs(project) -> set[str]:
    return set(Need.objects.filter(diagnosis__project=project).values_list("title", flat=True))


def test_the_sanitation_and_the_water_projects_list_their_own_needs(world):
    rhumel = new_project(world, "Assainissement des oueds Rhumel", ["pollution", "water-soil"])
    water = new_project(world, "Eau potable", ["essential-services", "water-soil"])
    for project in (rhumel, water):
        build_demo_diagnosis(
            project, by_host=world.officer, by_partner=world.constantine_editor, level="shared"
        )
    water_needs = {n[0] for n in WATER.partner_needs + WATER.host_needs}
    sanitation_needs = {n[0] for n in SANITATION.partner_needs + SANITATION.host_needs}
    assert _needs(rhumel) == sanitation_needs
    assert _needs(water) == water_needs
    assert not _needs(rhumel) & water_needs
