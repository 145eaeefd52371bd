// Where one `gen host` run spends its time, phase by phase, in one process:
// loading the CLI's modules, planning (the first plan also compiles the
// Handlebars templates), the Nix probe, the `nix-instantiate --parse` check
// and the atomic write. bench/run.mjs runs this on a fresh copy of the
// reference flake and prints the medians; node's own start-up is measured
// there separately (`node -e 0`).
//
// Usage: node bench/breakdown.mjs <flake copy> <host name>  → one JSON line.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [dir, name] = process.argv.slice(2);
if (!dir || !name) {
  process.stderr.write("usage: node bench/breakdown.mjs <flake copy> <host name>\n");
  process.exit(2);
}
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "generators", "dist");
const url = (file) => pathToFileURL(join(dist, file)).href;
const now = () => performance.now();

const t0 = now();
// What `gen` imports before it runs a generator (cli.js and what it pulls in,
// then the lazily imported run.js).
await import(url("cli.js"));
const run = await import(url("run.js"));
const t1 = now();
const { SPECS } = await import(url("params.js"));
const { withDefaults } = await import(url("plop.js"));
const { checkPlan, applyPlan } = await import(url("apply.js"));
// The same module instance the generators use (Node resolves the workspace link).
const { nixAvailable } = await import(pathToFileURL(join(dist, "..", "..", "nix-check", "dist", "index.js")).href);
const t2 = now();
const plan = run.planFor("host", withDefaults(SPECS.host, { name }), dir);
const t3 = now();
const nix = nixAvailable();
const t4 = now();
checkPlan(plan, dir);
const t5 = now();
applyPlan(plan, dir);
const t6 = now();

process.stdout.write(
  JSON.stringify({ load: t1 - t0, plan: t3 - t2, probe: t4 - t3, check: t5 - t4, write: t6 - t5, nix, files: plan.changes.length }) + "\n",
);
