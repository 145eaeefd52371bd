// `pnpm bench`: measures the generators end to end and writes the results to
// bench/results.md (the docs' Performance page shows that file). See
// bench/README.md for what each figure means.
//
//   pnpm bench                       everything (a few minutes on 2 cores)
//   pnpm bench -- --quick            fewer runs and hosts, no Turborepo runs (about a minute)
//   pnpm bench -- --only single,scale  pick sections: single, scale, lock, turbo, suite
//                                    (suite: a cold `pnpm test` in a fresh clone, bench/suite.mjs)
//   pnpm bench -- --runs 15 --hosts 100 --no-write
//
// The same through the environment: BENCH_QUICK=1, BENCH_ONLY, BENCH_RUNS,
// BENCH_HOSTS. Nothing here is a test: figures depend on the machine.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { load } from "./generators.mjs";
import { lockJournal } from "./lock-journal.mjs";
import { suite } from "./suite.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const GEN = join(ROOT, "packages", "generators", "bin", "gen.mjs");
const PLOPFILE = join(ROOT, "bench", "baseline", "plopfile.js");
const RESULTS = join(ROOT, "bench", "results.md");
const nixCheck = await load("nix-check", ".");
const { checkFork, evalFlakeStructure } = nixCheck;
// The frozen starter every measurement starts from (never the fork's own files, which grow).
const { STARTER_DIR } = await load("generators", ".");

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2).filter((a) => a !== "--");
const { values: opts } = parseArgs({
  args: argv,
  options: {
    quick: { type: "boolean", default: process.env.BENCH_QUICK === "1" },
    only: { type: "string", default: process.env.BENCH_ONLY },
    runs: { type: "string", default: process.env.BENCH_RUNS },
    hosts: { type: "string", default: process.env.BENCH_HOSTS },
    warmup: { type: "string", default: process.env.BENCH_WARMUP },
    "no-write": { type: "boolean", default: false },
  },
});
// --quick leaves out the Turborepo runs (a cold `pnpm test` alone takes a minute or more).
const sections = new Set((opts.only ?? (opts.quick ? "single,scale,lock" : "single,scale,lock,turbo,suite")).split(",").map((s) => s.trim()));
for (const s of sections) if (!["single", "scale", "lock", "turbo", "suite"].includes(s)) fail(`unknown section ${JSON.stringify(s)}: use single, scale, lock, turbo or suite`);
const RUNS = positiveInt(opts.runs, opts.quick ? 5 : 11);
const WARMUP = positiveInt(opts.warmup, opts.quick ? 1 : 2, true);
const HOSTS = positiveInt(opts.hosts, opts.quick ? 40 : 200);

function positiveInt(value, fallback, zeroOk = false) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) fail(`expected a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- helpers

const log = (line) => process.stderr.write(line + "\n");
const temps = [];
process.on("exit", () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  temps.push(dir);
  return dir;
}

/** A fresh copy of the starter (flake.nix, hosts/, modules/, nix/). */
function flakeCopy() {
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
function childrenCpu() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of stat(5); fields[0] here is field 3.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

/** Runs a command without a terminal; returns its wall time and CPU time in ms. */
function timed(cmd, args, options = {}) {
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

function mustSucceed(what, run) {
  if (run.status !== 0) {
    fail(`${what} failed (exit ${run.status ?? run.error?.message}):\n${(run.stderr || run.stdout).trim()}`);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (x) => `${Math.round(x)} ms`;
const sec = (x) => `${(x / 1000).toFixed(1)} s`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `| ${head.map((h, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function plopBin() {
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
function genRun(args, check) {
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

// ---------------------------------------------------------------- sections

const out = [];
const env = environment();
out.push(`_${env}_`, "");

function environment() {
  const nix = spawnSync("nix-instantiate", ["--version"], { encoding: "utf8" }).stdout?.trim() || "Nix not found";
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout?.trim() || "unknown";
  const cpu = cpus();
  const mode = opts.quick ? ", quick mode" : "";
  return `Measured ${new Date().toISOString().slice(0, 10)} at commit ${commit}: Node ${process.versions.node}, ${nix}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"}${mode}.`;
}

if (sections.has("single")) single();
if (sections.has("scale")) scale();
if (sections.has("lock")) out.push(await lockJournal({ runs: RUNS, flakeCopy, log }));
if (sections.has("turbo")) turbo();
if (sections.has("suite")) out.push(suite({ log }));

const markdown = out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
process.stdout.write("\n" + markdown);
if (!opts["no-write"]) {
  writeFileSync(RESULTS, markdown);
  log(`bench: wrote ${RESULTS.slice(ROOT.length + 1)}`);
}

/** gen host / gen user against a one-file Plop generator, and where gen's time goes. */
function single() {
  log(`single runs: ${WARMUP} warm-up + ${RUNS} measured, each on a fresh copy`);
  const plop = plopBin();
  const cases = {
    plop: () => {
      const dest = tempDir("plop");
      const run = timed(process.execPath, [plop, "--plopfile", PLOPFILE, "--dest", dest, "one", "bench"]);
      mustSucceed("plop", run);
      // Plop exits 0 even when the plopfile fails to load: check the file.
      const file = join(dest, "bench.nix");
      if (!existsSync(file) || readFileSync(file, "utf8") !== '{ name = "bench"; }\n') fail(`plop exited 0 but did not write bench.nix:\n${run.stdout}${run.stderr}`);
      return run;
    },
    host: () => {
      const dir = flakeCopy();
      return genRun(["host", "bench1", "--root", dir], () => existsSync(join(dir, "hosts", "bench1", "configuration.nix")));
    },
    user: () => {
      const dir = flakeCopy();
      return genRun(["user", "bob", "--host", "example", "--root", dir], () => existsSync(join(dir, "hosts", "example", "home", "bob.nix")));
    },
    boot: () => timed(process.execPath, ["-e", "0"]),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const order = Object.keys(cases);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // Rotate the order so no case always runs right after the same one.
    for (let j = 0; j < order.length; j++) {
      const name = order[(i + j) % order.length];
      const run = cases[name]();
      if (i >= WARMUP && run !== null) samples[name].push(run);
    }
  }
  const wall = (k) => median(samples[k].map((r) => r.ms));
  const cpu = (k) => (samples[k].some((r) => r.cpu === null) ? null : median(samples[k].map((r) => r.cpu)));
  const m = Object.fromEntries(order.map((k) => [k, wall(k)]));
  const c = Object.fromEntries(order.map((k) => [k, cpu(k)]));
  const spread = (k) => `${ms(Math.min(...samples[k].map((r) => r.ms)))} – ${ms(Math.max(...samples[k].map((r) => r.ms)))}`;
  const row = (label, k) => [label, ms(m[k]), spread(k), ratio(m[k], m.plop), c[k] === null ? "n/a" : ms(c[k]), c[k] === null ? "n/a" : ratio(c[k], c.plop)];
  out.push(
    "## One generator run",
    "",
    `Wall time of one run without a terminal: median and range of ${RUNS} runs after ${WARMUP} warm-up, each from a fresh copy of the starter. The baseline is Plop running a one-file generator (bench/baseline/plopfile.js: one add action, a one-line template) in the same repository. Target: gen at most 1.2× the baseline's wall time. CPU is user + system time of the process and its children (gen's nix-instantiate included); it moves much less than wall time when something else shares the cores.`,
    "",
    table(
      ["Command", "Wall", "Range", "vs Plop", "CPU", "vs Plop"],
      [
        row("Plop baseline: `plop one bench` (1 file)", "plop"),
        row("`pnpm gen host bench1` (3 files, Nix-checked)", "host"),
        row("`pnpm gen user bob --host example` (2 files, Nix-checked)", "user"),
        row("`node -e 0` (Node start-up, paid by all three)", "boot"),
      ],
    ),
    "",
    `Target ${Math.max(m.host, m.user) / m.plop <= 1.2 ? "met" : "missed"}: gen host takes ${ratio(m.host, m.plop)} and gen user ${ratio(m.user, m.plop)} the baseline's wall time (at most 1.20× wanted).`,
    "",
  );

  // Where gen host's time goes, phase by phase, in one process.
  const phases = { load: [], plan: [], probe: [], check: [], write: [] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const dir = flakeCopy();
    const run = timed(process.execPath, [join(ROOT, "bench", "breakdown.mjs"), dir, "bench1"]);
    mustSucceed("bench/breakdown.mjs", run);
    const r = JSON.parse(run.stdout);
    if (i >= WARMUP) for (const k of Object.keys(phases)) phases[k].push(r[k]);
  }
  const p = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)]));
  out.push(
    "### Where `gen host` spends its time",
    "",
    `Medians of ${RUNS} runs of bench/breakdown.mjs, which does what the CLI does, phase by phase, in one process.`,
    "",
    table(
      ["Phase", "Median"],
      [
        ["Node start-up (`node -e 0`, above)", ms(m.boot)],
        ["Loading the CLI's modules (cli.js, run.js and their imports)", ms(p.load)],
        ["Planning (reads the repo; the first render loads Handlebars and compiles the templates)", ms(p.plan)],
        ["Finding Nix (`nixAvailable()`)", ms(p.probe)],
        ["Checking: one `nix-instantiate --parse` of every planned .nix file", ms(p.check)],
        ["Writing (temp files, then renames)", ms(p.write)],
      ],
    ),
    "",
  );
}

/** 200 hosts with 2 users each, added one CLI run at a time. */
function scale() {
  log(`scale: adding ${HOSTS} hosts with 2 users each`);
  const dir = flakeCopy();
  const times = [];
  const pad = String(HOSTS).length;
  for (let i = 1; i <= HOSTS; i++) {
    const name = `h${String(i).padStart(pad, "0")}`;
    const run = genRun(["host", name, "--user", "a", "--user", "b", "--root", dir], () => existsSync(join(dir, "hosts", name, "home", "b.nix")));
    times.push(run);
    if (i % 50 === 0) log(`  ${i} hosts`);
  }
  const flake = readFileSync(join(dir, "flake.nix"), "utf8");
  const lines = flake.split("\n").length - (flake.endsWith("\n") ? 1 : 0);
  const valid = (xs) => xs.filter((x) => x !== null);
  const fmt = (runs) => {
    const v = valid(runs);
    if (v.length === 0) return "n/a";
    const cpus = v.map((r) => r.cpu);
    return `${ms(median(v.map((r) => r.ms)))}${cpus.includes(null) ? "" : ` (CPU ${ms(median(cpus))})`}`;
  };
  const nth = (n) => fmt([times[n - 1] ?? null]);
  const first10 = median(valid(times.slice(0, 10)).map((r) => r.ms));
  const last10 = median(valid(times.slice(-10)).map((r) => r.ms));
  const mid = Math.max(1, Math.round(HOSTS / 2));

  // Single adds above are exposed to whatever else the machine does during the
  // minute the loop takes. So also: the same add on the starter and on
  // a copy of the grown one, taking turns, in the same few seconds.
  log(`scale: the same add at 1 host and at ${HOSTS + 1} hosts, taking turns`);
  // All copies are made first: copying a thousand files right before a run
  // would leave the disk busy during that run.
  const copies = Array.from({ length: WARMUP + RUNS }, () => {
    const big = tempDir("grown");
    cpSync(dir, big, { recursive: true });
    return { small: flakeCopy(), big };
  });
  spawnSync("sync");
  const pair = { small: [], big: [] };
  copies.forEach((copy, i) => {
    for (const size of i % 2 ? ["big", "small"] : ["small", "big"]) {
      const root = copy[size];
      const run = genRun(["host", "zz", "--user", "a", "--user", "b", "--root", root], () => existsSync(join(root, "hosts", "zz", "home", "b.nix")));
      if (i >= WARMUP && run !== null) pair[size].push(run);
    }
  });
  for (const copy of copies) for (const d of Object.values(copy)) rmSync(d, { recursive: true, force: true });

  log("scale: nix eval of the whole flake with stub inputs");
  const start = process.hrtime.bigint();
  const structure = evalFlakeStructure(dir);
  const evalMs = Number(process.hrtime.bigint() - start) / 1e6;
  const hostNames = Object.keys(structure.hosts);
  const expected = HOSTS + 1;
  const complete = Object.entries(structure.hosts)
    .filter(([n]) => n !== "example")
    .every(([, h]) => h.users.includes("a") && h.users.includes("b") && Object.keys(h.homeUsers).join() === "a,b");
  if (hostNames.length !== expected || !complete) {
    fail(`the ${HOSTS}-host flake evaluates to ${hostNames.length} hosts (expected ${expected}), users complete: ${complete}`);
  }

  // The fork check `pnpm test` runs on a fork: on the starter and on the grown
  // flake, taking turns, so both see the same machine.
  log(`scale: the fork check at 1 host and at ${HOSTS + 1} hosts, taking turns`);
  const starter = flakeCopy();
  const forkRuns = { small: [], big: [] };
  for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 3)); i++) {
    for (const size of i % 2 ? ["big", "small"] : ["small", "big"]) {
      const t0 = process.hrtime.bigint();
      const report = checkFork(size === "big" ? dir : starter);
      forkRuns[size].push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (report.problems.length > 0) fail(`the fork check found problems in the ${size} flake: ${report.problems.map((p) => `${p.file}: ${p.reason}`).join("; ")}`);
      if (size === "big" && Object.keys(report.entries.nixosConfigurations).length !== HOSTS + 1) fail("the fork check missed hosts of the grown flake");
    }
  }
  const forkSmall = median(forkRuns.small);
  const forkBig = median(forkRuns.big);

  out.push(
    `## ${HOSTS} hosts`,
    "",
    `From the starter, \`pnpm gen host hNNN --user a --user b\` ${HOSTS} times in a row (each run creates 4 files and edits flake.nix). The time of an add should stay flat as the repository grows. Times are wall (CPU). The loop takes a minute or more, so single adds and the first-10/last-10 medians also show whatever else the machine did meanwhile; the row that runs the same add at 1 host and at ${HOSTS + 1} hosts, taking turns, is the steadier measure of growth.`,
    "",
    table(
      ["Measure", "Value"],
      [
        ["1st add", nth(1)],
        [`${ordinal(mid)} add`, nth(mid)],
        [`${ordinal(HOSTS)} add`, nth(HOSTS)],
        ["Median of the first 10 adds", fmt(times.slice(0, 10))],
        ["Median of the last 10 adds", `${fmt(times.slice(-10))}: ${ratio(last10, first10)} the first 10`],
        [`All ${HOSTS} adds`, sec(valid(times).reduce((a, r) => a + r.ms, 0))],
        [`The same add at 1 host / at ${HOSTS + 1} hosts, taking turns (median of ${RUNS} each)`, `${fmt(pair.small)} / ${fmt(pair.big)}: ${ratio(median(pair.big.map((r) => r.ms)), median(pair.small.map((r) => r.ms)))}`],
        ["flake.nix afterwards", `${flake.length.toLocaleString("en")} bytes, ${lines} lines`],
        [`\`nix eval\` of all hosts and homes, stub inputs (evalFlakeStructure)`, `${sec(evalMs)}: ${hostNames.length} hosts, each with its users`],
        [
          `The fork check (\`checkFork\`: parse every .nix file, evaluate every host and home) at 1 host / at ${HOSTS + 1} hosts × 2 users (median of ${forkRuns.small.length} each, taking turns)`,
          `${ms(forkSmall)} / ${ms(forkBig)}: ${ratio(forkBig, forkSmall)}`,
        ],
      ],
    ),
    "",
  );
}

function ordinal(n) {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${s}`;
}

/** pnpm test and the docs build through Turborepo, without and with its cache. */
function turbo() {
  const envTurbo = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", TURBO_NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
  const runs = [
    ["`pnpm test` (typecheck, lint, test)", ["test"]],
    ["`pnpm turbo run build --filter=@starter/docs`", ["turbo", "run", "build", "--filter=@starter/docs"]],
  ];
  const rows = [];
  let coldTest;
  for (const [label, args] of runs) {
    for (const force of [true, false]) {
      log(`turbo: pnpm ${args.join(" ")}${force ? " --force" : ""}`);
      const run = timed("pnpm", [...args, ...(force ? ["--force"] : [])], { env: envTurbo });
      if (force && args[0] === "test") coldTest = run.ms;
      const text = run.stdout + run.stderr;
      const tasks = /Tasks:\s+(\d+) successful, (\d+) total/.exec(text);
      const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(text);
      const failed = /Failed:\s+(.+)/.exec(text)?.[1]?.trim();
      if (run.status !== 0) log(text.split("\n").slice(-30).join("\n"));
      const outcome = tasks ? `${tasks[1]}/${tasks[2]} ok` : run.status === 0 ? "ok" : "";
      rows.push([
        label,
        force ? "cold (`--force`)" : "cached",
        sec(run.ms),
        run.status === 0 ? outcome : `${outcome} FAILED${failed ? `: ${failed}` : ` (exit ${run.status})`}`.trim(),
        cached ? `${cached[1]}/${cached[2]}` : "?",
      ]);
    }
  }
  out.push(
    "## Turborepo",
    "",
    "Wall time of each command at the root: cold ignores Turborepo's cache (`--force`: every task runs, though tools keep their own caches, such as Docusaurus' Rspack cache in node_modules/.cache), cached runs it again right after with nothing changed.",
    "",
    table(["Command", "Cache", "Time", "Tasks", "From cache"], rows),
    "",
    coldTest === undefined ? "" : `Target ${coldTest <= 40_000 ? "met" : "missed"}: a cold \`pnpm test\` took ${sec(coldTest)} (at most 40 s wanted on 2 cores).`,
    "",
  );
}
