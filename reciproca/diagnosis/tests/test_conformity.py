"""The conformity report: every clause of the charter, computed by the engine the gates use,
as a page, a printable document and a CSV."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from django.urls import reverse

from reciproca.charter import engine
from reciproca.charter.conformity import Status
from reciproca.diagnosis import services
from reciproca.projects import workflow
from reciproca.projects.queries import conformity_report


def statuses(project):
    return {c.code: c.status for c in conformity_report(project).clauses}


def test_every_clause_of_the_charter_is_reported(project):
    report = conformity_report(project)
    assert [c.code for c in report.clauses] == list(engine.clauses().values_list("code", flat=True))
    by_code = {c.code: c for c in report.clauses}
    # Every clause of Isère's charter has its mechanism now: none is reported as planned.
    assert not [c.code for c in report.clauses if c.status == Status.PLANNED]
    assert by_code["PRE-4"].status == Status.NOT_APPLICABLE  # in-kind: cited by no gate
    assert by_code["PRE-2"].status == Status.NOT_APPLICABLE  # no gate condition cites it
    assert by_code["PRJ-2"].status == Status.UNMET
    assert (
        "Le diagnostic partagé n'a pas été validé par la Wilaya de Constantine."
        in by_code["PRJ-2"].reasons
    )


@pytest.mark.charter("PRJ-2")
def test_the_report_agrees_with_the_gate(completed, world):
    unmet_clauses = {
        c for u in workflow.unmet_conditions(completed, "submit_for_decision") for c in u.clauses
    }
    before = statuses(completed)
    assert {"PRJ-2", "PRI-1", "PRI-2"} <= unmet_clauses
    assert all(before[c] == Status.UNMET for c in ("PRJ-2", "PRI-1", "PRI-2"))
    assert before["PRJ-3"] == before["PRJ-6"] == before["PRJ-7"] == before["PRJ-14"] == Status.MET
    services.sign_off_diagnosis(project=completed, by=world.officer)
    services.sign_off_diagnosis(project=completed, by=world.constantine_editor)
    after = statuses(completed)
    assert after["PRJ-2"] == after["PRI-2"] == Status.MET
    # PRI-1 is also cited by start_diagnosis (partners named): met now too.
    assert after["PRI-1"] == Status.MET


def test_page_document_and_csv(completed, world, client):
    client.force_login(world.constantine_reader)
    url = reverse("diagnosis:conformity", args=[completed.pk])
    page = unescape(client.get(url).content.decode())
    assert "Conformité à la charte" in page
    assert "PRJ-7" in page and "non respectée" in page
    assert 'href="?format=html"' in page

    document = client.get(url, {"format": "html"})
    assert document.status_code == 200
    assert document["Content-Disposition"].startswith('attachment; filename="conformite-')
    body = unescape(document.content.decode())
    assert body.startswith("<!doctype html>")
    assert "<svg" in body and 'class="radar-series"' in body
    assert "Rapport de conformité à la charte" in body
    assert "/static/" not in body  # standalone: no stylesheet to fetch

    table = client.get(url, {"format": "csv"})
    assert table["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert rows[0][:3] == ["Clause", "Section", "Statut"]
    prj2 = [r for r in rows if r[0] == "PRJ-2"]
    assert prj2 and prj2[0][2] == "non respectée"
    assert any(r[7].startswith("http://testserver/diagnostic/") for r in prj2)

    assert client.get(url, {"format": "pdf"}).status_code == 400
