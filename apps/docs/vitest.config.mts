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
    reporters: reporters("docs"),
  },
});
