// Answers → plan → check → dry-run report or atomic write. Shared by the
// CLI and the plopfile; returns the report to print.
import type { HostAnswers, UserAnswers } from "./answers.js";
import { type ApplyHooks, applyPlan, checkPlan, formatNextSteps, formatPlan } from "./apply.js";
import { planHost } from "./plan/host.js";
import type { Plan } from "./plan/plan.js";
import { planUser } from "./plan/user.js";
import type { Answers } from "./params.js";
import { fsRepo } from "./repo.js";

export interface RunOptions {
  root: string;
  dryRun: boolean;
}

/**
 * STARTER_GEN_PAUSE_MS makes a run sleep after each temp file is written, so
 * a test can kill it mid-write and check that no target is half written.
 */
function testHooks(): ApplyHooks {
  const ms = Number(process.env.STARTER_GEN_PAUSE_MS ?? 0);
  if (!(ms > 0)) return {};
  return { afterTempWrite: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) };
}

export function planFor(generator: "host" | "user", answers: Answers, root: string): Plan {
  const repo = fsRepo(root);
  return generator === "host"
    ? planHost(repo, answers as unknown as HostAnswers)
    : planUser(repo, answers as unknown as UserAnswers);
}

export function runGenerator(generator: "host" | "user", answers: Answers, options: RunOptions): string {
  const plan = planFor(generator, answers, options.root);
  const report = checkPlan(plan, options.root);
  const checked =
    report.parsed === null
      ? "  Not checked with Nix: nix-instantiate is not on PATH (install Nix to have every file parsed first)."
      : `  Checked: ${report.parsed} Nix file${report.parsed === 1 ? "" : "s"} parse with nix-instantiate --parse.`;
  if (options.dryRun) {
    return [`Dry run: ${plan.title} (nothing written)`, formatPlan(plan, true), "", checked].join("\n");
  }
  applyPlan(plan, options.root, testHooks());
  return [`✔ ${plan.title}`, formatPlan(plan, false), checked, "", formatNextSteps(plan)].join("\n");
}
