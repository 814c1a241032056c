#!/usr/bin/env bash
# Installs what the end-to-end suite runs for real (nginx in front of the services, openssl for the
# self-signed certificate made at test time) on a fresh Debian machine as root.
# Safe to source or to run; a fast no-op when both are already installed.

ecom_install_e2e_tools() (
  set -euo pipefail
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v openssl >/dev/null || missing+=(openssl)
  [ "${#missing[@]}" -eq 0 ] && exit 0
  echo "e2e.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package enables a system-wide nginx on port 80; the suite runs its own instances instead.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
    systemctl stop nginx || true
  elif [ -f /run/nginx.pid ]; then
    nginx -s quit 2>/dev/null || true
  fi
)

ecom_install_e2e_tools || { echo "e2e.sh: install failed" >&2; return 1 2>/dev/null || exit 1; }
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac
