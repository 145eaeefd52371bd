// Helpers for the tests where separate processes are the point: runs in
// parallel, runs killed at a given step, locks held by another process.
import { spawn } from "node:child_process";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { processStart } from "../src/write/process-id.js";
import { binFor } from "./helpers.js";

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `pnpm gen …` as its own process (no TTY), in `cwd`; resolves when it exits. */
export function genProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binFor(env), ...args], {
      cwd,
      env: { ...process.env, INIT_CWD: cwd, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The pid of a process that has exited (and whose pid nobody holds now). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise((r) => child.on("close", r));
  return pid;
}

/** This process's start time as /proc gives it (null without /proc). */
export const startOf = processStart;

/** The content of a `.gen.lock` naming `pid` as its holder. */
export function lockContent(pid: number, start: string | null = startOf(pid), command = "gen host held-by-test"): string {
  return JSON.stringify({ pid, start, host: hostname(), command, since: new Date().toISOString() }) + "\n";
}

/** Every file and folder below `dir`: its mode bits, and a file's bytes (minus `skip`). */
export function snapshot(dir: string, skip: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const rel = relative(dir, abs);
      if (skip.includes(rel)) continue;
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[rel + "/"] = mode;
        walk(abs);
      } else out[rel] = `${mode} ${readFileSync(abs).toString("base64")}`;
    }
  };
  walk(dir);
  return out;
}

/** Files a run leaves only while it works or when killed: temp files, the lock, the journal. */
export function workFiles(dir: string): string[] {
  return Object.keys(snapshot(dir)).filter((p) => /\.gen-tmp$|(^|\/)\.gen\.lock|(^|\/)\.gen-journal\.json$/.test(p));
}
