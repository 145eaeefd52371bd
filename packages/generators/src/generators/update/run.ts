// gen update's run: the same lock → plan → check → journal → apply path as
// every generator (run.ts's runPlanner), except that files the merge left
// with conflict markers are written unparsed (they cannot parse until the
// owner resolves them) and make the run exit 1 naming them.
import { type ApplyHooks, applyPlan, checkPlan, formatNextSteps, formatPlan } from "../../write/apply.js";
import { asGenError } from "../../report/fs-errors.js";
import { settleInterrupted } from "../../write/journal.js";
import { LOCK_FILE, describeOwner, lockRepo } from "../../write/lock.js";
import type { Plan } from "../../write/plan.js";
import { planAdopt } from "./adopt.js";
import { type UpdateOptions, planUpdate } from "./plan.js";

export interface UpdateRunOptions extends UpdateOptions {
  root: string;
  dryRun: boolean;
  /** Record what the fork holds, with the current templates as base, instead of updating. */
  adopt?: boolean;
  note?: (text: string) => void;
  /** Asked after the check, before writing (skipped with --yes); false writes nothing. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Failures and pauses injected into the write, by tests only. */
  hooks?: ApplyHooks;
}

export interface UpdateRunResult {
  /** 0, or 1 when files are (or would be) left with conflict markers. */
  code: number;
  report: string;
  conflicts: string[];
  /** The one error line's text (without `error: `) when code is 1. */
  error?: string;
}

export async function runUpdate(options: UpdateRunOptions): Promise<UpdateRunResult> {
  const { root, dryRun } = options;
  const note = options.note ?? ((t: string) => void process.stderr.write(t + "\n"));
  let lock;
  try {
    lock = await lockRepo(root, {
      command: options.adopt ? "gen update --adopt" : "gen update",
      onWait: (owner) => note(`note: waiting for ${describeOwner(owner)} to finish with this repository (${LOCK_FILE})...`),
    });
  } catch (error) {
    throw asGenError(error, root, "so nothing was written");
  }
  try {
    if (!dryRun) {
      const settled = settleInterrupted(root);
      if (settled) note(settled);
    }
    const { plan, conflicts, missing } = options.adopt ? { ...planAdopt(root), conflicts: [], missing: [] } : planUpdate(root, options);
    if (plan.changes.length === 0) return { code: 0, report: plan.title + ".", conflicts: [] };
    // The clean files are checked as every plan's are; conflicted ones cannot parse yet
    // (a read-only one still fails cleanly in applyPlan, before any rename).
    const clean: Plan = { ...plan, changes: plan.changes.filter((c) => !conflicts.includes(c.path)) };
    const checked = checkPlan(clean, root);
    const lines: string[] = [];
    for (const file of missing) lines.push(`  note: ${file} is gone from the fork, so its template's change was not applied there.`);
    const parsed = checked.parsed === null ? "  Not checked with Nix: nix-instantiate is not on PATH." : `  Checked: ${checked.parsed} merged Nix file${checked.parsed === 1 ? "" : "s"} parse with nix-instantiate --parse.`;
    const conflictLines = conflicts.map((f) => `  CONFLICT ${f}`);
    if (dryRun) {
      const head = `Dry run: ${plan.title} (nothing written)`;
      const error = conflicts.length > 0 ? { error: `the update would leave conflict markers in ${conflicts.join(", ")}: resolve them after the real run, or commit your edits first to see them in git diff.` } : {};
      return { code: conflicts.length > 0 ? 1 : 0, report: [head, formatPlan(plan, true), ...lines, ...conflictLines, "", parsed].join("\n"), conflicts, ...error };
    }
    if (options.confirm && !(await options.confirm(plan))) return { code: 0, report: "Nothing written.", conflicts: [] };
    applyPlan(plan, root, options.hooks);
    const error = conflicts.length > 0 ? { error: `conflict markers left in ${conflicts.join(", ")}: resolve them (keep what each side meant, delete the <<<<<<< ======= >>>>>>> lines), then commit.` } : {};
    return { code: conflicts.length > 0 ? 1 : 0, report: [`✔ ${plan.title}`, formatPlan(plan, false), ...lines, ...conflictLines, parsed, "", formatNextSteps(plan)].join("\n"), conflicts, ...error };
  } finally {
    lock.release();
  }
}
