// The Plop layer: registers `host` and `user` with prompts built from the
// parameter table. Answers already given (flags) are not asked again; the
// single action plans, checks and writes through run.ts.
import type { NodePlopAPI } from "node-plop";
import type { RepoView } from "./repo.js";
import { type Answers, type GeneratorSpec, type Param, SPECS } from "./params.js";
import { fsRepo } from "./repo.js";
import { runGenerator } from "./run.js";

export interface PlopContext {
  root: string;
  dryRun?: boolean;
  /** Answers from flags; only the others are asked. */
  preset?: Answers;
  /** Without a terminal nothing is asked: defaults fill the gaps. */
  interactive?: boolean;
}

export function registerGenerators(plop: NodePlopAPI, context: PlopContext): void {
  for (const spec of Object.values(SPECS)) {
    plop.setGenerator(spec.name, {
      description: spec.description,
      prompts: (async (inquirer: { prompt: (q: unknown[], a?: Answers) => Promise<Answers> }) =>
        ask(spec, context, inquirer)) as never,
      actions: [
        async (answers: object) =>
          runGenerator(spec.name, answers as Answers, { root: context.root, dryRun: context.dryRun ?? false }),
      ],
    });
  }
}

async function ask(
  spec: GeneratorSpec,
  context: PlopContext,
  inquirer: { prompt: (q: unknown[], a?: Answers) => Promise<Answers> },
): Promise<Answers> {
  const repo = fsRepo(context.root);
  const preset = { ...(context.preset ?? {}) };
  let answers: Answers = preset;
  if (context.interactive !== false) {
    const questions = spec.params.filter((p) => preset[p.name] === undefined).map((p) => question(p, repo));
    answers = { ...(await inquirer.prompt(questions, preset)) };
  }
  return withDefaults(spec, answers);
}

/** Fills unanswered optional parameters with their defaults. */
export function withDefaults(spec: GeneratorSpec, answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const p of spec.params) {
    if (out[p.name] !== undefined) continue;
    if (p.when && !p.when(out)) continue;
    const value = typeof p.default === "function" ? p.default(out) : p.default;
    if (value === undefined) continue;
    out[p.name] = p.kind === "list" ? splitList(String(value)) : value;
  }
  return out;
}

/** A prompt's comma-separated answer as a list (commas only: "bob smith" stays one, and is refused). */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function question(p: Param, repo: RepoView): Record<string, unknown> {
  const base = {
    name: p.name,
    message: p.prompt,
    ...(p.when ? { when: p.when } : {}),
    ...(p.default !== undefined && p.default !== "" ? { default: p.default } : {}),
  };
  const values = typeof p.choices === "function" ? p.choices(repo) : p.choices;
  const choices = values?.map((value) => ({
    value,
    name: p.choiceNotes?.[value] ? `${value}  (${p.choiceNotes[value]})` : value,
    short: value,
    // With a single host to pick from, have it picked already.
    ...(p.kind === "list" && values.length === 1 ? { checked: true } : {}),
  }));
  if (p.kind === "boolean") return { ...base, type: "confirm" };
  if (p.kind === "choice") return { ...base, type: "list", choices };
  if (p.kind === "list" && choices) {
    return {
      ...base,
      type: "checkbox",
      choices,
      validate: (picked: string[]) => (p.required && picked.length === 0 ? "Pick at least one (space to select)." : true),
    };
  }
  const check = (value: string, answers: Answers) => p.check?.(value, repo, answers);
  if (p.kind === "list") {
    return {
      ...base,
      type: "input",
      filter: (v: string) => splitList(v),
      validate: (values: string[], answers: Answers) => values.map((v) => check(v, answers)).find(Boolean) ?? true,
    };
  }
  return {
    ...base,
    type: "input",
    filter: (v: string) => v.trim(),
    validate: (value: string, answers: Answers) => {
      if (p.required && value === "") return `${p.prompt} is required.`;
      return (value === "" ? undefined : check(value, answers)) ?? true;
    },
  };
}
