// The Plop layer: registers the generators it is given with prompts built
// from their parameter tables. Answers already given (flags) are not asked
// again; the single action plans, checks and writes through run.ts.
import type { NodePlopAPI } from "node-plop";
import type { RepoView } from "../repo/tree.js";
import type { Answers, CheckContext, GeneratorSpec, Origin, Param } from "../answers/spec.js";
import { fsRepo } from "../repo/tree.js";
import { checkAnswer, checkContext, splitList, withDefaults } from "../answers/resolve.js";
import { runGenerator } from "./run.js";
import type { Terminal } from "./terminal.js";
import type { Generator } from "../generators/registry.js";

export interface PlopContext {
  root: string;
  /** Answers from flags; only the others are asked. */
  preset?: Answers;
  /** Without a terminal nothing is asked: defaults fill the gaps. */
  interactive?: boolean;
  /** Where --ssh-key-file and --hardware-config paths are read from. */
  cwd?: string;
  /** Where the questions are asked; Plop's own (the process's) when absent. */
  terminal?: Terminal;
}

type Prompt = (q: unknown[], a?: Answers) => Promise<Answers>;
type Inquirer = { prompt: Prompt; createPromptModule: (options: { input: Terminal["input"]; output: Terminal["output"] }) => Prompt };

/**
 * Asks for `generator`'s missing answers through Plop's prompts. node-plop is
 * imported here, with import(): it is an ES module that the CLI's CommonJS
 * bundle loads only for a terminal, and a chunk that holds import() skips
 * the compile cache (bin/compile-cache.mjs), so this one does, not main's.
 */
export async function askWithPlop(generator: Generator, context: PlopContext): Promise<Answers> {
  const { default: nodePlop } = await import("node-plop");
  const plop = await nodePlop(undefined, { destBasePath: context.root, force: false });
  registerGenerators(plop, context, [generator]);
  return (await plop.getGenerator(generator.spec.name).runPrompts()) as Answers;
}

/**
 * Registers `generators` (the CLI the one it runs, the plopfile all of generators/all.ts).
 * @public for plopfile.js, which loads it from dist/.
 */
export function registerGenerators(plop: NodePlopAPI, context: PlopContext, generators: readonly Generator[]): void {
  for (const generator of generators) {
    const { spec } = generator;
    plop.setGenerator(spec.name, {
      description: spec.description,
      prompts: (async (inquirer: Inquirer) => ask(spec, context, inquirer)) as never,
      actions: [
        async (answers: object) =>
          runGenerator(generator, answers as Answers, { root: context.root, dryRun: false, ...(context.cwd ? { cwd: context.cwd } : {}) }),
      ],
    });
  }
}

async function ask(spec: GeneratorSpec, context: PlopContext, inquirer: Inquirer): Promise<Answers> {
  const repo = fsRepo(context.root);
  const preset = { ...(context.preset ?? {}) };
  if (context.interactive === false) return withDefaults(spec, preset, repo);
  // --from names a config to reuse: reuse is the only pattern it fits, so that is not asked.
  if (spec.name === "user" && preset.from !== undefined && preset.pattern === undefined) preset.pattern = "reuse";
  const questions = spec.params
    .filter((p) => p.prompt !== undefined && preset[p.name] === undefined)
    .map((p) => question(p, repo, preset, context.cwd));
  const prompt = context.terminal ? inquirer.createPromptModule(context.terminal) : inquirer.prompt;
  const answers = { ...(await prompt(questions, preset)) };
  for (const p of spec.params) {
    const typed = answers[p.name];
    if (p.kind === "list" && typeof typed === "string") answers[p.name] = splitList(typed);
  }
  return withDefaults(spec, answers, repo);
}


/** The check context of a prompt: its own answer and earlier prompts' are typed, the preset came from flags. */
function promptContext(repo: RepoView, preset: Answers, answers: Answers, cwd: string | undefined): CheckContext {
  const origins: Record<string, Origin> = {};
  for (const name of Object.keys(answers)) origins[name] = preset[name] !== undefined ? "flag" : "prompt";
  return checkContext(repo, answers, { origins, ...(cwd ? { cwd } : {}) });
}

function question(p: Param, repo: RepoView, preset: Answers, cwd: string | undefined): Record<string, unknown> {
  const validateWith = (value: Answers[string], answers: Answers) => {
    const all = { ...preset, ...answers, [p.name]: value };
    return checkAnswer(p, value, promptContext(repo, preset, all, cwd)) ?? true;
  };
  const defaultFor =
    typeof p.default === "function" ? (answers: Answers) => (p.default as (a: Answers, r: RepoView) => unknown)({ ...preset, ...answers }, repo) : p.default;
  const base = {
    name: p.name,
    message: p.promptFor ? (answers: Answers) => p.promptFor!({ ...preset, ...answers }) : p.prompt,
    ...(p.when ? { when: p.when } : {}),
    ...(p.default !== undefined && p.default !== "" ? { default: defaultFor } : {}),
  };
  const choicesFor = (answers: Answers) => {
    const all = { ...preset, ...answers };
    const values = p.order ? p.order(repo, all) : typeof p.choices === "function" ? p.choices(repo, all) : (p.choices ?? []);
    return values.map((value) => ({
      value,
      name: p.choiceNotes?.[value] ? `${value}  (${p.choiceNotes[value]})` : value,
      short: value,
      // With a single host to pick from, have it picked already.
      ...(p.kind === "list" && values.length === 1 ? { checked: true } : {}),
    }));
  };
  if (p.kind === "boolean") return { ...base, type: "confirm" };
  if (p.kind === "choice") return { ...base, type: "list", choices: choicesFor, validate: validateWith };
  if (p.kind === "list" && p.choices) {
    return { ...base, type: "checkbox", choices: choicesFor, validate: (picked: string[], answers: Answers) => validateWith(picked, answers) };
  }
  if (p.kind === "list") {
    // Typed as one line and split when checked: a filter that returned the
    // list would leave inquirer's cursor misplaced after a refused answer.
    return { ...base, type: "input", validate: (v: string, answers: Answers) => validateWith(splitList(v), answers) };
  }
  return {
    ...base,
    type: "input",
    filter: (v: string) => v.trim(),
    validate: (value: string, answers: Answers) => {
      if (p.required && value === "") return `${p.prompt} is required.`;
      return validateWith(value, answers);
    },
  };
}
