"""Issue 7: the diagnosis sign-off is offered only on a complete diagnosis, with a
confirmation, and named apart from the project's stage sign-off."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from reciproca.diagnosis.models import DiagnosisSignOff
from reciproca.projects import services as project_services


def _overview(client, user, project) -> str:
    client.force_login(user)
    return unescape(client.get(reverse("diagnosis:overview", args=[project.pk])).content.decode())


def _validation(page: str) -> str:
    start = page.index('<section id="validation"')
    return page[start : page.index("</section>", start)]


@pytest.mark.charter("PRJ-2")
def test_an_incomplete_diagnosis_is_not_offered_for_sign_off(project, client, world):
    section = _validation(_overview(client, world.constantine_editor, project))
    assert 'action="' + reverse("diagnosis:sign_off", args=[project.pk]) not in section
    assert 'id="sign-off-not-yet"' in section
    assert "conditions restent à remplir" in section
    assert 'href="#avant-decision"' in section


def test_an_idea_whose_diagnosis_is_not_open_is_not_offered_for_sign_off(client, world):
    idea = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Idée"
    )
    section = _validation(_overview(client, world.constantine_editor, idea))
    assert "n'est pas encore ouvert" in section
    assert "<form" not in section


@pytest.mark.charter("PRJ-2")
def test_a_complete_diagnosis_is_offered_with_a_confirmation(completed, client, world):
    section = _validation(_overview(client, world.constantine_editor, completed))
    assert 'type="checkbox" id="confirm-sign-off" name="confirm" value="1" required' in section
    assert "Valider le diagnostic (version 1)" in section
    # The two validations are named apart.
    assert "clause PRJ-2" in section and "clause PRJ-8" in section


def test_a_sign_off_without_the_confirmation_is_refused(completed, client, world):
    client.force_login(world.constantine_editor)
    url = reverse("diagnosis:sign_off", args=[completed.pk])
    response = client.post(url, follow=True)
    assert "Cochez la case de confirmation" in response.content.decode()
    assert not DiagnosisSignOff.objects.exists()
    client.post(url, {"confirm": "1"})
    assert DiagnosisSignOff.objects.filter(organisation=world.constantine).exists()


def test_the_page_refuses_the_sign_off_of_an_incomplete_diagnosis(project, client, world):
    client.force_login(world.constantine_editor)
    response = client.post(
        reverse("diagnosis:sign_off", args=[project.pk]), {"confirm": "1"}, follow=True
    )
    assert "Le diagnostic n'est pas complet" in unescape(response.content.decode())
    assert not DiagnosisSignOff.objects.exists()


def test_the_stage_sign_off_says_it_is_not_the_diagnosis_one(completed, client, world):
    client.force_login(world.constantine_editor)
    page = unescape(client.get(reverse("projects:detail", args=[completed.pk])).content.decode())
    assert "au nom de mon organisation" in page
    assert "Le contenu du diagnostic partagé se valide à part" in page


def test_the_rule_has_one_owner_in_the_policies(project, completed, world):
    from reciproca.diagnosis import policies

    assert policies.sign_off_missing(completed) == []
    idea = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Idée"
    )
    (reason,) = policies.sign_off_missing(idea)
    assert reason.check == "stage"
