#!/usr/bin/env bash
# Check the Kubernetes manifests without a cluster: the rendered files are those of render.py's
# table, every file parses as YAML, every object is valid against the Kubernetes schemas, every
# component's web and worker have their autoscaler and are scraped (check_scaling.py), and
# both kustomizations build. Needs PyYAML, kubernetes-validate and portalkit in $VENV; kubectl is
# optional.
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-../../.venv}
PY="$VENV/bin/python"

"$PY" render.py --check
files=(*.yaml migrations/*.yaml)
"$PY" - "${files[@]}" <<'PYTHON'
import sys
import yaml
count = 0
for path in sys.argv[1:]:
    with open(path) as handle:
        count += sum(1 for document in yaml.safe_load_all(handle) if document)
print(f"k8s: {len(sys.argv) - 1} files, {count} YAML documents parse")
PYTHON
"$PY" check_scaling.py
# The kustomization files are not Kubernetes objects; KEDA's are not in the Kubernetes schemas
# (check_scaling.py checks what the portal relies on in them).
objects=()
for file in "${files[@]}"; do
  case "$file" in *kustomization.yaml|keda.yaml) ;; *) objects+=("$file") ;; esac
done
"$VENV/bin/kubernetes-validate" --strict --quiet "${objects[@]}"
echo "k8s: every object is valid against the Kubernetes schemas"
kubectl=$(command -v kubectl || true)
[ -x "$VENV/bin/kubectl" ] && kubectl="$VENV/bin/kubectl"
if [ -n "$kubectl" ]; then
  "$kubectl" kustomize . >/dev/null
  "$kubectl" kustomize migrations >/dev/null
  echo "k8s: both kustomizations build"
fi
