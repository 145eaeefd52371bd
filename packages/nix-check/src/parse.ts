import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { sweepDeadRuns } from "./dead-runs.js";
import { NixMissingError, nixAvailable, withoutNixWarnings } from "./nix-bin.js";
import { PARSE_PREFIX, parseWithWarm, settleWarmParser, warmNixParser } from "./warm-parse.js";

// The one entry (`@starter/nix-check/parse`) a generator run needs: it loads
// neither the flake evaluation nor the fork check.
export { nixAvailable, settleWarmParser, warmNixParser };

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
  const warmed = parseWithWarm(files);
  if (warmed !== undefined) {
    const result = resultOf(warmed.status, warmed.stderr, warmed.paths);
    // One that names no file (Nix killed, no state folder): the plain parse below says it best.
    if (result.ok || result.kind === "parse") return inRepoTerms(result, warmed.paths, files, warmed.dir);
  }
  // The pid in the name lets a later run remove this folder if this process is killed first.
  const dir = mkdtempSync(join(tmpdir(), `${PARSE_PREFIX}${process.pid}-`));
  try {
    const paths = files.map((f) => {
      const abs = join(dir, f.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.content);
      return abs;
    });
    return inRepoTerms(parsePaths(paths), paths, files, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A failure with the temp paths Nix names (any path below `dir` too) replaced by the files' repo paths. */
function inRepoTerms(result: ParseResult, absPaths: readonly string[], files: readonly SourceFile[], dir?: string): ParseResult {
  if (result.ok) return result;
  const at = absPaths.indexOf(result.path);
  const named = absPaths.reduce((m, p, i) => m.split(p).join(files[i]!.path), result.message);
  const message = dir === undefined ? named : named.split(dir + "/").join("");
  return { ...result, path: at === -1 ? result.path : files[at]!.path, message };
}

/** Removes the temp folders of parses whose process is gone (killed mid-check): they hold only generated Nix. */
function sweepDeadParses(): void {
  sweepDeadRuns(tmpdir(), (name) => (name.startsWith(PARSE_PREFIX) ? Number(/^(\d+)-/.exec(name.slice(PARSE_PREFIX.length))?.[1]) : undefined));
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
  const failure = run.error?.message ?? (run.signal ? `nix-instantiate was killed (${run.signal})` : undefined);
  return resultOf(run.status ?? -1, run.stderr ?? "", absPaths, failure);
}

function resultOf(status: number, stderr: string, absPaths: readonly string[], failure?: string): ParseResult {
  if (status === 0) return { ok: true };
  const message = withoutNixWarnings(stderr) || failure || "nix-instantiate failed";
  // Nix names the failing file in its "at FILE:LINE:COL" line; an error that
  // names none of them came before any parsing.
  const failing = absPaths.find((p) => message.includes(p + ":"));
  if (failing === undefined) return { ok: false, kind: "environment", path: absPaths[0] ?? "", message };
  return { ok: false, kind: "parse", path: failing, message };
}
