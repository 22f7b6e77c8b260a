#!/usr/bin/env bash
# Install what the portal needs on a fresh machine (Python, pip and apt only): the virtual
# environment with every package of the monorepo, and — for the tests (--with-test) — Debian's
# Chromium and promtool.
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

# The tests' system tools, with --with-test (or its older name --with-browser): Debian's
# Chromium for the browser tests and promtool (Debian's prometheus package) for the alert rules.
case "${1:-}" in --with-test|--with-browser) ;; *) exit 0 ;; esac
# Waits for another apt-get rather than failing (several installs may share the machine).
APT=(apt-get -o DPkg::Lock::Timeout=600)
updated=
apt_update() { [ -n "$updated" ] || "${APT[@]}" update -qq; updated=1; }

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq chromium >/dev/null
fi

# promtool comes only with the Prometheus server, whose package would start it as a daemon:
# policy-rc.d answering 101 ("action forbidden") keeps invoke-rc.d from starting it, and the
# systemd unit is disabled where systemd runs. The tests need the tool, never the server.
if ! command -v promtool >/dev/null; then
  echo "Installing promtool (Debian's prometheus package, its server left stopped)…"
  policy=/usr/sbin/policy-rc.d
  saved=
  if [ -e "$policy" ]; then saved=$(mktemp); cp -p "$policy" "$saved"; fi
  restore_policy() { if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi; }
  trap restore_policy EXIT
  printf '#!/bin/sh\n# deploy/install.sh: no daemon started while it installs promtool\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq --no-install-recommends prometheus >/dev/null
  if [ -d /run/systemd/system ]; then systemctl disable --now prometheus.service >/dev/null 2>&1 || true; fi
  restore_policy
  trap - EXIT
fi
