"""The demo's money: a year of budgets and transactions in several currencies, in-kind
contributions, partner revenue, exchanges both ways, a complete funding plan, and the e-APD
export of the demo year converted to PDF by LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reciproca.finance import eapd
from reciproca.finance import plan as plans
from reciproca.finance.models import (
    Exchange,
    PartnerRevenue,
    SkillsSponsorship,
    StaffTime,
    Transaction,
)
from reciproca.finance.money import Money
from reciproca.projects.models import Project
from reciproca.projects.queries import every_gate

YEAR = 2025


@pytest.mark.charter("PRE-4", "PRE-5", "PRJ-11", "PRI-3", "FND-1", "OBJ-3")
def test_the_demo_shows_a_year_of_money_in_several_currencies(demo_db) -> None:
    year = Transaction.objects.filter(value_date__year=YEAR)
    assert {"EUR", "AMD", "DZD", "XOF"} <= set(year.values_list("currency", flat=True))
    assert set(year.values_list("kind", flat=True)) == set(Transaction.Kind.values)
    assert SkillsSponsorship.objects.exists() and StaffTime.objects.exists()
    assert PartnerRevenue.objects.values("year").distinct().count() >= 4
    directions = set(Exchange.objects.values_list("direction", flat=True))
    assert directions == set(Exchange.Direction.values)
    awareness = Exchange.objects.filter(kind=Exchange.Kind.AWARENESS, direction="TO_HOST")
    assert awareness.exists() and all("OBJ-3" in e.objectives for e in awareness)


@pytest.mark.charter("PRE-5")
def test_a_demo_project_passes_funding_plan_complete_legitimately(demo_db) -> None:
    sevan = Project.objects.get(title__startswith="Tourisme rural durable")
    condition = next(
        c
        for gate in every_gate(sevan)
        for c in gate.conditions
        if c.check == "funding_plan_complete"
    )
    assert condition.is_met and not condition.is_planned
    summary = plans.funding_plan(sevan)
    assert not summary.warnings and not summary.errors
    assert summary.share(kinds={"MINISTRY_CALL"}) <= Decimal(70)
    evaluation = summary.budget.category_share("MONITORING_EVALUATION")
    assert evaluation is not None and evaluation >= Decimal(7)
    assert all(
        s in ("GRANTED", "RECEIVED")
        for s in summary.project.funding_sources.values_list("status", flat=True)
    )


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_the_demo_years_e_apd_export_converts_to_pdf_with_the_disbursements_total(
    demo_db, tmp_path: Path
) -> None:
    declaration = eapd.build(YEAR, Project.objects.all())
    assert declaration.is_clean, declaration.problems
    expected = Money(Decimal(0), "EUR")
    for tx in Transaction.objects.filter(
        kind="DISBURSEMENT", value_date__year=YEAR, host_funds=True
    ):
        expected += plans.to_eur(Money(tx.amount, tx.currency), tx.value_date)
    assert declaration.total("disbursements").rounded() == expected.rounded()
    assert expected.amount > 0
    workbook = tmp_path / f"declaration-apd-{YEAR}.xlsx"
    workbook.write_bytes(eapd.to_xlsx(declaration, authority="Département de l'Isère"))
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
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
    from pypdf import PdfReader

    pdf = tmp_path / f"declaration-apd-{YEAR}.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = re.sub(r"[\s\u202f\xa0,.]", "", text)
    cents = f"{expected.rounded().amount:.2f}".replace(".", "")
    total_cents = f"{declaration.total().rounded().amount:.2f}".replace(".", "")
    assert cents in flat and total_cents in flat
    for line in declaration.lines:
        assert line.project.reference in text
