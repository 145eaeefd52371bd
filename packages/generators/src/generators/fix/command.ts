// `gen fix` as one call (index.ts makes it for the CLI): plan under the
// lock with cli/run.ts's runPlanner, then the summary. Exit 1 when
// something needs a person.
import { fsRepo } from "../../repo/tree.js";
import { type RunOptions, runPlanner } from "../../cli/run.js";
import { type EvalOptions, flakeEvaluator } from "./evaluate.js";
import { type Evaluator, type FixSummary, formatSummary, planFix } from "./plan-fix.js";

export interface FixOptions extends Omit<RunOptions, "root"> {
  root: string;
  /** --host H …: only these configurations (host or home names). */
  hosts?: string[];
  /** --override-input NAME REF …, passed to nix as they are. */
  overrides?: [string, string][];
  /** Tests replace the evaluation; the default evaluates with nix. */
  evaluator?: Evaluator;
  run?: EvalOptions["run"];
}

export async function fixCommand(options: FixOptions): Promise<{ text: string; exitCode: number }> {
  const evaluate =
    options.evaluator ?? flakeEvaluator(options.root, { overrides: options.overrides ?? [], only: options.hosts ?? [], ...(options.run ? { run: options.run } : {}) });
  let summary: FixSummary | undefined;
  const report = await runPlanner(
    "gen fix",
    () => {
      const r = planFix(fsRepo(options.root), options.root, evaluate);
      summary = r.summary;
      return r.plan;
    },
    options,
  );
  const s = formatSummary(summary!);
  return { text: `${report}\n\n${s.text}`, exitCode: s.exitCode };
}
