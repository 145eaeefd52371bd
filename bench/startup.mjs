// The start-up section of `pnpm bench`: `gen host x --dry-run` (the CLI
// loads gen host's modules only, plans, parses with Nix, prints) against
// `node -e 0`, taking turns in the same run, so both see the same machine.
// Target: at most 2× Node's own start-up. A third command is Node doing
// nothing but the one nix-instantiate --parse the dry run also runs: what
// that call costs when paid in line. gen starts it before it plans
// (nix-check's warm-parse.ts), so most of it runs beside gen's own JS.
import { GEN, flakeCopy, log, median, ms, mustSucceed, ratio, table, timed } from "./common.mjs";

// The same single child process the dry run's check starts, on files of a similar size.
const FLOOR = `const r = require("node:child_process").spawnSync("nix-instantiate", ["--parse", "flake.nix", "hosts/example/configuration.nix", "hosts/example/hardware-configuration.nix"]); process.exitCode = r.status ?? 1;`;

export function startup({ RUNS, WARMUP }) {
  const runs = Math.max(RUNS, 15);
  log(`startup: ${WARMUP} warm-up + ${runs} measured, taking turns`);
  const dir = flakeCopy();
  const cases = {
    gen: () => timed(process.execPath, [GEN, "host", "x", "--dry-run"], { cwd: dir, env: { ...process.env, INIT_CWD: dir } }),
    node: () => timed(process.execPath, ["-e", "0"]),
    floor: () => timed(process.execPath, ["-e", FLOOR], { cwd: dir }),
  };
  const samples = { gen: [], node: [], floor: [] };
  for (let i = 0; i < WARMUP + runs; i++) {
    for (const name of i % 2 ? ["node", "floor", "gen"] : ["gen", "floor", "node"]) {
      const run = cases[name]();
      mustSucceed({ gen: "gen host x --dry-run", node: "node -e 0", floor: "the nix-instantiate floor" }[name], run);
      if (i >= WARMUP) samples[name].push(run);
    }
  }
  const wall = (k) => median(samples[k].map((r) => r.ms));
  const cpu = (k) => (samples[k].some((r) => r.cpu === null) ? null : median(samples[k].map((r) => r.cpu)));
  const row = (label, k) => [label, ms(wall(k)), ratio(wall(k), wall("node")), cpu(k) === null ? "n/a" : ms(cpu(k))];
  const r = wall("gen") / wall("node");
  const line = `gen host x --dry-run ${ms(wall("gen"))} against node -e 0 ${ms(wall("node"))}: ${ratio(wall("gen"), wall("node"))} (at most 2× wanted)`;
  log(`startup: ${line}`);
  return [
    "## Start-up",
    "",
    `Wall time of \`node packages/generators/bin/gen.mjs host x --dry-run\` in a copy of the starter (it loads gen host's modules only, plans, checks with \`nix-instantiate --parse\` and prints) against \`node -e 0\`, taking turns: medians of ${runs} runs each after ${WARMUP} warm-up. CPU is user + system time, gen's nix-instantiate included (in 10 ms ticks). gen starts that nix-instantiate as soon as it knows it will check (nix-check's warm-parse.ts), so Nix starts up on the other core while Node loads and plans; the middle row is what the same call costs paid in line.`,
    "",
    table(
      ["Command", "Wall", "vs node -e 0", "CPU"],
      [
        row("`node packages/generators/bin/gen.mjs host x --dry-run`", "gen"),
        row("`node -e` spawning `nix-instantiate --parse` on 3 of the starter's files (Nix paid in line)", "floor"),
        row("`node -e 0`", "node"),
      ],
    ),
    "",
    `gen takes ${ms(wall("gen") - wall("node"))} more than Node alone; its nix-instantiate alone would add ${ms(wall("floor") - wall("node"))} if it were paid in line.`,
    "",
    `Target ${r <= 2 ? "met" : "missed"}: ${line}.`,
    "",
  ].join("\n");
}
