// Builds the generators and every workspace package they load (@starter/*
// with a `workspace:` version, followed through their own dependencies) when
// a package's dist/ is missing or older than its src/. Used by bin/gen.mjs
// and by the test setup, so neither runs stale code nor dies with
// ERR_MODULE_NOT_FOUND because only one dist/ was built.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
// The bundle of dist/cli/entry.js (scripts/bundle.mjs), the last file the build writes.
export const CLI_ENTRY = join(PACKAGE_DIR, "dist", "bundle", "entry.cjs");
const PACKAGES_DIR = join(PACKAGE_DIR, "..");

// Synchronous: for the 140 or so files of src/ that took 1.8 ms where
// fs/promises, its stats sent to libuv's threads at once, took 4.8 ms.
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const t = e.isDirectory() ? newestMtime(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
}

/** Folder of each workspace package below packages/, by name. */
function workspacePackages() {
  const out = new Map();
  for (const e of readdirSync(PACKAGES_DIR, { withFileTypes: true })) {
    const dir = join(PACKAGES_DIR, e.name);
    if (e.isDirectory() && existsSync(join(dir, "package.json"))) out.set(readManifest(dir).name, dir);
  }
  return out;
}

/** The generators and the workspace packages they load, dependencies first. */
export function loadedPackages() {
  const all = workspacePackages();
  const order = [];
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = readManifest(dir);
    const deps = Object.entries(manifest.dependencies ?? {})
      .filter(([name, version]) => String(version).startsWith("workspace:") && all.has(name))
      .map(([name]) => name);
    for (const name of deps) visit(all.get(name));
    order.push({ name: manifest.name, dir, entry: entryOf(dir, manifest), deps });
  };
  visit(PACKAGE_DIR);
  return order;
}

/** The file Node loads for the package (its "." export), which the build writes. */
function entryOf(dir, manifest) {
  if (dir === PACKAGE_DIR) return CLI_ENTRY;
  const dot = manifest.exports?.["."];
  const rel = typeof dot === "string" ? dot : (dot?.default ?? dot?.import ?? manifest.main ?? "dist/index.js");
  return join(dir, rel);
}

/** Whether the package's build output is missing or older than its sources. */
function isStale({ dir, entry }) {
  if (!existsSync(entry)) return true;
  return existsSync(join(dir, "src")) && newestMtime(join(dir, "src")) > statSync(entry).mtimeMs;
}

const TEMPLATES_DIR = join(PACKAGE_DIR, "..", "..", "templates");
const PRECOMPILED = join(PACKAGE_DIR, "dist", "templates.precompiled.cjs");

/**
 * Whether templates/ changed after the build precompiled it. A run renders
 * a changed template right all the same (it compiles it), so only the tests
 * ask: they check that the precompiled templates are the current ones.
 */
function templatesStale() {
  return existsSync(TEMPLATES_DIR) && (!existsSync(PRECOMPILED) || newestMtime(TEMPLATES_DIR) > statSync(PRECOMPILED).mtimeMs);
}

/** The loaded packages whose build is missing or stale, dependencies first; with `templates`, a templates/ edit makes the generators' stale too. */
export function stalePackages({ templates = false } = {}) {
  const packages = loadedPackages();
  const own = packages.map((p) => isStale(p) || (templates && p.dir === PACKAGE_DIR && templatesStale()));
  // A package whose dependency is stale or was built after it is stale too:
  // the CLI's bundle holds copies of nix-check's modules. (Past own[i] and a
  // fresh dependency, both entries exist.)
  const byName = new Map(packages.map((p) => [p.name, p]));
  const builtAt = (p) => statSync(p.entry).mtimeMs;
  const stale = new Set();
  packages.forEach((p, i) => {
    if (own[i] || p.deps.some((name) => stale.has(name) || builtAt(byName.get(name)) > builtAt(p))) stale.add(p.name);
  });
  return packages.filter((p) => stale.has(p.name));
}

/** Returns false when a build was needed and failed (its errors went to stderr). */
export function ensureBuilt({ announce = true, templates = false } = {}) {
  const stale = stalePackages({ templates });
  if (stale.length === 0) return true;
  if (announce) {
    process.stderr.write(`gen: building ${stale.map((p) => p.name).join(", ")} (once after install or an edit)...\n`);
  }
  // pnpm runs the filtered packages' builds in dependency order.
  const build = spawnSync("pnpm", [...stale.flatMap((p) => ["--filter", p.name]), "run", "build"], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return build.status === 0;
}
