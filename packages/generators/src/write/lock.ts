// One run at a time per repository: `.gen.lock` at the root names the run
// that holds it (pid + process start time). Others wait for it; a lock whose
// process has died is taken over. No timers keep it fresh, so a run may block
// its event loop (nix-instantiate, a test pause) as long as it likes.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GenError } from "../report/errors.js";
import { withPath } from "./journal.js";
import { type ProcessId, isProcessId, isRunning, sameProcess, thisProcess } from "./process-id.js";

export const LOCK_FILE = ".gen.lock";
/** Held for a few system calls while a dead run's lock is removed, so two waiters never both remove one. */
const TAKEOVER_FILE = ".gen.lock.takeover";

export interface LockOwner extends ProcessId {
  /** What the run does, for the waiting message ("gen host web1"). */
  command: string;
  /** When it took the lock (ISO time). */
  since: string;
}

export interface LockOptions {
  /** What this run does, shown to runs that wait for it. */
  command: string;
  /** Give up after this long (default 60 s, or STARTER_GEN_LOCK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Called once when the lock has been busy for `lockTiming.noticeMs`. */
  onWait?: (owner: LockOwner | undefined) => void;
}

export interface RepoLock {
  release(): void;
}

/**
 * How often a waiting run looks at the lock, and after how long it says whom
 * it waits for. Settable so in-process tests need not sleep on them; the
 * environment cannot change them, so a real run always has these.
 */
export const lockTiming = { pollMs: 50, noticeMs: 1000 };

function defaultTimeout(): number {
  const fromEnv = Number(process.env.STARTER_GEN_LOCK_TIMEOUT_MS);
  return fromEnv > 0 ? fromEnv : 60_000;
}

/** Waits for the repository's lock and takes it. */
export async function lockRepo(root: string, options: LockOptions): Promise<RepoLock> {
  const timeoutMs = options.timeoutMs ?? defaultTimeout();
  const path = join(root, LOCK_FILE);
  const me: LockOwner = { ...thisProcess(), command: options.command, since: new Date().toISOString() };
  let waited = 0;
  let noticed = false;
  for (;;) {
    if (tryCreate(path, me)) return held(path, me);
    const owner = readOwner(path);
    if (owner === "gone") continue;
    // A dead run's lock: remove it and try again at once, unless another
    // waiter is removing it right now (then wait like for a live one).
    if (owner !== undefined && !isRunning(owner) && removeDeadLock(root, owner)) continue;
    if (waited >= timeoutMs) throw new GenError(busyMessage(root, owner, waited));
    if (!noticed && waited >= lockTiming.noticeMs) {
      noticed = true;
      options.onWait?.(owner);
    }
    const pollMs = lockTiming.pollMs;
    await new Promise((r) => setTimeout(r, pollMs));
    waited += pollMs;
  }
}

/** "another pnpm gen run (pid 12, gen host web1)", for messages. */
export function describeOwner(owner: LockOwner | undefined): string {
  if (owner === undefined) return "another pnpm gen run";
  const where = owner.host === thisProcess().host ? "" : ` on ${owner.host}`;
  return `another pnpm gen run (pid ${owner.pid}${where}, ${owner.command})`;
}

function busyMessage(root: string, owner: LockOwner | undefined, waited: number): string {
  const lock = join(root, LOCK_FILE);
  const stop =
    owner === undefined || owner.host !== thisProcess().host
      ? `if no run is going on, delete ${lock}`
      : `if it hangs, stop it (kill ${owner.pid})`;
  return `${describeOwner(owner)} has held ${lock} for the ${Math.round(waited / 1000)} s this run waited: let it finish and run again; ${stop}.`;
}

/**
 * Creates the lock with its content in one step: the content goes to a
 * private file first, then link(2) puts it in place, failing when the lock
 * exists. So nobody ever reads a lock that is still empty.
 */
function tryCreate(path: string, me: LockOwner): boolean {
  const mine = `${path}.${me.pid}.gen-tmp`;
  try {
    writeFileSync(mine, JSON.stringify(me) + "\n");
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw withPath(error, mine);
  } finally {
    rmSync(mine, { force: true });
  }
}

/** The lock's owner; undefined when unreadable, "gone" when the lock vanished meanwhile. */
function readOwner(path: string): LockOwner | undefined | "gone" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const owner = JSON.parse(text) as unknown;
    return isProcessId(owner) ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a lock whose process is dead. Waiters do this one at a time (the
 * takeover file), and each first checks that the lock is still that same
 * dead one: otherwise a slow waiter could remove the lock a faster one had
 * just taken. False when another waiter is at it.
 */
function removeDeadLock(root: string, dead: LockOwner): boolean {
  const guardPath = join(root, TAKEOVER_FILE);
  const me: LockOwner = { ...thisProcess(), command: "takeover", since: new Date().toISOString() };
  if (!tryCreate(guardPath, me)) {
    const guard = readOwner(guardPath);
    // A waiter killed inside these few system calls leaves the guard behind.
    if (guard === "gone") return true;
    if (guard === undefined || !isRunning(guard)) {
      removeIfSame(guardPath, guard);
      return true;
    }
    return false;
  }
  try {
    const path = join(root, LOCK_FILE);
    const now = readOwner(path);
    if (now !== "gone" && now !== undefined && sameProcess(now, dead) && now.since === dead.since) rmSync(path, { force: true });
  } finally {
    rmSync(guardPath, { force: true });
  }
  return true;
}

/** Removes `path` only if it still names `owner` (rename it aside, look, then delete or put back). */
function removeIfSame(path: string, owner: LockOwner | undefined): void {
  const aside = `${path}-aside.${process.pid}.gen-tmp`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const taken = readOwner(aside);
  const same = owner === undefined ? taken === undefined : taken !== "gone" && taken !== undefined && sameProcess(taken, owner) && taken.since === owner.since;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds it anew: theirs stands.
    }
  }
  rmSync(aside, { force: true });
}

function held(path: string, me: LockOwner): RepoLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener("exit", release);
    // Remove it only while it is still ours.
    const owner = readOwner(path);
    if (owner !== "gone" && owner !== undefined && sameProcess(owner, me) && owner.since === me.since) rmSync(path, { force: true });
  };
  // Ctrl-C or SIGTERM while the run awaits something (a confirmation): let
  // go of the lock, then die of the same signal. A signal that arrives during
  // synchronous work (the Nix check, the write) does not interrupt it.
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.kill(process.pid, signal);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  process.once("exit", release);
  return { release };
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
