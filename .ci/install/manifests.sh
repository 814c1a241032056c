#!/usr/bin/env bash
# Installs the tools that manifests/test needs on a Debian machine, as root:
#   promtool            (Debian package prometheus)      rule checks and rule unit tests
#   kubernetes-validate (PyPI, ships the API schemas)     offline schema validation of rendered objects
#   checkov             (PyPI)                            security scan of manifests and Dockerfiles
#   kubectl             (already on this machine kind)    `kubectl kustomize`; a standalone kustomize from
#                                                         the Go module proxy when kubectl is absent
# Safe to run again: every step checks first, so a machine that has everything returns in well under a second.
# .ci/run sources this file, so the work runs in a subshell (no `set -e`/`exit` leaking into the caller).

ecom_install_manifest_tools() (
  set -euo pipefail
  local venv=/opt/ecom-manifest-tools/venv
  local checkov_version=3.3.30
  local validate_version=1.37.0
  local kustomize_version=v5.5.0

  if ! command -v promtool >/dev/null 2>&1; then
    echo "manifests tools: installing prometheus (promtool)"
    apt-get update -qq
    # policy-rc.d keeps the package's server from starting; only promtool is used.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi

  if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/kubernetes-validate" ] \
    || ! "$venv/bin/python" -c 'import sys
from importlib.metadata import version
sys.exit(version("checkov") != sys.argv[1] or version("kubernetes-validate") != sys.argv[2])' \
      "$checkov_version" "$validate_version"; then
    echo "manifests tools: installing checkov $checkov_version and kubernetes-validate $validate_version"
    # A venv of its own: checkov pins many libraries that would clash with other Python tools.
    if [ ! -x "$venv/bin/pip" ] && ! python3 -m venv "$venv" >/dev/null 2>&1; then
      # Debian's own python3 needs python3-venv (ensurepip) to create one.
      rm -rf "$venv"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check \
      "checkov==$checkov_version" "kubernetes-validate==$validate_version"
  fi
  ln -sf "$venv/bin/checkov" /usr/local/bin/checkov
  ln -sf "$venv/bin/kubernetes-validate" /usr/local/bin/kubernetes-validate

  if ! command -v kubectl >/dev/null 2>&1 && ! command -v kustomize >/dev/null 2>&1; then
    echo "manifests tools: installing kustomize $kustomize_version"
    GOBIN=/usr/local/bin go install "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version"
  fi
)

ecom_install_manifest_tools || { echo "manifests tools: install failed" >&2; return 1 2>/dev/null || exit 1; }
