#!/usr/bin/env bash
# Debian packages the tests use for real: LibreOffice (DOCX → PDF), poppler (pdftotext),
# fonts carrying ө ү ң, and Chromium for the browser tests. Installed when missing and we
# are root; otherwise we say what is missing and the tests that need it will say so too.
set -uo pipefail
need=()
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation)
fc-list 2>/dev/null | grep -qi "DejaVu Serif" || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "!! could not install ${need[*]}; the tests that need them will fail and say why"
else
  echo "!! missing Debian packages: ${need[*]} (install them as root: apt-get install ${need[*]})"
fi
