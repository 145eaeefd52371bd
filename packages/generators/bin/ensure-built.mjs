// Builds the generators (and what they depend on) when src/ is newer than
// dist/. Used by bin/gen.mjs and by the test setup, so neither runs stale code.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_ENTRY = join(PACKAGE_DIR, "dist", "cli-main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Returns false when a build was needed and failed (its errors went to stderr). */
export function ensureBuilt({ announce = true } = {}) {
  if (existsSync(CLI_ENTRY) && newestMtime(join(PACKAGE_DIR, "src")) <= statSync(CLI_ENTRY).mtimeMs) return true;
  if (announce) process.stderr.write("gen: building the generators (once after install or an edit)...\n");
  const build = spawnSync("pnpm", ["--filter", "@starter/generators...", "run", "build"], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return build.status === 0;
}
