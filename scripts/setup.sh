#!/usr/bin/env bash
# Installs what this repository needs on a fresh machine, then its packages:
#   - Nix's command-line tools (the generators and tests run the real Nix parser;
#     NixOS and Nix users have them already; on Debian/Ubuntu: the nix-bin package)
#   - Chromium, for the docs site's browser test (Debian package chromium)
#   - pnpm, at the version package.json pins, and the workspace's packages.
# Safe to run again: it skips what is already there. CI runs it too (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

missing=()
command -v nix-instantiate >/dev/null 2>&1 || missing+=(nix-bin)
if [ "${SKIP_BROWSER:-}" != 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (Nix's nix-instantiate; Chromium) with your system's package manager" >&2
    exit 1
  fi
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm@$pnpm_version"
  npm install -g "pnpm@$pnpm_version" >/dev/null 2>&1 || "${sudo_cmd[@]}" npm install -g "pnpm@$pnpm_version" >/dev/null
fi

pnpm install --frozen-lockfile
