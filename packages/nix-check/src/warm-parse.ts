// nix-instantiate needs about 30 ms to start (it links some sixty
// libraries), and a generator run used to pay them after its plan was ready.
// A run that will check can start it first, while Node still loads and
// plans: `nix-instantiate --parse - <slot 1> … <slot 8>` reads its standard
// input first, a pipe from this process, and so waits there. The check
// writes its files into the slots ("null" into those it does not need), then
// "null" into the pipe and closes it, and Nix parses them in order as it
// would have. A run that dies before its check closes the pipe by dying:
// that Nix reads nothing, fails and ends at once. Anything unusual (Nix
// gone, a failure that names no file, more files than slots) returns
// undefined, and the caller parses the plain way.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nixAvailable } from "./nix-bin.js";
import type { SourceFile } from "./parse.js";

/** The temp folders of parses start so, then their pid (parse.ts sweeps dead ones). */
export const PARSE_PREFIX = "nix-parse-";
export const WARM_SLOTS = 8;

/** How the waiting nix-instantiate ended: parse.ts reads it as it reads spawnSync's. */
export interface WarmRun {
  status: number;
  stderr: string;
  /** Where each file was parsed, in order, and the folder they are in. */
  paths: string[];
  dir: string;
}
/** How long a check waits for the waiting nix-instantiate before it parses the plain way. */
const WAIT_MS = 20_000;

// sh: Nix, its standard input the pipe, then Nix's exit status, which the
// check polls for (it runs synchronously). The status is one write(2) of
// digits and a newline, so a read sees all of it or less than a line; no mv,
// which would cost the check an exec.
const SCRIPT = `d=$1; shift
nix-instantiate --parse - "$@" >/dev/null 2>"$d/err"
echo $? > "$d/status"`;

interface Warm {
  dir: string;
  slots: string[];
  child: ChildProcess;
  /** Resolves once sh has ended (and was reaped, so its CPU counts as this process's). */
  ended: Promise<void>;
}

/** The one waiting for the next parse, if any. */
let warm: Warm | undefined;
/** Every warm start whose sh was not yet reaped, used or not: settleWarmParser and the exit stop them. */
const live = new Set<Warm>();
let stopAllAtExit = false;

/**
 * Starts a nix-instantiate that waits for the next parseNixSources of this
 * process. Nothing where Nix is missing or one already waits.
 */
export function warmNixParser(): void {
  if (warm !== undefined || process.platform === "win32" || !nixAvailable()) return;
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), `${PARSE_PREFIX}${process.pid}-`));
    const slots = Array.from({ length: WARM_SLOTS }, (_, i) => join(dir!, `${i + 1}.nix`));
    // Its own process group, so one kill takes sh and Nix.
    const child = spawn("/bin/sh", ["-c", SCRIPT, "sh", dir, ...slots], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    const ended = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    child.unref();
    child.stdin?.on("error", () => undefined);
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    if (child.pid === undefined) throw new Error("sh did not start");
    warm = { dir, slots, child, ended };
    live.add(warm);
    if (!stopAllAtExit) process.once("exit", () => live.forEach(stop));
    stopAllAtExit = true;
  } catch {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Kills what is left of a warm start (sh, Nix) and removes its folder. */
function stop(w: Warm): void {
  if (warm === w) warm = undefined;
  w.child.stdin?.destroy();
  try {
    process.kill(-w.child.pid!, "SIGKILL");
  } catch {
    // All gone already.
  }
  rmSync(w.dir, { recursive: true, force: true });
}

/**
 * Ends this process's warm starts, used or not, and waits until each sh is
 * reaped: call it before exiting, so no Nix is left waiting and the CPU it
 * used counts as this run's.
 */
export async function settleWarmParser(): Promise<void> {
  const all = [...live];
  // A used one's Nix has ended (sh reaped it before writing the status); an unused one waits for its input.
  all.forEach(stop);
  all.forEach((w) => w.child.ref());
  await Promise.race([Promise.all(all.map((w) => w.ended)), new Promise((r) => setTimeout(r, 1000).unref())]);
  all.forEach((w) => live.delete(w));
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => void Atomics.wait(pause, 0, 0, ms);

/**
 * Parses `files` with the waiting nix-instantiate, once; undefined when none
 * waits or it did not get to parse them.
 */
export function parseWithWarm(files: readonly SourceFile[]): WarmRun | undefined {
  const w = warm;
  if (w === undefined) return undefined;
  try {
    if (files.length > w.slots.length) return undefined;
    w.slots.forEach((slot, i) => writeFileSync(slot, files[i]?.content ?? "null"));
    const status = join(w.dir, "status");
    const deadline = Date.now() + WAIT_MS;
    // The pipe's own descriptor, written synchronously as the check runs; none (not Unix) means the plain way.
    const fd = (w.child.stdin as unknown as { _handle?: { fd?: number } } | null)?._handle?.fd;
    if (typeof fd !== "number" || fd < 0) return undefined;
    // A Nix already gone fails this write (EPIPE), and the run parses the plain way.
    writeSync(fd, "null\n");
    // Closed now, not on the next turn of the event loop: Nix reads to the end of its input.
    w.child.stdin!.destroy();
    let line = "";
    while (!line.endsWith("\n")) {
      if (Date.now() > deadline) return undefined;
      sleep(0.5);
      line = existsSync(status) ? readFileSync(status, "utf8") : "";
    }
    const code = Number(line.trim());
    return { status: code, stderr: code === 0 ? "" : readFileSync(join(w.dir, "err"), "utf8"), paths: w.slots.slice(0, files.length), dir: w.dir };
  } catch {
    return undefined;
  } finally {
    // Used or given up: no Nix may wait for its input any more, and the files go.
    stop(w);
  }
}
