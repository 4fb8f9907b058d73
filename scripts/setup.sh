#!/usr/bin/env bash
# What a fresh Debian/Ubuntu machine needs beside a Rust toolchain:
# - fonts-noto-cjk: Chinese fonts for the PDF bulletin and the PNG charts (typst and resvg read
#   the system's fonts; without a CJK font `lantian report --format pdf --lang zh` refuses);
# - poppler-utils: pdftoppm/pdffonts/pdftotext, used by the tests to look at the PDF's pages.
# Installs only what is missing; does nothing where apt-get is not available (say so).
set -euo pipefail
need=()
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: please install ${need[*]} (a CJK font such as Noto CJK, and poppler's tools) with your package manager" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
