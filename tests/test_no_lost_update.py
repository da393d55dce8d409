"""No lost update (issue 10): every edit names the revision it saw; a later one refuses it.

Service level, one test per kind of object: the second writer of the same object gets
`EditConflict` with the current version (who, when, what) and nothing of theirs is written;
two partners editing different objects of the same project do not conflict. Then the walks
that keep it true: every edit form carries a revision, every API write of an existing object
asks for one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from rest_framework import serializers

import reciproca
from reciproca.core.forms import RevisionForm
from reciproca.core.versioning import EditConflict, Revisioned, check_revision
from reciproca.diagnosis import services
from reciproca.diagnosis.models import Diagnosis, Direction, Directness, Horizon, Side
from reciproca.finance import services as finance_services
from reciproca.partnerships import services as partnership_services
from reciproca.projects import services as project_services
from reciproca.results import services as results_services


@pytest.fixture
def project(world: Any) -> Any:
    """A project of Isère and Constantine at the diagnosis stage (the content is shared)."""
    created = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les communes rurales", programme=world.constantine_programme,
    )  # fmt: skip
    project_services.transition_project(
        project=created, transition="start_diagnosis", by=world.officer
    )
    created.refresh_from_db()
    return created


CELL = {"side": Side.PARTNER, "dimension": "ECONOMIC", "directness": Directness.DIRECT,
        "horizon": Horizon.MEDIUM}  # fmt: skip


def _cell(project: Any, by: Any, justification: str, revision: int | None, **where: Any) -> Any:
    return services.set_impact_cell(
        project=project, by=by, **(CELL | where), direction=Direction.POSITIVE, magnitude=2,
        likelihood=2, justification=justification, revision=revision,
    )  # fmt: skip


def _need(project: Any, by: Any, title: str = "Eau potable") -> Any:
    return services.add_need(
        project=project, by=by, side=Side.PARTNER, title=title,
        population_concerned="Habitants", evidence="Relevés 2023.",
    )  # fmt: skip


def test_the_second_writer_of_a_need_sees_the_first_ones_version(project, world):
    need = _need(project, world.officer)
    seen = need.revision  # both open the form at the same revision
    services.update_need(need=need, by=world.officer, title="Eau potable en continu",
                         revision=seen)  # fmt: skip
    with pytest.raises(EditConflict) as refused:
        services.update_need(need=need, by=world.constantine_editor, title="Eau et assainissement",
                             revision=seen)  # fmt: skip
    conflict = refused.value
    assert conflict.current.title == "Eau potable en continu"
    assert conflict.revised_by == world.officer and conflict.revision == seen + 1
    assert "modifié par Alice" in conflict.reasons[0]
    need.refresh_from_db()
    assert need.title == "Eau potable en continu"
    # Knowing the current version, the second writer applies theirs over it.
    services.update_need(need=need, by=world.constantine_editor, title="Eau et assainissement",
                         revision=conflict.revision)  # fmt: skip
    need.refresh_from_db()
    assert (need.title, need.revised_by) == ("Eau et assainissement", world.constantine_editor)


def test_two_partners_filling_different_cells_of_one_matrix_do_not_conflict(project, world):
    # Both opened the matrix with every cell empty (revision 0).
    _cell(project, world.officer, "Emplois locaux.", 0)
    _cell(project, world.constantine_editor, "Tourisme.", 0, dimension="SOCIAL")
    with pytest.raises(EditConflict) as refused:
        _cell(project, world.constantine_editor, "Autre avis.", 0)
    assert refused.value.current.justification == "Emplois locaux."


def test_a_cell_edit_over_a_newer_one_is_refused(project, world):
    cell = _cell(project, world.officer, "Emplois locaux.", 0)
    _cell(project, world.officer, "Emplois et formation.", cell.revision)
    with pytest.raises(EditConflict):
        _cell(project, world.constantine_editor, "Autre avis.", cell.revision)
    cell.refresh_from_db()
    assert cell.justification == "Emplois et formation."


def test_responses_and_alternatives_are_checked(project, world):
    cell = services.set_impact_cell(
        project=project, by=world.officer, **CELL, direction=Direction.NEGATIVE, magnitude=2,
        likelihood=2, justification="Travaux.",
    )  # fmt: skip
    response = services.add_response(
        cell=cell, by=world.officer, kind="MANAGE", description="Chantier phasé.",
        due_date=date(2027, 1, 1), owner_organisation=world.isere,
    )  # fmt: skip
    values = {"kind": "MANAGE", "due_date": date(2027, 1, 1), "owner_organisation": world.isere}
    seen = response.revision
    services.update_response(response=response, by=world.officer, description="Phasé en 3.",
                             revision=seen, **values)  # fmt: skip
    with pytest.raises(EditConflict):
        services.update_response(response=response, by=world.constantine_editor,
                                 description="Phasé en 2.", revision=seen, **values)  # fmt: skip

    alternative = services.add_alternative(project=project, by=world.officer, title="Citerne")
    seen = alternative.revision
    services.update_alternative(alternative=alternative, by=world.officer, title="Citernes",
                                revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        services.update_alternative(alternative=alternative, by=world.constantine_editor,
                                    title="Forage", revision=seen)  # fmt: skip
    alternative.refresh_from_db()
    assert alternative.title == "Citernes"


def test_the_reversibility_statement_is_checked_on_the_diagnosis(project, world):
    # Nobody opened the diagnosis yet: the editor saw revision 0.
    diagnosis = services.set_reversibility_statement(
        project=project, by=world.officer, text="Sortie en un an.", revision=0
    )
    seen = diagnosis.revision
    services.set_reversibility_statement(project=project, by=world.officer,
                                         text="Sortie en deux ans.", revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        services.set_reversibility_statement(project=project, by=world.constantine_editor,
                                             text="Pas de sortie.", revision=seen)  # fmt: skip
    # A new version of the diagnosis (bookkeeping) is not an edit of the statement.
    before = Diagnosis.objects.get(project=project).revision
    _need(project, world.officer, "Formation")
    assert Diagnosis.objects.get(project=project).revision == before


def test_a_project_edit_and_its_tags_are_checked(project, world):
    seen = project.revision
    project_services.update_project(project=project, by=world.officer, summary_fr="Réseau.",
                                    revision=seen)  # fmt: skip
    stale = type(project).objects.get(pk=project.pk)
    stale.revision = seen
    with pytest.raises(EditConflict) as refused:
        project_services.update_project(project=stale, by=world.constantine_editor,
                                        summary_fr="Autre.", revision=seen)  # fmt: skip
    assert refused.value.current.summary_fr == "Réseau."
    with pytest.raises(EditConflict):
        project_services.set_project_tags(project=project, by=world.constantine_editor,
                                          services=[world.service], revision=seen)  # fmt: skip
    assert not project.services.exists()
    # A tag change makes a revision of its own (many-to-many: no field of the row changes).
    current = project.revision
    project_services.set_project_tags(project=project, by=world.officer,
                                      services=[world.service], revision=current)  # fmt: skip
    project.refresh_from_db()
    assert project.revision == current + 1


def test_a_stage_change_is_not_an_edit_of_the_project(project, world):
    seen = project.revision
    project_services.transition_project(project=project, transition="suspend", by=world.officer,
                                        reason="Élections.")  # fmt: skip
    project.refresh_from_db()
    assert project.revision == seen


def test_a_partnership_edit_is_checked(world):
    partnership = world.constantine_partnership
    seen = partnership.revision
    partnership_services.update_partnership(partnership=partnership, by=world.officer,
                                            description="Renouvelé.", revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        partnership_services.update_partnership(
            partnership=partnership, by=world.constantine_editor, description="Élargi.",
            revision=seen,
        )  # fmt: skip
    partnership.refresh_from_db()
    assert partnership.description == "Renouvelé."


def test_budget_lines_the_funding_plan_and_sources_are_checked(project, world):
    line = finance_services.set_budget_line(project=project, by=world.officer, year=2026,
                                            category="STAFF", amount=Decimal("1000"))  # fmt: skip
    seen = line.revision
    finance_services.set_budget_line(project=project, by=world.officer, year=2026,
                                     category="STAFF", amount=Decimal("1200"), line=line,
                                     revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        finance_services.set_budget_line(project=project, by=world.constantine_editor,
                                         year=2026, category="STAFF", amount=Decimal("900"),
                                         line=line, revision=seen)  # fmt: skip
    line.refresh_from_db()
    assert line.amount == Decimal("1200")

    plan = finance_services.set_funding_plan(project=project, by=world.officer,
                                             rates_date=date(2026, 1, 15), revision=0)  # fmt: skip
    with pytest.raises(EditConflict):  # a second "first" plan: it exists now
        finance_services.set_funding_plan(project=project, by=world.constantine_editor,
                                          rates_date=date(2026, 2, 1), revision=0)  # fmt: skip
    plan.refresh_from_db()
    assert plan.rates_date == date(2026, 1, 15)

    source = finance_services.add_funding_source(
        project=project, by=world.officer, kind="HOST_OWN", label="Isère", amount=Decimal("500"),
        currency="EUR", status="PLANNED",
    )  # fmt: skip
    seen = source.revision
    finance_services.set_source_status(source=source, by=world.officer, status="REQUESTED",
                                       revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        finance_services.set_source_status(source=source, by=world.constantine_editor,
                                           status="GRANTED", revision=seen)  # fmt: skip


def test_the_evaluation_plan_and_the_alignment_are_checked(project, world):
    framework = results_services.framework_for(project)
    seen = framework.revision
    results_services.update_plan(project=project, by=world.officer, timings=["FINAL"],
                                 revision=seen)  # fmt: skip
    with pytest.raises(EditConflict):
        results_services.update_plan(project=project, by=world.constantine_editor,
                                     timings=["MID_TERM"], revision=seen)  # fmt: skip
    current = results_services.framework_for(project).revision
    with pytest.raises(EditConflict):
        results_services.set_alignment(project=project, by=world.constantine_editor,
                                       development_plan="PCD", revision=current - 1)  # fmt: skip


def test_an_object_deleted_meanwhile_is_a_conflict_too(project, world):
    need = _need(project, world.officer)
    services.remove_need(need=need, by=world.officer)
    with pytest.raises(EditConflict) as refused:
        check_revision(need, 1, by=world.constantine_editor)
    assert refused.value.current is None and "supprimé" in refused.value.reasons[0]


# --- the walks: a new edit form or API write cannot forget the revision --------------------

# Forms that edit no existing shared object, each with why.
NOT_EDIT_FORMS = {
    "core.forms": "the base classes themselves",
    "accounts.forms.LoginForm": "signs in",
    "accounts.forms.InvitationAcceptForm": "creates an account",
    "accounts.two_factor": "second factor set-up and check",
    "accounts.audit": "filters the audit log",
    "diagnosis.forms.GridForm": "each assessor writes only their own scores",
    "diagnosis.forms.WithdrawSignOffForm": "withdraws one's own sign-off",
    "finance.forms.BudgetLineForm": "adds a line (lines are deleted, not edited, on the page)",
    "finance.forms.TransactionForm": "records a transaction",
    "finance.forms.FundingSourceForm": "adds a source",
    "finance.forms.RateForm": "enters a rate (rates are dated, never edited)",
    "finance.forms.RatesFileForm": "loads a rates file",
    "finance.forms.RevenueForm": "records a year's revenue",
    "finance.forms.ExchangeForm": "records an exchange",
    "finance.forms.StaffTimeForm": "records staff time",
    "finance.forms.SponsorshipForm": "records a sponsorship",
    "finance.forms.DeclarationProfileForm": "the host's own e-APD profile, one officer's",
    "finance.forms.FundingSearchForm": "records a search",
    "partnerships.forms.InviteForm": "sends an invitation",
    "partnerships.forms.RevokeForm": "takes a role back",
    "pooling.forms.FinderForm": "searches",
    "pooling.forms.CoordinationForm": "records a coordination decision",
    "pooling.forms.UploadForm": "imports a file",
    "projects.forms.ProjectFilterForm": "filters the list",
    "projects.forms.ProjectCreateForm": "creates a project",
    "projects.forms.DecisionForm": "records a decision (the workflow refuses a second one)",
}


def _modules() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(reciproca.__path__, "reciproca."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        if info.name.rsplit(".", 1)[-1] in {"forms", "two_factor", "audit"}:
            found.append(importlib.import_module(info.name))
    return found


def test_every_edit_form_carries_the_revision_it_was_rendered_with(db):
    missing = []
    for module in _modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            short = module.__name__.removeprefix("reciproca.")
            if f"{short}.{name}" in NOT_EDIT_FORMS or short in NOT_EDIT_FORMS:
                continue
            if not issubclass(cls, RevisionForm):
                missing.append(f"{short}.{name}")
            elif cls.initial_from.__func__ is RevisionForm.initial_from.__func__:  # type: ignore[attr-defined]
                missing.append(f"{short}.{name} (sans initial_from)")
    assert missing == [], (
        "Formulaires d'édition sans révision (héritez de core.forms.RevisionForm, ou dites "
        f"dans NOT_EDIT_FORMS pourquoi ce n'en est pas un) : {missing}"
    )


def _serializer_classes() -> list[type[serializers.ModelSerializer[Any]]]:
    import reciproca.api.serializers as package

    found = []
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, serializers.ModelSerializer):
                found.append(cls)
    return found


# Serializers of a revisioned model that show only a part of it, inside another resource.
PARTIAL_SERIALIZERS = {
    "NestedResponseSerializer": "the responses listed inside a cell",
    "OrganisationBriefSerializer": "an organisation named inside another resource",
}


def test_every_serializer_of_an_editable_object_shows_its_revision():
    missing = [
        cls.__name__
        for cls in _serializer_classes()
        if hasattr(cls, "Meta")
        and issubclass(cls.Meta.model, Revisioned)
        and cls.__name__ not in PARTIAL_SERIALIZERS
        and "revision" not in cls.Meta.fields
    ]
    assert missing == [], f"Sérialiseurs sans « revision » : {missing}"


def _writes_of_existing_objects() -> list[tuple[str, Any]]:
    """(name, function) of every API view method that changes an existing object: update,
    partial_update, perform_update and the detail actions that PUT, PATCH or POST."""
    from reciproca.api.urls import router

    found = []
    for _prefix, viewset, _basename in router.registry:
        for name in ("update", "partial_update", "perform_update"):
            method = viewset.__dict__.get(name)
            if method is not None:
                found.append((f"{viewset.__name__}.{name}", method))
        for extra in viewset.get_extra_actions():
            methods = set(extra.mapping) - {"get", "head", "options"}
            if extra.detail and methods:
                found.append((f"{viewset.__name__}.{extra.__name__}", extra))
    return found


# Detail actions that change no revisioned object, each with why.
NOT_REVISIONED_ACTIONS = {
    "DiagnosisViewSet.sign_off": "a sign-off is one's own, refused twice",
    "DiagnosisViewSet.withdraw_sign_off": "one's own sign-off",
    "ProjectViewSet.transition": "the workflow refuses a transition from another stage",
    "ProjectViewSet.decision": "the workflow refuses a second decision",
    "ProjectViewSet.sign_off": "one's own sign-off",
    "PeriodViewSet.submit": "a report's own workflow (draft, submitted, returned, approved)",
    "PeriodViewSet.return_": "a report's own workflow",
    "PeriodViewSet.approve": "a report's own workflow",
}


def test_every_api_write_of_an_existing_object_asks_for_its_revision():
    missing = []
    for name, method in _writes_of_existing_objects():
        if name in NOT_REVISIONED_ACTIONS:
            continue
        source = inspect.getsource(method)
        calls = {
            node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for node in ast.walk(ast.parse(inspect.cleandoc("\n" + source)))
            if isinstance(node, ast.Call)
        }
        if "expected_revision" not in calls and "_save" not in calls:
            missing.append(name)
    assert missing == [], (
        "Écritures de l'API sans révision (appelez api.base.expected_revision, ou dites dans "
        f"NOT_REVISIONED_ACTIONS pourquoi) : {missing}"
    )


# --- pages: 409, both versions side by side, the input kept, saving again applies it --------


def _need_post(need: Any, title: str, revision: int) -> dict[str, Any]:
    return {
        "side": need.side, "title": title, "population_concerned": need.population_concerned,
        "evidence": need.evidence, "description": "", "revision": revision,
        "author_organisation": need.author_organisation_id,
    }  # fmt: skip


def test_the_need_page_shows_both_versions_and_keeps_the_input(project, world, client):
    from django.urls import reverse

    need = _need(project, world.constantine_editor)
    url = reverse("diagnosis:need_edit", args=[project.pk, need.pk])
    client.force_login(world.officer)
    page = client.get(url).content.decode()
    assert f'name="revision" value="{need.revision}"' in page
    # Karim saves first, from his own browser.
    services.update_need(need=need, by=world.constantine_editor, title="Eau potable l'été",
                         revision=need.revision)  # fmt: skip
    response = client.post(url, _need_post(need, "Eau potable en continu", need.revision))
    assert response.status_code == 409
    html = response.content.decode()
    assert "a modifié ce contenu en même temps que vous" in html
    assert "modifiée par Karim à" in html
    assert "Eau potable l&#x27;été" in html  # the current version
    assert 'value="Eau potable en continu"' in html  # what Alice typed, still in the form
    need.refresh_from_db()
    assert need.title == "Eau potable l'été"
    assert f'name="revision" value="{need.revision}"' in html
    # Alice, having seen Karim's version, saves hers over it.
    again = client.post(url, _need_post(need, "Eau potable en continu", need.revision))
    assert again.status_code == 302
    need.refresh_from_db()
    assert need.title == "Eau potable en continu"


def test_a_stale_htmx_cell_edit_answers_a_fragment_with_the_conflict(project, world, client):
    from django.urls import reverse

    cell = _cell(project, world.officer, "Emplois locaux.", 0)
    _cell(project, world.constantine_editor, "Emplois et tourisme.", cell.revision)
    url = reverse("diagnosis:cell", args=[project.pk, "proposition", "partner", "economic",
                                          "direct", "medium"])  # fmt: skip
    client.force_login(world.officer)
    response = client.post(
        url,
        {"direction": "NEGATIVE", "magnitude": 1, "likelihood": 1,
         "justification": "Concurrence.", "revision": cell.revision},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" not in html and "Emplois et tourisme." in html and "Concurrence." in html
    cell.refresh_from_db()
    assert cell.justification == "Emplois et tourisme."


def test_the_project_page_in_arabic_says_the_conflict_in_arabic(project, world, client):
    from django.urls import reverse

    seen = project.revision
    project_services.update_project(project=project, by=world.constantine_editor,
                                    summary_fr="Réseau rural.", revision=seen)  # fmt: skip
    world.officer.preferred_language = "ar"
    world.officer.save()
    client.force_login(world.officer)
    body = {"title_fr": project.title_fr, "summary_fr": "Réseau urbain.", "revision": seen}
    for code in ("en", "ar", "hy"):
        body |= {f"title_{code}": "", f"summary_{code}": "", f"objectives_{code}": ""}
    response = client.post(reverse("projects:edit", args=[project.pk]), body,
                           HTTP_ACCEPT_LANGUAGE="ar")  # fmt: skip
    assert response.status_code == 409
    html = response.content.decode()
    assert 'dir="rtl"' in html and "Réseau urbain." in html and "Réseau rural." in html
    assert "a modifié ce contenu en même temps" not in html  # worded in Arabic
    project.refresh_from_db()
    assert project.summary_fr == "Réseau rural."


# --- the API: the revision as ETag and field; 428 without it, 409 with the current version --


def test_the_api_refuses_a_stale_write_with_the_current_version(project, world):
    from rest_framework.test import APIClient

    need = _need(project, world.constantine_editor)
    alice, karim = APIClient(), APIClient()
    alice.force_authenticate(world.officer)
    karim.force_authenticate(world.constantine_editor)
    url = f"/api/v1/diagnosis-needs/{need.pk}/"
    read = alice.get(url)
    assert read.json()["revision"] == need.revision and read["ETag"] == f'"{need.revision}"'
    missing = alice.patch(url, {"title": "Eau"}, format="json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    nour = APIClient()
    nour.force_authenticate(world.constantine_reader)
    assert nour.patch(url, {"title": "Eau"}, format="json").status_code == 403
    first = karim.patch(url, {"title": "Eau l'été"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert first.status_code == 200 and first.json()["revision"] == need.revision + 1
    stale = alice.patch(url, {"title": "Eau en continu"}, format="json",
                        HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["title"] == "Eau l'été" and body["revised_by"] == "karim"
    assert body["revision"] == need.revision + 1 and stale["ETag"] == f'"{body["revision"]}"'
    # The body's `revision` works as well as the header.
    applied = alice.patch(url, {"title": "Eau en continu", "revision": body["revision"]},
                          format="json")  # fmt: skip
    assert applied.status_code == 200
    need.refresh_from_db()
    assert need.title == "Eau en continu"
    junk = alice.patch(url, {"title": "X"}, format="json", HTTP_IF_MATCH="pas-une-revision")
    assert junk.status_code == 400


def test_the_admin_refuses_to_save_a_partnership_over_a_later_revision(world):
    from django.contrib import admin
    from django.test import RequestFactory

    from reciproca.partnerships.models import Partnership

    partnership = world.constantine_partnership
    request = RequestFactory().get("/")
    request.user = world.admin
    form_class = admin.site._registry[Partnership].get_form(request, partnership, change=True)
    seen = partnership.revision
    partnership_services.update_partnership(partnership=partnership, by=world.officer,
                                            description="Renouvelé.", revision=seen)  # fmt: skip
    stale = Partnership.objects.get(pk=partnership.pk)
    data = {name: form_class(instance=stale)[name].value() for name in form_class.base_fields}
    data |= {"description": "Élargi.", "seen_revision": seen}
    data = {k: v for k, v in data.items() if v is not None}
    form = form_class(data, instance=stale)
    assert not form.is_valid()
    assert "modifié par Alice" in " ".join(form.non_field_errors())
    partnership.refresh_from_db()
    assert partnership.description == "Renouvelé."


def test_a_stale_evaluation_plan_form_is_refused_with_the_conflict(project, world, client):
    from django.urls import reverse

    framework = results_services.framework_for(project)
    seen = framework.revision
    results_services.update_plan(
        project=project, by=world.constantine_editor, timings=["FINAL"], participants="Karim",
        revision=seen,
    )  # fmt: skip
    client.force_login(world.officer)
    response = client.post(
        reverse("results:update_plan", args=[project.pk]),
        {"timings": ["MID_TERM"], "participants": "Alice", "revision": seen},
        follow=True,
    )
    assert "modifié par Karim" in response.content.decode()
    framework.refresh_from_db()
    assert framework.plan_participants == "Karim"


def test_a_stale_source_status_form_is_refused(project, world, client):
    from django.urls import reverse

    source = finance_services.add_funding_source(
        project=project, by=world.officer, kind="HOST_OWN", label="Isère", amount=Decimal("500"),
        currency="EUR", status="PLANNED",
    )  # fmt: skip
    page = reverse("finance:project", args=[project.pk])
    client.force_login(world.officer)
    assert f'name="revision" value="{source.revision}"' in client.get(page).content.decode()
    finance_services.set_source_status(source=source, by=world.constantine_editor,
                                       status="REQUESTED", revision=source.revision)  # fmt: skip
    response = client.post(
        reverse("finance:source_status", args=[project.pk, source.pk]),
        {"status": "GRANTED", "revision": source.revision - 1},
        follow=True,
    )
    assert "modifié par Karim" in response.content.decode()
    source.refresh_from_db()
    assert source.status == "REQUESTED"


def test_the_admin_pages_carry_the_revision(admin_client, world):
    from django.urls import reverse

    for name, obj in (
        ("admin:partnerships_organisation_change", world.constantine),
        ("admin:partnerships_partnership_change", world.constantine_partnership),
        ("admin:partnerships_programme_change", world.constantine_programme),
    ):
        page = admin_client.get(reverse(name, args=[obj.pk])).content.decode()
        assert f'name="seen_revision" value="{obj.revision}"' in page, name
