"""The finder on the demo's projects in Senegal, Palestine, Morocco and Armenia lists the real
sample activities located there (the demo imports them: reciproca/demo/data/)."""

from __future__ import annotations

from typing import Any

import pytest

from reciproca.pooling import finder
from reciproca.pooling.models import Activity, Coordination
from reciproca.projects.models import Project


def _found(title_start: str, **filters: Any) -> dict[str, finder.Found]:
    project = Project.objects.get(title__startswith=title_start)
    return {
        f.activity.identifier: f for f in finder.find(finder.query_for_project(project, **filters))
    }


@pytest.mark.charter("PRJ-12")
@pytest.mark.charter("PRJ-13")
def test_the_demo_projects_find_the_real_activities_located_in_their_territories(
    demo_db: Any,
) -> None:
    assert Activity.objects.filter(origin="IATI").count() == 20

    bethlehem = _found("Accueil touristique solidaire à Bethléem")
    assert {"XM-DAC-41114-OUTPUT-00125296", "NL-KVK-27108436-A-06549-02:PS"} <= set(bethlehem)
    assert next(iter(bethlehem)) == "DEMO-ARA-PS-1"  # a French authority comes first
    assert bethlehem["DEMO-ARA-PS-1"].reasons[:2] == [
        "dans Bethléem",
        "collectivité territoriale française : classée en premier",
    ]
    assert "même code-objet CAD : 33210" in bethlehem["DEMO-ARA-PS-1"].reasons

    sevan = _found("Tourisme rural durable autour du lac Sevan")
    armenia = {
        "44000-P128442",
        "XM-DAC-903-SII-43953",
        "XM-DAC-903-SII-44005",
        "XM-DAC-928-AM-2020-21-13.003.EU01.ARM02",
        "XM-DAC-41123-PROJECT-200155",
        "XM-DAC-41123-PROJECT-200288",
        "XM-DAC-41114-OUTPUT-00103606",
        "XM-DAC-41114-OUTPUT-00122496",
        "XM-DAC-41114-OUTPUT-00124828",
        "44000-P175023",
    }
    assert armenia <= set(sevan)
    assert sevan["44000-P128442"].reasons[0] == "dans Guegharkunik"

    azilal = _found("Agropastoralisme et lutte contre la désertification à Azilal")
    assert {"XM-DAC-903-SII-42982", "46002-P-MA-I00-016", "46002-P-Z1-IBE-018"} <= set(azilal)
    assert azilal["DEMO-26-MA-1"].score > azilal["46002-P-MA-I00-016"].score

    kedougou = _found("Santé maternelle et infantile à Kédougou")
    assert set(kedougou) == {"DEMO-73-SN-1"}
    wider = _found("Santé maternelle et infantile à Kédougou", radius_km=300)
    assert {"46002-P-SN-K00-013", "XM-DAC-928-SN-2020-21-13.003.AF01.SEN02"} <= set(wider)
    assert wider["46002-P-SN-K00-013"].reasons[0].endswith("km des lieux du projet")

    assert Coordination.objects.filter(activity__identifier="DEMO-GRE-AM-1").exists()
