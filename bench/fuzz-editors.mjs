// A counted run of the editors' property tests on fresh variants:
//
//   node bench/fuzz-editors.mjs [--flakes 500] [--configs 300] [--seed N]
//
// Draws hand-edited variants of the starter's flake.nix (for `gen host`) and
// configuration.nix (for `gen user`) with packages/generators/__tests__/
// edit-variants.ts, judges each edit by evaluating it with Nix (exact insert,
// one-line refusal, or wrong) and prints the counts. A new seed each run
// unless --seed is given; the seed is printed so a run can be repeated.
// Exits 1 on any wrong result or stack trace, or refusals above 5% (flake.nix:
// no shape of the variants is refused, `builtins.mapAttrs f { … }` over mkHost
// entries included, so expect 0%) or 15% (configuration.nix).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    flakes: { type: "string", default: "500" },
    configs: { type: "string", default: "300" },
    seed: { type: "string", default: String(Math.floor(Math.random() * 2 ** 31)) },
  },
});

const run = spawnSync("npx", ["vitest", "run", "__tests__/edit-properties.test.ts"], {
  cwd: join(ROOT, "packages", "generators"),
  encoding: "utf8",
  maxBuffer: 1 << 28,
  env: { ...process.env, FUZZ_FLAKES: values.flakes, FUZZ_CONFIGS: values.configs, FUZZ_SEED: values.seed, FUZZ_REPORT: "1" },
});
const line = (run.stdout ?? "").split("\n").find((l) => l.startsWith("FUZZ_RESULT "));
if (!line) {
  process.stderr.write(`the property tests did not report (exit ${run.status}):\n${run.stdout}\n${run.stderr}\n`);
  process.exit(1);
}
const result = JSON.parse(line.slice("FUZZ_RESULT ".length));
const pct = (n, total) => `${((100 * n) / total).toFixed(1)}%`;
const row = (label, t) => {
  const total = t.exact + t.refused + t.wrong;
  return `| ${label} | ${total} | ${t.exact} (${pct(t.exact, total)}) | ${t.refused} (${pct(t.refused, total)}) | ${t.wrong} |`;
};
console.log(`Editors on hand-edited variants (seed ${result.seed}), each edit judged by evaluating it with Nix:\n`);
console.log("| file | variants | exact insert | refused (one line) | wrong |");
console.log("|---|---|---|---|---|");
console.log(row("`gen host` on flake.nix", result.flakes));
console.log(row("`gen user` on configuration.nix", result.configs));
console.log(`\nStack traces: ${result.crashes}`);
const reasons = new Map();
for (const r of result.notExact) {
  const key = `${r.outcome}: ${r.detail.replace(/`[^`]*`/g, "`…`").slice(0, 140)}`;
  reasons.set(key, (reasons.get(key) ?? 0) + 1);
}
if (reasons.size) console.log("\nWhy not exact:");
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${reason}`);
for (const r of result.notExact.filter((x) => x.outcome === "wrong").slice(0, 5)) console.log(`\nwrong: ${r.edits.join("; ")}\n  ${r.detail}`);
const share = (t) => t.refused / (t.exact + t.refused + t.wrong);
const ok = result.flakes.wrong + result.configs.wrong + result.crashes === 0 && share(result.flakes) <= 0.05 && share(result.configs) <= 0.15;
process.exit(ok ? 0 : 1);
