#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end tests when it is missing (Playwright's own download cannot work here).
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium is missing: run as root, or: sudo apt-get install -y --no-install-recommends chromium fonts-liberation" >&2
  exit 1
fi
echo "Installing Debian's chromium for the end-to-end tests…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
