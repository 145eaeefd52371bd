// The executable side of cli/main.ts: bin/gen.mjs imports this once the
// build is fresh, then calls run().
import { settleWarmParser, warmNixParser } from "@starter/nix-check/parse";
import { REGISTRY } from "../generators/registry.js";

export async function run(argv = process.argv.slice(2)): Promise<void> {
  // A run from a script that will check its plan starts nix-instantiate now,
  // so Nix starts up while Node loads and plans (nix-check's warm-parse.ts).
  // A terminal's run waits for answers anyway, and --help checks nothing.
  const [command] = argv;
  const checks = command !== undefined && (Object.hasOwn(REGISTRY, command) || command === "remove") && !argv.some((a) => a === "--help" || a === "-h");
  if (checks && !(process.stdin.isTTY && process.stdout.isTTY)) warmNixParser();
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
  await settleWarmParser();
}
