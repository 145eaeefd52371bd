import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const SKIP = new Set(["node_modules", ".git", ".turbo", "dist", "build", ".docusaurus"]);

/** Every `.nix` file below `root` (repo-relative paths, sorted), skipping build output and dependencies. */
export function listNixFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile() && entry.name.endsWith(".nix")) out.push(relative(root, abs));
    }
  };
  walk(root);
  return out.sort();
}
