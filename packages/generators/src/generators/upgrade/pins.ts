// gen upgrade's edit of flake.nix: the three pins (read by repo/pins.ts)
// moved together to a release; only the URL strings change.
import { BRANCH, readPins } from "../../repo/pins.js";

function withRef(url: string, ref: string): string {
  if (/[?&]ref=/.test(url)) return url.replace(/([?&]ref=)(?:refs\/heads\/)?[^&]+/, `$1${ref}`);
  return url.replace(/^((?:github|gitlab|sourcehut):[^/]+\/[^/?]+\/)[^?]+/, `$1${ref}`);
}

const num = (r: string) => Number(r.replace(".", ""));

/** flake.nix with the three pins moved to `release`, or the one-line reason it is refused. */
export function movePins(flake: string, release: string): { ok: true; text: string; from: string } | { ok: false; reason: string } {
  if (!/^\d{2}\.(?:05|11)$/.test(release)) {
    return { ok: false, reason: `${JSON.stringify(release)} is not a NixOS release: releases are YY.05 and YY.11 (such as 26.05 or 26.11).` };
  }
  const pins = readPins(flake);
  if ("reason" in pins) return { ok: false, reason: pins.reason };
  const nixpkgs = pins.find((p) => p.input === "nixpkgs");
  if (!nixpkgs) return { ok: false, reason: "flake.nix has no `inputs.nixpkgs.url` to move." };
  const off = pins.filter((p) => p.release === undefined);
  if (off.length > 0) {
    return { ok: false, reason: `${off.map((p) => `${p.input} (${p.url})`).join(", ")} ${off.length === 1 ? "is" : "are"} not pinned to a release branch: pin ${off.map((p) => `${p.input} to ${BRANCH[p.input].make(nixpkgs.release ?? release)}`).join(", ")} in flake.nix first.` };
  }
  const current = nixpkgs.release!;
  const disagree = pins.filter((p) => p.release !== current);
  if (disagree.length > 0) {
    const named = pins.map((p) => `${p.input} ${p.ref}`).join(", ");
    const align = disagree.map((p) => `${p.input} to ${BRANCH[p.input].make(current)}`).join(", ");
    return { ok: false, reason: `the pins already disagree (${named}): set ${align} in flake.nix, run \`nix flake update ${disagree.map((p) => p.input).join(" ")}\`, then upgrade.` };
  }
  if (num(release) < num(current)) return { ok: false, reason: `${release} is older than the fork's ${current}: gen upgrade only moves forward (roll back with git and \`nixos-rebuild switch --rollback\`).` };
  let text = flake;
  for (const p of [...pins].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, p.start) + JSON.stringify(withRef(p.url, BRANCH[p.input].make(release))) + text.slice(p.end);
  }
  return { ok: true, text, from: current };
}

