#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine, then the npm packages
# (npm ci also builds, through the `prepare` script). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: see README "Development".
APT_PACKAGES=(nginx apache2 caddy uwsgi uwsgi-plugin-python3 python3-flask python3-waitress python3-django python3-starlette uvicorn redis-server openssl git chromium neovim emacs-nox elpa-eglot libkrb5-dev ripgrep g++ make python3 python3-venv python3-build python3-hatchling pre-commit)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
