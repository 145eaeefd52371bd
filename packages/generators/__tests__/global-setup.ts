// Tests that spawn the CLI run the compiled dist/; build it once up front
// when src/ is newer, so no test pays for (or races on) a rebuild.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
}

export default function setup(): void {
  const entry = join(pkg, "dist", "cli-main.js");
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(pkg, "src"))) return;
  const build = spawnSync("pnpm", ["run", "build"], { cwd: pkg, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`building the generators failed:\n${build.stdout}${build.stderr}`);
}
