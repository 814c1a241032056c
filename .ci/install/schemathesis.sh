#!/usr/bin/env bash
# Installs Schemathesis (PyPI) in a venv of its own for the API fuzz suite (tools/api-fuzz), as root.
# Python 3.12 from pyenv when this machine kind has it: under 3.11 Schemathesis' coverage phase hits an
# internal error, so on a machine with only 3.11 the suite leaves that one phase out (it reads
# $ECOM_SCHEMATHESIS_DIR/python-version). Safe to source or to run; a fast no-op once installed.

ECOM_SCHEMATHESIS_VERSION="4.32.5"
ECOM_SCHEMATHESIS_DIR="${ECOM_SCHEMATHESIS_DIR:-/opt/ecom-schemathesis}"

ecom_install_schemathesis() (
  set -euo pipefail
  local venv="$ECOM_SCHEMATHESIS_DIR/venv"
  if compgen -G "$venv/lib/python3*/site-packages/schemathesis-$ECOM_SCHEMATHESIS_VERSION.dist-info" >/dev/null \
    && [ -x "$venv/bin/schemathesis" ]; then
    exit 0
  fi
  local python=""
  for candidate in /root/.pyenv/versions/3.12.*/bin/python3 "$(command -v python3.12 || true)"; do
    [ -x "$candidate" ] && { python="$candidate"; break; }
  done
  [ -n "$python" ] || python="$(command -v python3)"
  echo "schemathesis.sh: installing schemathesis $ECOM_SCHEMATHESIS_VERSION with $("$python" --version)"
  rm -rf "$venv"
  mkdir -p "$ECOM_SCHEMATHESIS_DIR"
  "$python" -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv "$venv"
  }
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ECOM_SCHEMATHESIS_VERSION"
  "$venv/bin/python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' \
    >"$ECOM_SCHEMATHESIS_DIR/python-version"
)

ecom_install_schemathesis || { echo "schemathesis.sh: install failed" >&2; return 1 2>/dev/null || exit 1; }
export ECOM_SCHEMATHESIS_DIR
