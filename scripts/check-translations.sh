#!/usr/bin/env bash
# Every French message of the interface has its English, Arabic and Armenian translation.
# Extracts the messages into a scratch copy of locale/ (the working tree is left as it was).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -a locale "$scratch/original"
restore() { rm -rf locale; cp -a "$scratch/original" locale; }
trap 'restore; rm -rf "$scratch"' EXIT
RECIPROCA_DEBUG=1 uv run --frozen reciproca makemessages -l en -l ar -l hy --ignore=.venv \
  --ignore=var --ignore=test-artifacts --ignore=bench --no-obsolete --verbosity 0
status=0
for lang in en ar hy; do
  po="locale/$lang/LC_MESSAGES/django.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid "' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid "' || true)
  # msgattrib repeats the header entry in its output: it is not a message.
  untranslated=$(( untranslated > 0 ? untranslated - 1 : 0 ))
  fuzzy=$(( fuzzy > 0 ? fuzzy - 1 : 0 ))
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    echo "locale/$lang: $untranslated untranslated and $fuzzy fuzzy messages" >&2
    msgattrib --untranslated --no-obsolete "$po" | grep -A1 '^msgid "' | tail -n +3 >&2 || true
    status=1
  fi
  msgfmt --check-format -o /dev/null "$po"
done
[ $status -eq 0 ] && echo "translations: every message in en, ar and hy"
exit $status
