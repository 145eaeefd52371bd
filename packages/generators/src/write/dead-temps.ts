// Temp files that dead runs left behind: those of a run killed before it
// wrote its journal (which the journal does not know of), or of an older
// version of the generators. Found by the pid in their name.
import { existsSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { type ProcessId, isRunning, thisProcess } from "./process-id.js";

/**
 * Temp files (`*.<pid>.gen-tmp`) of runs whose process has died, below
 * `dirs` and at the root: those a run killed before it wrote its journal, or
 * an older version of the generators, left behind. A live run's are skipped.
 */
export function findDeadTemps(root: string, dirs: readonly string[]): string[] {
  const found: string[] = [];
  const me = thisProcess();
  const consider = (abs: string, name: string) => {
    const pid = /\.(\d+)\.gen-tmp$/.exec(name)?.[1];
    if (pid === undefined) return;
    const owner: ProcessId = { pid: Number(pid), start: null, host: me.host };
    if (owner.pid !== me.pid && !isRunning(owner)) found.push(abs);
  };
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else consider(abs, e.name);
    }
  };
  for (const d of dirs) walk(join(root, d));
  if (existsSync(root)) for (const e of readdirSync(root, { withFileTypes: true })) if (!e.isDirectory()) consider(join(root, e.name), e.name);
  return found;
}

/** Folders below which dead runs' temp files are looked for (besides the root). */
export const WRITTEN_DIRS = ["hosts", "nix", "secrets"] as const;

/**
 * Removes dead runs' temp files (call with the lock held), and the folders
 * they leave empty: an empty hosts/<name>/ would pass for an existing host.
 */
export function removeDeadTemps(root: string, found = findDeadTemps(root, WRITTEN_DIRS)): number {
  for (const file of found) {
    rmSync(file, { force: true });
    for (let dir = dirname(file); !["", ...WRITTEN_DIRS].includes(relative(root, dir)) && readdirSync(dir).length === 0; dir = dirname(dir)) rmdirSync(dir);
  }
  return found.length;
}
