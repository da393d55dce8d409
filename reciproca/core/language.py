"""Language helpers every app shares: an organisation's name with its French article and the
contractions ("du", "au", "de la", "de l'"), bidi isolation of stored text on right-to-left
pages, lists and amounts as the reader's locale writes them.

An organisation is anything with `name` and `article` (`partnerships.Organisation`): core sits
below partnerships and reads them by duck typing. In Python messages an organisation after a
preposition is passed already worded, under a placeholder that says which form it is:

    _("L'étape n'a pas été validée par %(le_org)s.") % {"le_org": le(org)}
    _("Validée au nom %(du_org)s.") % {"du_org": du(org)}

`le` gives "le Département de l'Isère", `du` "du Département de l'Isère" (the "de" included),
`au` "au Département de l'Isère" (the "à" included). Other languages get the bare name, so
their translations write "signed off by %(le_org)s", "on behalf of %(du_org)s". Templates use
the filters of the same names: `{{ org|le }}`, `{{ org|du }}`, `{{ org|au }}`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

# Unicode isolates (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE): the plain-text <bdi>.
FSI = "\u2068"
PDI = "\u2069"

_VOWELS = set("aeiouyàâäéèêëîïôöûühAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÜH")

_FORMS = {
    # article: (alone, after "de", after "à")
    "le": ("le ", "du ", "au "),
    "la": ("la ", "de la ", "à la "),
    "l'": ("l'", "de l'", "à l'"),
    "les": ("les ", "des ", "aux "),
}


def is_french() -> bool:
    return (translation.get_language() or "fr").split("-")[0] == "fr"


def is_bidi() -> bool:
    return bool(translation.get_language_bidi())


def isolate(text: Any) -> str:
    """Stored text (a name, a reason in its author's language) isolated from the sentence
    around it on a right-to-left page; unchanged on a left-to-right one."""
    text = "" if text is None else str(text)
    if not text or not is_bidi():
        return text
    return f"{FSI}{text}{PDI}"


def _name(organisation: Any) -> str:
    return str(getattr(organisation, "name", None) or organisation or "")


def _article(organisation: Any) -> str:
    return str(getattr(organisation, "article", "") or "")


def _worded(organisation: Any, form: int, *, isolated: bool = True) -> str:
    name = _name(organisation)
    if not is_french():
        return isolate(name) if isolated else name
    prefix = _FORMS.get(_article(organisation))
    if prefix is not None:
        return prefix[form] + name
    # No article ("Hydro-Alpes Ingénierie"): "par Hydro-Alpes", "d'Eau Vive", "à Eau Vive".
    if form == 1:
        return ("d'" if name[:1] in _VOWELS else "de ") + name
    if form == 2:
        return "à " + name
    return name


def le(organisation: Any, *, isolated: bool = True) -> str:
    """The name with its article: "le Département de l'Isère", "la Wilaya de Constantine".

    In another language the bare name, isolated with Unicode isolates on a right-to-left
    page (plain text: a reason, a message); templates isolate with <bdi> instead
    (`isolated=False`, through the filters of `core.templatetags.reciproca`)."""
    return _worded(organisation, 0, isolated=isolated)


def du(organisation: Any, *, isolated: bool = True) -> str:
    """With "de": "du Département de l'Isère", "de la Wilaya", "de l'Union européenne"."""
    return _worded(organisation, 1, isolated=isolated)


def au(organisation: Any, *, isolated: bool = True) -> str:
    """With "à": "au Département de l'Isère", "à la Wilaya", "à l'Union européenne"."""
    return _worded(organisation, 2, isolated=isolated)


def list_separator() -> str:
    """ ", " — or the Arabic comma "، " on an Arabic page."""
    return "، " if (translation.get_language() or "").startswith("ar") else ", "


def join_list(items: Iterable[Any], *, conjunction: bool = False) -> str:
    """Items joined as the locale writes a list: "a, b et c", "a، b و c", "a, b և c"."""
    words = [str(item) for item in items if item is not None and str(item) != ""]
    if not conjunction or len(words) < 2:
        return list_separator().join(words)
    # Translators: the last link of a list: "a, b et c".
    last = _("%(first)s et %(last)s") % {
        "first": list_separator().join(words[:-1]),
        "last": words[-1],
    }
    return last


def amount(value: Decimal | float | int | None, currency: str = "") -> str:
    """ "300 000,00 EUR" in French and Armenian, "300,000.00 EUR" in English: grouped and
    with two decimals, by the locale's formats (`config/formats/`)."""
    if value is None:
        return "—"
    text = formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{currency}" if currency else text


def shown_in_french(obj: Any, field: str = "name") -> bool:
    """True when `obj.<field>` has no text in the reader's language and shows in French (the
    modeltranslation fallback): a theme, a purpose code, a marker."""
    current = (translation.get_language() or "fr").split("-")[0]
    if current == "fr":
        return False
    return not getattr(obj, f"{field}_{current}", None)


def marked_french(obj: Any, text: str, field: str = "name") -> str:
    """`text` in a `<span lang="fr">` when it shows in French to a reader of another language
    (a form's choice label: screen readers then read it as French)."""
    if shown_in_french(obj, field):
        return format_html('<span lang="fr">{}</span>', text)
    return text
