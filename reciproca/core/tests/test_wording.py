"""French as a person writes it, over every message of the catalogue and every template:

- no "(s)" plural: a count goes through `ngettext` / `{% blocktranslate count %}`;
- no organisation name after "par", "de", "au nom de", "pour", "avec", "à" without its article:
  the name is passed worded by `core.language` — `%(le_org)s` ("le Département de l'Isère"),
  `%(du_org)s` ("du Département …", the "de" included), `%(au_org)s` — or, in a template,
  through the filters `|le`, `|du`, `|au`.

The checkers are plain functions, tested on bad sentences first so that the test can fail.
"""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import polib
import pytest

from reciproca.core import language

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "reciproca").glob("*/templates"))]

PLURAL_S = re.compile(r"\w\(e?s\)")
# A preposition right before a placeholder (%(name)s in the catalogue, {{ name }} in templates).
PREPOSITION = r"(?:\b(?:par|de|pour|avec|à|entre|au nom de|validée? par)\s+|\bd')"
PLACEHOLDER = re.compile(PREPOSITION + r"(?:%\((\w+)\)s|\{\{\s*(\w+)\s*\}\})")
ORG_WORD = re.compile(r"org|organi[sz]ation|partner|host|authority|signer", re.IGNORECASE)
WORDED = ("le_", "du_", "au_")


def plural_problems(text: str) -> list[str]:
    return [f"« {m.group(0)} » : un pluriel « (s) »" for m in PLURAL_S.finditer(text)]


def article_problems(text: str) -> list[str]:
    """Placeholders naming an organisation after a preposition, without its article."""
    problems = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1) or match.group(2)
        before = match.group(0)[: match.group(0).find(name)].rstrip("%({ ")
        if not ORG_WORD.search(name):
            continue
        if not name.startswith(WORDED):
            problems.append(f"« {match.group(0)} » : l'organisation sans son article")
        elif name.startswith("le_") and re.search(r"(?:\bde|\bà|d')$", before.strip()):
            problems.append(f"« {match.group(0)} » : « de le »/« à le » au lieu de du_/au_")
        elif name.startswith(("du_", "au_")) and re.search(r"(?:\bde|\bà)$", before.strip()):
            problems.append(f"« {match.group(0)} » : la préposition est en double")
    return problems


BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
BINDING = re.compile(r"(\w+)=(\S+)")
AFTER_TRANSLATE = re.compile(
    r"\b(?:par|de|au nom de|pour|avec)\"\s*%\}\s*(?:<[^>]+>\s*)*\{\{\s*([^}]+?)\s*\}\}"
)
DIRECT = re.compile(
    r"(?<![\w\"'])(?:par|de|au nom de|pour|avec)\s+(?:<[^>]+>\s*)*\{\{\s*([^}]+?)\s*\}\}"
)


def _unworded_org(expression: str) -> bool:
    head = expression.split("|", 1)[0]
    if not re.search(r"(?:organisation|partner|host|\borg)\w*(?:\.(?:name|display_name))?$", head):
        return False
    filters = expression.split("|")[1:]
    return not any(f.split(":", 1)[0] in {"le", "du", "au"} for f in filters)


def template_problems(source: str) -> list[str]:
    problems = plural_problems(re.sub(r"\{#.*?#\}", "", source))
    for match in BLOCK.finditer(source):
        bindings = dict(BINDING.findall(match.group(1)))
        body = match.group(2)
        for found in PLACEHOLDER.finditer(body):
            name = found.group(2)
            if name and name in bindings and _unworded_org(bindings[name]):
                problems.append(f"« {found.group(0)} » ({name}={bindings[name]}) sans article")
        problems += article_problems(body)
    outside = BLOCK.sub("", source)
    for pattern in (AFTER_TRANSLATE, DIRECT):
        for found in pattern.finditer(outside):
            if _unworded_org(found.group(1)):
                problems.append(f"« {found.group(0)} » : l'organisation sans son article")
    return problems


def _python_strings(path: Path) -> list[tuple[int, str]]:
    with path.open("rb") as handle:
        return [
            (token.start[0], token.string)
            for token in tokenize.tokenize(handle.readline)
            if token.type == tokenize.STRING
        ]


# --- the checkers fail on what they must refuse --------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "0 service(s) impliqué(s)",
        "L'étape n'a pas été validée par %(org)s.",
        "Validée au nom de %(org)s.",
        "Aucune convention avec %(partner)s.",
        "La validation de %(le_org)s est retirée.",
        "La validation de %(du_org)s est retirée.",
    ],
)
def test_the_catalogue_checker_refuses_a_bad_sentence(bad):
    assert plural_problems(bad) + article_problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        "L'étape n'a pas été validée par %(le_org)s.",
        "Validée au nom %(du_org)s.",
        "Confiée %(au_org)s.",
        "validé par %(user)s le %(date)s",
        "%(n)s services impliqués",
    ],
)
def test_the_catalogue_checker_accepts_a_good_sentence(good):
    assert plural_problems(good) + article_problems(good) == []


@pytest.mark.parametrize(
    "bad",
    [
        "{% blocktranslate with org=user.organisation.name %}au nom de {{ org }}"
        "{% endblocktranslate %}",
        '{% translate "Apporté par" %} {{ need.author_organisation.name }}',
        "<p>validé par {{ partnership.partner.name }}</p>",
        "<p>{{ n }} élu(s)</p>",
    ],
)
def test_the_template_checker_refuses_a_bad_template(bad):
    assert template_problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        "{% blocktranslate with du_org=user.organisation|du|bdi %}au nom {{ du_org }}"
        "{% endblocktranslate %}",
        "{% blocktranslate with le_org=o|le %}Apporté par {{ le_org }}{% endblocktranslate %}",
        "<p>validé par {{ partnership.partner|le }}</p>",
        "{% blocktranslate with user=s.signed_by %}par {{ user }}{% endblocktranslate %}",
    ],
)
def test_the_template_checker_accepts_a_good_template(good):
    assert template_problems(good) == []


# --- and find nothing in the product -------------------------------------------------------


def test_no_french_message_of_the_catalogue_has_a_plural_s_or_an_organisation_without_article():
    problems = []
    for entry in polib.pofile(str(CATALOGUE)):
        for text in filter(None, (entry.msgid, entry.msgid_plural)):
            for problem in plural_problems(text) + article_problems(text):
                problems.append(f"{entry.occurrences[:1]} {problem}")
    assert problems == []


def test_no_template_has_a_plural_s_or_an_organisation_without_article():
    problems = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            for problem in template_problems(path.read_text(encoding="utf-8")):
                problems.append(f"{path.relative_to(ROOT)}: {problem}")
    assert problems == []


def test_no_python_string_of_the_product_has_a_plural_s():
    problems = []
    for path in sorted((ROOT / "reciproca").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line, text in _python_strings(path):
            problems += [f"{path.relative_to(ROOT)}:{line} {p}" for p in plural_problems(text)]
    assert problems == []


# --- the helpers themselves ----------------------------------------------------------------


class Org:
    def __init__(self, name: str, article: str) -> None:
        self.name, self.article = name, article


@pytest.mark.parametrize(
    ("org", "le", "du", "au"),
    [
        (
            Org("Département de l'Isère", "le"),
            "le Département de l'Isère",
            "du Département de l'Isère",
            "au Département de l'Isère",
        ),
        (
            Org("Wilaya de Constantine", "la"),
            "la Wilaya de Constantine",
            "de la Wilaya de Constantine",
            "à la Wilaya de Constantine",
        ),
        (
            Org("Union européenne", "l'"),
            "l'Union européenne",
            "de l'Union européenne",
            "à l'Union européenne",
        ),
        (
            Org("Conseils régionaux de Kédougou", "les"),
            "les Conseils régionaux de Kédougou",
            "des Conseils régionaux de Kédougou",
            "aux Conseils régionaux de Kédougou",
        ),
        (Org("Eau Vive", ""), "Eau Vive", "d'Eau Vive", "à Eau Vive"),
        (Org("Veolia", ""), "Veolia", "de Veolia", "à Veolia"),
    ],
)
def test_an_organisation_is_worded_with_its_article_and_contractions(org, le, du, au):
    from django.utils import translation

    with translation.override("fr"):
        assert (language.le(org), language.du(org), language.au(org)) == (le, du, au)


def test_other_languages_get_the_bare_name_isolated_in_arabic():
    from django.utils import translation

    org = Org("Wilaya de Constantine", "la")
    with translation.override("en"):
        assert language.du(org) == "Wilaya de Constantine"
    with translation.override("ar"):
        assert language.du(org) == "\u2068Wilaya de Constantine\u2069"


def test_amounts_and_lists_follow_the_locale():
    from decimal import Decimal

    from django.utils import translation

    with translation.override("hy"):
        assert language.amount(Decimal("300000"), "EUR") == "300\xa0000,00\xa0EUR"
    with translation.override("fr"):
        assert language.amount(Decimal("300000"), "EUR") == "300\xa0000,00\xa0EUR"
    with translation.override("en"):
        assert language.amount(Decimal("300000"), "EUR") == "300,000.00\xa0EUR"
    with translation.override("ar"):
        assert language.join_list(["أ", "ب"]) == "أ، ب"


def test_no_translation_has_a_plural_s_either():
    """English, Arabic and Armenian plurals go through the catalogue's plural forms too."""
    problems = []
    for lang in ("en", "ar", "hy"):
        path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for text in filter(None, texts):
                problems += [f"{lang} {entry.msgid[:40]!r}: {p}" for p in plural_problems(text)]
    assert problems == []
