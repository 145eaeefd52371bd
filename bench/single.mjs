// The single-run section of `pnpm bench`: gen host and gen user against a
// one-file Plop generator, then where gen host's time goes (bench/breakdown.mjs).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, fail, flakeCopy, genRun, log, median, ms, mustSucceed, plopBin, ratio, table, tempDir, timed } from "./common.mjs";

const PLOPFILE = join(ROOT, "bench", "baseline", "plopfile.js");

/** gen host / gen user against a one-file Plop generator, and where gen's time goes. */
export function single({ RUNS, WARMUP }) {
  const out = [];
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
  return out.join("\n");
}
