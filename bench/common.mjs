// What the bench sections share: temp copies of the starter, timed child
// runs (wall and CPU), medians and Markdown tables. Every function here is
// called by bench/run.mjs's sections (single.mjs, scale.mjs, startup.mjs, turbo.mjs).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "./generators.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const GEN = join(ROOT, "packages", "generators", "bin", "gen.mjs");
// The frozen starter every measurement starts from (never the fork's own files, which grow).
const { STARTER_DIR } = await load("generators", ".");
const { procStatField } = await load("generators", "./internals");

export function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
export const log = (line) => process.stderr.write(line + "\n");
const temps = [];
process.on("exit", () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  temps.push(dir);
  return dir;
}

/** A fresh copy of the starter (flake.nix, hosts/, modules/, nix/). */
export function flakeCopy() {
  const dir = tempDir("flake");
  cpSync(STARTER_DIR, dir, { recursive: true });
  return dir;
}

/**
 * CPU time (user + system, ms) of the children this process has waited for,
 * from /proc/self/stat (cutime + cstime, in clock ticks of 10 ms). It counts
 * a child's own children too (gen's nix-instantiate), and unlike wall time it
 * hardly moves when other work shares the cores. null where there is no /proc.
 */
export function childrenCpu() {
  // Fields 16 and 17 of stat(5), read as the lock reads a process's start time.
  const [cutime, cstime] = [procStatField("self", 16), procStatField("self", 17)];
  return cutime === null || cstime === null ? null : (Number(cutime) + Number(cstime)) * 10;
}

/** Runs a command without a terminal; returns its wall time and CPU time in ms. */
export function timed(cmd, args, options = {}) {
  const cpu0 = childrenCpu();
  const start = process.hrtime.bigint();
  const run = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu1 = childrenCpu();
  return { ms, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "", error: run.error };
}

export function mustSucceed(what, run) {
  if (run.status !== 0) {
    fail(`${what} failed (exit ${run.status ?? run.error?.message}):\n${(run.stderr || run.stdout).trim()}`);
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const ms = (x) => `${Math.round(x)} ms`;
export const sec = (x) => `${(x / 1000).toFixed(1)} s`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

export function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `| ${head.map((h, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function plopBin() {
  // The plop CLI itself (what node_modules/.bin/plop execs), run with node
  // directly like gen.mjs, so neither side pays for a shell wrapper.
  const pkg = join(ROOT, "packages", "generators", "node_modules", "plop");
  const bin = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).bin;
  return join(pkg, typeof bin === "string" ? bin : bin.plop);
}

/**
 * One gen run. A run that rebuilt dist first (src changed under us) is not
 * a fair sample: it is discarded. So is a run that failed before writing
 * anything while dist was being rebuilt by someone else; it is tried again.
 */
export function genRun(args, check) {
  let run = timed(process.execPath, [GEN, ...args]);
  for (let retry = 0; run.status !== 0 && /SyntaxError|ERR_MODULE_NOT_FOUND|building the generators/.test(run.stderr) && retry < 3; retry++) {
    log("  (gen failed to load while dist was being rebuilt: tried again)");
    spawnSync("sleep", ["2"]);
    run = timed(process.execPath, [GEN, ...args]);
    if (run.status === 0) {
      mustSucceed(`gen ${args.join(" ")}`, run);
      if (!check()) fail(`gen ${args.join(" ")} exited 0 but did not write what it should`);
      return null;
    }
  }
  mustSucceed(`gen ${args.join(" ")}`, run);
  if (!check()) fail(`gen ${args.join(" ")} exited 0 but did not write what it should`);
  if (!run.stderr.includes("building the generators")) return run;
  log("  (gen rebuilt its dist first: sample discarded)");
  return null;
}
