// Three-way merge of text with git's own `git merge-file`: the same result
// and the same conflict markers as a git merge, from files in a private
// temp folder (never in the repository) removed right after.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface MergeResult {
  text: string;
  /** How many conflicts were left as markers. */
  conflicts: number;
}

/**
 * Merges the change from `base` to `theirs` into `ours`. Conflicts are
 * written `<<<<<<< <oursLabel>` … `=======` … `>>>>>>> <theirsLabel>`.
 */
export function mergeThree(base: string, ours: string, theirs: string, labels: { ours: string; base: string; theirs: string }): MergeResult {
  if (ours === base) return { text: theirs, conflicts: 0 };
  if (theirs === base || theirs === ours) return { text: ours, conflicts: 0 };
  const dir = mkdtempSync(join(tmpdir(), "gen-update-"));
  try {
    const [o, b, t] = ["ours", "base", "theirs"].map((n) => join(dir, n));
    writeFileSync(o!, ours, { mode: 0o600 });
    writeFileSync(b!, base, { mode: 0o600 });
    writeFileSync(t!, theirs, { mode: 0o600 });
    const run = spawnSync("git", ["merge-file", "-L", labels.ours, "-L", labels.base, "-L", labels.theirs, o!, b!, t!], { encoding: "utf8" });
    // Its exit status is the number of conflicts (capped at 127); negative or a signal is a failure.
    if (run.error || run.status === null || run.status > 127) {
      throw new Error(`git merge-file failed (${run.error?.message ?? run.stderr.trim()}): is git installed?`);
    }
    return { text: readFileSync(o!, "utf8"), conflicts: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
