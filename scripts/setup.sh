#!/usr/bin/env bash
# Install what Alligator's builds and tests need, where it is missing.
# Idempotent and quick when everything is there.  Debian packages need root
# (or passwordless sudo); without it, this says what to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

required=()   # without these nothing builds
optional=()   # without these some tests are skipped, with a message
have() { command -v "$1" >/dev/null 2>&1; }

have emcc || required+=(emscripten)
have node || required+=(nodejs)
have npm  || required+=(npm)
have cc   || required+=(gcc)
have make || required+=(make)
echo 'int main(void){return 0;}' | cc -m32 -x c - -o /dev/null 2>/dev/null || optional+=(gcc-multilib)
[ -f /usr/share/nodejs/acorn/package.json ] || required+=(node-acorn)
# Further parts of the suite list what they need in scripts/setup.d/*.txt:
# one "COMMAND-OR-ABSOLUTE-PATH DEBIAN-PACKAGE" per line, installed if absent.
for list in scripts/setup.d/*.txt; do
  [ -f "$list" ] || continue
  while read -r cmd pkg; do
    case "$cmd" in ''|\#*) continue ;; esac
    if [[ "$cmd" == /* ]]; then [ -e "$cmd" ] || optional+=("$pkg"); else have "$cmd" || optional+=("$pkg"); fi
  done < "$list"
done

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if have sudo && sudo -n true 2>/dev/null; then sudo="sudo -n"; else return 1; fi
  fi
  have apt-get || return 1
  echo "alligator setup: apt-get install $*"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ((${#required[@]})); then
  apt_install "${required[@]}" || {
    echo "alligator setup: missing ${required[*]}; install them (Debian: apt-get install ${required[*]})" >&2
    exit 1
  }
fi
if ((${#optional[@]})); then
  # one at a time, so that one package that cannot be had does not block the others
  for pkg in $(printf '%s\n' "${optional[@]}" | sort -u); do
    apt_install "$pkg" || echo "alligator setup: could not install $pkg; the tests that need it will be skipped" >&2
  done
fi

# npm packages: install when any dev dependency is missing.
# (On disk, not require.resolve: a package's "exports" may hide its package.json.)
if ! node -e 'const fs = require("fs"), d = require("./package.json").devDependencies || {};
  for (const n of Object.keys(d)) if (!fs.existsSync("node_modules/" + n + "/package.json")) process.exit(1);'; then
  echo "alligator setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
