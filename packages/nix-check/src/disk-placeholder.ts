// The fork check's warning about a disko layout that still names the
// generator's placeholder disk: it evaluates (the stubs and NixOS both
// accept any path), but installing it would partition nothing, or fail.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The start of every placeholder device `gen host --disk` writes (/dev/disk/by-id/REPLACE-WITH-YOUR-DISK). */
export const DISK_PLACEHOLDER_PREFIX = "/dev/disk/by-id/REPLACE-WITH-";

/** One warning per hosts/<h>/disk-config.nix that names a placeholder disk. */
export function diskPlaceholderWarnings(root: string): string[] {
  const hosts = join(root, "hosts");
  if (!existsSync(hosts)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(hosts, { withFileTypes: true })) {
    const file = join(hosts, entry.name, "disk-config.nix");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    if (readFileSync(file, "utf8").includes(DISK_PLACEHOLDER_PREFIX)) {
      out.push(
        `hosts/${entry.name}/disk-config.nix: names the placeholder disk ${DISK_PLACEHOLDER_PREFIX}…: put the machine's disk there (\`ls -l /dev/disk/by-id\` on it) before \`pnpm gen install ${entry.name}\`.`,
      );
    }
  }
  return out.sort();
}
