// Checks a whole plan, prints it, or writes it: every file atomically
// (temp file + rename), all or nothing, journaled so a kill cannot split it.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { nixAvailable, parseNixSources } from "@starter/nix-check/parse";
import { unifiedDiff } from "../report/diff.js";
import { GenError } from "../report/errors.js";
import { asGenError } from "../report/fs-errors.js";
import { JOURNAL_FILE, type Journal, hashText, removeJournal, tempFor, undoJournal, writeDurably, writeJournal } from "./journal.js";
import type { Plan } from "./plan.js";
import { changeVerb } from "../repo/tree.js";
import { thisProcess } from "./process-id.js";

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
    if (change.after === null) checkRemovable(change.path, abs, change.before);
  }
  const nixFiles = plan.changes.filter((c) => c.path.endsWith(".nix") && c.after !== null).map((c) => ({ path: c.path, content: c.after! }));
  if (!nixAvailable()) return { parsed: null };
  const parsed = parseNixSources(nixFiles);
  if (!parsed.ok) {
    const detail = (parsed.message.split("\n").find((l) => l.startsWith("error:")) ?? parsed.message.split("\n")[0])?.replace(/^error:\s*/, "");
    if (parsed.kind === "environment") {
      const user = currentUser();
      throw new GenError(
        `Nix cannot run as ${user} (nix-instantiate failed before reading any file: ${detail}), so nothing was written: make \`nix-instantiate --parse --expr 1\` work for ${user} (with a multi-user Nix, have nix-daemon running and set NIX_REMOTE=daemon), then run again.`,
      );
    }
    throw new GenError(`The generated ${parsed.path} would not parse (${detail}), so nothing was written: fix the file it edits, or report this as a bug.`);
  }
  return { parsed: nixFiles.length };
}

/**
 * A file is removed only when the journal can give it back exactly: a plain
 * file whose bytes are the text the plan read (not a link, not binary).
 */
function checkRemovable(path: string, abs: string, before: string | null): void {
  const stat = lstatSync(abs, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isFile()) throw new GenError(`${path} is not a plain file (a link or a special file): remove it by hand (rm ${path}), then run again.`);
  if (before === null || !readFileSync(abs).equals(Buffer.from(before, "utf8"))) {
    throw new GenError(`${path} is not a text file the generator can keep a copy of: remove it by hand (rm ${path}), then run again.`);
  }
}

function currentUser(): string {
  try {
    return `the user ${userInfo().username}`;
  } catch {
    return "this user";
  }
}

/** The plan as CREATE/UPDATE lines, with diffs when asked. */
export function formatPlan(plan: Plan, withDiffs: boolean): string {
  const out: string[] = [];
  for (const change of plan.changes) {
    out.push(`  ${changeVerb(change)} ${change.path}`);
  }
  if (withDiffs) {
    for (const change of plan.changes) out.push("", unifiedDiff(change.path, change.before, change.after));
  }
  return out.join("\n");
}

export function formatNextSteps(plan: Plan): string {
  return ["Next steps:", ...plan.nextSteps.map((s, i) => `  ${i + 1}. ${s}`)].join("\n");
}

/** Hooks for tests: stop or kill a run between two steps, or make a step fail. */
export interface ApplyHooks {
  /** Before each file-system step; may throw (an injected failure). */
  beforeStep?: (step: ApplyStep, path: string) => void;
  afterJournal?: () => void;
  /** `n` counts from 1. */
  afterTempWrite?: (path: string, n: number) => void;
  afterRename?: (path: string, n: number) => void;
}

export type ApplyStep = "journal" | "mkdir" | "write" | "rename" | "remove" | "rmdir";

/**
 * Writes every change, all or nothing, in a way a kill at any instruction
 * cannot break: first the journal (see journal.ts), then each new content to
 * a temp file beside its target, then the renames into place, then the
 * journal goes. A failure on the way undoes what was done and throws one
 * sentence; a kill leaves the journal, from which the next run undoes it.
 * The journal and the temp files are flushed (fsync) before the first
 * rename, so after a power cut too a rename never exposes an unwritten file
 * and the journal is there to undo a partial run; the renames themselves are
 * not flushed one by one (file systems that journal metadata keep them in
 * order with the journal's removal), which saves a few milliseconds per folder.
 */
export function applyPlan(plan: Plan, root: string, hooks: ApplyHooks = {}): void {
  const journal: Journal = {
    version: 1,
    owner: thisProcess(),
    title: plan.title,
    dirs: missingDirs(root, plan.changes.filter((c) => c.after !== null).map((c) => dirname(c.path))),
    emptied: emptiedDirs(
      root,
      plan.changes.filter((c) => c.after === null).map((c) => c.path),
      plan.changes.filter((c) => c.after !== null).map((c) => c.path),
    ),
    files: plan.changes.map((c) =>
      c.after === null
        ? { path: c.path, temp: tempFor(c.path), before: c.before, after: null, mode: statSync(join(root, c.path)).mode & 0o7777 }
        : { path: c.path, temp: tempFor(c.path), before: c.before, after: hashText(c.after) },
    ),
  };
  const step = hooks.beforeStep ?? (() => {});
  // With a listener installed, Ctrl-C and SIGTERM wait until this synchronous
  // function returns instead of killing the process between two steps.
  const onSignal = () => {};
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    try {
      step("journal", join(root, JOURNAL_FILE));
      writeJournal(root, journal);
    } catch (error) {
      throw asGenError(error, root, "so nothing was written");
    }
    hooks.afterJournal?.();
    try {
      for (const dir of journal.dirs) {
        step("mkdir", join(root, dir));
        mkdirSync(join(root, dir));
      }
      plan.changes.forEach((change, i) => {
        if (change.after === null) return;
        const target = join(root, change.path);
        const temp = join(root, tempFor(change.path));
        step("write", temp);
        writeDurably(temp, change.after, "wx");
        if (change.before !== null) chmodSync(temp, statSync(target).mode & 0o7777);
        hooks.afterTempWrite?.(change.path, i + 1);
      });
      plan.changes.forEach((change, i) => {
        const target = join(root, change.path);
        if (change.after === null) {
          // The journal holds the old content: a kill from here on is undone from it.
          step("remove", target);
          rmSync(target);
        } else {
          step("rename", target);
          renameSync(join(root, tempFor(change.path)), target);
        }
        hooks.afterRename?.(change.path, i + 1);
      });
      for (const dir of journal.emptied ?? []) {
        step("rmdir", join(root, dir));
        rmdirSync(join(root, dir));
      }
    } catch (error) {
      try {
        undoJournal(root, journal);
        removeJournal(root);
      } catch {
        throw asGenError(error, root, "and undoing the files written so far failed too (the next pnpm gen run finishes that)");
      }
      throw asGenError(error, root, "so nothing was written");
    }
    removeJournal(root);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/**
 * The folders that removing `files` leaves empty, innermost first: below the
 * top-level folders (hosts/, nix/), which stay even when empty.
 */
function emptiedDirs(root: string, files: readonly string[], written: readonly string[]): string[] {
  const gone = new Set(files);
  const out: string[] = [];
  const empties = (dir: string): boolean =>
    readdirSync(join(root, dir), { withFileTypes: true }).every((e) => {
      const path = `${dir}/${e.name}`;
      return e.isDirectory() ? empties(path) : gone.has(path);
    });
  const candidates = new Set<string>();
  for (const file of files) for (let d = dirname(file); d.includes("/"); d = dirname(d)) candidates.add(d);
  // A folder the same plan writes into stays.
  for (const file of written) for (let d = dirname(file); d.includes("/"); d = dirname(d)) candidates.delete(d);
  // Deepest first, so a folder is removed after the folders in it.
  for (const dir of [...candidates].sort((a, b) => b.split("/").length - a.split("/").length || a.localeCompare(b))) {
    if (existsSync(join(root, dir)) && empties(dir)) out.push(dir);
  }
  return out;
}

/** The folders that must be created to hold files in `dirs`, outermost first. */
function missingDirs(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const chain: string[] = [];
    for (let d = dir; d !== "." && d !== "" && !existsSync(join(root, d)); d = dirname(d)) chain.unshift(d);
    for (const d of chain) if (!out.includes(d)) out.push(d);
  }
  return out;
}
