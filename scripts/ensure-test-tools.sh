#!/usr/bin/env bash
# The test suite compiles LaTeX with pdflatex and drives the web page in
# Debian's Chromium (never a downloaded browser). On a fresh Debian machine, as
# root, install what is missing; anywhere else, say what to install.
set -euo pipefail

missing=()
command -v pdflatex >/dev/null 2>&1 || missing+=(texlive-latex-base)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test tools: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
