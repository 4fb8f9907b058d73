#!/usr/bin/env bash
# What a fresh Debian/Ubuntu machine needs beside a Rust toolchain:
# - fonts-noto-cjk: Chinese fonts for the PDF bulletin and the PNG charts (typst and resvg read
#   the system's fonts; without a CJK font `lantian report --format pdf --lang zh` refuses);
# - poppler-utils: pdftoppm/pdffonts/pdftotext, used by the tests to look at the PDF's pages;
# - chromium: the headless browser the dashboard's end-to-end test drives (Debian's package;
#   Playwright's own browser download does not work on a closed network);
# - the dashboard's assets: `npm ci` in web/ (ECharts, Vite, playwright-core from the npm
#   registry) and `npm run build` into web/dist/, which the `lantian` binary embeds. Without
#   them `lantian serve` still serves the API and a page saying how to build the dashboard.
# Installs only what is missing; does nothing where apt-get or npm is not available (says so).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "setup: installing ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install ${need[*]} (a CJK font such as Noto CJK, poppler's tools, Chromium) with your package manager" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    # vite 8.4 names an optional Windows-only package (napi-windows-process-start-time) that
    # some registries do not serve, so the lock cannot list it and `npm ci` refuses the lock as
    # out of sync; `npm install` then installs the same locked versions without it. `--no-save`
    # keeps it from writing the package into web/package-lock.json: setup leaves the working
    # tree as it found it, and the lock stays installable where that package is not served.
    (cd web && { npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null \
      || { echo "setup: npm ci refused the lock; installing the locked versions with npm install" >&2
           npm install --no-save --no-audit --no-fund --loglevel=error; }; })
  fi
  # Rebuild the assets when any source is newer than the build.
  if [ ! -f web/dist/index.html ] || [ -n "$(find web/index.html web/src web/vite.config.js -newer web/dist/index.html 2>/dev/null)" ]; then
    (cd web && npm run build --silent)
  fi
else
  echo "setup: npm not found; the dashboard's assets (web/dist) are not built, so \`lantian serve\` serves the API only" >&2
fi
