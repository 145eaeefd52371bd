// @ts-check
// Writing the rendered partials into src/generated/, and listing them back.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const DOCS_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const REPO_ROOT = join(DOCS_DIR, "..", "..");
export const OUT_DIR = join(DOCS_DIR, "src", "generated");

/** Writes the rendered files into src/generated/, replacing what was there. */
export function writeExamples(/** @type {Map<string, string>} */ rendered, outDir = OUT_DIR) {
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of rendered) {
    const file = join(outDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(/** @type {string} */ dir) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(dir, full).split("\\").join("/"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort();
}
