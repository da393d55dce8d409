"""Other French authorities' projects from a CSV list: documented columns, all or nothing with
row and column errors, idempotent, ranked first by the finder; and the published projects of
an authority hosted on this instance."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reciproca.core.exceptions import PermissionDenied
from reciproca.pooling import finder
from reciproca.pooling.csv_import import CsvRefused, import_csv, index_instance_projects
from reciproca.pooling.models import Activity, ActorKind, Origin
from reciproca.projects import services as project_services

pytestmark = pytest.mark.django_db

GOOD = (
    "collectivite;collectivite_partenaire;pays;code_territoire;intitule;secteur;thematiques;"
    "annee_debut;annee_fin;montant;devise;contact\n"
    "Région Auvergne-Rhône-Alpes;Gouvernorat de Bethléem;PS;PS-BTH;Eau potable à Beit Sahour;"
    "14030;eau;2023;2026;150 000,50;EUR;dri@example.org\n"
    "Ville de Grenoble;Wilaya de Constantine;DZ;DZ-25;Bibliothèques;23110;culture;2020;2022;;;\n"
)


@pytest.mark.charter("PRJ-12")
def test_a_csv_list_is_imported_as_french_authorities_projects(world: Any) -> None:
    report = import_csv(content=GOOD.encode(), name="atlas.csv", by=world.officer)
    assert report.activities == 2
    water = Activity.objects.get(title="Eau potable à Beit Sahour")
    assert (water.origin, water.actor_kind, water.countries) == (
        Origin.CSV,
        ActorKind.FRENCH_AUTHORITY,
        "PS",
    )
    assert (water.start_date, water.end_date) == (date(2023, 1, 1), date(2026, 12, 31))
    assert water.amounts == {"budget": {"EUR": "150000.50"}}
    assert water.partner_authority == "Gouvernorat de Bethléem"
    assert water.places.get(kind="S").territory.iso_code == "PS-BTH"  # type: ignore[union-attr]
    import_csv(content=GOOD.encode(), name="atlas.csv", by=world.officer)
    assert Activity.objects.count() == 2

    project = project_services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Eau"
    )
    [found] = finder.find(finder.query_for_project(project))
    assert found.activity == water
    assert "collectivité territoriale française : classée en premier" in found.reasons


def test_one_bad_cell_refuses_the_whole_file_with_every_error(world: Any) -> None:
    bad = GOOD + (
        "Ville de Lyon;;Maroc;MA-12;;1403;;20;2019;beaucoup;euro;\n"
        "Ville de Lyon;;SN;DZ-25;Écoles;;;2024;2020;;;\n"
    )
    with pytest.raises(CsvRefused) as refused:
        import_csv(content=bad.encode(), name="atlas.csv", by=world.officer)
    messages = [str(e) for e in refused.value.errors]
    assert "ligne 4, colonne intitule : valeur obligatoire" in messages
    assert any(m.startswith("ligne 4, colonne pays : code ISO 3166-1") for m in messages)
    assert any(m.startswith("ligne 4, colonne secteur : code-objet CAD") for m in messages)
    assert any(m.startswith("ligne 4, colonne annee_debut : année attendue") for m in messages)
    assert any(m.startswith("ligne 4, colonne montant : montant invalide") for m in messages)
    assert any(m.startswith("ligne 4, colonne devise") for m in messages)
    assert any(m.startswith("ligne 5, colonne code_territoire") for m in messages)
    assert "ligne 5, colonne annee_fin : année de fin antérieure à l'année de début" in messages
    assert not Activity.objects.exists()

    with pytest.raises(CsvRefused) as refused:
        import_csv(content=b"nom;pays\nX;FR\n", name="x.csv", by=world.officer)
    assert str(refused.value.errors[0]).startswith("ligne 1 : colonnes obligatoires absentes")
    with pytest.raises(PermissionDenied):
        import_csv(content=GOOD.encode(), name="atlas.csv", by=world.bethlehem_editor)


def test_published_projects_of_a_hosted_authority_join_the_index(world: Any) -> None:
    other = project_services.create_project(
        partnership=world.bethlehem_partnership, by=world.officer, title="Jeunesse à Bethléem"
    )
    count = index_instance_projects(
        projects=[other], authority="Département de la Drôme", authority_ref="FR-26", by=None
    )
    assert count == 1
    activity = Activity.objects.get()
    assert (activity.origin, activity.actor_kind) == (Origin.INSTANCE, ActorKind.FRENCH_AUTHORITY)
    assert activity.places.filter(territory__iso_code="PS-BTH").exists()
