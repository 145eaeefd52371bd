// Checks a whole plan, prints it, or writes it: every file atomically
// (temp file + rename) and all or nothing.
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { nixAvailable, parseNixSources } from "@starter/nix-check";
import { unifiedDiff } from "./diff.js";
import { GenError } from "./errors.js";
import type { Plan } from "./plan/plan.js";

export interface CheckReport {
  /** How many .nix files the Nix parser accepted; null when Nix is not installed. */
  parsed: number | null;
}

/** Refuses a plan that would leave broken Nix or touch files it must not. */
export function checkPlan(plan: Plan, root: string): CheckReport {
  for (const change of plan.changes) {
    const abs = join(root, change.path);
    if (change.before !== null && existsSync(abs) && (statSync(abs).mode & 0o200) === 0) {
      throw new GenError(`${change.path} is read-only: make it writable (chmod u+w ${change.path}) and run again.`);
    }
    if (change.before === null && existsSync(abs)) {
      throw new GenError(`${change.path} already exists: move it away, or pick another name.`);
    }
  }
  const nixFiles = plan.changes.filter((c) => c.path.endsWith(".nix")).map((c) => ({ path: c.path, content: c.after }));
  if (!nixAvailable()) return { parsed: null };
  const parsed = parseNixSources(nixFiles);
  if (!parsed.ok) {
    const detail = parsed.message.split("\n").find((l) => l.startsWith("error:")) ?? parsed.message.split("\n")[0];
    throw new GenError(`The generated ${parsed.path} would not parse (${detail?.replace(/^error:\s*/, "")}), so nothing was written: fix the file it edits, or report this as a bug.`);
  }
  return { parsed: nixFiles.length };
}

/** The plan as CREATE/UPDATE lines, with diffs when asked. */
export function formatPlan(plan: Plan, withDiffs: boolean): string {
  const out: string[] = [];
  for (const change of plan.changes) {
    out.push(`  ${change.before === null ? "CREATE" : "UPDATE"} ${change.path}`);
  }
  if (withDiffs) {
    for (const change of plan.changes) out.push("", unifiedDiff(change.path, change.before, change.after));
  }
  return out.join("\n");
}

export function formatNextSteps(plan: Plan): string {
  return ["Next steps:", ...plan.nextSteps.map((s, i) => `  ${i + 1}. ${s}`)].join("\n");
}

const TEMP_SUFFIX = ".gen-tmp";

/** Hooks for tests that need to stop a run between two writes. */
export interface ApplyHooks {
  afterTempWrite?: (path: string) => void;
}

/**
 * Writes every change: first each new content to a temp file beside its
 * target, then renames them all into place. Any failure before the renames
 * removes the temp files; a failure during them restores what was renamed.
 * The tree ends up either exactly as before or exactly as planned.
 */
export function applyPlan(plan: Plan, root: string, hooks: ApplyHooks = {}): void {
  const createdDirs: string[] = [];
  const temps: Array<{ temp: string; target: string; before: string | null }> = [];
  const cleanTemps = () => {
    for (const t of temps) rmSync(t.temp, { force: true });
  };
  const removeCreatedDirs = () => {
    for (const dir of createdDirs.reverse()) {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    }
  };
  // With a listener installed, Ctrl-C and SIGTERM wait until this synchronous
  // function returns instead of killing the process between two renames.
  // (SIGKILL cannot be deferred: what it leaves is temp files, which the next
  // run removes, and targets that are each wholly old or wholly new.)
  const onSignal = () => {};
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const change of plan.changes) {
      const target = join(root, change.path);
      makeDirs(dirname(target), createdDirs);
      const temp = `${target}.${process.pid}${TEMP_SUFFIX}`;
      temps.push({ temp, target, before: change.before });
      writeFileSync(temp, change.after, { flag: "wx" });
      if (change.before !== null) chmodSync(temp, statSync(target).mode & 0o7777);
      hooks.afterTempWrite?.(change.path);
    }
  } catch (error) {
    cleanTemps();
    removeCreatedDirs();
    throw error;
  }
  const done: typeof temps = [];
  try {
    for (const t of temps) {
      renameSync(t.temp, t.target);
      done.push(t);
    }
  } catch (error) {
    for (const t of done.reverse()) {
      if (t.before === null) rmSync(t.target, { force: true });
      else writeFileSync(t.target, t.before);
    }
    cleanTemps();
    removeCreatedDirs();
    throw error;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** mkdir -p that remembers which directories it created, outermost first. */
function makeDirs(dir: string, created: string[]): void {
  if (existsSync(dir)) return;
  makeDirs(dirname(dir), created);
  mkdirSync(dir);
  created.push(dir);
}

/** Temp files a killed run left behind (`*.gen-tmp`), so the next run can remove them. */
export function findLeftoverTemps(root: string, dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith(TEMP_SUFFIX)) found.push(abs);
    }
  };
  for (const d of dirs) walk(join(root, d));
  if (existsSync(root)) for (const e of readdirSync(root)) if (e.endsWith(TEMP_SUFFIX)) found.push(join(root, e));
  return found;
}
