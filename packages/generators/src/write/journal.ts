// The intent record of a write in progress: `.gen-journal.json` at the root
// lists every target, its temp file, its old content and a hash of its new
// one, and the folders the run creates. It is in place before anything else
// is touched and removed once every rename is done, so a run killed at any
// instruction leaves a journal behind, and the next run undoes it from there.
//
// The rule is total: a journaled run that did not finish is undone (each
// target holding its new content gets its old content back, temp files and
// new folders go); one that finished stands. Undoing instead of finishing
// means the user can simply run the same command again.
import { createHash } from "node:crypto";
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { GenError } from "../report/errors.js";
import { type ProcessId, isProcessId, isRunning, sameProcess, thisProcess } from "./process-id.js";

export const JOURNAL_FILE = ".gen-journal.json";
const TEMP_SUFFIX = ".gen-tmp";

interface JournalFile {
  /** Repo-relative target. */
  path: string;
  /** Repo-relative temp file the new content is written to first. */
  temp: string;
  /** Old content; null when the run creates the file. */
  before: string | null;
  /** sha256 of the new content; null when the run removes the file. */
  after: string | null;
  /** The permission bits of a file the run removes, given back if it is undone. */
  mode?: number;
}

export interface Journal {
  version: 1;
  owner: ProcessId;
  title: string;
  /** Folders the run creates, outermost first (repo-relative). */
  dirs: string[];
  /** Folders the run removes once its removals leave them empty, innermost first. */
  emptied?: string[];
  files: JournalFile[];
}

/** `<target>.<pid>.gen-tmp`: the pid says whose it is, for the cleanup of dead runs' files. */
export function tempFor(path: string, pid = process.pid): string {
  return `${path}.${pid}${TEMP_SUFFIX}`;
}

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Writes a whole file and flushes it to disk before returning. */
export function writeDurably(path: string, text: string, flag = "w"): void {
  const fd = openSync(path, flag);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    throw withPath(error, path);
  } finally {
    closeSync(fd);
  }
}

/** Errors of calls on a file descriptor (write, fsync) name no path: give them `path`. */
export function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) Object.assign(error, { path });
  return error;
}

/** Flushes a folder's entries (new names, renames) to disk. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some systems cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Puts the journal in place atomically (temp file, fsync, rename). */
export function writeJournal(root: string, journal: Journal): void {
  const path = join(root, JOURNAL_FILE);
  const temp = tempFor(path);
  try {
    writeDurably(temp, JSON.stringify(journal, null, 1) + "\n");
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(root);
}

export function removeJournal(root: string): void {
  rmSync(join(root, JOURNAL_FILE), { force: true });
}

export function journalPending(root: string): boolean {
  return existsSync(join(root, JOURNAL_FILE));
}

function readJournal(root: string): Journal | undefined {
  const path = join(root, JOURNAL_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    journal = undefined;
  }
  if (!isJournal(journal)) {
    throw new GenError(
      `${JOURNAL_FILE} records an interrupted pnpm gen run but cannot be read: check the files it names (git status, git diff), then delete it and run again.`,
    );
  }
  return journal;
}

function isJournal(j: Journal | undefined): j is Journal {
  return (
    typeof j === "object" &&
    j !== null &&
    j.version === 1 &&
    isProcessId(j.owner) &&
    typeof j.title === "string" &&
    Array.isArray(j.dirs) &&
    j.dirs.every((d) => typeof d === "string") &&
    (j.emptied === undefined || (Array.isArray(j.emptied) && j.emptied.every((d) => typeof d === "string"))) &&
    Array.isArray(j.files) &&
    j.files.every(
      (f) =>
        typeof f.path === "string" &&
        typeof f.temp === "string" &&
        (f.before === null || typeof f.before === "string") &&
        (f.after === null ? typeof f.before === "string" : typeof f.after === "string") &&
        (f.mode === undefined || typeof f.mode === "number"),
    )
  );
}

export interface UndoResult {
  restored: number;
  removedTemps: number;
  removedDirs: string[];
  /** Targets holding neither their old nor their new content (edited since): left alone. */
  leftAlone: string[];
}

/**
 * Undoes a journaled run: safe to repeat, and to run after a partial undo.
 * A restore is itself a temp file and a rename, so a kill during it leaves
 * the journal for the next run to finish the job.
 */
export function undoJournal(root: string, journal: Journal): UndoResult {
  const result: UndoResult = { restored: 0, removedTemps: 0, removedDirs: [], leftAlone: [] };
  for (const file of [...journal.files].reverse()) {
    const target = join(root, file.path);
    const temp = join(root, file.temp);
    if (existsSync(temp)) {
      rmSync(temp, { force: true });
      result.removedTemps++;
    }
    const now = readOrUndefined(target);
    if (file.after === null) {
      // A removal: give the file back when it is gone, through the temp name as below.
      if (now === undefined) {
        mkdirSync(dirname(target), { recursive: true });
        writeDurably(temp, file.before!);
        if (file.mode !== undefined) chmodSync(temp, file.mode);
        renameSync(temp, target);
        result.restored++;
      } else if (now !== file.before) {
        result.leftAlone.push(file.path);
      }
      continue;
    }
    if (now !== undefined && hashText(now) === file.after) {
      if (file.before === null) rmSync(target, { force: true });
      else {
        // Through the journaled temp name: a kill here leaves a file the next undo removes.
        writeDurably(temp, file.before);
        renameSync(temp, target);
      }
      result.restored++;
    } else if (now !== (file.before ?? undefined)) {
      result.leftAlone.push(file.path);
    }
  }
  for (const dir of [...journal.dirs].reverse()) {
    const abs = join(root, dir);
    if (existsSync(abs) && readdirSync(abs).length === 0) {
      rmdirSync(abs);
      result.removedDirs.push(dir);
    }
  }
  for (const dir of new Set(journal.files.map((f) => dirname(join(root, f.path))))) if (existsSync(dir)) syncDir(dir);
  return result;
}

/** Whether every target holds its new content and no temp file is left: the run finished. */
function finished(root: string, journal: Journal): boolean {
  return (
    journal.files.every((f) => {
      const now = readOrUndefined(join(root, f.path));
      if (existsSync(join(root, f.temp))) return false;
      return f.after === null ? now === undefined : now !== undefined && hashText(now) === f.after;
    }) && (journal.emptied ?? []).every((d) => !existsSync(join(root, d)))
  );
}

/**
 * Settles a run that was interrupted while writing (call with the lock held):
 * undone, or kept when it had finished. Returns a note for the user, if any.
 */
export function settleInterrupted(root: string): string | undefined {
  const journal = readJournal(root);
  if (journal === undefined) return undefined;
  if (!sameProcess(journal.owner, thisProcess()) && isRunning(journal.owner)) {
    throw new GenError(
      `${JOURNAL_FILE} belongs to a pnpm gen run that is still going (pid ${journal.owner.pid}): let it finish and run again.`,
    );
  }
  if (finished(root, journal)) {
    removeJournal(root);
    return undefined;
  }
  const undone = undoJournal(root, journal);
  removeJournal(root);
  return undoNote(journal, undone);
}

function undoNote(journal: Journal, undone: UndoResult): string | undefined {
  const leftAlone =
    undone.leftAlone.length > 0
      ? ` ${undone.leftAlone.join(", ")} changed since and ${undone.leftAlone.length === 1 ? "was" : "were"} left as ${undone.leftAlone.length === 1 ? "it is" : "they are"}: check ${undone.leftAlone.length === 1 ? "it" : "them"} (git diff).`
      : "";
  if (undone.restored === 0) {
    // Nothing had been renamed yet: the run only left temp files (and folders).
    if (undone.removedTemps > 0) return `note: removed ${undone.removedTemps} temp file(s) an interrupted run left behind.${leftAlone}`;
    if (undone.removedDirs.length > 0) return `note: removed the empty folder(s) ${undone.removedDirs.join(", ")} an interrupted run left behind.${leftAlone}`;
    return leftAlone === "" ? undefined : `note: an interrupted run (${journal.title}) was undone.${leftAlone}`;
  }
  return `note: undid an interrupted run (${journal.title}): ${undone.restored} file(s) it had already changed are back as they were, ${undone.removedTemps} temp file(s) removed; run it again if you still want it.${leftAlone}`;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
