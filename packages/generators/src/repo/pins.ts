// The fork's release, read from its flake.nix pins by structure (the
// `inputs` set, in dotted or nested form): nixpkgs `nixos-YY.MM`,
// home-manager `release-YY.MM`, nix-darwin `nix-darwin-YY.MM`. The
// generators take new state versions and their checks from it; gen upgrade
// moves the pins (generators/upgrade/pins.ts).
import { type AttrBinding, parseNix } from "../nix/ast.js";
import { type SetExpr, bindingsAt } from "../nix/edit.js";

export const PINNED = ["nixpkgs", "home-manager", "nix-darwin"] as const;
export type PinnedInput = (typeof PINNED)[number];

/** Each input's branch prefix: nixos-26.05, release-26.05, nix-darwin-26.05 (nixpkgs-26.05-darwin also names a release). */
export const BRANCH: Record<PinnedInput, { re: RegExp; make: (release: string) => string }> = {
  nixpkgs: { re: /^(?:nixos|nixpkgs)-(\d{2}\.\d{2})(?:-darwin|-small)?$/, make: (r) => `nixos-${r}` },
  "home-manager": { re: /^release-(\d{2}\.\d{2})$/, make: (r) => `release-${r}` },
  "nix-darwin": { re: /^nix-darwin-(\d{2}\.\d{2})$/, make: (r) => `nix-darwin-${r}` },
};

export interface Pin {
  input: PinnedInput;
  url: string;
  /** The branch the URL names (`nixos-26.05`), if any. */
  ref?: string;
  /** The release that branch is, if it is one. */
  release?: string;
  /** Offsets of the URL's string literal, quotes included. */
  start: number;
  end: number;
}

/** The branch of `github:o/r/REF`, `…?ref=REF` or `git+https://…?ref=REF`. */
function refOf(url: string): string | undefined {
  const q = /[?&]ref=([^&]+)/.exec(url);
  if (q) return decodeURIComponent(q[1]!).replace(/^refs\/heads\//, "");
  const gh = /^(?:github|gitlab|sourcehut):[^/]+\/[^/?]+\/([^?]+)/.exec(url);
  return gh ? gh[1] : undefined;
}

/** The three pins as flake.nix writes them (an input it lacks is left out). */
export function readPins(flake: string): Pin[] | { reason: string } {
  let root;
  try {
    root = parseNix(flake).expr;
  } catch (e) {
    return { reason: `flake.nix is not valid Nix (${(e as Error).message})` };
  }
  while (root.type === "paren") root = root.inner;
  if (root.type !== "set") return { reason: "flake.nix is not an attribute set" };
  const pins: Pin[] = [];
  for (const input of PINNED) {
    const found = bindingsAt(root as SetExpr, ["inputs", input, "url"]);
    if (found === "opaque") return { reason: `flake.nix's \`inputs.${input}\` is not written out, so its pin cannot be read` };
    const b = (found as AttrBinding[])[0];
    if (!b) continue;
    if (b.value.type !== "other" || !/^"[^"$\\]*"$/.test(flake.slice(b.value.start, b.value.end))) {
      return { reason: `flake.nix's \`inputs.${input}.url\` is not a plain string, so its pin cannot be moved by structure` };
    }
    const url = flake.slice(b.value.start + 1, b.value.end - 1);
    const ref = refOf(url);
    const release = ref ? BRANCH[input].re.exec(ref)?.[1] : undefined;
    pins.push({ input, url, ...(ref ? { ref } : {}), ...(release ? { release } : {}), start: b.value.start, end: b.value.end });
  }
  return pins;
}

/** The fork's release: its nixpkgs pin's (`nixos-26.05` → "26.05"), or undefined when it pins none (unstable). */
export function forkRelease(flake: string): string | undefined {
  const pins = readPins(flake);
  if ("reason" in pins) return undefined;
  return pins.find((p) => p.input === "nixpkgs")?.release;
}

/**
 * The release new hosts and homes get as their state version, and state
 * versions are checked against: the fork's pins, else `fallback` (the
 * starter's RELEASE) for a fork on unstable or with pins it cannot read.
 */
export function releaseOf(repo: { read(path: string): string | undefined }, fallback: string): string {
  const flake = repo.read("flake.nix");
  return (flake !== undefined ? forkRelease(flake) : undefined) ?? fallback;
}
