// Answers → plan → check → dry-run report or atomic write. Shared by the
// CLI and the plopfile; returns the report to print. Everything from the
// plan to the last rename happens under the repository's lock, so each run
// plans on what the runs before it wrote.
import { type ApplyHooks, applyPlan, checkPlan, formatNextSteps, formatPlan } from "../write/apply.js";
import { asGenError, isErrnoError } from "../report/fs-errors.js";
import { JOURNAL_FILE, journalPending, settleInterrupted } from "../write/journal.js";
import { WRITTEN_DIRS, findDeadTemps, removeDeadTemps } from "../write/dead-temps.js";
import { LOCK_FILE, type RepoLock, describeOwner, lockRepo } from "../write/lock.js";
import type { Plan } from "../write/plan.js";
import type { Answers } from "../answers/spec.js";
import type { CommandContext, Generator } from "../generators/registry.js";
import { fsRepo } from "../repo/tree.js";

export interface RunOptions {
  root: string;
  dryRun: boolean;
  /** Where notes go (waiting for another run, an interrupted run cleaned up); default stderr. */
  note?: (text: string) => void;
  /** Asked after the check, before writing (a terminal's "Write N files?"); false writes nothing. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** The report when `confirm` says no (default "Nothing written."). */
  declined?: string;
  /** The folder file answers (--hardware-config) are relative to (default: the process's). */
  cwd?: string;
  /** Failures and pauses injected into the write, by tests only (see __tests__/gen-test.mjs). */
  hooks?: ApplyHooks;
}

/** A self-running generator's write options, from what the CLI gave it: where, dry or not, its notes, its "Write N files?", the tests' hooks. */
export const runOptionsOf = (ctx: CommandContext): RunOptions => ({
  root: ctx.root,
  dryRun: ctx.dryRun,
  note: ctx.note,
  cwd: ctx.cwd,
  ...(ctx.confirm ? { confirm: ctx.confirm } : {}),
  ...(ctx.hooks ? { hooks: ctx.hooks } : {}),
});

const stderrNote = (text: string) => void process.stderr.write(text + "\n");

export function planFor(generator: Generator, answers: Answers, root: string, cwd?: string): Plan {
  if (!generator.plan) throw new Error(`gen ${generator.spec.name} runs itself (command), it has no planner`);
  return generator.plan(fsRepo(root), answers, cwd !== undefined ? { cwd } : {});
}

export async function runGenerator(generator: Generator, answers: Answers, options: RunOptions): Promise<string> {
  const command = `gen ${generator.spec.name} ${String(answers.name ?? "")}`.trim();
  return runPlanner(command, () => planFor(generator, answers, options.root, options.cwd), options);
}

/**
 * Plans with `planner` under the repository's lock, checks, then prints the
 * dry run or writes: the one path every generator (adding or removing) takes.
 */
export async function runPlanner(command: string, planner: () => Plan, options: RunOptions): Promise<string> {
  const { root, dryRun } = options;
  const note = options.note ?? stderrNote;
  const lock = await lockFor(root, command, note, dryRun);
  try {
    if (!dryRun) {
      const settled = settleInterrupted(root);
      if (settled) note(settled);
    } else if (journalPending(root)) {
      note(`note: ${JOURNAL_FILE} records an interrupted run; the next run without --dry-run undoes it first, so its plan may differ from this one.`);
    }
    // Planned now, with the lock held: every file the plan edits is read
    // after the runs before this one have finished writing.
    const plan = planner();
    const report = checkPlan(plan, root);
    const checked =
      report.parsed === null
        ? "  Not checked with Nix: nix-instantiate is not on PATH (install Nix to have every file parsed first)."
        : `  Checked: ${report.parsed} Nix file${report.parsed === 1 ? "" : "s"} parse with nix-instantiate --parse.`;
    if (dryRun) {
      return [`Dry run: ${plan.title} (nothing written)`, formatPlan(plan, true), "", checked].join("\n");
    }
    // Still under the lock, so what the user confirms is exactly what gets written.
    if (options.confirm && !(await options.confirm(plan))) return options.declined ?? "Nothing written.";
    applyPlan(plan, root, options.hooks);
    return [`✔ ${plan.title}`, formatPlan(plan, false), checked, "", formatNextSteps(plan)].join("\n");
  } finally {
    lock?.release();
  }
}

/**
 * Settles what killed runs left behind (a journal, dead runs' temp files)
 * before anything reads the tree to check answers. Takes the lock only when
 * there is something to settle, so a clean repository costs one walk.
 */
export async function settleRepo(root: string, note: (text: string) => void = stderrNote): Promise<void> {
  if (!journalPending(root) && findDeadTemps(root, WRITTEN_DIRS).length === 0) return;
  const lock = await lockFor(root, "gen (cleaning up after an interrupted run)", note, false);
  try {
    const settled = settleInterrupted(root);
    if (settled) note(settled);
    const removed = removeDeadTemps(root);
    if (removed > 0) note(`note: removed ${removed} temp file(s) an interrupted run left behind.`);
  } finally {
    lock?.release();
  }
}

/** The repository's lock; a dry run goes on without it where it may not write (a read-only checkout). */
async function lockFor(root: string, command: string, note: (text: string) => void, dryRun: boolean): Promise<RepoLock | undefined> {
  try {
    return await lockRepo(root, {
      command,
      onWait: (owner) => note(`note: waiting for ${describeOwner(owner)} to finish with this repository (${LOCK_FILE})...`),
    });
  } catch (error) {
    if (dryRun && isErrnoError(error) && ["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT"].includes(error.code ?? "")) return undefined;
    throw asGenError(error, root, "so nothing was written");
  }
}
