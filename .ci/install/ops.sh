#!/usr/bin/env bash
# Installs the tools the ops-cli tests run for real (actionlint, Semgrep) on a fresh Debian machine.
# Safe to source or to run; a fast no-op when the pinned versions are already installed.
# Trivy, docker, skaffold and a cluster are not needed: the tests use recording fakes for them.

ECOM_ACTIONLINT_VERSION="v1.7.12"
ECOM_SEMGREP_VERSION="1.185.0"
ECOM_TOOLS_DIR="${ECOM_TOOLS_DIR:-/opt/ecom-tools}"

ecom_install_ops_tools() (
  set -euo pipefail
  mkdir -p "$ECOM_TOOLS_DIR/bin"

  if ! "$ECOM_TOOLS_DIR/bin/actionlint" -version 2>/dev/null | grep -qx "$ECOM_ACTIONLINT_VERSION"; then
    echo "ops.sh: building actionlint $ECOM_ACTIONLINT_VERSION"
    command -v go >/dev/null || { echo "ops.sh: go is required to build actionlint (apt-get install golang-go)" >&2; exit 1; }
    GOBIN="$ECOM_TOOLS_DIR/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ECOM_ACTIONLINT_VERSION"
  fi

  # Reads the installed version from the package metadata: `semgrep --version` tries the network first.
  if ! compgen -G "$ECOM_TOOLS_DIR/semgrep/lib/python3*/site-packages/semgrep-$ECOM_SEMGREP_VERSION.dist-info" >/dev/null; then
    echo "ops.sh: installing semgrep $ECOM_SEMGREP_VERSION"
    python3 -m venv "$ECOM_TOOLS_DIR/semgrep" 2>/dev/null || {
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$ECOM_TOOLS_DIR/semgrep"
    }
    "$ECOM_TOOLS_DIR/semgrep/bin/pip" install --quiet --disable-pip-version-check "semgrep==$ECOM_SEMGREP_VERSION"
  fi
  ln -sf "$ECOM_TOOLS_DIR/semgrep/bin/semgrep" "$ECOM_TOOLS_DIR/bin/semgrep"
  # Also on the default PATH, so `ecom test` / `ecom scan` find them when this script was run, not sourced.
  if [ -w /usr/local/bin ]; then
    ln -sf "$ECOM_TOOLS_DIR/bin/actionlint" /usr/local/bin/actionlint
    ln -sf "$ECOM_TOOLS_DIR/bin/semgrep" /usr/local/bin/semgrep
  fi

  command -v kubectl >/dev/null || echo "ops.sh: kubectl not found; the rendering tests need it (apt-get install kubectl)" >&2
)

ecom_install_ops_tools || { echo "ops.sh: install failed" >&2; return 1 2>/dev/null || exit 1; }
case ":$PATH:" in *":$ECOM_TOOLS_DIR/bin:"*) ;; *) export PATH="$ECOM_TOOLS_DIR/bin:$PATH" ;; esac
