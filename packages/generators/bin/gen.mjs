#!/usr/bin/env node
// Entry point of `pnpm gen`. Runs the compiled CLI; rebuilds it first when
// the sources are newer than the build, so a fresh clone or an edit of src/
// never runs stale code.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(pkg, "dist", "cli-main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(entry) || newestMtime(join(pkg, "src")) > statSync(entry).mtimeMs) {
  process.stderr.write("gen: building the generators (once after install or an edit)...\n");
  const build = spawnSync("pnpm", ["--filter", "@starter/generators^...", "--filter", "@starter/generators", "run", "build"], {
    cwd: pkg,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

await import(entry);
