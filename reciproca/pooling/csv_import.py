"""Other French authorities' projects from a CSV list (the national atlas of decentralised
cooperation, a network of authorities), and the published projects of authorities hosted on
this instance: both become index activities of French local authorities.

Columns (header row, UTF-8, comma or semicolon; see docs/pooling.md):

| column | required | what |
|---|---|---|
| `collectivite` | yes | the French authority running the project |
| `collectivite_partenaire` | no | the partner authority |
| `pays` | yes | ISO 3166-1 alpha-2 code of the partner country |
| `code_territoire` | no | ISO 3166-2 code of the partner territory (SN-KE, MA-12…) |
| `intitule` | yes | the project's title |
| `secteur` | no | DAC 5-digit purpose codes, separated by `;` |
| `thematiques` | no | themes, separated by `;` |
| `annee_debut`, `annee_fin` | no | years (four digits) |
| `montant` | no | amount, dot or comma decimal |
| `devise` | no | ISO 4217 currency (EUR by default) |
| `contact` | no | who to contact |
| `identifiant` | no | a stable identifier; else derived from authority, partner, title, year |

Validated all or nothing: one error anywhere and nothing is imported, with every error given
as "ligne N, colonne X : …".
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reciproca.core.exceptions import DomainError
from reciproca.core.models import record_event
from reciproca.pooling import ingest
from reciproca.pooling.iati import Item, Record
from reciproca.pooling.models import ActorKind, ImportRun, Origin
from reciproca.pooling.resolve import Resolver
from reciproca.pooling.services import _require_manager

REQUIRED = ("collectivite", "pays", "intitule")
COLUMNS = (
    "collectivite",
    "collectivite_partenaire",
    "pays",
    "code_territoire",
    "intitule",
    "secteur",
    "thematiques",
    "annee_debut",
    "annee_fin",
    "montant",
    "devise",
    "contact",
    "identifiant",
)
MAX_BYTES = 20 * 1024 * 1024
SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


@dataclass(frozen=True)
class CsvError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"ligne {self.line}, colonne {self.column} : {self.message}"
        return f"ligne {self.line} : {self.message}"


class CsvRefused(DomainError):
    def __init__(self, errors: list[CsvError]) -> None:
        self.errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class CsvReport:
    activities: int


def _year(value: str, line: int, column: str, errors: list[CsvError]) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value) or not 1950 <= int(value) <= 2100:
        errors.append(
            CsvError(line, column, f"année attendue sur quatre chiffres, reçu « {value} »")
        )
        return None
    return int(value)


def parse_rows(text: str) -> list[Record]:
    """Every row as a record, or `CsvRefused` with all the errors."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    errors: list[CsvError] = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        errors.append(CsvError(1, "", f"colonnes obligatoires absentes : {', '.join(missing)}"))
    if unknown:
        errors.append(CsvError(1, "", f"colonnes inconnues : {', '.join(unknown)}"))
    if errors:
        raise CsvRefused(errors)
    reader.fieldnames = header
    records: list[Record] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        for column in REQUIRED:
            if not row.get(column):
                errors.append(CsvError(number, column, "valeur obligatoire"))
        country = row.get("pays", "").upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            errors.append(
                CsvError(
                    number, "pays", f"code ISO 3166-1 à deux lettres attendu, reçu « {country} »"
                )
            )
        code = row.get("code_territoire", "").upper()
        if code and (
            not SUBDIVISION.match(code) or (country and not code.startswith(country + "-"))
        ):
            errors.append(
                CsvError(
                    number, "code_territoire", f"code ISO 3166-2 du pays attendu, reçu « {code} »"
                )
            )
        sectors = [s.strip() for s in row.get("secteur", "").split(";") if s.strip()]
        for sector in sectors:
            if not re.fullmatch(r"\d{5}", sector):
                errors.append(
                    CsvError(
                        number,
                        "secteur",
                        f"code-objet CAD à cinq chiffres attendu, reçu « {sector} »",
                    )
                )
        start = _year(row.get("annee_debut", ""), number, "annee_debut", errors)
        end = _year(row.get("annee_fin", ""), number, "annee_fin", errors)
        if start and end and end < start:
            errors.append(
                CsvError(number, "annee_fin", "année de fin antérieure à l'année de début")
            )
        amount = None
        if row.get("montant"):
            try:
                amount = Decimal(
                    row["montant"].replace(" ", "").replace("\u202f", "").replace(",", ".")
                )
                if not amount.is_finite() or amount < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(CsvError(number, "montant", f"montant invalide « {row['montant']} »"))
        currency = (row.get("devise") or "EUR").upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            errors.append(CsvError(number, "devise", f"code ISO 4217 attendu, reçu « {currency} »"))
        identifier = (
            row.get("identifiant")
            or "CSV-"
            + hashlib.sha256(
                "|".join(
                    [
                        row.get("collectivite", ""),
                        row.get("collectivite_partenaire", ""),
                        row.get("intitule", ""),
                        str(start or ""),
                    ]
                ).encode()
            ).hexdigest()[:16]
        )
        if identifier in seen:
            errors.append(
                CsvError(number, "identifiant", f"projet en double (déjà ligne {seen[identifier]})")
            )
        seen[identifier] = number
        records.append(
            Record(
                identifier=identifier[:255],
                title=row.get("intitule", "")[:2000],
                reporting_org_name=row.get("collectivite", "")[:500],
                reporting_org_type="11",
                countries=[country] if country else [],
                admin_codes=[code] if code else [],
                sectors=[{"code": s, "vocabulary": "1"} for s in sectors],
                start_date=date(start, 1, 1) if start else None,
                end_date=date(end, 12, 31) if end else None,
                amounts={"budget": {currency: amount}} if amount is not None else {},
                contact=row.get("contact", "")[:500],
                themes=row.get("thematiques", ""),
                partner_authority=row.get("collectivite_partenaire", ""),
                actor_kind=ActorKind.FRENCH_AUTHORITY,
            )
        )
    if errors:
        raise CsvRefused(errors)
    return records


def import_csv(*, content: bytes, name: str, by: Any) -> CsvReport:
    """All or nothing: the file is replaced in the index, or nothing changes."""
    _require_manager(by)
    if len(content) > MAX_BYTES:
        raise CsvRefused([CsvError(0, "", "fichier de plus de 20 Mo")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvRefused(
            [CsvError(0, "", f"le fichier n'est pas en UTF-8 (octet {error.start})")]
        ) from error
    records = parse_rows(text)
    items = [Item(position=i, line=i + 1, record=r) for i, r in enumerate(records, start=1)]
    result = ingest.write_items(
        key=f"csv/{name}",
        origin=Origin.CSV,
        items=items,
        resolver=Resolver(),
        finish=lambda: {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()},
    )
    run = ImportRun.objects.create(
        path=f"csv/{name}"[:500],
        name=name[:255],
        state=ImportRun.State.DONE,
        activities=result.activities,
        files_done=1,
        started_by=by if getattr(by, "pk", None) else None,
    )
    record_event(
        action="pooling.import_csv",
        by=by,
        subject=run,
        after={"name": name, "projects": result.activities},
    )
    return CsvReport(activities=result.activities)


def import_csv_file(*, path: Path, by: Any) -> CsvReport:
    return import_csv(content=path.read_bytes(), name=path.name, by=by)


def records_from_projects(
    projects: Any, *, authority: str, authority_ref: str = ""
) -> list[Record]:
    """Published projects of another authority hosted here, as index records (origin
    INSTANCE): the same shape as a CSV row, so the finder ranks them alike."""
    records = []
    for project in projects:
        places = list(project.locations.all()) or [project.partnership.territory]
        records.append(
            Record(
                identifier=f"RECIPROCA-{authority_ref or authority}-{project.reference}"[:255],
                title=project.title,
                reporting_org_ref=authority_ref,
                reporting_org_name=authority,
                reporting_org_type="11",
                countries=sorted({t.country.iso2 for t in places}),
                admin_codes=[t.iso_code for t in places if t.iso_code],
                sectors=[{"code": p.code, "vocabulary": "1"} for p in project.purpose_codes.all()],
                sdg_targets={t.code for t in project.sdg_targets.all()},
                sdg_goals={t.code.split(".")[0] for t in project.sdg_targets.all()},
                start_date=project.start_date,
                end_date=project.end_date,
                partner_authority=project.partnership.partner.name,
                actor_kind=ActorKind.FRENCH_AUTHORITY,
            )
        )
    return records


def index_instance_projects(
    *, projects: Any, authority: str, authority_ref: str = "", by: Any
) -> int:
    """Put another hosted authority's published projects in the index (replacing its previous
    list); the caller chooses which projects are published."""
    _require_manager(by)
    records = records_from_projects(projects, authority=authority, authority_ref=authority_ref)
    items = [Item(position=i, line=None, record=r) for i, r in enumerate(records, start=1)]
    result = ingest.write_items(
        key=f"instance/{authority_ref or authority}",
        origin=Origin.INSTANCE,
        items=items,
        resolver=Resolver(),
    )
    return result.activities
