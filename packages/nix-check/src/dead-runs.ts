// Folders named for the process that made them (`<prefix><pid>…`), which a
// run killed midway leaves behind: a later run removes those whose process
// is gone. Used for the parse checks' temp folders and the test suites'
// scratch folder.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Whether `pid` is a live process; one of another user's (EPERM) counts as live. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes each folder of `dir` whose name `pidOf` reads a pid from (not this process's) when that process is gone; another user's stays. */
export function sweepDeadRuns(dir: string, pidOf: (name: string) => number | undefined): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = pidOf(name);
    if (pid === undefined || !(pid > 0) || pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // Another user's folder: theirs to remove.
    }
  }
}
