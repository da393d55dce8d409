"""Who sees and changes what: grants on an organisation, a partnership or a project."""

from __future__ import annotations

import pytest

from reciproca.accounts.models import Role, RoleGrant
from reciproca.core.exceptions import PermissionDenied
from reciproca.partnerships.policies import partnerships_visible_to
from reciproca.projects import policies, services


@pytest.fixture
def projects(world):
    return {
        "constantine": services.create_project(
            partnership=world.constantine_partnership, by=world.officer, title="Eau"
        ),
        "bethlehem": services.create_project(
            partnership=world.bethlehem_partnership, by=world.officer, title="Tourisme"
        ),
    }


@pytest.mark.charter("PRI-1")
def test_a_partner_sees_its_partnership_s_work_and_nothing_else(world, projects):
    visible = set(policies.projects_visible_to(world.constantine_editor))
    assert visible == {projects["constantine"]}
    assert set(partnerships_visible_to(world.bethlehem_editor)) == {world.bethlehem_partnership}
    assert set(policies.projects_visible_to(world.officer)) == set(projects.values())
    assert not policies.projects_visible_to(world.outsider).exists()


@pytest.mark.charter("PRI-1")
def test_a_partner_editor_has_the_officer_s_rights_on_shared_work(world, projects):
    project = projects["constantine"]
    assert policies.can_edit_project(world.constantine_editor, project)
    created = services.create_project(
        partnership=world.constantine_partnership, by=world.constantine_editor, title="Souika"
    )
    assert created.partnership == world.constantine_partnership
    services.update_project(project=project, by=world.constantine_editor, summary_fr="Co-écrit")


def test_readers_and_elected_officials_read_but_do_not_edit(world, projects):
    project = projects["constantine"]
    for user in (world.constantine_reader, world.elected):
        assert policies.can_view_project(user, project)
        assert not policies.can_edit_project(user, project)
        with pytest.raises(PermissionDenied):
            services.update_project(project=project, by=user, title_fr="Non")
    assert policies.can_decide_project(world.elected, project)
    assert not policies.can_decide_project(world.constantine_reader, project)


def test_a_grant_on_one_project_reaches_only_that_project(world, projects):
    RoleGrant.objects.create(
        user=world.evaluator, role=Role.EVALUATOR, project=projects["bethlehem"]
    )
    assert set(policies.projects_visible_to(world.evaluator)) == {projects["bethlehem"]}
    assert set(partnerships_visible_to(world.evaluator)) == {world.bethlehem_partnership}
    assert not policies.can_edit_project(world.evaluator, projects["bethlehem"])


def test_nobody_creates_a_project_in_a_partnership_they_do_not_edit(world):
    with pytest.raises(PermissionDenied):
        services.create_project(
            partnership=world.constantine_partnership, by=world.bethlehem_editor, title="Intrus"
        )
    assert set(policies.partnerships_open_to_new_projects(world.bethlehem_editor)) == {
        world.bethlehem_partnership
    }


def test_the_scoped_list_is_one_query_whatever_the_grants(
    world, projects, django_assert_num_queries
):
    with django_assert_num_queries(1):
        list(policies.projects_visible_to(world.officer))


@pytest.mark.parametrize(
    "who",
    [
        "officer",
        "constantine_reader",
        "elected",
        "constantine_editor",
        "bethlehem_editor",
        "evaluator",
        "outsider",
        "admin",
    ],
)
def test_the_lists_show_exactly_what_each_person_may_see(world, projects, who):
    """The lists' shortcut for the host's staff (no grants subquery) lists the same projects
    and partnerships as the policy, for the staff and for everyone else."""
    from reciproca.partnerships.policies import partnerships_listed_for

    user = getattr(world, who)
    RoleGrant.objects.create(
        user=world.evaluator, role=Role.EVALUATOR, project=projects["bethlehem"]
    )
    assert set(policies.projects_listed_for(user)) == set(policies.projects_visible_to(user))
    assert set(partnerships_listed_for(user)) == set(partnerships_visible_to(user))
