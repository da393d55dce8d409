"""Load the official codelists (IATI 2.03, UN SDGs) shipped in `data/` into the reference tables.

These loaders are the only writers of the reference tables. Each one reads its file, then
upserts by code in one transaction with bulk queries, so a second run changes nothing.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pycountry
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import translation
from lxml import etree

from reciproca.core.loading import DataFileError, Loaded, LoadResult
from reciproca.reference import models

DATA_DIR = Path(__file__).resolve().parent / "data"
IATI_DIR = DATA_DIR / "iati"
NONEMBEDDED_DIR = IATI_DIR / "codelists-nonembedded"
CORE_DIR = IATI_DIR / "codelists-core"
FRENCH_TRANSLATIONS_DIR = IATI_DIR / "codelists-translations" / "fr"
SDG_TRANSLATIONS_DIR = DATA_DIR / "sdg-translations"
# The languages the IATI codelists lack, filled from the Open SDG translations, and the word
# that opens a goal's name in each ("Objectif 1. …" in the IATI French).
SDG_LANGUAGES = {"ar": "الهدف", "hy": "Նպատակ"}

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BATCH_SIZE = 500

CodeModelT = TypeVar("CodeModelT", bound=models.CodeModel)


class CodelistError(DataFileError):
    """A codelist file is unsafe or not shaped like an IATI codelist."""


@dataclass(frozen=True)
class CodelistItem:
    """One `<codelist-item>`, with its texts keyed by language code."""

    code: str
    position: int
    names: Mapping[str, str]
    descriptions: Mapping[str, str]
    category: str = ""
    is_active: bool = True


@dataclass
class _Row:
    """The values a loader wants on one object.

    `values` come from a source and always win; `fallbacks` only fill a field that is empty,
    so a French name typed by an administrator where the source has none survives a reload.
    """

    code: str
    values: dict[str, Any]
    fallbacks: dict[str, Any] = field(default_factory=dict)


# --- Reading files -------------------------------------------------------------------------


def safe_xml_parser() -> etree.XMLParser:
    """An XML parser that never expands entities, reads a DTD, or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def parse_xml(path: Path) -> etree._ElementTree:
    """Parse `path` safely and refuse any document type declaration.

    The official codelists have none; a DOCTYPE can only bring entity declarations, which we
    would not expand anyway, so its presence means the file is not what it claims to be.
    """
    try:
        tree = etree.parse(str(path), safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise CodelistError(f"{path.name} : XML illisible ({exc})") from exc
    docinfo: Any = tree.docinfo  # lxml-stubs lacks DocInfo.doctype
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise CodelistError(f"{path.name} : déclaration DOCTYPE refusée")
    return tree


def _narratives(element: etree._Element | None, default_lang: str) -> dict[str, str]:
    if element is None:
        return {}
    texts: dict[str, str] = {}
    for narrative in element.iterfind("narrative"):
        lang = narrative.get(XML_LANG) or default_lang
        # Whitespace inside narratives is layout (line breaks, trailing spaces), not content.
        text = " ".join((narrative.text or "").split())
        if text and lang not in texts:
            texts[lang] = text
    return texts


def read_codelist(path: Path) -> list[CodelistItem]:
    """The items of an IATI codelist file, in file order."""
    root = parse_xml(path).getroot()
    if root.tag != "codelist":
        raise CodelistError(f"{path.name} : élément racine <{root.tag}>, <codelist> attendu")
    default_lang = root.get(XML_LANG) or "en"
    items: list[CodelistItem] = []
    seen: set[str] = set()
    for position, element in enumerate(root.iterfind("codelist-items/codelist-item"), start=1):
        code = (element.findtext("code") or "").strip()
        if not code:
            raise CodelistError(f"{path.name} : l'élément n° {position} n'a pas de code")
        if code in seen:
            raise CodelistError(f"{path.name} : code {code} en double")
        seen.add(code)
        items.append(
            CodelistItem(
                code=code,
                position=position,
                names=_narratives(element.find("name"), default_lang),
                descriptions=_narratives(element.find("description"), default_lang),
                category=(element.findtext("category") or "").strip(),
                is_active=element.get("status", "active") != "withdrawn",
            )
        )
    if not items:
        raise CodelistError(f"{path.name} : aucun élément")
    return items


def read_french_translations(path: Path) -> dict[str, dict[str, str]]:
    """code -> {"name": …, "description": …} from a codeforIATI translation file."""
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    texts: dict[str, dict[str, str]] = {}
    for entry in document.get("data", []):
        found = {
            key: " ".join(str(entry[key]).split())
            for key in ("name", "description")
            if entry.get(key)
        }
        if entry.get("code") and found:
            texts[str(entry["code"])] = found
    return texts


def _pycountry_catalogue(domain: str, language: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


# --- Turning items into rows ---------------------------------------------------------------


def _texts_row(
    item: CodelistItem, french: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Name and description values: French from the XML, else from the translation file;
    English as a stand-in for a missing French name only."""
    french = french or {}
    values: dict[str, Any] = {"is_active": item.is_active, "position": item.position}
    fallbacks: dict[str, Any] = {}
    english_name = item.names.get("en") or next(iter(item.names.values()), item.code)
    values["name_en"] = english_name
    if french_name := item.names.get("fr") or french.get("name"):
        values["name_fr"] = french_name
    else:
        fallbacks["name_fr"] = english_name
    if english_description := item.descriptions.get("en"):
        values["description_en"] = english_description
    if french_description := item.descriptions.get("fr") or french.get("description"):
        values["description_fr"] = french_description
    return values, fallbacks


def _supplement(codelist: str) -> dict[str, dict[str, str]]:
    """Reciproca's own French names for codes no official source names in French."""
    path = Path(__file__).resolve().parent / "data" / "supplements" / "fr.json"
    with path.open(encoding="utf-8") as handle:
        entries: dict[str, dict[str, str]] = json.load(handle).get(codelist, {})
    return entries


def _rows(
    items: Iterable[CodelistItem],
    *,
    translations: Path | None = None,
    supplement: str = "",
    extra: Callable[[CodelistItem], dict[str, Any]] | None = None,
) -> list[_Row]:
    french = read_french_translations(translations) if translations else {}
    # Our own French fills only an empty French slot, like the English stand-in it replaces.
    own_french = _supplement(supplement) if supplement else {}
    rows = []
    for item in items:
        values, fallbacks = _texts_row(item, french.get(item.code))
        if "name_fr" in fallbacks and (own := own_french.get(item.code, {}).get("name")):
            fallbacks["name_fr"] = own
        if extra is not None:
            values.update(extra(item))
        rows.append(_Row(code=item.code, values=values, fallbacks=fallbacks))
    return rows


# --- Writing -------------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _sync(model: type[CodeModelT], label: str, rows: list[_Row]) -> LoadResult:
    """Upsert `rows` by code with one read, one bulk insert and one bulk update."""
    # The untranslated `name` column takes the default language's value when saved; read
    # and write under that language whatever language the caller has active.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _sync_in_default_language(model, label, rows)


def _sync_in_default_language(model: type[CodeModelT], label: str, rows: list[_Row]) -> LoadResult:
    existing = {obj.code: obj for obj in model._default_manager.all()}
    to_create: list[CodeModelT] = []
    to_update: list[CodeModelT] = []
    changed_fields: set[str] = set()
    for row in rows:
        obj = existing.get(row.code)
        if obj is None:
            to_create.append(model(code=row.code, **row.fallbacks, **row.values))
            continue
        changed = False
        wanted = dict(row.values)
        wanted.update(
            {name: value for name, value in row.fallbacks.items() if _is_empty(getattr(obj, name))}
        )
        for name, value in wanted.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed_fields.add(name)
                changed = True
        if changed:
            to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        # modeltranslation keeps the untranslated `name`/`description` columns equal to the
        # French value on save(); bulk_update bypasses that, so write them too.
        for base in ("name", "description"):
            if f"{base}_fr" in changed_fields or f"{base}_en" in changed_fields:
                changed_fields.add(base)
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    return LoadResult(
        label=label,
        total=len(rows),
        active=sum(1 for row in rows if row.values.get("is_active", True)),
        created=len(to_create),
        updated=len(to_update),
    )


def _codes_to_ids(model: type[models.CodeModel]) -> dict[str, int]:
    return dict(model._default_manager.values_list("code", "pk"))


# --- The lists -----------------------------------------------------------------------------


def read_sdg_translations(kind: str) -> dict[str, dict[str, str]]:
    """{language: {code: text}} from `sdg-translations/<lang>/global_<kind>.yml`: goals by
    their number ("1"), targets by their code ("1.a", from the key `1-a-title`)."""
    texts: dict[str, dict[str, str]] = {}
    for lang in SDG_LANGUAGES:
        path = SDG_TRANSLATIONS_DIR / lang / f"global_{kind}.yml"
        try:
            with path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError) as error:
            raise CodelistError(f"{path.name} ({lang}) : {error}") from error
        if not isinstance(data, dict):
            raise CodelistError(f"{path.name} ({lang}) : une table de clés est attendue")
        texts[lang] = {
            str(key)[: -len("-title")].replace("-", "."): " ".join(str(value).split())
            for key, value in data.items()
            if str(key).endswith("-title") and value
        }
    return texts


@transaction.atomic
def load_sdg_goals() -> LoadResult:
    items = read_codelist(NONEMBEDDED_DIR / "UNSDG-Goals.xml")
    translated = read_sdg_translations("goals")

    def names(item: CodelistItem) -> dict[str, Any]:
        return {
            f"name_{lang}": f"{word} {item.code}. {translated[lang][item.code]}"
            for lang, word in SDG_LANGUAGES.items()
            if item.code in translated[lang]
        }

    return _sync(models.SdgGoal, "Objectifs ODD", _rows(items, extra=names))


@transaction.atomic
def load_sdg_targets() -> LoadResult:
    """SDG targets; their goal is the part of the code before the dot ("16.7" → 16)."""
    goals = _codes_to_ids(models.SdgGoal)

    def goal(item: CodelistItem) -> dict[str, Any]:
        goal_code = item.code.split(".", 1)[0]
        if goal_code not in goals:
            raise CodelistError(
                f"UNSDG-Targets.xml : cible {item.code}, objectif {goal_code} inconnu"
            )
        values: dict[str, Any] = {"goal_id": goals[goal_code]}
        values.update(
            {
                f"name_{lang}": translated[lang][item.code]
                for lang in SDG_LANGUAGES
                if item.code in translated[lang]
            }
        )
        return values

    translated = read_sdg_translations("targets")
    items = read_codelist(NONEMBEDDED_DIR / "UNSDG-Targets.xml")
    return _sync(models.SdgTarget, "Cibles ODD", _rows(items, extra=goal))


@transaction.atomic
def load_purpose_categories() -> LoadResult:
    items = read_codelist(NONEMBEDDED_DIR / "SectorCategory.xml")
    rows = _rows(items, translations=FRENCH_TRANSLATIONS_DIR / "SectorCategory.json")
    return _sync(models.PurposeCategory, "Catégories CAD", rows)


@transaction.atomic
def load_purpose_codes() -> LoadResult:
    """DAC 5-digit purpose codes; each belongs to the 3-digit category its file names."""
    categories = _codes_to_ids(models.PurposeCategory)

    def category(item: CodelistItem) -> dict[str, Any]:
        code = item.category or item.code[:3]
        if code not in categories:
            raise CodelistError(f"Sector.xml : code {item.code}, catégorie {code} inconnue")
        return {"category_id": categories[code]}

    items = read_codelist(NONEMBEDDED_DIR / "Sector.xml")
    rows = _rows(items, translations=FRENCH_TRANSLATIONS_DIR / "Sector.json", extra=category)
    return _sync(models.PurposeCode, "Codes-objet CAD", rows)


@transaction.atomic
def load_policy_markers() -> LoadResult:
    items = read_codelist(NONEMBEDDED_DIR / "PolicyMarker.xml")
    return _sync(models.PolicyMarker, "Marqueurs CAD", _rows(items, supplement="PolicyMarker"))


@transaction.atomic
def load_policy_significances() -> LoadResult:
    items = read_codelist(NONEMBEDDED_DIR / "PolicySignificance.xml")
    rows = _rows(items, supplement="PolicySignificance")
    return _sync(models.PolicySignificance, "Niveaux de marqueur", rows)


@transaction.atomic
def load_organisation_types() -> LoadResult:
    items = read_codelist(NONEMBEDDED_DIR / "OrganisationType.xml")
    rows = _rows(items, translations=FRENCH_TRANSLATIONS_DIR / "OrganisationType.json")
    return _sync(models.OrganisationType, "Types d'organisation", rows)


@transaction.atomic
def load_currencies() -> LoadResult:
    """ISO 4217 currencies from IATI (English only), named in French and Arabic by pycountry."""
    catalogues = {lang: _pycountry_catalogue("iso4217", lang) for lang in ("fr", "ar", "hy")}

    def names(item: CodelistItem) -> dict[str, Any]:
        currency = pycountry.currencies.get(alpha_3=item.code)
        if currency is None:  # withdrawn currencies are gone from ISO 4217 today
            return {}
        found = {}
        for lang, catalogue in catalogues.items():
            translated = catalogue.gettext(currency.name) if catalogue else currency.name
            if translated != currency.name or lang == "fr":
                found[f"name_{lang}"] = translated
        return found

    items = read_codelist(NONEMBEDDED_DIR / "Currency.xml")
    rows = _rows(items, extra=names)
    for row in rows:
        if "name_fr" in row.values:
            row.fallbacks.pop("name_fr", None)
    return _sync(models.Currency, "Devises", rows)


@transaction.atomic
def load_organisation_roles() -> LoadResult:
    items = read_codelist(CORE_DIR / "OrganisationRole.xml")
    return _sync(models.OrganisationRole, "Rôles d'organisation", _rows(items))


CODELIST_LOADERS: tuple[Callable[[], LoadResult], ...] = (
    load_sdg_goals,
    load_sdg_targets,
    load_purpose_categories,
    load_purpose_codes,
    load_policy_markers,
    load_policy_significances,
    load_organisation_types,
    load_currencies,
    load_organisation_roles,
)


@transaction.atomic
def load_codelists() -> list[LoadResult]:
    """Load every codelist, in dependency order, in one transaction."""
    return [loader() for loader in CODELIST_LOADERS]


def load_reference_data(options: Mapping[str, Any]) -> Loaded:
    """The codelists' part of `reciproca load_reference` (registered in `apps.py`)."""
    return Loaded(results=load_codelists())
