#!/usr/bin/env bash
# Installs the Debian packages the test suite needs. Idempotent; a no-op when
# everything is present. Later features (R cross-checks, Chromium) add their
# packages to PACKAGES below.
set -euo pipefail
PACKAGES=(r-base-core r-cran-survival r-cran-rpact r-cran-mvtnorm chromium fonts-dejavu-core)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
