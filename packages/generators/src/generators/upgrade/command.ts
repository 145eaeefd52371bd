// `gen upgrade --release YY.MM` as one call (index.ts makes it for the
// CLI): the pins as one plan (runPlanner: check, lock, journal, apply),
// then `nix flake update` of those inputs, then gen fix. Offline, the
// update is one line to run later and the run exits 0 with the pins moved.
import { GenError } from "../../report/errors.js";
import { fsRepo } from "../../repo/tree.js";
import { type RunOptions, runPlanner } from "../../cli/run.js";
import { type FixOptions, fixCommand } from "../fix/command.js";
import { type NixRun, runNix } from "../fix/evaluate.js";
import { planUpgrade, updateLock } from "./plan-upgrade.js";

export interface UpgradeOptions extends Omit<RunOptions, "root"> {
  root: string;
  release: string;
  overrides?: [string, string][];
  run?: NixRun;
  /** Passed on to gen fix (tests give a stub evaluation). */
  fix?: Partial<FixOptions>;
}

export async function upgradeCommand(options: UpgradeOptions): Promise<{ text: string; exitCode: number }> {
  const planned = planUpgrade(fsRepo(options.root), options.release);
  if ("error" in planned) return { text: planned.error, exitCode: 1 };
  // Planned again under the lock, so the pins moved are the ones on disk then.
  const report = await runPlanner(
    `gen upgrade --release ${options.release}`,
    () => {
      const again = planUpgrade(fsRepo(options.root), options.release);
      if ("error" in again) throw new GenError(again.error.replace(/^error: /, ""));
      return again.plan;
    },
    options,
  );
  if (options.dryRun) return { text: `${report}\n\nThen: nix flake update nixpkgs home-manager nix-darwin, and pnpm gen fix.`, exitCode: 0 };
  const lines = [report];
  const lock = updateLock(options.root, options.run ?? runNix);
  if (!lock.ok) {
    lines.push(lock.line);
    if (lock.error !== undefined) return { text: [...lines, lock.error].join("\n"), exitCode: 1 };
    // Without the new inputs there is nothing new to evaluate, unless they are given.
    if (!options.overrides || options.overrides.length === 0) return { text: [...lines, "Then run `pnpm gen fix`."].join("\n"), exitCode: 0 };
  }
  const fixed = await fixCommand({ ...options, ...options.fix, root: options.root, overrides: options.overrides ?? [] });
  return { text: [...lines, "", fixed.text].join("\n"), exitCode: fixed.exitCode };
}
