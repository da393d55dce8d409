"""Fill the message catalogues from JSON files of translations, and list what is missing.

Work in parallel on translations without conflicting catalogues: each piece of work keeps the
translations of the messages it adds or changes in `locale/pending/<name>.json`, a list of

    {"msgid": "…", "en": "…", "ar": "…", "hy": "…"}
    {"msgid": "… %(n)s …", "msgid_plural": "…", "en": ["…", "…"], "ar": [6 forms], "hy": [2]}
    ("msgctxt": "…" where the message has a context)

then runs, after `makemessages`:

    uv run python scripts/translations.py apply locale/pending/*.json
    uv run python scripts/translations.py missing > todo.json   # a skeleton of what is left
    uv run python scripts/translations.py harvest ../other-tree > theirs.json  # to merge work


`apply` writes each translation into every catalogue where the message exists, clears its fuzzy
flag and its previous msgid, and says which entries of the files matched no message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LANGS = ("en", "ar", "hy")
ROOT = Path(__file__).resolve().parent.parent


def catalogue(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


def key(msgctxt: str | None, msgid: str) -> tuple[str, str]:
    return (msgctxt or "", msgid)


def apply(files: list[str]) -> int:
    wanted: dict[tuple[str, str], dict] = {}
    for name in files:
        for item in json.loads(Path(name).read_text(encoding="utf-8")):
            wanted[key(item.get("msgctxt"), item["msgid"])] = item
    used: set[tuple[str, str]] = set()
    for lang in LANGS:
        po = polib.pofile(str(catalogue(lang)))
        nplurals = int(po.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1][0])
        for entry in po:
            k = key(entry.msgctxt, entry.msgid)
            item = wanted.get(k)
            if item is None or lang not in item:
                continue
            used.add(k)
            value = item[lang]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                if len(forms) != nplurals:
                    print(f"{lang}: {entry.msgid!r} needs {nplurals} plural forms", file=sys.stderr)
                    return 1
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        po.save()
    for k in sorted(set(wanted) - used):
        print(f"no such message (any more): {k[1]!r}", file=sys.stderr)
    return 0


def missing() -> int:
    todo: dict[tuple[str, str], dict] = {}
    for lang in LANGS:
        for entry in polib.pofile(str(catalogue(lang))):
            untranslated = (
                not all(entry.msgstr_plural.values()) if entry.msgid_plural else not entry.msgstr
            )
            if entry.obsolete or not (untranslated or "fuzzy" in entry.flags):
                continue
            item = todo.setdefault(key(entry.msgctxt, entry.msgid), {"msgid": entry.msgid})
            if entry.msgctxt:
                item["msgctxt"] = entry.msgctxt
            if entry.msgid_plural:
                item["msgid_plural"] = entry.msgid_plural
            item[lang] = ""
    json.dump(list(todo.values()), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def harvest(roots: list[str]) -> int:
    """Every translated message of the catalogues under each root (another work tree), as JSON."""
    found: dict[tuple[str, str], dict] = {}
    for root in roots:
        for lang in LANGS:
            path = Path(root) / "locale" / lang / "LC_MESSAGES" / "django.po"
            for entry in polib.pofile(str(path)):
                if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
                    continue
                item = found.setdefault(key(entry.msgctxt, entry.msgid), {"msgid": entry.msgid})
                if entry.msgctxt:
                    item["msgctxt"] = entry.msgctxt
                if entry.msgid_plural:
                    item["msgid_plural"] = entry.msgid_plural
                    item[lang] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
                else:
                    item[lang] = entry.msgstr
    json.dump(list(found.values()), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["apply"] and argv[1:]:
        return apply(argv[1:])
    if argv[:1] == ["harvest"] and argv[1:]:
        return harvest(argv[1:])
    if argv == ["missing"]:
        return missing()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
