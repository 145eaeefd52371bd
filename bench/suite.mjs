// The cold `pnpm test` against the 40 s goal, as a fork's CI meets it: the
// committed tree cloned into a private (0700) temp folder, scripts/setup.sh,
// then `pnpm test` timed, with no Turborepo cache and no Docusaurus cache;
// the median of a few such runs, each in a fresh clone. The breakdown (of
// the median run) is the suite's own: Turborepo's run summary (each task's
// wall time) and Vitest's JSON reports (each test file's, by project).
//
//   node bench/suite.mjs             prints the markdown section
//   (bench/run.mjs calls suite() for its "suite" section)
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const GOAL_MS = 40_000;
const PACKAGES = { generators: "packages/generators", "nix-check": "packages/nix-check", docs: "apps/docs" };

const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
const table = (head, rows) => [head, head.map((_, i) => (i === 0 ? "---" : "---:")), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");

/** Cold runs one machine's noise moves by a tenth either way: the median of a few, each in its own fresh clone. */
const RUNS = Number(process.env.BENCH_SUITE_RUNS ?? 3);

/** Runs the measurement; returns the markdown section. */
export function suite({ log = (t) => process.stderr.write(t + "\n"), runs = RUNS } = {}) {
  const all = [];
  for (let n = 1; n <= runs; n++) all.push(coldRun(log, `${n}/${runs}`));
  const median = [...all].sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)];
  return render(median, all);
}

/** One cold run in a fresh clone; keeps what the breakdown needs before the clone goes. */
function coldRun(log, label) {
  const tmp = mkdtempSync(join(tmpdir(), "bench-suite-"));
  chmodSync(tmp, 0o700);
  const repo = join(tmp, "repo");
  const reports = join(tmp, "reports");
  try {
    log(`suite ${label}: cloning ${ROOT} into ${repo} (a 0700 folder)`);
    must("git clone", spawnSync("git", ["clone", "-q", ROOT, repo], { encoding: "utf8" }));
    chmodSync(repo, 0o700);
    log(`suite ${label}: scripts/setup.sh`);
    must("scripts/setup.sh", spawnSync("bash", ["scripts/setup.sh"], { cwd: repo, encoding: "utf8" }));
    const env = { ...process.env, STARTER_TEST_REPORT: reports, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
    const loadBefore = loadavg()[0];
    log(`suite ${label}: pnpm test (cold)`);
    const start = performance.now();
    const run = spawnSync("pnpm", ["test", "--summarize"], { cwd: repo, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - start;
    const loadAfter = loadavg()[0];
    const text = run.stdout + run.stderr;
    if (run.status !== 0) log(text.split("\n").slice(-40).join("\n"));
    log(`suite ${label}: ${sec(ms)}`);
    return { ms, ok: run.status === 0, text, tasks: turboTasks(repo), files: vitestFiles(reports), load: [loadBefore, loadAfter] };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function must(what, run) {
  if (run.status !== 0) throw new Error(`${what} failed:\n${run.stdout}${run.stderr}`);
}

function render({ ms, text, tasks, files }, all) {
  const counts = /Tests\s+(.*)/g;
  const out = [
    "## A cold `pnpm test`",
    "",
    `The committed tree cloned into a 0700 temp folder, \`scripts/setup.sh\`, then \`pnpm test\` (typecheck, lint and test of every package, the docs build included) with no Turborepo or Docusaurus cache: what a fork's CI pays on every push. ${all.length === 1 ? "One such run" : `${all.length} such runs, each in its own fresh clone, one after another`} (BENCH_SUITE_RUNS sets how many); the figure is the median run's, and so is the breakdown below. bench/suite.mjs; \`pnpm bench -- --only suite\` runs it alone.`,
    "",
    `**${sec(ms)}** wall (median), ${all.every((r) => r.ok) ? "green every time" : `FAILED ${all.filter((r) => !r.ok).length} of ${all.length} times`}; goal at most ${sec(GOAL_MS)}: ${ms <= GOAL_MS ? "met" : "missed"}.`,
    "",
    table(
      ["Run", "Wall", "Result", "Load average (1 min) before / after"],
      all.map((r, i) => [String(i + 1), sec(r.ms), r.ok ? "green" : "FAILED", `${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)}`]),
    ),
    "",
    "2 cores; other work on the machine counts, and the same tree's cold runs differ by a few seconds from one to the next.",
    "",
  ];
  const totals = [...text.matchAll(counts)].map((m) => m[1].trim());
  if (totals.length > 0) out.push(`Vitest's totals per package: ${totals.join("; ")}.`, "");
  // A red run says which tests, so a failure seen only under this load can be chased.
  const failures = all.flatMap((r) => r.files).flatMap((f) => f.failed.map((what) => `- ${f.pkg}/${f.file}: ${what}`));
  if (failures.length > 0) out.push("Failed:", "", ...failures, "");
  if (tasks.length > 0) {
    out.push("### Turborepo tasks", "", "Each task's wall time, and when it started and ended after the first task started; tasks run in parallel and keep both cores busy, so the wall time follows the CPU they need together (about half of it on 2 cores) more than any one chain.", "");
    const t0 = Math.min(...tasks.map((t) => t.start));
    out.push(table(["Task", "Wall", "From", "To"], tasks.sort((a, b) => a.start - b.start).map((t) => [`\`${t.id}\``, sec(t.end - t.start), sec(t.start - t0), sec(t.end - t0)])), "");
  }
  if (files.length > 0) {
    out.push("### Test files", "", "Each file's wall time from Vitest's JSON report, by package and project (test-projects.json), slowest first; files of a package run in parallel (3 workers).", "");
    const byProject = new Map();
    for (const f of files) byProject.set(`${f.pkg} ${f.project}`, (byProject.get(`${f.pkg} ${f.project}`) ?? 0) + f.ms);
    out.push(table(["Package, project", "Sum of its files"], [...byProject].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, sec(v)])), "");
    out.push(table(["File", "Project", "Tests", "Wall"], files.sort((a, b) => b.ms - a.ms).map((f) => [`${f.pkg}/${f.file}`, f.project, String(f.tests), sec(f.ms)])), "");
  }
  return out.join("\n");
}

/** Tasks from the run summary `turbo --summarize` writes to .turbo/runs/. */
function turboTasks(repo) {
  const dir = join(repo, ".turbo", "runs");
  if (!existsSync(dir)) return [];
  const file = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().pop();
  if (!file) return [];
  const summary = JSON.parse(readFileSync(join(dir, file), "utf8"));
  return (summary.tasks ?? [])
    .filter((t) => t.execution?.startTime)
    .map((t) => ({ id: t.taskId, start: t.execution.startTime, end: t.execution.endTime }));
}

/** Per-file results of the Vitest JSON reports (STARTER_TEST_REPORT). */
function vitestFiles(reports) {
  if (!existsSync(reports)) return [];
  const out = [];
  for (const name of readdirSync(reports)) {
    const pkg = basename(name, ".json");
    const report = JSON.parse(readFileSync(join(reports, name), "utf8"));
    const lists = projectLists(pkg);
    for (const r of report.testResults ?? []) {
      const file = relative(join(dirname(reports), "repo", PACKAGES[pkg] ?? ""), r.name);
      const stem = basename(file, ".test.ts");
      const project = lists ? (lists.unit.includes(stem) ? "unit" : lists.process.includes(stem) ? "process" : "nix") : "-";
      const failed = (r.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${a.fullName}: ${String(a.failureMessages?.[0] ?? "").split("\n")[0]}`);
      if (r.status === "failed" && failed.length === 0) failed.push(String(r.message ?? "the file failed").split("\n")[0]);
      out.push({ pkg, file, project, tests: (r.assertionResults ?? []).length, ms: (r.endTime ?? 0) - (r.startTime ?? 0), failed });
    }
  }
  return out;
}

function projectLists(pkg) {
  const path = join(ROOT, PACKAGES[pkg] ?? "-", "test-projects.json");
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(suite() + "\n");
