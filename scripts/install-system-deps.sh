#!/usr/bin/env bash
# Debian packages Reciproca needs beyond Python: Chromium for the browser tests, pango for
# PDF rendering, gettext to compile translations, Noto fonts for Arabic and Armenian,
# LibreOffice Calc (headless) to check that the e-APD workbook converts to PDF.
set -euo pipefail

packages=(chromium gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core libreoffice-calc-nogui)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]} (install them with your package manager)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing system packages: ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
