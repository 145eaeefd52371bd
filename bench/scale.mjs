// The scale section of `pnpm bench`: a few hundred hosts added one CLI run at
// a time, the same add on a small and a grown flake, and the fork check on both.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fail, flakeCopy, genRun, log, median, ms, ratio, sec, table, tempDir } from "./common.mjs";
import { load } from "./generators.mjs";

const { checkFork, evalFlakeStructure } = await load("nix-check", ".");

/** 200 hosts with 2 users each, added one CLI run at a time. */
export function scale({ RUNS, WARMUP, HOSTS }) {
  const out = [];
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
  return out.join("\n");
}

function ordinal(n) {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${s}`;
}
