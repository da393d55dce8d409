"""IATI activity XML (versions 1.01 to 2.03) → the compact record the index keeps.

Pure functions over lxml elements: no database. `read_activities(stream)` is the streaming
reader: `iterparse` with entities, DTDs and network off and `huge_tree` off, each activity
cleared once mapped, so memory stays flat whatever the file's size. A file whose prolog
declares a DTD (entity expansion, external entities, a DTD fetched from a URL) is refused
before its first element is read: IATI files never need one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROLOG_LIMIT = 64 * 1024
SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
SDG_TARGET = re.compile(r"^(\d{1,2})\.([0-9a-z]{1,2})$")

# IATI 1.0x wrote codes as words; 2.0x as numbers.
ROLE_V1 = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
DATE_V1 = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
TRANSACTION_KIND = {
    "2": "commitment",
    "C": "commitment",
    "3": "disbursement",
    "D": "disbursement",
    "4": "disbursement",
    "E": "disbursement",
}
SECTOR_VOCABULARY_V1 = {"DAC": "1", "DAC-3": "2"}
# The children the index reads; lxml skips the others (results, documents…) in C. Transactions
# (often dozens) are read in a second pass, only when the activity declares no budget.
MAPPED = (
    "iati-identifier",
    "title",
    "reporting-org",
    "participating-org",
    "recipient-country",
    "recipient-region",
    "sector",
    "tag",
    "activity-date",
    "activity-status",
    "budget",
    "location",
    "contact-info",
)


class UnsafeFile(ValueError):
    """The file declares a DTD or entities: refused, nothing of it is read."""


class BadActivity(ValueError):
    """One activity cannot be indexed; the reason is a sentence for the quarantine."""


@dataclass
class Record:
    identifier: str
    title: str = ""
    reporting_org_ref: str = ""
    reporting_org_name: str = ""
    reporting_org_type: str = ""
    participating_orgs: list[dict[str, str]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    admin_codes: list[str] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    sectors: list[dict[str, str]] = field(default_factory=list)
    sdg_goals: set[str] = field(default_factory=set)
    sdg_targets: set[str] = field(default_factory=set)
    start_date: date | None = None
    end_date: date | None = None
    status: str = ""
    amounts: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    default_currency: str = ""
    contact: str = ""
    themes: str = ""
    partner_authority: str = ""
    # set for CSV rows: where the row's subdivision code is meant, and the actor is French
    actor_kind: int | None = None

    def main_amount(self) -> tuple[Decimal | None, str]:
        for kind in ("budget", "commitment", "disbursement"):
            by_currency = self.amounts.get(kind)
            if by_currency:
                currency, value = max(by_currency.items(), key=lambda item: item[1])
                return value, currency
        return None, ""


@dataclass
class Item:
    """What the reader yields: a record, or the reason an activity was refused."""

    position: int
    line: int | None
    record: Record | None = None
    identifier: str = ""
    reason: str = ""


def _text(el: Any) -> str:
    """An element's human text: its narratives (French first, then English), or its text."""
    first = None
    for narrative in el.iterchildren("narrative"):
        if first is not None:
            return _text_by_language(el)
        first = narrative
    if first is None:
        return (el.text or "").strip()
    return (first.text or "").strip()


def _text_by_language(el: Any) -> str:
    by_lang = {n.get(XML_LANG, ""): (n.text or "").strip() for n in el.iterchildren("narrative")}
    for lang in ("fr", "en", ""):
        if by_lang.get(lang):
            return by_lang[lang]
    for text in by_lang.values():
        if text:
            return text
    return ""


def _date(value: str | None, what: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise BadActivity(f"date invalide « {value[:40]} » ({what})") from exc


def _decimal(value: str | None, what: str) -> Decimal:
    text = (value or "").strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise BadActivity(f"montant invalide « {text[:40]} » ({what})") from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 17:
        raise BadActivity(f"montant hors limites « {text[:40]} » ({what})")
    return number


def _add_sdg(record: Record, vocabulary: str, code: str) -> None:
    """Vocabulary 2/7: SDG goal; 3/8: SDG target (tags and sectors use different numbers)."""
    code = code.strip()
    if vocabulary in ("2", "7") and code.isdigit() and 1 <= int(code) <= 17:
        record.sdg_goals.add(str(int(code)))
    elif vocabulary in ("3", "8"):
        match = SDG_TARGET.match(code)
        if match and 1 <= int(match.group(1)) <= 17:
            record.sdg_targets.add(f"{int(match.group(1))}.{match.group(2)}")
            record.sdg_goals.add(str(int(match.group(1))))


def map_activity(el: Any, *, default_version: str = "2.03") -> Record:
    """One `<iati-activity>` element → a record; `BadActivity` when it cannot be indexed."""
    identifier = ""
    currency = (el.get("default-currency") or "").strip().upper()[:3]
    record = Record(identifier="", default_currency=currency)
    planned_start = actual_start = planned_end = actual_end = None
    amounts: dict[str, dict[str, Decimal]] = {}

    def add_amount(kind: str, value_el: Any, what: str) -> None:
        value = _decimal(value_el.text, what)
        cur = (value_el.get("currency") or currency or "").strip().upper()[:3]
        bucket = amounts.setdefault(kind, {})
        bucket[cur] = bucket.get(cur, Decimal(0)) + value

    for child in el.iterchildren(*MAPPED):
        tag = child.tag
        if tag == "iati-identifier":
            identifier = (child.text or "").strip()
        elif tag == "title":
            record.title = _text(child)[:2000]
        elif tag == "reporting-org":
            record.reporting_org_ref = (child.get("ref") or "").strip()[:255]
            record.reporting_org_type = (child.get("type") or "").strip()[:10]
            record.reporting_org_name = _text(child)[:500]
        elif tag == "participating-org":
            role = (child.get("role") or "").strip()
            record.participating_orgs.append(
                {
                    "ref": (child.get("ref") or "").strip()[:255],
                    "name": _text(child)[:300],
                    "role": ROLE_V1.get(role.lower(), role),
                    "type": (child.get("type") or "").strip(),
                }
            )
        elif tag == "recipient-country":
            code = (child.get("code") or "").strip().upper()
            if code:
                record.countries.append(code[:3])
        elif tag == "recipient-region":
            code = (child.get("code") or "").strip()
            if code:
                record.regions.append(code[:10])
        elif tag == "sector":
            code = (child.get("code") or "").strip()
            vocabulary = (child.get("vocabulary") or "1").strip()
            vocabulary = SECTOR_VOCABULARY_V1.get(vocabulary, vocabulary)
            if code:
                record.sectors.append({"code": code[:20], "vocabulary": vocabulary[:10]})
                _add_sdg(record, vocabulary, code)
        elif tag == "tag":
            _add_sdg(record, (child.get("vocabulary") or "").strip(), child.get("code") or "")
        elif tag == "activity-date":
            kind = (child.get("type") or "").strip()
            kind = DATE_V1.get(kind, kind)
            value = _date(child.get("iso-date") or child.text, "activity-date")
            if kind == "1":
                planned_start = value
            elif kind == "2":
                actual_start = value
            elif kind == "3":
                planned_end = value
            elif kind == "4":
                actual_end = value
        elif tag == "activity-status":
            record.status = (child.get("code") or "").strip()[:10]
        elif tag == "budget":
            value_el = child.find("value")
            if value_el is not None:
                add_amount("budget", value_el, "budget")
        elif tag == "location":
            _map_location(child, record)
        elif not record.contact:  # contact-info
            parts = []
            for sub in child:
                if sub.tag in ("organisation", "person-name", "email", "telephone", "website"):
                    text = _text(sub)
                    if text:
                        parts.append(text)
            record.contact = " · ".join(parts)[:500]

    # Transactions (often dozens) are summed only when the activity declares no budget.
    if "budget" not in amounts:
        for child in el.iterchildren("transaction"):
            type_el = child.find("transaction-type")
            kind_name = TRANSACTION_KIND.get(
                (type_el.get("code") or "").strip() if type_el is not None else ""
            )
            if kind_name:
                value_el = child.find("value")
                if value_el is not None:
                    add_amount(kind_name, value_el, "transaction")
    if not identifier:
        raise BadActivity("identifiant IATI absent (élément iati-identifier)")
    if len(identifier) > 255:
        raise BadActivity("identifiant IATI de plus de 255 caractères")
    record.identifier = identifier
    record.start_date = actual_start or planned_start
    record.end_date = actual_end or planned_end
    if record.start_date and record.end_date and record.end_date < record.start_date:
        raise BadActivity(
            f"fin ({record.end_date.isoformat()}) antérieure au début "
            f"({record.start_date.isoformat()})"
        )
    record.amounts = amounts
    return record


def _map_location(location: Any, record: Record) -> None:
    for sub in location:
        tag = sub.tag
        if tag == "administrative":
            # 2.0x: code="SN-KE"; 1.0x: country="SN" adm1="…" (codes in ISO 3166-2 form only)
            for value in (sub.get("code"), sub.get("adm1"), sub.get("adm2")):
                code = (value or "").strip().upper()
                if SUBDIVISION.match(code):
                    record.admin_codes.append(code)
        elif tag == "point":
            for pos in sub:
                if pos.tag == "pos" and pos.text:
                    _add_point(record, pos.text.split())
        elif tag == "coordinates":  # 1.0x
            _add_point(record, [sub.get("latitude") or "", sub.get("longitude") or ""])


def _add_point(record: Record, parts: list[str]) -> None:
    """A point inside the valid range; a malformed one is ignored, not fatal (it is common)."""
    if len(parts) != 2:
        return
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        record.points.append((lat, lon))


class _Replay:
    """A stream whose first bytes were read to check the prolog, replayed to the parser."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0 or size >= len(self.head):
                chunk, self.head = self.head, b""
                rest = self.stream.read(-1 if size < 0 else size - len(chunk))
                return chunk + rest
            chunk, self.head = self.head[:size], self.head[size:]
            return chunk
        return self.stream.read(size)


def check_prolog(head: bytes) -> None:
    """Refuse a DTD or an entity declaration before the root element (`UnsafeFile`)."""
    text = head.lower()
    root = re.search(rb"<(?![?!])", text)
    prolog = text[: root.start()] if root else text
    if b"<!doctype" in prolog or b"<!entity" in text[:PROLOG_LIMIT]:
        raise UnsafeFile(
            "le fichier déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>) : refusé, "
            "un fichier IATI n'en a pas besoin"
        )
    if root is None and len(head) >= PROLOG_LIMIT:
        raise UnsafeFile("aucun élément racine dans les 64 premiers Kio du fichier : refusé")


def parser_options() -> dict[str, Any]:
    return {
        "resolve_entities": False,
        "load_dtd": False,
        "no_network": True,
        "huge_tree": False,
        "dtd_validation": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def read_activities(stream: IO[bytes], info: dict[str, str] | None = None) -> Iterator[Item]:
    """Stream the activities of one file; raises `UnsafeFile` or lxml's `XMLSyntaxError`
    (the caller keeps what was read before a syntax error and records the error).

    `info`, when given, receives the file's IATI version (`version`).
    """
    head = stream.read(PROLOG_LIMIT)
    check_prolog(head)
    source = _Replay(head, stream)
    checked = False
    events = etree.iterparse(source, tag="iati-activity", **parser_options())
    for position, (_event, el) in enumerate(events, start=1):
        if not checked:
            docinfo = el.getroottree().docinfo
            if docinfo.doctype or docinfo.internalDTD is not None:
                raise UnsafeFile("le fichier déclare une DTD : refusé")
            root = el.getparent()
            version = (root.get("version") if root is not None else None) or ""
            if info is not None:
                info["version"] = version.strip()[:10]
            checked = True
        line = el.sourceline
        try:
            yield Item(position=position, line=line, record=map_activity(el))
        except BadActivity as error:
            ident = ""
            for child in el:
                if child.tag == "iati-identifier":
                    ident = (child.text or "").strip()[:255]
                    break
            yield Item(position=position, line=line, identifier=ident, reason=str(error))
        el.clear()
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]
