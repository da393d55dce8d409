"""The Isère demo: what `make demo` shows a newcomer, built by the real loaders and services."""

from __future__ import annotations

import pytest

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.demo.loader import DEMO_PASSWORD
from reciproca.diagnosis.models import DiagnosisSignOff
from reciproca.partnerships.models import Partnership
from reciproca.projects.models import Decision, Project, Stage


@pytest.mark.charter("PRE-2")
def test_the_charter_s_six_partnerships_are_there_with_their_start_years(demo_db):
    originals = Partnership.objects.filter(predecessors__isnull=True, until_date__isnull=False)
    founding = {
        p.partner.short_name: p.since_date.year
        for p in Partnership.objects.exclude(
            pk__in=Partnership.objects.filter(successor__isnull=False).values("successor")
        )
    }
    assert founding == {
        "Constantine": 1984,
        "Guegharkunik": 2004,
        "Tadla-Azilal": 2004,
        "Souss-Massa-Drâa": 2008,
        "Kédougou-Tambacounda": 2002,
        "Bethléem": 2010,
    }
    # The ended partnerships lead to their successors.
    successors = {
        p.partner.short_name: p.successor.partner.short_name if p.successor else None
        for p in originals.select_related("successor__partner", "partner")
    }
    assert successors == {
        "Tadla-Azilal": "Béni Mellal-Khénifra",
        "Souss-Massa-Drâa": "Souss-Massa",
        "Kédougou-Tambacounda": "Kédougou",
    }


def test_every_demo_login_works_and_every_role_has_one(demo_db, client):
    users = User.objects.filter(email__endswith="@demo.reciproca.invalid")
    assert set(RoleGrant.objects.filter(user__in=users).values_list("role", flat=True)) == set(
        Role.values
    )
    for user in users:
        assert client.login(username=user.username, password=DEMO_PASSWORD), user.username
        assert client.get("/").status_code == 200
        client.logout()


def test_the_demo_holds_a_project_at_each_point_of_the_project_culture(demo_db):
    projects = Project.objects.filter(is_demo=True)
    assert set(projects.values_list("stage", flat=True)) == set(Stage.values)
    assert projects.filter(is_suspended=True).exists()
    outcomes = set(Decision.objects.values_list("outcome", flat=True))
    assert {Decision.Outcome.IMPLEMENT, Decision.Outcome.REDESIGN} <= outcomes
    redesigned = Decision.objects.get(outcome=Decision.Outcome.REDESIGN).new_project
    assert redesigned is not None and redesigned.stage == Stage.DIAGNOSIS


def test_the_demo_holds_a_diagnosis_at_each_point_of_the_shared_story(demo_db):
    def live_signers(title: str) -> int:
        return DiagnosisSignOff.objects.filter(
            diagnosis__project__title_fr__startswith=title, withdrawn_at__isnull=True
        ).count()

    assert live_signers("Eau potable") == 0  # being built together
    assert live_signers("Patrimoine") == 1  # one side signed
    assert DiagnosisSignOff.objects.filter(
        diagnosis__project__title_fr__startswith="Assainissement", withdrawn_at__isnull=False
    ).exists()  # signed, then changed: the sign-off was withdrawn
    assert live_signers("Formation") == 2  # shared by both, waiting for the decision
    training = Project.objects.get(title_fr__startswith="Formation")
    assert training.stage == Stage.DECISION
    azilal = Project.objects.get(title_fr__startswith="Agropastoralisme")
    assert azilal.stage == Stage.ELABORATION  # decided, moved on


@pytest.mark.charter("PRJ-4")
def test_every_transition_and_decision_in_the_demo_names_the_charter_version(demo_db):
    from reciproca.charter.models import Charter
    from reciproca.core.models import AuditEvent
    from reciproca.projects.workflow import TRANSITIONS

    charter = Charter.objects.get(is_active=True)
    actions = [f"projects.project.{name}" for name in TRANSITIONS if name != "decide"]
    moves = [*actions, "projects.project.decided", "demo.project.placed"]
    events = list(AuditEvent.objects.filter(action__in=moves))
    assert len(events) >= 15
    for event in events:
        assert event.after.get("charter") == {
            "charter": charter.slug,
            "version": charter.version,
            "title": charter.title,
        }, event.action
        assert isinstance(event.after.get("conditions"), list)
