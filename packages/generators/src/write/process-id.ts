// Who a lock, journal or temp file belongs to, and whether that process is
// still running. A pid alone is not enough: pids are reused, so on Linux the
// process start time (from /proc) is recorded with it and compared.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessId {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22); null where there is no /proc. */
  start: string | null;
  host: string;
}

/**
 * Field `n` (1-based, as stat(5) numbers them; n ≥ 3) of /proc/<pid>/stat,
 * or null when it cannot be read (no such process, or no /proc).
 */
export function procStatField(pid: number | "self", n: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 is the command in parentheses and may hold spaces: count from the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[n - 3] ?? null;
  } catch {
    return null;
  }
}

/** The start time of `pid` (field 22), or null when it cannot be read. */
export function processStart(pid: number): string | null {
  return procStatField(pid, 22);
}

let self: ProcessId | undefined;

export function thisProcess(): ProcessId {
  self ??= { pid: process.pid, start: processStart(process.pid), host: hostname() };
  return self;
}

/**
 * Whether the process that wrote `id` may still be running. Unknown counts
 * as running: another machine's process (a shared folder) cannot be checked.
 */
export function isRunning(id: ProcessId): boolean {
  if (id.host !== thisProcess().host) return true;
  try {
    process.kill(id.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // Another start time: the pid was reused. An unreadable one (another
  // user's process under hidepid, or one that just ended) is not proof of death.
  if (id.start === null) return true;
  const now = processStart(id.pid);
  return now === null || now === id.start;
}

export function sameProcess(a: ProcessId, b: ProcessId): boolean {
  return a.pid === b.pid && a.start === b.start && a.host === b.host;
}

export function isProcessId(value: unknown): value is ProcessId {
  const v = value as ProcessId;
  return typeof v === "object" && v !== null && Number.isInteger(v.pid) && (v.start === null || typeof v.start === "string") && typeof v.host === "string";
}
