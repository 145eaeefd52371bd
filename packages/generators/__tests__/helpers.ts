// Fixtures shared by the generator tests: the frozen starter (never the
// working tree, which is the fork owner's data), temp copies of it on disk,
// and a byte-exact tree snapshot.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, afterEach } from "vitest";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Plan, main, starterFiles } from "../src/index.js";
import type { MainOptions } from "../src/cli/main.js";
export { starterFiles };

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const GEN_BIN = join(REPO_ROOT, "packages", "generators", "bin", "gen.mjs");
/** The CLI with the test hooks (STARTER_GEN_CRASH_AT, _FAIL_AT, _PAUSE_MS) honoured; GEN_BIN ignores them. */
export const GEN_TEST_BIN = join(REPO_ROOT, "packages", "generators", "__tests__", "gen-test.mjs");

const HOOK_VARS = ["STARTER_GEN_CRASH_AT", "STARTER_GEN_FAIL_AT", "STARTER_GEN_PAUSE_MS", "STARTER_GEN_PAUSE_AT"];
/** The bin a spawned run needs: the test entry when `env` asks for a hook. */
export const binFor = (env: NodeJS.ProcessEnv): string => (Object.keys(env).some((k) => HOOK_VARS.includes(k)) ? GEN_TEST_BIN : GEN_BIN);

/** Every file below `dir` as repo-relative path → content. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, "utf8");
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}


/** Writes `files` into a fresh temp dir and returns its path. */
export function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gen-test-"));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function removeRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * For a test file: a function that writes `files` (the starter unless told
 * otherwise) into a temp dir, each removed after the test that made it; or,
 * with `until: "all"` (for concurrent tests, which end while others still
 * run), after the file's last test.
 */
export function starterRepos({ until = "each" }: { until?: "each" | "all" } = {}): (files?: Record<string, string>) => string {
  const dirs: string[] = [];
  (until === "all" ? afterAll : afterEach)(() => dirs.splice(0).forEach(removeRepo));
  return (files = starterFiles()) => {
    const dir = makeRepo(files);
    dirs.push(dir);
    return dir;
  };
}

/** Runs `body` with process.env extended by `env` (the CLI's test hooks read it at run time), then restores it. */
export async function withEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `files` with a plan's changes applied, in memory. */
export function applyInMemory(files: Record<string, string>, plan: Plan): Record<string, string> {
  const out = { ...files };
  for (const change of plan.changes) {
    if (change.after === null) delete out[change.path];
    else out[change.path] = change.after;
  }
  return out;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The spawned CLI's pid (runCli only). */
  pid?: number;
}

/**
 * Runs the CLI's main() in this process, the way a script meets it (no TTY),
 * in `cwd`: what it prints to stdout and stderr, and its exit code. Spawning
 * Node is for the tests where a TTY or a signal is the point.
 */
export async function runMain(args: string[], cwd: string, options: MainOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t + "\n"), err: (t) => (stderr += t + "\n"), interactive: false, cwd }, options);
  return { code, stdout, stderr };
}

/** Runs `pnpm gen` the way a script would, as its own process: no TTY, in `cwd`. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const run = spawnSync(process.execPath, [binFor(env), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: cwd, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, pid: run.pid };
}
