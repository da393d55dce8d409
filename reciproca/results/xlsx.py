"""Offline reporting by spreadsheet: a period's template, and its upload.

The template has an instructions sheet in the user's language, a values sheet whose structure
is locked (only the value cells are open, with a validation rule: decimals ≥ 0 for numbers, a
drop-down list of its levels for a qualitative indicator with a scale — the levels kept on a
hidden sheet, the error worded in the user's language), and a very hidden signature sheet
(project, period, framework version, template format). The upload
validates the whole file first and lists every error by sheet, row and column; nothing is
saved unless everything is valid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from reciproca.core.exceptions import DomainError
from reciproca.core.language import join_list
from reciproca.projects.models import Project
from reciproca.results import disaggregation, services
from reciproca.results.models import Indicator, Period, ResultsFramework

FORMAT = "reciproca-results-1"
VALUES = "Valeurs"
SIGNATURE = "_signature"
LISTS = "_listes"
TOTAL = "TOTAL"
MAX_UPLOAD = 5 * 1024 * 1024
# Columns of the values sheet.
COL_ID, COL_INDICATOR, COL_CELL, COL_UNIT, COL_VALUE, COL_TEXT = range(1, 7)
COLUMN_LETTERS = "ABCDEF"


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Feuille « %(sheet)s », ligne %(row)s, colonne %(column)s : %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class WorkbookRefused(DomainError):
    def __init__(self, errors: list[CellError] | list[str]) -> None:
        self.errors = errors
        super().__init__([str(e) for e in errors])


def _indicators(framework: ResultsFramework) -> list[Indicator]:
    return list(Indicator.objects.filter(node__framework=framework).order_by("position", "pk"))


def _level_list(lists: Any, n: int, indicator: Indicator, coordinate: str) -> DataValidation:
    """The drop-down list of a qualitative indicator's levels, kept in column n of the hidden
    lists sheet (a list written inline would break on a comma in a level)."""
    column = get_column_letter(n + 1)
    for i, level in enumerate(indicator.scale, start=1):
        lists.cell(row=i, column=n + 1, value=level)
    validation = DataValidation(
        type="list",
        formula1=f"'{LISTS}'!${column}$1:${column}${len(indicator.scale)}",
        allow_blank=True,
    )
    validation.errorTitle = _("Valeur refusée")[:32]
    validation.error = _("Choisissez un niveau de la liste : %(levels)s.") % {
        "levels": join_list(indicator.scale)
    }
    validation.promptTitle = _("Niveau atteint")[:32]
    validation.prompt = _("Choisissez un niveau dans la liste.")
    validation.showErrorMessage = True
    validation.showInputMessage = True
    validation.add(coordinate)
    return validation


def template(project: Project, period: Period, *, language: str) -> bytes:
    framework = services.framework_for(project)
    wb = Workbook()
    with translation.override(language):
        info: Any = wb.active
        info.title = _("Instructions")[:31]
        lines = [
            _("Rapport de la période « %(period)s » — projet %(reference)s")
            % {"period": period.label, "reference": project.reference},
            _(
                "Remplissez la colonne « Valeur » de la feuille « Valeurs » (et « Texte » pour "
                "les indicateurs qualitatifs)."
            ),
            _(
                "Pour un indicateur qualitatif qui a une échelle, choisissez son niveau dans la "
                "liste de la colonne « Valeur » : une autre valeur est refusée."
            ),
            _(
                "Pour un indicateur ventilé, la ligne TOTAL est la somme des autres lignes de "
                "l'indicateur : sinon le fichier est refusé."
            ),
            _("Ne modifiez ni les lignes ni les colonnes : la structure est verrouillée."),
            _(
                "Déposez ensuite le fichier sur la page de la période : tout est vérifié avant "
                "d'enregistrer quoi que ce soit."
            ),
        ]
        for i, line in enumerate(lines, start=1):
            info.cell(row=i, column=1, value=line)
        info["A1"].font = Font(bold=True)
        info.column_dimensions["A"].width = 110
        info.protection.sheet = True

        ws = wb.create_sheet(VALUES)
        headers = ["id", _("Indicateur"), _("Case"), _("Unité"), _("Valeur"), _("Texte")]
        for col, header in enumerate(headers, start=1):
            ws.cell(row=1, column=col, value=header).font = Font(bold=True)
        decimals = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        decimals.errorTitle = _("Valeur refusée")[:32]
        decimals.error = _("Saisissez un nombre positif ou nul.")
        decimals.showErrorMessage = True
        ws.add_data_validation(decimals)
        lists = wb.create_sheet(LISTS)
        lists.sheet_state = "hidden"
        lists.protection.sheet = True
        open_fill = PatternFill("solid", fgColor="FFF8DC")
        row = 2
        for n, indicator in enumerate(_indicators(framework)):
            keys = [TOTAL] if indicator.kind == Indicator.Kind.QUANTITATIVE else [""]
            if indicator.kind == Indicator.Kind.QUANTITATIVE:
                keys += disaggregation.cells(indicator.dimensions)
            for key in keys:
                ws.cell(row=row, column=COL_ID, value=indicator.pk)
                ws.cell(row=row, column=COL_INDICATOR, value=indicator.title)
                ws.cell(row=row, column=COL_CELL, value=key)
                ws.cell(row=row, column=COL_UNIT, value=indicator.unit)
                if indicator.kind == Indicator.Kind.QUANTITATIVE:
                    opened = [ws.cell(row=row, column=COL_VALUE)]
                    decimals.add(opened[0])
                elif indicator.scale:
                    opened = [ws.cell(row=row, column=COL_VALUE), ws.cell(row=row, column=COL_TEXT)]
                    ws.add_data_validation(_level_list(lists, n, indicator, opened[0].coordinate))
                else:
                    opened = [ws.cell(row=row, column=COL_TEXT)]
                for target in opened:
                    target.protection = Protection(locked=False)
                    target.fill = open_fill
                row += 1
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["F"].width = 50
    ws.protection.sheet = True
    ws.protection.formatRows = False
    sig = wb.create_sheet(SIGNATURE)
    for i, (key, value) in enumerate(
        (
            ("format", FORMAT),
            ("project", project.pk),
            ("period", period.pk),
            ("version", framework.version),
        ),
        start=1,
    ):
        sig.cell(row=i, column=1, value=key)
        sig.cell(row=i, column=2, value=value)
    sig.sheet_state = "veryHidden"
    sig.protection.sheet = True
    wb.active = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse(project: Project, period: Period, data: bytes) -> list[dict[str, Any]]:
    """The entries of a valid file, or `WorkbookRefused` with every error."""
    if len(data) > MAX_UPLOAD:
        raise WorkbookRefused([_("Le fichier dépasse 5 Mo.")])
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, Exception) as exc:
        raise WorkbookRefused([_("Ce fichier n'est pas un classeur xlsx lisible.")]) from exc
    framework = services.framework_for(project)
    if SIGNATURE not in wb.sheetnames or VALUES not in wb.sheetnames:
        raise WorkbookRefused([_("Ce classeur n'est pas un modèle de rapport de Reciproca.")])
    sig = {
        str(r[0]): r[1]
        for r in wb[SIGNATURE].iter_rows(min_row=1, max_col=2, values_only=True)
        if r[0]
    }
    if sig.get("format") != FORMAT:
        raise WorkbookRefused([_("Ce classeur n'est pas un modèle de rapport de Reciproca.")])
    if sig.get("project") != project.pk:
        raise WorkbookRefused(
            [_("Ce modèle a été téléchargé pour un autre projet : téléchargez celui de ce projet.")]
        )
    if sig.get("period") != period.pk:
        raise WorkbookRefused(
            [
                _(
                    "Ce modèle a été téléchargé pour une autre période : téléchargez celui "
                    "de cette période."
                )
            ]
        )
    if sig.get("version") != framework.version:
        raise WorkbookRefused(
            [
                _(
                    "Ce modèle correspond à la version %(old)s du cadre de résultats, qui est "
                    "maintenant à la version %(new)s : téléchargez un nouveau modèle."
                )
                % {"old": sig.get("version"), "new": framework.version}
            ]
        )
    indicators = {i.pk: i for i in _indicators(framework)}
    ws = wb[VALUES]
    errors: list[CellError] = []
    totals: dict[int, tuple[int, Decimal | None]] = {}
    parts: dict[int, dict[str, Any]] = {}
    texts: dict[int, str] = {}
    levels: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()

    def error(row: int, col: int, message: str) -> None:
        errors.append(CellError(VALUES, row, COLUMN_LETTERS[col - 1], message))

    for row_number, row in enumerate(ws.iter_rows(min_row=2, max_col=6, values_only=True), start=2):
        if all(v in (None, "") for v in row):
            continue
        ident, _title, key, _unit, raw, text = row
        indicator = indicators.get(ident) if isinstance(ident, int) else None
        if indicator is None:
            error(row_number, COL_ID, _("indicateur inconnu de ce cadre de résultats"))
            continue
        key = str(key or "")
        if (indicator.pk, key) in seen:
            error(row_number, COL_CELL, _("ligne en double"))
            continue
        seen.add((indicator.pk, key))
        if indicator.kind == Indicator.Kind.QUALITATIVE and indicator.scale:
            if raw in (None, ""):
                if text not in (None, ""):
                    error(row_number, COL_VALUE, _("niveau attendu"))
                continue
            if str(raw).strip() not in indicator.scale:
                error(
                    row_number,
                    COL_VALUE,
                    _("« %(value)s » n'est pas dans la liste : %(levels)s")
                    % {"value": raw, "levels": join_list(indicator.scale)},
                )
                continue
            levels[indicator.pk] = str(raw).strip()
            texts[indicator.pk] = str(text or "")
            continue
        if indicator.kind == Indicator.Kind.QUALITATIVE:
            if text in (None, ""):
                error(row_number, COL_TEXT, _("texte attendu"))
            else:
                texts[indicator.pk] = str(text)
            continue
        if key != TOTAL and key not in disaggregation.cells(indicator.dimensions):
            error(row_number, COL_CELL, _("case inconnue de la ventilation"))
            continue
        number: Decimal | None = None
        if raw in (None, ""):
            if key == TOTAL:
                error(row_number, COL_VALUE, _("valeur attendue"))
                continue
        else:
            try:
                number = disaggregation.to_decimal(raw)
            except DomainError:
                error(row_number, COL_VALUE, _("nombre attendu"))
                continue
            if number < 0:
                error(row_number, COL_VALUE, _("nombre positif ou nul attendu"))
                continue
        if key == TOTAL:
            totals[indicator.pk] = (row_number, number)
        elif number is not None:
            parts.setdefault(indicator.pk, {})[key] = number
    entries: list[dict[str, Any]] = []
    for indicator in indicators.values():
        if indicator.kind == Indicator.Kind.QUALITATIVE:
            if indicator.pk in levels:
                entries.append(
                    {
                        "indicator": indicator,
                        "level": levels[indicator.pk],
                        "narrative": texts[indicator.pk],
                    }
                )
            elif indicator.pk in texts:
                entries.append({"indicator": indicator, "narrative": texts[indicator.pk]})
            continue
        if indicator.pk not in totals:
            continue
        row_number, total = totals[indicator.pk]
        try:
            disaggregation.check_breakdown(indicator.dimensions, total, parts.get(indicator.pk, {}))
        except DomainError as exc:
            error(row_number, COL_VALUE, " ".join(exc.reasons))
            continue
        entries.append(
            {"indicator": indicator, "value": total, "breakdown": parts.get(indicator.pk, {})}
        )
    if errors:
        raise WorkbookRefused(sorted(errors, key=lambda e: (e.row, e.column)))
    if not entries:
        raise WorkbookRefused([_("Le classeur ne contient aucune valeur.")])
    return entries


def import_workbook(
    *, project: Project, by: Any, period: Period, data: bytes, reason: str = ""
) -> int:
    """Validate the whole file, then write every value in one transaction (or nothing)."""
    entries = parse(project, period, data)
    for entry in entries:
        entry.setdefault("value", None)
        entry.setdefault("breakdown", {})
        entry.setdefault("narrative", "")
        entry["reason"] = reason
    services.report_values(project=project, by=by, period=period, entries=entries)
    return len(entries)
