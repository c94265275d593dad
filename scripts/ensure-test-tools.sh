#!/usr/bin/env bash
# What the tests use besides the project's own dependencies:
# - Debian packages: pdflatex compiles the LaTeX output, xelatex with xeCJK
#   and the Noto CJK fonts compiles it in Chinese and Japanese, babel's
#   ngerman hyphenates German, Chromium (never a
#   downloaded browser) drives the web page, dataset-fashion-mnist is the
#   real data set training is tested on, python3-torch checks the road from
#   gradstep to PyTorch. On a Debian machine, as root, the
#   missing ones are installed; anywhere else this says what to install.
# - npm packages that only the tests use as oracles (onnxruntime-node,
#   @tensorflow/tfjs), in test/node_modules from test/package-lock.json. They
#   are installed with --ignore-scripts: onnxruntime-node's install script
#   would download GPU libraries from outside the npm registry, and the CPU
#   binaries the tests need ship inside the package.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pdflatex >/dev/null 2>&1 || missing+=(texlive-latex-base)
command -v xelatex >/dev/null 2>&1 || missing+=(texlive-xetex)
kpsewhich xeCJK.sty >/dev/null 2>&1 || missing+=(texlive-lang-cjk)
kpsewhich ctexhook.sty >/dev/null 2>&1 || missing+=(texlive-lang-chinese)
kpsewhich ngerman.ldf >/dev/null 2>&1 || missing+=(texlive-lang-german)
[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
/usr/bin/python3 -c "import torch" >/dev/null 2>&1 || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test tools: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# npm writes node_modules/.package-lock.json last: older than the lockfile (or absent) means not installed as locked.
if [ ! test/node_modules/.package-lock.json -nt test/package-lock.json ]; then
  echo "Installing the tests' oracles into test/node_modules (onnxruntime-node, @tensorflow/tfjs)" >&2
  npm ci --prefix test --ignore-scripts --no-audit --no-fund --loglevel=error
fi
