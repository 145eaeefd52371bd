import { describe, expect, test } from "vitest";
import { fixCommand } from "../src/generators/fix/command.js";
import { upgradeCommand } from "../src/generators/upgrade/command.js";
import { readTree, starterRepos } from "./helpers.js";

const repos = starterRepos();
const OFFLINE = () => ({ status: 1, stdout: "", stderr: "error: unable to download 'https://api.github.com/…': Could not resolve host: api.github.com" });

describe("gen upgrade --release as the CLI will call it", () => {
  test("--dry-run shows exactly the three pin changes and writes nothing", async () => {
    const dir = repos();
    const before = readTree(dir);
    const r = await upgradeCommand({ root: dir, release: "26.11", dryRun: true, note: () => {} });
    expect(r.exitCode).toBe(0);
    expect(readTree(dir)).toEqual(before);
    const removed = r.text.split("\n").filter((l) => /^\s*-\s/.test(l) && l.includes("26.05"));
    const added = r.text.split("\n").filter((l) => /^\s*\+\s/.test(l) && l.includes("26.11"));
    expect([removed.length, added.length]).toEqual([3, 3]);
  });

  test("26.04, 25.11 (a downgrade) and mixed pins: one error line, tree unchanged", async () => {
    for (const [release, edit] of [["26.04", false], ["25.11", false], ["26.11", true]] as const) {
      const dir = repos();
      if (edit) {
        const { writeFileSync, readFileSync } = await import("node:fs");
        const f = `${dir}/flake.nix`;
        writeFileSync(f, readFileSync(f, "utf8").replace("home-manager/release-26.05", "home-manager/release-25.11"));
      }
      const before = readTree(dir);
      const r = await upgradeCommand({ root: dir, release, dryRun: false, note: () => {}, run: OFFLINE });
      expect(r.exitCode, release).toBe(1);
      expect(r.text.split("\n"), release).toHaveLength(1);
      expect(r.text, release).toMatch(/^error: /);
      expect(readTree(dir)).toEqual(before);
    }
  });

  test("offline: the pins move, one line says what to run later, exit 0", async () => {
    const dir = repos();
    const r = await upgradeCommand({ root: dir, release: "26.11", dryRun: false, note: () => {}, run: OFFLINE });
    expect(r.exitCode).toBe(0);
    expect(r.text).toContain("run `nix flake update nixpkgs home-manager nix-darwin` when online");
    expect(readTree(dir)["flake.nix"]).toContain("nixos-26.11");
  });
});

describe("gen fix as the CLI will call it", () => {
  test("nothing renamed: nothing written, exit 0", async () => {
    const dir = repos();
    const before = readTree(dir);
    const r = await fixCommand({ root: dir, dryRun: false, note: () => {}, evaluator: () => ({ configs: [{ id: "nixosConfigurations.example", messages: [] }], forkSources: [] }) });
    expect(r.exitCode).toBe(0);
    expect(r.text).toContain("Rewritten (0)");
    expect(readTree(dir)).toEqual(before);
  });
});
