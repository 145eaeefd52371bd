// Loads an export of @starter/generators or @starter/nix-check by the name
// its package.json gives it ("." or "./internals", "./cli"), so the benches
// follow the packages' own entries instead of dist/ file names.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const PACKAGES = join(import.meta.dirname, "..", "packages");

export function entryFile(pkg, subpath = ".") {
  const manifest = JSON.parse(readFileSync(join(PACKAGES, pkg, "package.json"), "utf8"));
  const entry = manifest.exports?.[subpath];
  const rel = typeof entry === "string" ? entry : entry?.default;
  if (!rel) throw new Error(`packages/${pkg}/package.json exports no ${subpath}`);
  return join(PACKAGES, pkg, rel);
}

export const load = (pkg, subpath) => import(pathToFileURL(entryFile(pkg, subpath)).href);
