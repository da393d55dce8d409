"""The yearly ODA declaration (e-APD): one line per project with activity in the year.

A line gives the year, the country and partner territory, the CRS channel, the DAC sector (the
project's first purpose code), the aid type and action type, the OECD markers scored 0–2, and
the amounts in euros of the host's own funds: disbursements (each converted at its value date),
staff costs (staff time of the year, valued) and follow-up costs (expenditures of the category
"frais de suivi et de gestion"). `check` lists what is missing before any export; the workbook
(openpyxl) and the CSV are written only from a clean check.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reciproca.finance import plan as plans
from reciproca.finance.models import (
    BudgetCategory,
    DeclarationProfile,
    StaffTime,
    Transaction,
)
from reciproca.finance.money import BASE, MissingRate, Money
from reciproca.projects.models import Project

# The OECD DAC markers the declaration scores (IATI PolicyMarker codes).
MARKERS = (
    ("1", "Égalité femmes-hommes"),
    ("2", "Environnement"),
    ("5", "Biodiversité"),
    ("6", "Atténuation du changement climatique"),
    ("7", "Adaptation au changement climatique"),
    ("8", "Désertification"),
    ("11", "Handicap et inclusion"),
    ("12", "Nutrition"),
)


@dataclass
class DeclarationLine:
    project: Project
    year: int
    country: str
    country_name: str
    territory: str
    channel: str
    sector: str
    aid_type: str
    action_type: str
    markers: dict[str, int]
    disbursements: Money
    staff_costs: Money
    follow_up_costs: Money

    @property
    def amount(self) -> Money:
        return self.disbursements + self.staff_costs + self.follow_up_costs


@dataclass
class Declaration:
    year: int
    lines: list[DeclarationLine]
    problems: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def total(self, attribute: str = "amount") -> Money:
        result = Money.zero(BASE)
        for line in self.lines:
            result = result + getattr(line, attribute)
        return result


def _marker_scores(project: Project) -> dict[str, int]:
    scores = {code: 0 for code, _label in MARKERS}
    for pm in project.markers.all():
        code = str(pm.marker.code)
        if code in scores:
            try:
                scores[code] = min(2, int(pm.significance.code))
            except (TypeError, ValueError):
                continue
    return scores


def build(year: int, projects: QuerySet[Project]) -> Declaration:
    """The declaration of `year` over `projects` (already scoped to the declaring user)."""
    source = plans.rates()
    disbursements = Transaction.objects.filter(
        project__in=projects,
        value_date__year=year,
        host_funds=True,
        kind=Transaction.Kind.DISBURSEMENT,
    )
    follow_ups = Transaction.objects.filter(
        project__in=projects,
        value_date__year=year,
        host_funds=True,
        kind=Transaction.Kind.EXPENDITURE,
        category=BudgetCategory.FOLLOW_UP,
    )
    staff = StaffTime.objects.filter(project__in=projects, year=year)
    active = (
        set(disbursements.values_list("project_id", flat=True))
        | set(follow_ups.values_list("project_id", flat=True))
        | set(staff.values_list("project_id", flat=True))
    )
    problems: list[str] = []
    sums: dict[int, dict[str, Money]] = {
        pk: {k: Money.zero(BASE) for k in ("disbursements", "staff_costs", "follow_up_costs")}
        for pk in active
    }
    for attribute, rows in (("disbursements", disbursements), ("follow_up_costs", follow_ups)):
        for tx in rows.select_related("project"):
            try:
                eur = plans.to_eur(Money(tx.amount, tx.currency), tx.value_date, source)
            except MissingRate as error:
                problems.append(
                    _("%(project)s : %(what)s du %(date)s sans taux de change — %(error)s")
                    % {
                        "project": tx.project.reference,
                        "what": tx.get_kind_display(),
                        "date": tx.value_date.isoformat(),
                        "error": error,
                    }
                )
                continue
            sums[tx.project_id][attribute] += eur
    for row in staff:
        sums[row.project_id]["staff_costs"] += plans.staff_value(row)
    lines: list[DeclarationLine] = []
    chosen = (
        Project.objects.filter(pk__in=active)
        .select_related(
            "partnership__territory__country",
            "partnership__partner__country",
            "declaration_profile",
        )
        .prefetch_related("purpose_codes", "markers__marker", "markers__significance")
        .order_by("reference")
    )
    for project in chosen:
        territory = project.partnership.territory
        country = territory.country if territory else project.partnership.partner.country
        codes = sorted(pc.code for pc in project.purpose_codes.all())
        profile: DeclarationProfile | None = getattr(project, "declaration_profile", None)
        if not codes:
            problems.append(
                _("%(project)s : aucun secteur (code-objet CAD) n'est renseigné.")
                % {"project": project.reference}
            )
        if profile is None:
            problems.append(
                _(
                    "%(project)s : le canal, le type d'aide et le type d'action ne sont pas "
                    "renseignés."
                )
                % {"project": project.reference}
            )
        if country is None:
            problems.append(
                _("%(project)s : le pays bénéficiaire n'est pas connu.")
                % {"project": project.reference}
            )
        lines.append(
            DeclarationLine(
                project=project,
                year=year,
                country=country.iso2 if country else "",
                country_name=country.name if country else "",
                territory=territory.name if territory else "",
                channel=profile.channel_code if profile else "",
                sector=str(codes[0]) if codes else "",
                aid_type=profile.aid_type if profile else "",
                action_type=profile.get_action_type_display() if profile else "",
                markers=_marker_scores(project),
                **sums[project.pk],
            )
        )
    return Declaration(year=year, lines=lines, problems=problems)


def headers() -> list[str]:
    return [
        _("Année"),
        _("Projet"),
        _("Pays"),
        _("Territoire partenaire"),
        _("Canal (CRS)"),
        _("Secteur (CAD)"),
        _("Type d'aide"),
        _("Type d'action"),
        *[_("Marqueur %(code)s") % {"code": code} for code, _label in MARKERS],
        _("Décaissements (EUR)"),
        _("Frais de personnel (EUR)"),
        _("Frais de suivi (EUR)"),
        _("Montant total (EUR)"),
    ]


def _row(line: DeclarationLine) -> list[Any]:
    return [
        line.year,
        line.project.reference,
        line.country,
        line.territory,
        line.channel,
        line.sector,
        line.aid_type,
        line.action_type,
        *[line.markers[code] for code, _label in MARKERS],
        line.disbursements.rounded().amount,
        line.staff_costs.rounded().amount,
        line.follow_up_costs.rounded().amount,
        line.amount.rounded().amount,
    ]


def _totals(declaration: Declaration) -> list[Any]:
    blanks = [""] * (7 + len(MARKERS))
    return [
        _("Total"),
        *blanks,
        declaration.total("disbursements").rounded().amount,
        declaration.total("staff_costs").rounded().amount,
        declaration.total("follow_up_costs").rounded().amount,
        declaration.total().rounded().amount,
    ]


def to_csv(declaration: Declaration) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers())
    for line in declaration.lines:
        writer.writerow(_row(line))
    writer.writerow(_totals(declaration))
    return out.getvalue()


def to_xlsx(declaration: Declaration, *, authority: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"APD {declaration.year}"
    sheet.append(
        [
            _("Déclaration de l'aide publique au développement %(year)s — %(authority)s")
            % {"year": declaration.year, "authority": authority}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(
        [_("Montants en euros, fonds propres ; chaque décaissement converti au taux de sa date.")]
    )
    sheet.append(headers())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in declaration.lines:
        sheet.append(_row(line))
    sheet.append(_totals(declaration))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    money_columns = range(len(headers()) - 3, len(headers()) + 1)
    for row in sheet.iter_rows(min_row=4):
        for index in money_columns:
            row[index - 1].number_format = "#,##0.00"
    for index, title in enumerate(headers(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(30, len(title) + 2))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.page_setup.fitToHeight = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def total_decimal(money: Money) -> Decimal:
    return money.rounded().amount
