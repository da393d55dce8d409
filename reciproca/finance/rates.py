"""Exchange rates from the database, and the files they are loaded from.

`database_rates()` reads the table once (it is small) into a `FixedRates`; the maximum age of
a rate is the charter's rule `exchange_rate_max_age_days`. Fixed parities (XOF) come from
`data/fixed_rates.yaml` and are loaded with any rate file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from reciproca.charter import engine
from reciproca.charter.rules import register_rule
from reciproca.finance.models import ExchangeRate
from reciproca.finance.money import BASE, CURRENCIES, FixedRates

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MAX_AGE = 31

register_rule(
    "exchange_rate_max_age_days",
    type=Annotated[int, Field(ge=0, le=366)],
    default=DEFAULT_MAX_AGE,
    label=gettext_lazy("âge maximal d'un taux de change (jours)"),
    doc=gettext_lazy(
        "PRE-5 : un montant en devise est converti au dernier taux connu à sa date, s'il a au "
        "plus ce nombre de jours ; au-delà, le total n'est pas donné et la page dit quel taux "
        "manque."
    ),
    clauses=("PRE-5",),
    owner="finance",
)


def max_age_days() -> int:
    try:
        return int(engine.rule("exchange_rate_max_age_days", DEFAULT_MAX_AGE))
    except engine.CharterNotLoaded:
        return DEFAULT_MAX_AGE


def database_rates() -> FixedRates:
    table: dict[str, list[tuple[date, Decimal]]] = {}
    fixed: dict[str, tuple[date, Decimal]] = {}
    for currency, day, rate, is_fixed in ExchangeRate.objects.values_list(
        "currency", "date", "rate", "is_fixed"
    ).order_by("currency", "date"):
        if is_fixed:
            fixed[currency] = (day, rate)
        else:
            table.setdefault(currency, []).append((day, rate))
    return FixedRates(table=table, fixed=fixed, max_age_days=max_age_days())


@dataclass(frozen=True)
class RateRow:
    currency: str
    date: date
    rate: Decimal
    source: str
    is_fixed: bool = False


def fixed_parities() -> list[RateRow]:
    raw = yaml.safe_load((DATA_DIR / "fixed_rates.yaml").read_text(encoding="utf-8"))
    return [
        RateRow(
            currency=item["currency"],
            date=item["since"],
            rate=Decimal(str(item["rate"])),
            source=item["source"],
            is_fixed=True,
        )
        for item in raw
    ]


def parse_rates_csv(text: str) -> tuple[list[RateRow], list[str]]:
    """Rows of a `currency,date,rate,source` file, and one error per bad line (with its
    number). The caller refuses the whole file if there is any error."""
    rows: list[RateRow] = []
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text))
    expected = {"currency", "date", "rate", "source"}
    if not reader.fieldnames or set(reader.fieldnames) != expected:
        return [], [
            _("En-tête attendu : currency,date,rate,source (reçu : %(got)s).")
            % {"got": ",".join(reader.fieldnames or [])}
        ]
    seen: set[tuple[str, date]] = set()
    for number, line in enumerate(reader, start=2):
        try:
            row = _row(line)
        except ValueError as error:
            errors.append(_("ligne %(n)s : %(error)s") % {"n": number, "error": error})
            continue
        if (row.currency, row.date) in seen:
            errors.append(
                _("ligne %(n)s : taux %(currency)s du %(date)s en double")
                % {"n": number, "currency": row.currency, "date": row.date.isoformat()}
            )
            continue
        seen.add((row.currency, row.date))
        rows.append(row)
    return rows, errors


def _row(line: dict[str, Any]) -> RateRow:
    currency = (line.get("currency") or "").strip().upper()
    if currency not in CURRENCIES or currency == BASE:
        raise ValueError(_("devise %(currency)s non gérée") % {"currency": currency or "—"})
    try:
        day = date.fromisoformat((line.get("date") or "").strip())
    except ValueError as exc:
        raise ValueError(_("date invalide (AAAA-MM-JJ attendu)")) from exc
    try:
        rate = Decimal((line.get("rate") or "").strip())
    except InvalidOperation as exc:
        raise ValueError(_("taux invalide")) from exc
    if not rate.is_finite() or rate <= 0:
        raise ValueError(_("le taux doit être un nombre positif"))
    source = (line.get("source") or "").strip()
    if not source:
        raise ValueError(_("la source du taux est obligatoire"))
    return RateRow(currency=currency, date=day, rate=rate, source=source)
