"""Rules every write path shares, owned by the projects services: a closed project is read-only
(but for what the charter allows after closing), a project's places are in its partnership's
country."""

from __future__ import annotations

import pytest

from reciproca.core.exceptions import DomainError
from reciproca.projects import services
from reciproca.projects.models import Project


@pytest.fixture
def projects(world):
    class Make:
        def make(self):
            return services.create_project(
                partnership=world.constantine_partnership,
                by=world.officer,
                title="Eau potable rurale",
                programme=world.constantine_programme,
            )

    return Make()


@pytest.mark.charter("PRJ-8")
@pytest.mark.django_db
def test_a_closed_project_is_read_only_on_every_path(world, projects):
    from reciproca.core.exceptions import ContentFrozen
    from reciproca.projects.models import Stage

    project = projects.make()
    Project.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)
    project.refresh_from_db()
    with pytest.raises(ContentFrozen, match="clos"):
        services.update_project(project=project, by=world.officer, title_fr="Autre titre")
    with pytest.raises(ContentFrozen):
        services.set_project_tags(project=project, by=world.officer, themes=[])
    project.refresh_from_db()
    assert project.title_fr != "Autre titre"


@pytest.mark.django_db
def test_what_the_charter_allows_after_closing_still_changes(world, projects):
    from reciproca.projects.models import Stage

    project = projects.make()
    Project.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)
    project.refresh_from_db()
    services.allow_after_closing("test.followup")
    try:
        with services.shared_change(project=project, by=world.officer, kind="test.followup.x") as c:
            c.record(action="test.followup")
    finally:
        services._AFTER_CLOSING.discard("test.followup")


@pytest.mark.django_db
def test_a_place_outside_the_partnership_s_country_is_refused(world, projects):
    from reciproca.territories.models import Territory

    project = projects.make()
    country_id = project.partnership.territory.country_id
    elsewhere = Territory.objects.exclude(country_id=country_id).first()
    assert elsewhere is not None
    with pytest.raises(DomainError, match="pays du partenariat"):
        services.set_project_tags(project=project, by=world.officer, locations=[elsewhere])
    assert not project.locations.exists()
