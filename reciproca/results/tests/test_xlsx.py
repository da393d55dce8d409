"""Offline reporting by spreadsheet: one bad cell saves nothing and names sheet, row and
column; a good file saves everything; another project's or an older template is refused."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from reciproca.projects import services as project_services
from reciproca.results import services, xlsx
from reciproca.results.models import Value
from reciproca.results.tests.conftest import build_framework


def _fill(
    data: bytes, values: Mapping[tuple[str, str], Any], text: str = "Les comptes sont tenus."
) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[xlsx.VALUES]
    for row in ws.iter_rows(min_row=2):
        key = (str(row[xlsx.COL_INDICATOR - 1].value), str(row[xlsx.COL_CELL - 1].value or ""))
        if key in values:
            row[xlsx.COL_VALUE - 1].value = values[key]
        if row[xlsx.COL_CELL - 1].value in (None, ""):
            row[xlsx.COL_TEXT - 1].value = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD: dict[tuple[str, str], Any] = {
    ("Personnes raccordées", "TOTAL"): 30,
    ("Personnes raccordées", "F|15-24"): 20,
    ("Personnes raccordées", "M|25-64"): 10,
}


@pytest.fixture
def parts(project, world):
    return build_framework(project, world)


def test_the_template_is_locked_signed_and_in_the_user_s_language(project, world, parts):
    data = xlsx.template(project, parts["periods"][0], language="en")
    wb = load_workbook(io.BytesIO(data))
    assert wb[xlsx.SIGNATURE].sheet_state == "veryHidden"
    assert wb[xlsx.VALUES].protection.sheet
    assert wb[xlsx.VALUES].data_validations.dataValidation
    rows = list(wb[xlsx.VALUES].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 + 8 + 1  # total + 2×4 cells, one qualitative row


@pytest.mark.charter("PRJ-8")
def test_a_good_file_saves_everything(project, world, parts):
    period = parts["periods"][0]
    data = _fill(xlsx.template(project, period, language="fr"), GOOD)
    assert (
        xlsx.import_workbook(project=project, by=world.constantine_editor, period=period, data=data)
        == 2
    )
    value = Value.objects.get(indicator=parts["people"], period=period)
    assert value.value == 30 and value.breakdown == {"F|15-24": "20", "M|25-64": "10"}
    assert Value.objects.get(indicator=parts["governance"], period=period).narrative


@pytest.mark.charter("PRJ-8")
def test_one_bad_cell_saves_nothing_and_names_sheet_row_and_column(project, world, parts):
    period = parts["periods"][0]
    bad = dict(GOOD)
    bad[("Personnes raccordées", "M|25-64")] = "dix"
    data = _fill(xlsx.template(project, period, language="fr"), bad)
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        xlsx.import_workbook(project=project, by=world.constantine_editor, period=period, data=data)
    message = " ".join(refused.value.reasons)
    assert (
        "Feuille « Valeurs », ligne" in message
        and "colonne E" in message
        and "nombre attendu" in message
    )
    assert not Value.objects.exists()


def test_parts_that_do_not_add_up_are_named_with_the_difference(project, world, parts):
    period = parts["periods"][0]
    bad = dict(GOOD)
    bad[("Personnes raccordées", "TOTAL")] = 31
    data = _fill(xlsx.template(project, period, language="fr"), bad)
    with pytest.raises(xlsx.WorkbookRefused, match="différence : -1"):
        xlsx.import_workbook(project=project, by=world.constantine_editor, period=period, data=data)
    assert not Value.objects.exists()


def test_a_template_of_another_project_is_refused(project, world, parts):
    other = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Autre"
    )
    other_parts = build_framework(other, world, sign=False)
    data = _fill(xlsx.template(other, other_parts["periods"][0], language="fr"), GOOD)
    with pytest.raises(xlsx.WorkbookRefused, match="autre projet"):
        xlsx.import_workbook(
            project=project, by=world.constantine_editor, period=parts["periods"][0], data=data
        )


def test_an_older_template_is_refused_with_the_versions(project, world, parts):
    period = parts["periods"][0]
    data = _fill(xlsx.template(project, period, language="fr"), GOOD)
    services.add_period(
        project=project, by=world.officer, label="S9", start=date(2045, 1, 1), end=date(2045, 2, 1)
    )
    with pytest.raises(
        xlsx.WorkbookRefused,
        match="version 1 du cadre de résultats, qui est maintenant à la version 2",
    ):
        xlsx.import_workbook(project=project, by=world.constantine_editor, period=period, data=data)


def test_a_file_that_is_not_a_workbook_is_refused(project, world, parts):
    with pytest.raises(xlsx.WorkbookRefused, match="xlsx lisible"):
        xlsx.import_workbook(
            project=project,
            by=world.constantine_editor,
            period=parts["periods"][0],
            data=b"PK\x03\x04garbage",
        )


def test_upload_through_the_page_lists_every_error(project, world, parts, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    period = parts["periods"][0]
    bad = dict(GOOD)
    bad[("Personnes raccordées", "F|15-24")] = -3
    data = _fill(xlsx.template(project, period, language="fr"), bad)
    client.force_login(world.constantine_editor)
    response = client.post(
        f"/resultats/{project.pk}/periode/{period.pk}/classeur/depot/",
        {"workbook": SimpleUploadedFile("r.xlsx", data)},
        follow=True,
    )
    assert "colonne E" in response.content.decode()
    assert not Value.objects.exists()
    download = client.get(f"/resultats/{project.pk}/periode/{period.pk}/classeur/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


SCALE = ["non commencé", "en cours, avec retard", "atteint"]


@pytest.fixture
def scaled(project, world, parts):
    """A qualitative indicator with a scale of levels, added to the framework."""
    return services.add_indicator(
        project=project,
        by=world.constantine_editor,
        node=parts["objective"],
        title="Plan d'eau adopté",
        kind="QUALITATIVE",
        aggregation="PER_PERIOD",
        scale=SCALE,
    )


def _row_of(ws, indicator) -> int:
    return next(
        row[0].row for row in ws.iter_rows(min_row=2) if row[xlsx.COL_ID - 1].value == indicator.pk
    )


def _validations(ws) -> dict[str, Any]:
    return {str(v.sqref): v for v in ws.data_validations.dataValidation}


@pytest.mark.charter("PRJ-8")
def test_the_template_carries_a_list_for_each_choice_with_its_error_in_the_user_s_language(
    project, world, parts, scaled
):
    wb = load_workbook(io.BytesIO(xlsx.template(project, parts["periods"][0], language="en")))
    ws = wb[xlsx.VALUES]
    row = _row_of(ws, scaled)
    validations = _validations(ws)
    # The level of the scaled indicator: a drop-down list of its levels, from the hidden sheet.
    levels = validations[f"E{row}"]
    assert levels.type == "list" and levels.showErrorMessage
    assert levels.formula1 == f"'{xlsx.LISTS}'!$C$1:$C$3"
    lists = wb[xlsx.LISTS]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row=i, column=3).value for i in (1, 2, 3)] == SCALE
    assert levels.error == (
        "Choose a level from the list: non commencé, en cours, avec retard, atteint."
    )
    assert not ws[f"E{row}"].protection.locked and not ws[f"F{row}"].protection.locked
    # The quantitative rows keep their number rule (total and its 2×4 parts: rows 2 to 10).
    (numbers,) = [v for v in ws.data_validations.dataValidation if v.type == "decimal"]
    assert all(f"E{r}" in numbers.sqref for r in range(2, 11))
    assert numbers.error == "Enter a number, zero or more."
    # The qualitative indicator without a scale is free text: no list on its row.
    governance = _row_of(ws, parts["governance"])
    assert not any(
        f"E{governance}" in v.sqref or f"F{governance}" in v.sqref
        for v in ws.data_validations.dataValidation
    )
    # In French by default.
    wb = load_workbook(io.BytesIO(xlsx.template(project, parts["periods"][0], language="fr")))
    assert _validations(wb[xlsx.VALUES])[f"E{row}"].error.startswith(
        "Choisissez un niveau de la liste : non commencé"
    )


@pytest.mark.charter("PRJ-8")
def test_an_out_of_list_level_is_refused_by_sheet_row_and_column_and_nothing_is_saved(
    project, world, parts, scaled
):
    period = parts["periods"][0]
    template = xlsx.template(project, period, language="fr")
    row = _row_of(load_workbook(io.BytesIO(template))[xlsx.VALUES], scaled)
    bad = dict(GOOD) | {("Plan d'eau adopté", ""): "presque atteint"}
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        xlsx.import_workbook(
            project=project, by=world.constantine_editor, period=period, data=_fill(template, bad)
        )
    assert refused.value.reasons == [
        f"Feuille « Valeurs », ligne {row}, colonne E : « presque atteint » n'est pas dans la "
        "liste : non commencé, en cours, avec retard, atteint"
    ]
    assert not Value.objects.exists()

    good = dict(GOOD) | {("Plan d'eau adopté", ""): "en cours, avec retard"}
    xlsx.import_workbook(
        project=project, by=world.constantine_editor, period=period, data=_fill(template, good)
    )
    value = Value.objects.get(indicator=scaled, period=period)
    assert value.level == "en cours, avec retard" and value.narrative == "Les comptes sont tenus."


def test_a_level_outside_the_scale_is_refused_on_the_page_and_the_api_too(
    project, world, parts, scaled
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.constantine_editor)
    period = parts["periods"][0]
    refused = api.post(
        "/api/v1/results-values/",
        {"indicator": scaled.pk, "period": period.pk, "level": "presque"},
        format="json",
    )
    assert refused.status_code == 400
    assert (
        "Choisissez le niveau de l'indicateur « Plan d'eau adopté » parmi"
        in (refused.json()["reasons"][0])
    )
    assert not Value.objects.exists()
    ok = api.post(
        "/api/v1/results-values/",
        {"indicator": scaled.pk, "period": period.pk, "level": "atteint"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["level"] == "atteint"
