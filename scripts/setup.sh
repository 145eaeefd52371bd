#!/usr/bin/env bash
# Installs what this repository needs, then its packages:
#   - Nix's command-line tools (the generators and tests run the real Nix parser;
#     NixOS and Nix users have them already; on Debian/Ubuntu: the nix-bin package)
#   - age, which `pnpm gen secret` encrypts and decrypts with (Debian package age)
#   - Chromium, for the docs site's browser tests (Debian package
#     chromium-headless-shell, the lighter headless build Playwright itself
#     prefers; chromium where there is none)
#   - pnpm, at the version package.json pins, and the workspace's packages.
# With apt-get (Debian, Ubuntu, CI) it installs all of it. Without (NixOS,
# macOS) it installs pnpm and the packages and names one way to get the rest
# (`nix develop` gives everything); the browser tests then report as skipped.
# sudo only ever runs apt-get. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nix-instantiate >/dev/null 2>&1 || missing+=(nix-bin)
command -v age >/dev/null 2>&1 || missing+=(age)
if [ "${SKIP_BROWSER:-}" != 1 ]; then
  command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] || missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    packages=("${missing[@]}")
    if [[ " ${missing[*]} " == *" chromium "* ]] && apt-cache show chromium-headless-shell >/dev/null 2>&1; then
      packages=("${packages[@]/#chromium/chromium-headless-shell}")
    fi
    echo "setup: installing ${packages[*]} from Debian's packages"
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  elif [[ " ${missing[*]} " == *" nix-bin "* ]]; then
    echo "setup: no Nix here, which the generators and tests need: install it (https://nixos.org/download), then run \`nix develop\` for the rest" >&2
  elif [[ " ${missing[*]} " != *" chromium "* ]]; then
    # Only age is missing (Chromium is there, or not wanted).
    echo "setup: no age, which pnpm gen secret encrypts with: install it (nix profile install nixpkgs#age, or brew install age on a Mac)" >&2
  elif [ "$(uname -s)" = Darwin ]; then
    # nixpkgs builds Chromium for Linux only.
    echo "setup: no Chromium, so the browser tests will be skipped: set CHROMIUM_PATH to a Chrome or Chromium to include them (\`nix develop\` has everything else)" >&2
  else
    echo "setup: no Chromium, so the browser tests will be skipped: run the tests in \`nix develop\` (or \`nix shell nixpkgs#chromium\`) to include them" >&2
  fi
fi

# Installed is not yet runnable: a multi-user Nix (Debian's nix-bin) works
# for anyone but root only through its daemon. Say so here, not at the first
# pnpm gen.
if command -v nix-instantiate >/dev/null 2>&1 && ! nix_err=$(nix-instantiate --parse --expr 1 2>&1 >/dev/null); then
  nix_err=$(printf '%s\n' "$nix_err" | grep -m1 '^error:' | sed 's/^error: *//' || true)
  echo "setup: Nix is installed but cannot run as $(id -un) (${nix_err:-nix-instantiate --parse --expr 1 failed}): have nix-daemon running (on Debian: sudo apt-get install nix-setup-systemd), join its group (sudo usermod -aG nix-users \"\$USER\", then log in again) and run this again" >&2
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
# pnpm 10 runs the pinned version by itself (manage-package-manager-versions),
# so any pnpm 10 reports it here, a Nix dev shell's included.
pnpm_cmd=pnpm
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  npm_prefix=$(npm prefix -g)
  if [ -w "$npm_prefix/lib/node_modules" ] || { [ ! -e "$npm_prefix/lib/node_modules" ] && [ -w "$npm_prefix" ]; }; then
    echo "setup: installing pnpm@$pnpm_version"
    npm install -g "pnpm@$pnpm_version" >/dev/null
  else
    # npm's global prefix is not ours to write (a system or Nix-store Node):
    # install for this user instead of asking for sudo.
    echo "setup: installing pnpm@$pnpm_version in ~/.local (npm's global prefix $npm_prefix is not writable)"
    npm install -g --prefix "$HOME/.local" "pnpm@$pnpm_version" >/dev/null
    pnpm_cmd="$HOME/.local/bin/pnpm"
    case ":$PATH:" in
      *":$HOME/.local/bin:"*) ;;
      *) echo "setup: add ~/.local/bin to PATH for pnpm: export PATH=\"\$HOME/.local/bin:\$PATH\" (in your shell's profile too)" >&2 ;;
    esac
  fi
fi

"$pnpm_cmd" install --frozen-lockfile
