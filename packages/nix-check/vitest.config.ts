import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { projects, reporters } from "./vitest.shared.js";
import { scratchInRam } from "./vitest.scratch.js";
import { yieldToDocsChain } from "./vitest.priority.js";

const lists = JSON.parse(readFileSync(new URL("./test-projects.json", import.meta.url), "utf8")) as { unit: string[]; process: string[] };

scratchInRam();
yieldToDocsChain();

export default defineConfig({
  test: {
    globalSetup: ["./vitest.nix-works.ts"],
    testTimeout: 60_000,
    maxWorkers: 3,
    // The files share module state only through their own fixtures, so one
    // module graph per worker, not per file: about a fifth less CPU.
    isolate: false,
    reporters: reporters("nix-check"),
    projects: projects(lists),
  },
});
