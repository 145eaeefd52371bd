// `pnpm bench`: measures the generators end to end and writes the results to
// bench/results.md (the docs' Performance page shows that file). See
// bench/README.md for what each figure means.
//
//   pnpm bench                       everything (a few minutes on 2 cores)
//   pnpm bench -- --quick            fewer runs and hosts, no Turborepo runs (about a minute)
//   pnpm bench -- --only single,scale  pick sections: startup, single, scale, lock, turbo, suite
//                                    (suite: a cold `pnpm test` in a fresh clone, bench/suite.mjs)
//                                    (prints only; add --write to replace results.md with that part)
//   pnpm bench -- --runs 15 --hosts 100 --no-write
//
// The same through the environment: BENCH_QUICK=1, BENCH_ONLY, BENCH_RUNS,
// BENCH_HOSTS. Nothing here is a test: figures depend on the machine.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, fail, flakeCopy, log } from "./common.mjs";
import { lockJournal } from "./lock-journal.mjs";
import { scale } from "./scale.mjs";
import { single } from "./single.mjs";
import { startup } from "./startup.mjs";
import { suite } from "./suite.mjs";
import { turbo } from "./turbo.mjs";

const RESULTS = join(ROOT, "bench", "results.md");

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
    write: { type: "boolean", default: false },
  },
});
// --quick leaves out the Turborepo runs (a cold `pnpm test` alone takes a minute or more).
const sections = new Set((opts.only ?? (opts.quick ? "startup,single,scale,lock" : "startup,single,scale,lock,turbo,suite")).split(",").map((s) => s.trim()));
for (const s of sections) if (!["startup", "single", "scale", "lock", "turbo", "suite"].includes(s)) fail(`unknown section ${JSON.stringify(s)}: use startup, single, scale, lock, turbo or suite`);
const RUNS = positiveInt(opts.runs, opts.quick ? 5 : 11);
const WARMUP = positiveInt(opts.warmup, opts.quick ? 1 : 2, true);
const HOSTS = positiveInt(opts.hosts, opts.quick ? 40 : 200);

function positiveInt(value, fallback, zeroOk = false) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) fail(`expected a whole number, got ${JSON.stringify(value)}`);
  return n;
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

if (sections.has("startup")) out.push(startup({ RUNS, WARMUP }));
if (sections.has("single")) out.push(single({ RUNS, WARMUP }));
if (sections.has("scale")) out.push(scale({ RUNS, WARMUP, HOSTS }));
if (sections.has("lock")) out.push(await lockJournal({ runs: RUNS, flakeCopy, log }));
if (sections.has("turbo")) out.push(turbo());
if (sections.has("suite")) out.push(suite({ log }));

const markdown = out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
process.stdout.write("\n" + markdown);
// A run of some sections would replace the full results the docs show with
// a part of them, so --only prints unless --write asks for the file too.
if (opts["no-write"] || (opts.only !== undefined && !opts.write)) {
  log(`bench: ${RESULTS.slice(ROOT.length + 1)} left as it was${opts["no-write"] ? "" : " (--only runs part of the bench: add --write to replace it)"}`);
} else {
  writeFileSync(RESULTS, markdown);
  log(`bench: wrote ${RESULTS.slice(ROOT.length + 1)}`);
}
