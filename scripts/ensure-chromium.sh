#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end tests when it is missing (Playwright's own download cannot work here), and
# poppler-utils (pdftoppm, pdftotext), with which the print-layout test turns a report's PDF into page images and text.
set -euo pipefail
missing=()
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then missing+=(chromium fonts-liberation); fi
if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then missing+=(poppler-utils); fi
if [ "${#missing[@]}" = 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "missing for the end-to-end tests: ${missing[*]}: run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the end-to-end tests…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
