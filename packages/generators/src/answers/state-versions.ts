// The two state versions and the values the pinned releases accept.
//
// - system.stateVersion (a host's) is the NixOS release the host was first
//   installed with. Source: the release notes in nixpkgs,
//   nixos/doc/manual/release-notes/rl-<YYMM>.section.md, one per release
//   (13.10 … 26.05 on nixos-26.05; 14.10, 14.11 and 21.03 were renamed before
//   release and are none).
// - home.stateVersion (a home's) is the Home Manager release the home was
//   first written against. Source: the enum of `home.stateVersion` in
//   Home Manager's modules/misc/version.nix on release-26.05 (18.09 … 26.05;
//   it keeps 21.03, which NixOS never released).
//
// - A Mac's system.stateVersion is nix-darwin's own integer, not a release:
//   types.ints.between 1 config.system.maxStateVersion, with
//   maxStateVersion = 7 in modules/system/version.nix on nix-darwin-26.05.
//   nix-darwin asserts that a configuration sets it, and says to set the
//   current maximum on a new installation.
//
// Update the lists, DARWIN_STATE_VERSION and STATE_DEPENDENT_DEFAULTS when RELEASE moves.
// A fork that gen upgrade moved past RELEASE passes its own release (read
// from its pins, repo/pins.ts: releaseOf): the releases after the lists'
// last one, up to it, count as known.
import type { Reason } from "./rules.js";
import { RELEASE } from "./release.js";

export const NIXOS_RELEASES = [
  "13.10", "14.04", "14.12", "15.09", "16.03", "16.09", "17.03", "17.09", "18.03", "18.09",
  "19.03", "19.09", "20.03", "20.09", "21.05", "21.11", "22.05", "22.11", "23.05", "23.11",
  "24.05", "24.11", "25.05", "25.11", "26.05",
] as const;

export const HOME_MANAGER_STATE_VERSIONS = [
  "18.09", "19.03", "19.09", "20.03", "20.09", "21.03", "21.05", "21.11", "22.05", "22.11",
  "23.05", "23.11", "24.05", "24.11", "25.05", "25.11", "26.05",
] as const;

/** nix-darwin 26.05's newest system.stateVersion: what a new Mac gets. */
export const DARWIN_STATE_VERSION = 7;

/**
 * Options the shared home modules (modules/home) turn on whose Home Manager
 * 26.05 default depends on home.stateVersion and warns below `since`. The
 * modules set each one explicitly, so homes of any state version evaluate
 * the same and without warnings. Found by reading every
 * mkStateVersionOptionDefault / versionAtLeast stateVersion in
 * release-26.05's modules for git, bash, zsh, fish, direnv and neovim:
 * git's signing.format (since 25.05) is only read when signing is set, and
 * zsh's dotDir (26.05) only warns with xdg.enable, which the modules leave off.
 */
export const STATE_DEPENDENT_DEFAULTS = [
  { option: "programs.neovim.withRuby", enabledBy: "programs.neovim.enable", since: "26.05" },
  { option: "programs.neovim.withPython3", enabledBy: "programs.neovim.enable", since: "26.05" },
] as const;

const show = (value: string) => JSON.stringify(value);
const FORM = /^\d{2}\.\d{2}$/;

/** "26.11" > "26.05": state versions compare as their digits. */
const newer = (a: string, b: string) => a.replace(".", "") > b.replace(".", "");

/** `known` and the YY.05 / YY.11 releases after its last one, up to `release`. */
function upTo(known: readonly string[], release: string): readonly string[] {
  const out = [...known];
  let [yy, mm] = out[out.length - 1]!.split(".").map(Number) as [number, number];
  for (;;) {
    [yy, mm] = mm === 5 ? [yy, 11] : [yy + 1, 5];
    const next = `${String(yy).padStart(2, "0")}.${mm === 5 ? "05" : "11"}`;
    if (newer(next, release)) return out;
    out.push(next);
  }
}

/** system.stateVersion: a NixOS release, no newer than the pinned one (`release`, the fork's). */
export function checkStateVersion(version: string, release: string = RELEASE): Reason {
  if (/^\d+$/.test(version) && Number(version) >= 1 && Number(version) <= DARWIN_STATE_VERSION) {
    return `The state version ${show(version)} is a nix-darwin one (an integer), and this host runs NixOS: give the NixOS release it was first installed with, such as ${release}, or add --system aarch64-darwin for a Mac.`;
  }
  if (!FORM.test(version)) {
    return `The state version ${show(version)} is not a NixOS release: give the release the host was first installed with, such as ${release}.`;
  }
  if (newer(version, release)) {
    return `The state version ${version} is newer than the pinned NixOS ${release}: give the release the host was first installed with, ${release} or earlier.`;
  }
  const releases = upTo(NIXOS_RELEASES, release);
  if (!releases.includes(version)) {
    return `The state version ${version} is not a NixOS release: use one of ${releases.join(", ")}.`;
  }
  return undefined;
}

/** A Mac's system.stateVersion: nix-darwin's integer, 1 to DARWIN_STATE_VERSION. */
export function checkDarwinStateVersion(version: string, release: string = RELEASE): Reason {
  const n = /^\d+$/.test(version) ? Number(version) : NaN;
  if (n >= 1 && n <= DARWIN_STATE_VERSION) return undefined;
  const fix = `give the one nix-darwin was first installed with (darwin-rebuild changelog lists them), ${DARWIN_STATE_VERSION} for a new Mac`;
  if (FORM.test(version)) return `The state version ${show(version)} is a NixOS release, and a Mac's is nix-darwin's own integer: ${fix}.`;
  return `The state version ${show(version)} is not one nix-darwin ${release} accepts (an integer from 1 to ${DARWIN_STATE_VERSION}): ${fix}.`;
}

/** The home.stateVersion values Home Manager's `release` accepts. */
function homeStateVersions(release: string = RELEASE): readonly string[] {
  return upTo(HOME_MANAGER_STATE_VERSIONS, release);
}

/** home.stateVersion: one Home Manager's pinned release (`release`, the fork's) accepts. */
export function checkHomeStateVersion(version: string, release: string = RELEASE): Reason {
  const versions = homeStateVersions(release);
  return versions.includes(version) ? undefined : `home.stateVersion ${show(version)} is not one Home Manager ${release} accepts: use one of ${versions.join(", ")}.`;
}
