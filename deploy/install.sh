#!/usr/bin/env bash
# Install what the portal needs on a fresh machine (Python, pip and apt only): the virtual
# environment with every package of the monorepo, and — for the tests — Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

stamp="$VENV/.installed"
sources=(libs/portalkit/pyproject.toml services/*/pyproject.toml gateway/pyproject.toml requirements-dev.txt)
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    "$PYTHON" -m venv "$VENV"
  }
fi
newer=$(find "${sources[@]}" -newer "$stamp" 2>/dev/null | head -1 || true)
if [ ! -f "$stamp" ] || [ -n "$newer" ]; then
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -e libs/portalkit $(printf -- '-e %s ' services/*/) -e gateway -r requirements-dev.txt
  touch "$stamp"
fi

if [ "${1:-}" = "--with-browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
