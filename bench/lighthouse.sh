#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices) for four pages of a served
# portal, with Lighthouse's mobile settings and the system's headless Chromium.
#
#   bench/lighthouse.sh
#
# Run from the repository's root after `make .venv/.installed-test static/vendor/nhsuk/.built`.
# Lighthouse is installed, pinned, into bench/.lighthouse (git-ignored), never into the
# project's package.json, so CI does not install it. CHROME_PATH picks another browser.
set -euo pipefail

LIGHTHOUSE_VERSION=13.5.0
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
folder="$here/.lighthouse"

if [ ! -x "$folder/node_modules/.bin/lighthouse" ] \
  || ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" "$folder/node_modules/lighthouse/package.json"; then
  echo "Installing Lighthouse $LIGHTHOUSE_VERSION into bench/.lighthouse…"
  mkdir -p "$folder"
  npm install --silent --no-audit --no-fund --prefix "$folder" "lighthouse@$LIGHTHOUSE_VERSION"
fi

export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export LIGHTHOUSE_BIN="$folder/node_modules/.bin/lighthouse"
cd "$root"
exec .venv/bin/python -m bench.lighthouse "$@"
