import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { projects, reporters } from "../nix-check/vitest.shared.js";
import { scratchInRam } from "../nix-check/vitest.scratch.js";
import { yieldToDocsChain } from "../nix-check/vitest.priority.js";

// unit, nix and process (test-projects.json), so `vitest --project unit` is
// the fast loop while editing.
const lists = JSON.parse(readFileSync(new URL("./test-projects.json", import.meta.url), "utf8")) as { unit: string[]; process: string[] };

scratchInRam();
yieldToDocsChain();

export default defineConfig({
  test: {
    globalSetup: ["../nix-check/vitest.nix-works.ts", "./__tests__/global-setup.ts"],
    setupFiles: ["./__tests__/parse-memo.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The process tests mostly wait on their children: a third worker on a
    // 2-core machine keeps the cores busy meanwhile.
    maxWorkers: 3,
    // The files share module state only through their own fixtures, so one
    // module graph per worker, not per file: about a fifth less CPU.
    isolate: false,
    reporters: reporters("generators"),
    projects: projects(lists),
  },
});
