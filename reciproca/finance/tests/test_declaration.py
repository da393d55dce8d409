"""The yearly ODA declaration (e-APD): the check before export, the workbook and the CSV, and
the workbook converted to PDF by LibreOffice with totals equal to the disbursements converted
at their dates."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reciproca.finance import eapd, services
from reciproca.finance import plan as plans
from reciproca.finance.models import Transaction
from reciproca.finance.money import Money
from reciproca.projects.models import Project
from reciproca.reference.models import PurposeCode

pytestmark = pytest.mark.django_db


def _declarable(world: Any, project: Project) -> None:
    project.purpose_codes.add(PurposeCode.objects.get(code="14030"))
    services.set_declaration_profile(
        project=project,
        by=world.officer,
        channel_code="11004",
        aid_type="C01",
        action_type="COOPERATION",
    )


def _disburse(world: Any, project: Project) -> list[Transaction]:
    rows = [
        (date(2025, 1, 20), "12000.00", "EUR"),
        (date(2025, 2, 10), "2820000.00", "DZD"),
        (date(2025, 3, 5), "1422500.00", "DZD"),
    ]
    return [
        services.record_transaction(
            project=project,
            by=world.officer,
            kind="DISBURSEMENT",
            value_date=day,
            amount=amount,
            currency=currency,
            description="versement",
        )
        for day, amount, currency in rows
    ]


def test_the_check_lists_what_is_missing_before_the_export(
    world: Any, project: Project, rates: None
) -> None:
    services.record_transaction(
        project=project,
        by=world.officer,
        kind="DISBURSEMENT",
        value_date=date(2024, 6, 1),
        amount=1000,
        currency="DZD",
        description="avance",
    )
    declaration = eapd.build(2024, Project.objects.all())
    problems = " ".join(declaration.problems)
    assert "aucun secteur" in problems
    assert "canal" in problems
    assert "DZD" in problems and "2024-06-01" in problems
    assert not declaration.is_clean


def test_the_export_files_are_refused_until_the_check_is_clean(
    world: Any, project: Project, rates: None, client: Any
) -> None:
    _disburse(world, project)
    client.force_login(world.officer)
    response = client.get("/finances/declaration-apd/2025.xlsx")
    assert response.status_code == 302
    _declarable(world, project)
    response = client.get("/finances/declaration-apd/2025.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[1][1] == project.reference and rows[-1][0] == "Total"
    # Only the host's officers declare.
    client.force_login(world.constantine_editor)
    assert client.get("/finances/declaration-apd/2025.csv").status_code == 404


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_the_declaration_converts_to_pdf_with_totals_equal_to_the_disbursements(
    world: Any, project: Project, rates: None, tmp_path: Path
) -> None:
    _declarable(world, project)
    transactions = _disburse(world, project)
    services.record_staff_time(
        project=project,
        by=world.officer,
        staff_member="Claire Martin",
        skills="eau",
        year=2025,
        days=4,
        daily_rate=350,
    )
    declaration = eapd.build(2025, Project.objects.all())
    assert declaration.is_clean, declaration.problems
    expected = Money(Decimal(0), "EUR")
    for tx in transactions:
        expected += plans.to_eur(Money(tx.amount, tx.currency), tx.value_date)
    # 12 000 EUR + 2 820 000 DZD at 141.00 (3 Feb) + 1 422 500 DZD at 142.25 (3 Mar).
    assert expected.rounded().amount == Decimal("42000.00")
    assert declaration.total("disbursements").rounded() == expected.rounded()
    assert declaration.total().rounded().amount == Decimal("43400.00")

    workbook = tmp_path / "declaration-apd-2025.xlsx"
    workbook.write_bytes(eapd.to_xlsx(declaration, authority="Département de l'Isère"))
    sheet = load_workbook(workbook).active
    assert sheet is not None
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Total" and Decimal(str(last[-4])) == Decimal("42000.00")

    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "declaration-apd-2025.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = re.sub(r"[\s\u202f\xa0,.]", "", text)
    assert "Total" in text
    assert "4200000" in flat  # 42,000.00 EUR of disbursements
    assert "4340000" in flat  # 43,400.00 EUR with the staff costs
    assert project.reference in text
