// What one `pnpm gen` run pays for taking turns and for surviving a kill:
// the repository lock, the settling check every run does first, and the
// journaled write against a bare one (temp files + renames, no journal, no
// fsync: how the generators wrote before). Timed in this process on copies
// of the starter, plus 6 parallel runs against the same 6 one after another.
// bench/run.mjs calls lockJournal(); alone: node bench/lock-journal.mjs.
import { spawn } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const GEN = join(ROOT, "packages", "generators", "bin", "gen.mjs");
import { load } from "./generators.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`);

/** Median time of `body` over `n` calls, each after `setup` (untimed). */
async function time(n, setup, body) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const state = await setup(i);
    const t0 = performance.now();
    await body(state, i);
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

function genProcess(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [GEN, ...args], { cwd, env: { ...process.env, INIT_CWD: cwd }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/**
 * The markdown section. `flakeCopy()` gives a fresh copy of the starter;
 * `runs` sets how many samples (each figure is a median of runs × 5 calls).
 */
export async function lockJournal({ runs, flakeCopy, log = () => {} }) {
  const { lockRepo, settleRepo, planFor, applyPlan, writeJournal, removeJournal, hashText, tempFor, journalPending, thisProcess, withDefaults, REGISTRY } =
    await load("generators", "./internals");
  const host = await REGISTRY.host();
  const n = runs * 5;
  log(`lock and journal: ${n} samples each, then 6 parallel runs`);

  const base = flakeCopy();
  const lock = await time(n, () => null, async () => (await lockRepo(base, { command: "bench" })).release());

  const quiet = () => {};
  const settleSmall = await time(n, () => null, () => settleRepo(base, quiet));
  const big = flakeCopy();
  for (let i = 1; i <= 200; i++) {
    mkdirSync(join(big, "hosts", `h${i}`, "home"), { recursive: true });
    for (const f of ["configuration.nix", "hardware-configuration.nix", "home/a.nix"]) writeFileSync(join(big, "hosts", `h${i}`, f), "{ }\n");
  }
  const settleBig = await time(n, () => null, () => settleRepo(big, quiet));

  const planIn = (dir, i) => planFor(host, withDefaults(host.spec, { name: `b${i}`, users: ["a"] }), dir);
  const journalOf = (plan) => ({
    version: 1,
    owner: thisProcess(),
    title: plan.title,
    dirs: [],
    files: plan.changes.map((c) => ({ path: c.path, temp: tempFor(c.path), before: c.before, after: hashText(c.after) })),
  });
  const journal = await time(
    n,
    (i) => journalOf(planIn(base, i)),
    (j) => {
      writeJournal(base, j);
      removeJournal(base);
    },
  );

  // Each sample adds a new host to a fresh copy (copies are made untimed).
  const fresh = (i) => {
    const dir = flakeCopy();
    return { dir, plan: planIn(dir, i) };
  };
  const journaled = await time(n, fresh, ({ dir, plan }) => applyPlan(plan, dir));
  const bare = await time(n, fresh, ({ dir, plan }) => {
    for (const c of plan.changes) mkdirSync(dirname(join(dir, c.path)), { recursive: true });
    for (const c of plan.changes) writeFileSync(join(dir, tempFor(c.path)), c.after);
    for (const c of plan.changes) renameSync(join(dir, tempFor(c.path)), join(dir, c.path));
  });
  if (journalPending(base)) throw new Error("bench: a journal was left behind");

  // 6 runs at once on one repository take turns; the same 6 one after another.
  // One run first, so that a stale dist/ is rebuilt before (not during) the timing.
  const warm = flakeCopy();
  await genProcess(["host", "w0", "--root", warm], warm);
  const names = (tag) => Array.from({ length: 6 }, (_, i) => `${tag}${i + 1}`);
  const parDir = flakeCopy();
  const t0 = performance.now();
  const par = await Promise.all(names("p").map((h) => genProcess(["host", h, "--root", parDir], parDir)));
  const parallel = performance.now() - t0;
  const seqDir = flakeCopy();
  const t1 = performance.now();
  const seq = [];
  for (const h of names("s")) seq.push(await genProcess(["host", h, "--root", seqDir], seqDir));
  const serial = performance.now() - t1;
  const failed = [...par, ...seq].find((r) => r.code !== 0);
  if (failed) throw new Error(`bench: a gen host run failed:\n${failed.stderr}`);

  const perRun = lock + settleSmall + (journaled - bare);
  return [
    "## Lock and journal",
    "",
    `What each run pays to take turns with other runs (.gen.lock) and to be undone cleanly after a kill (.gen-journal.json): medians of ${n} calls in one process, on copies of the starter. The journaled write is what \`gen host\` does now (journal with the old contents, temp files and journal flushed with fsync, then the renames); the bare write is temp files and renames only, as before.`,
    "",
    "| Step | Median |",
    "| --- | ---: |",
    `| Taking and releasing the lock (nobody else waiting) | ${fmt(lock)} |`,
    `| Settling check at the start of a run (no journal, no dead run's temp file), starter | ${fmt(settleSmall)} |`,
    `| The same with 201 hosts (it looks for dead runs' temp files in hosts/ and nix/, as the cleanup before it did) | ${fmt(settleBig)} |`,
    `| Writing and removing the journal of a \`gen host\` plan | ${fmt(journal)} |`,
    `| Journaled write of \`gen host\`'s 4 files | ${fmt(journaled)} |`,
    `| Bare write of the same 4 files | ${fmt(bare)} |`,
    `| **Cost per run**: lock + settling check + (journaled − bare write) | **${fmt(perRun)}** |`,
    "",
    `6 \`gen host\` runs started together on one repository: all 6 done in ${fmt(parallel)}; the same 6 one after another: ${fmt(serial)}. They take turns for the plan, the Nix check and the write; Node start-up and loading overlap.`,
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { cpSync, mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const made = [];
  process.on("exit", () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const starter = join(ROOT, "packages", "generators", "fixtures", "starter");
  const flakeCopy = () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-lock-"));
    made.push(dir);
    cpSync(starter, dir, { recursive: true });
    return dir;
  };
  process.stdout.write(await lockJournal({ runs: Number(process.argv[2] ?? 5), flakeCopy, log: (l) => process.stderr.write(l + "\n") }));
}
