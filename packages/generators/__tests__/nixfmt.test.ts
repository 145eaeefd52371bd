// What the generators write is already as nixfmt (the flake's `nix fmt`)
// formats it, so `nix fmt` after `pnpm gen` changes nothing: every .nix file
// of the starter, and every .nix file each scenario writes. Runs wherever
// nixfmt is on PATH (`nix develop` puts it there); elsewhere it is skipped
// and says so.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCENARIOS, memoryRepo, planScenario, sampleHardwareConfig } from "../src/index.js";
import { makeRepo, removeRepo, starterFiles } from "./helpers.js";

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return dir !== "";
    } catch {
      return false;
    }
  });
}

const HAS_NIXFMT = onPath("nixfmt");
if (!HAS_NIXFMT) {
  console.warn("nixfmt.test.ts skipped: nixfmt is not on PATH. Run it with nixfmt, e.g. `nix develop -c pnpm --filter @starter/generators exec vitest run __tests__/nixfmt.test.ts`.");
}

const starter = starterFiles();
const nixOnly = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([path]) => path.endsWith(".nix")));
// A --hardware-config file is the machine's own nixos-generate-config output,
// written byte for byte: the generators do not format it.
const written = (files: Record<string, string>) => Object.fromEntries(Object.entries(nixOnly(files)).filter(([, text]) => text !== sampleHardwareConfig()));

/** Each case: a name, and the .nix files to check as path → content (planned only when nixfmt can run). */
const cases: [string, () => Record<string, string>][] = [
  ["the starter", () => nixOnly(starter)],
  ...SCENARIOS.map((s): [string, () => Record<string, string>] => [
    `what scenario ${s.id} writes`,
    () => written(Object.fromEntries(planScenario(memoryRepo(starter), s).changes.flatMap((c) => (c.after === null ? [] : [[c.path, c.after]])))),
  ]),
];

describe.skipIf(!HAS_NIXFMT)("nixfmt --check", () => {
  it.each(cases)("passes on %s", (_name, filesOf) => {
    const files = filesOf();
    expect(Object.keys(files).length).toBeGreaterThan(0);
    const dir = makeRepo(files);
    try {
      const check = spawnSync("nixfmt", ["--check", ...Object.keys(files)], { cwd: dir, encoding: "utf8" });
      if (check.status !== 0) {
        // Show what nixfmt would change, file by file, as a diff.
        for (const [path, content] of Object.entries(files)) {
          const formatted = spawnSync("nixfmt", [], { input: content, encoding: "utf8" });
          expect(formatted.stdout, `${path} as nixfmt formats it`).toBe(content);
        }
      }
      expect(check.status, check.stderr).toBe(0);
    } finally {
      removeRepo(dir);
    }
  });
});
