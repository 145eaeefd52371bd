import { defineConfig } from "vitest/config";
import { reporters } from "../../packages/nix-check/vitest.shared.js";
import { scratchInRam } from "../../packages/nix-check/vitest.scratch.js";

scratchInRam();

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser test starts Chromium; everything has a hard upper bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
    // The files share no module state: one module graph for all of them, not
    // one process per file (about a CPU-second less, on the docs' chain).
    isolate: false,
    reporters: reporters("docs"),
  },
});
