// gen upgrade through the CLI (in-process main): the dry run shows exactly
// the three pin changes; no release, a downgrade and pins that already
// disagree are each one error line with the tree unchanged; after a real
// upgrade (offline here: the lock update is left as one line) a new host
// starts on the fork's new release and no existing state version moves.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readTree, runMain, starterRepos } from "./helpers.js";

const repos = starterRepos();
const stateVersions = (tree: Record<string, string>) =>
  Object.fromEntries(Object.entries(tree).flatMap(([f, t]) => [...t.matchAll(/^\s*(?:system|home)\.stateVersion = ([^;]+);/gm)].map((m) => [f, m[1]])));

describe("gen upgrade --release", () => {
  test("--dry-run shows exactly the three pin changes and writes nothing", async () => {
    const dir = repos();
    const before = readTree(dir);
    const r = await runMain(["upgrade", "--release", "26.11", "--dry-run"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readTree(dir)).toEqual(before);
    const changed = r.stdout.split("\n").filter((l) => /^[-+](?![-+])/.test(l));
    expect(changed).toEqual([
      '-    nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";',
      '+    nixpkgs.url = "github:nixos/nixpkgs/nixos-26.11";',
      '-      url = "github:nix-community/home-manager/release-26.05";',
      '+      url = "github:nix-community/home-manager/release-26.11";',
      '-      url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";',
      '+      url = "github:nix-darwin/nix-darwin/nix-darwin-26.11";',
    ]);
  });

  test("26.04, 25.11 (a downgrade) and mixed pins: each one error line, tree unchanged", async () => {
    const cases = [
      { release: "26.04", says: /^error: "26\.04" is not a NixOS release: releases are YY\.05 and YY\.11/ },
      { release: "25.11", says: /^error: 25\.11 is older than the fork's 26\.05/ },
      { release: "26.11", mixed: true, says: /^error: The pins already disagree \(nixpkgs nixos-26\.05, home-manager release-25\.11, nix-darwin nix-darwin-26\.05\): set home-manager to release-26\.05/ },
    ];
    for (const c of cases) {
      const dir = repos();
      if (c.mixed) {
        const f = join(dir, "flake.nix");
        writeFileSync(f, readFileSync(f, "utf8").replace("home-manager/release-26.05", "home-manager/release-25.11"));
      }
      const before = readTree(dir);
      const r = await runMain(["upgrade", "--release", c.release], dir);
      expect(r.code, c.release).toBe(1);
      expect(r.stdout, c.release).toBe("");
      expect(r.stderr, c.release).toMatch(c.says);
      expect(r.stderr.trimEnd().split("\n"), c.release).toHaveLength(1);
      expect(readTree(dir), c.release).toEqual(before);
    }
  });

  test("after an upgrade, gen host web9 writes system.stateVersion 26.11 and no existing state version changes", async () => {
    const dir = repos();
    const before = stateVersions(readTree(dir));
    // A release past the fork's is refused before the upgrade.
    expect((await runMain(["host", "web8", "--state-version", "26.11", "--dry-run"], dir)).stderr).toMatch(/^error: The state version 26\.11 is newer than the pinned NixOS 26\.05/);
    // Offline, nix cannot fetch the new inputs: one line says what to run later, the pins stay moved.
    const up = await runMain(["upgrade", "--release", "26.11", "--yes"], dir);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^note: could not reach the inputs \(offline\?\): run `nix flake update nixpkgs home-manager nix-darwin` when online/m);
    const host = await runMain(["host", "web9"], dir);
    expect(host.code, host.stderr).toBe(0);
    const after = readTree(dir);
    expect(after["hosts/web9/configuration.nix"]).toContain('  system.stateVersion = "26.11";\n');
    const { "hosts/web9/configuration.nix": added, ...kept } = stateVersions(after);
    expect(added).toBe('"26.11"');
    expect(kept).toEqual(before);
    // The new release is now a known one; a home added now starts on it too.
    expect((await runMain(["user", "carol", "--host", "web9", "--dry-run"], dir)).stdout).toContain('home.stateVersion = "26.11";');
  }, 120_000);
});

describe("--override-input <name> <flake-ref> and --host", () => {
  test("two arguments each, joined before parsing; a missing one, an = form, an unknown host: one line each", async () => {
    const { joinFlagValues, splitPair } = await import("../src/cli/flag-values.js");
    const { fixSpec } = await import("../src/generators/fix/spec.js");
    expect(joinFlagValues(fixSpec, ["--override-input", "nixpkgs", "path:/my dir", "--dry-run", "--override-input", "home-manager/nixpkgs", "github:o/r?ref=a=b"])).toEqual([
      "--override-input=nixpkgs path:/my dir",
      "--dry-run",
      "--override-input=home-manager/nixpkgs github:o/r?ref=a=b",
    ]);
    expect(splitPair("nixpkgs path:/my dir")).toEqual(["nixpkgs", "path:/my dir"]);
    const dir = repos();
    for (const [args, says] of [
      [["fix", "--override-input", "nixpkgs"], /^error: --override-input takes 2 arguments \(--override-input <name> <flake-ref>\): see pnpm gen fix --help/],
      [["fix", "--override-input", "nixpkgs", "--dry-run"], /^error: --override-input takes 2 arguments/],
      [["fix", "--override-input=nixpkgs", "path:/x"], /^error: --override-input takes 2 arguments after it, without "="/],
      [["upgrade", "--release", "26.11", "--override-input", "nix pkgs", "path:/x"], /^error: --override-input.s <name> holds no space \("nix pkgs" is given\): see/],
      [["fix", "--host", "web1"], /^error: There is no configuration "web1" in flake\.nix's nixosConfigurations, darwinConfigurations, homeConfigurations: give one of example, alice\./],
    ] as const) {
      const r = await runMain([...args], dir);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(says);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
