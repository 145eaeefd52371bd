// Where the tests' scratch repositories go: a folder in RAM when there is one.
// The suites create and delete some ten thousand files; on ext4, allocating
// inodes next to recently deleted ones took a fifth of the generators' suite
// CPU (perf: recently_deleted, find_inode_bit), and half of its system time.
import { chmodSync, mkdirSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { sweepDeadRuns } from "./src/dead-runs.js";

const TMPFS_MAGIC = 0x01021994;
const ROOM = 1 << 30; // a run peaks at a few MB (the generators suite: 5 MB); a wide margin
const PREFIX = "starter-tests-";

const isTmpfs = (dir: string, room = 0): boolean => {
  try {
    const s = statfsSync(dir);
    return s.type === TMPFS_MAGIC && s.bavail * s.bsize >= room;
  } catch {
    return false;
  }
};

/** Removes dir; what cannot go yet (a process still writing there) the next run sweeps. */
const removeQuietly = (dir: string): void => {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // left for the next run
  }
};

/**
 * Points TMPDIR (this process's, so the test workers' and every process they
 * start) at `<ram>/starter-tests-<pid>`, removed when this process exits; a
 * killed run's folder goes at the next run. Nothing changes when the temp
 * folder is in RAM already, when `ram` is not a tmpfs with 1 GiB free, or when
 * STARTER_TEST_TMPDIR=keep asks to keep TMPDIR as it is.
 */
export function scratchInRam(ram = "/dev/shm", env: NodeJS.ProcessEnv = process.env): string | undefined {
  // os.tmpdir()'s own order, read from env.
  const current = env.TMPDIR || env.TMP || env.TEMP || "/tmp";
  if (env.STARTER_TEST_TMPDIR === "keep" || isTmpfs(current) || !isTmpfs(ram, ROOM)) return undefined;
  sweepDeadRuns(ram, (name) => (name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length)) : undefined));
  const dir = join(ram, `${PREFIX}${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    // Others may enter, as they may enter /tmp: the tests that run as nobody need to.
    chmodSync(dir, 0o755);
  } catch {
    return undefined;
  }
  env.TMPDIR = dir;
  process.once("exit", () => removeQuietly(dir));
  return dir;
}
