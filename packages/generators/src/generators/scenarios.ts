// Plans the scenario catalogue (scenarios-data.ts) on a repository: the
// snapshot tests and the docs render both go through these, so the guide
// shows exactly what the tests review.
import type { Answers } from "../answers/spec.js";
import { GENERATORS } from "./all.js";
import type { Plan } from "../write/plan.js";
import { planRemoveHost, planRemoveUser } from "./remove/plan.js";
import { type FileChange, type RepoView, Tree } from "../repo/tree.js";
import { planSecret } from "./secret/plan.js";
import type { Refusal, Scenario, Step } from "./scenarios-data.js";

export { REFUSALS, SAMPLE_DISK_HOST, SAMPLE_HOST, SAMPLE_INSTALL, SCENARIOS } from "./scenarios-data.js";
export type { Refusal, Scenario, Step } from "./scenarios-data.js";

/** Plans one run on `repo`. */
export function planStep(repo: RepoView, step: Step): Plan {
  const options = step.files ? { files: step.files } : {};
  switch (step.generator) {
    case "host":
    case "user":
    case "deploy": {
      const { plan } = GENERATORS[step.generator];
      if (!plan) throw new Error(`gen ${step.generator} has no planner to show in a scenario`);
      return plan(repo, { ...step.answers }, options);
    }
    case "remove-host":
      return planRemoveHost(repo, step.answers);
    case "remove-user":
      return planRemoveUser(repo, step.answers);
    case "secret": {
      // No repository on disk and no home: every file comes from step.files.
      const value = step.value;
      return planSecret(repo, step.answers, { root: "/nonexistent", cwd: "/nonexistent", home: "/nonexistent", readValue: () => Buffer.from(value), files: step.files ?? {} });
    }
  }
}

/** `base` with the changes written on top, read-only. */
export function withChanges(base: RepoView, changes: readonly FileChange[]): RepoView {
  const tree = new Tree(base);
  for (const change of changes) {
    if (change.after === null) tree.remove(change.path);
    else tree.write(change.path, change.after);
  }
  return tree;
}

/** `repo` after running `steps` one after another. */
export function runSteps(repo: RepoView, steps: readonly Step[]): RepoView {
  return steps.reduce((view, step) => withChanges(view, planStep(view, step).changes), repo);
}

/**
 * A scenario's plan on `repo` (the starter): its steps run one after
 * another on top of its given runs, as a single plan whose changes are what
 * the steps did together and whose next steps are theirs in order.
 */
export function planScenario(repo: RepoView, scenario: Scenario): Plan {
  const base = runSteps(repo, scenario.given);
  const plans: Plan[] = [];
  let view = base;
  for (const step of scenario.steps) {
    const plan = planStep(view, step);
    plans.push(plan);
    view = withChanges(view, plan.changes);
  }
  if (plans.length === 1) return plans[0]!;
  const combined = new Tree(base);
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.after === null) combined.remove(change.path);
      else combined.write(change.path, change.after);
    }
  }
  return {
    title: plans.map((p) => p.title).join(", then "),
    changes: combined.changes(),
    nextSteps: plans.flatMap((p) => p.nextSteps),
  };
}

/** The refusal's sentence, or an error when the generators now accept the run. */
export function refusalMessage(repo: RepoView, refusal: Refusal): string {
  try {
    planStep(runSteps(repo, refusal.given), refusal.step);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`\`${commandFor(refusal.step)}\` was expected to be refused, but the generator planned it: update REFUSALS in scenarios-data.ts.`);
}

/** The command a reader types for a run, with its flags from params.ts. */
export function commandFor(step: Step): string {
  if (step.generator === "remove-host") return `pnpm gen remove host ${step.answers.name}`;
  if (step.generator === "remove-user") return ["pnpm gen remove user", step.answers.name, ...step.answers.hosts.map((h) => `--host ${h}`)].join(" ");
  const spec = GENERATORS[step.generator].spec;
  const answers: Answers = step.answers;
  // A secret's value is piped in, never a flag.
  const words = [...(step.generator === "secret" ? ["printf", "'%s'", '"$VALUE"', "|"] : []), "pnpm", "gen", step.generator, String(answers.name)];
  for (const param of spec.params) {
    const value = answers[param.name];
    // A boolean at its default says nothing; any other value given is shown, defaults included.
    if (param.positional || value === undefined || (typeof value === "boolean" && value === param.default)) continue;
    if (typeof value === "boolean") words.push(value ? `--${param.flag}` : `--no-${param.flag}`);
    else {
      for (const v of (Array.isArray(value) ? value : [value]).map(String)) {
        // A value that starts with "-" reads as a flag unless it is joined to its own.
        if (v.startsWith("-")) words.push(`--${param.flag}=${shellWord(v)}`);
        else words.push(`--${param.flag}`, shellWord(v));
      }
    }
  }
  return words.join(" ");
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
}
