// Where one `gen host` run spends its time, phase by phase, in one process:
// loading the CLI's modules, planning (the first plan also compiles the
// Handlebars templates), the Nix probe, the `nix-instantiate --parse` check
// and the atomic write. bench/run.mjs runs this on a fresh copy of the
// reference flake and prints the medians; node's own start-up is measured
// there separately (`node -e 0`).
//
// Usage: node bench/breakdown.mjs <flake copy> <host name>  → one JSON line.

const [dir, name] = process.argv.slice(2);
if (!dir || !name) {
  process.stderr.write("usage: node bench/breakdown.mjs <flake copy> <host name>\n");
  process.exit(2);
}
import { load } from "./generators.mjs";
const now = () => performance.now();

const t0 = now();
// What `gen host` imports before it runs (the CLI, then gen host's modules
// through the registry, then what runs a plan).
const { REGISTRY } = await load("generators", "./internals");
await load("generators", "./cli");
const host = await REGISTRY.host();
const t1 = now();
const { planFor, withDefaults, checkPlan, applyPlan } = await load("generators", "./internals");
const { nixAvailable } = await load("nix-check", ".");
const t2 = now();
const plan = planFor(host, withDefaults(host.spec, { name }), dir);
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
