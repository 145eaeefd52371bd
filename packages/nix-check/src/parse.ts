import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { NixMissingError, nixAvailable, withoutNixWarnings } from "./nix-bin.js";

// The one entry (`@starter/nix-check/parse`) a generator run needs: it loads
// neither the flake evaluation nor the fork check.
export { nixAvailable };

export interface SourceFile {
  /** Path relative to the repository root, used in messages. */
  path: string;
  content: string;
}

/**
 * `kind` tells a file that does not parse ("parse": Nix names it) from Nix
 * failing before it read any file ("environment": it cannot open its state
 * folder as this user, cannot start, was killed...).
 */
export type ParseResult = { ok: true } | { ok: false; kind: "parse" | "environment"; path: string; message: string };

/**
 * Parses files with the real Nix parser (`nix-instantiate --parse`), all in
 * one process. The parser also rejects duplicate attributes and undefined
 * variables, so this catches more than syntax. Returns the first failure,
 * with the temp location in Nix's message replaced by the repo path.
 */
export function parseNixSources(files: readonly SourceFile[]): ParseResult {
  if (files.length === 0) return { ok: true };
  if (!nixAvailable()) throw new NixMissingError();
  sweepDeadParses();
  // The pid in the name lets a later run remove this folder if this process is killed first.
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  try {
    const paths = files.map((f) => {
      const abs = join(dir, f.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.content);
      return abs;
    });
    const result = parsePaths(paths);
    if (result.ok) return result;
    const rel = files.find((f) => join(dir, f.path) === result.path)?.path ?? result.path;
    return { ...result, path: rel, message: result.message.split(dir + "/").join("") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PREFIX = "nix-parse-";

/** Removes the temp folders of parses whose process is gone (killed mid-check): they hold only generated Nix. */
function sweepDeadParses(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(PREFIX) ? Number(/^(\d+)-/.exec(name.slice(PREFIX.length))?.[1]) : 0;
    if (!pid || pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Another user's folder: theirs to remove.
    }
  }
}

/** Whether `pid` is a live process; one of another user's (EPERM) counts as live. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Parses files on disk; `paths` may be relative to `cwd`. */
export function parseNixPaths(paths: readonly string[], cwd = process.cwd()): ParseResult {
  if (paths.length === 0) return { ok: true };
  if (!nixAvailable()) throw new NixMissingError();
  return parsePaths(paths.map((p) => resolve(cwd, p)));
}

function parsePaths(absPaths: readonly string[]): ParseResult {
  const run = spawnSync("nix-instantiate", ["--parse", ...absPaths], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status === 0) return { ok: true };
  const message =
    withoutNixWarnings(run.stderr ?? "") || run.error?.message || (run.signal ? `nix-instantiate was killed (${run.signal})` : "nix-instantiate failed");
  // Nix names the failing file in its "at FILE:LINE:COL" line; an error that
  // names none of them came before any parsing.
  const failing = absPaths.find((p) => message.includes(p + ":"));
  if (failing === undefined) return { ok: false, kind: "environment", path: absPaths[0] ?? "", message };
  return { ok: false, kind: "parse", path: failing, message };
}
