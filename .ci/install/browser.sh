#!/usr/bin/env bash
# Installs Debian's Chromium for the browser suites (storefront journeys, /docs), driven by playwright-core
# at /usr/bin/chromium: Playwright's own browser download cannot run on this machine kind.
# Safe to source or to run; a fast no-op when Chromium is already installed.

ecom_install_browser() (
  set -euo pipefail
  [ -x /usr/bin/chromium ] && exit 0
  echo "browser.sh: installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
)

ecom_install_browser || { echo "browser.sh: install failed" >&2; return 1 2>/dev/null || exit 1; }
