// Every generator that answers flags and prompts, by name: the CLI, --help,
// the plopfile, the scenario catalogue, the docs' flag tables and index.ts
// all read this one map. Adding a generator is its folder (spec.ts, plan.ts,
// index.ts), its templates and one line here. Each entry is a dynamic import,
// so `gen host` loads gen host's modules only.
import type { ResolveOptions } from "../answers/resolve.js";
import type { Answers, GeneratorSpec } from "../answers/spec.js";
import type { RepoView } from "../repo/tree.js";
import type { ApplyHooks } from "../write/apply.js";
import type { Plan } from "../write/plan.js";
import type { Terminal } from "../cli/terminal.js";

/**
 * What the CLI hands a generator that runs itself (see Generator.command).
 * @public for the generators with a command.
 */
export interface CommandContext {
  root: string;
  /** The folder relative paths in answers are read from (where `pnpm gen` was run). */
  cwd: string;
  dryRun: boolean;
  /** --yes: write (or act) without asking. */
  yes: boolean;
  /** Standard input and output are a terminal: questions may be asked. */
  interactive: boolean;
  /** The report, on stdout. */
  out: (text: string) => void;
  /** Notes and progress, on stderr. */
  note: (text: string) => void;
  /** Standard input, for a value piped in (never a flag: argv is visible in ps). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where a command asks its own questions (a hidden value, a confirmation). */
  terminal: Terminal;
  /** Asks "Write N files?" in a terminal; undefined with --yes, --dry-run or no terminal. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Failures and pauses injected into the write, by tests only. */
  hooks?: ApplyHooks;
}

/**
 * One generator: its parameters, and either its planner of checked answers
 * (the CLI then plans, checks, confirms and writes through cli/run.ts), or a
 * command that does more than one plan (runs a program, evaluates, merges):
 * the CLI parses and checks its flags, then hands over; it returns the exit code.
 */
export interface Generator {
  spec: GeneratorSpec;
  // A method, so each generator declares its own answers type (HostAnswers is an Answers record).
  plan?(repo: RepoView, answers: Answers, options?: ResolveOptions): Plan;
  command?(answers: Answers, ctx: CommandContext): Promise<number>;
}

/** A generator's module, loaded on first use. */
export type Loader = () => Promise<Generator>;

export type Registry = Readonly<Record<string, Loader>>;

export const REGISTRY = {
  host: () => import("./host/index.js").then((m) => m.generator),
  user: () => import("./user/index.js").then((m) => m.generator),
  deploy: () => import("./deploy/index.js").then((m) => m.generator),
  secret: () => import("./secret/index.js").then((m) => m.generator),
  install: () => import("./install/index.js").then((m) => m.generator),
  fix: () => import("./fix/index.js").then((m) => m.generator),
  upgrade: () => import("./upgrade/index.js").then((m) => m.generator),
  update: () => import("./update/index.js").then((m) => m.generator),
} as const satisfies Registry;

export type GeneratorName = keyof typeof REGISTRY;

/** Every generator of `registry`, loaded, in registry order. */
export async function loadAll<R extends Registry>(registry: R): Promise<{ [K in keyof R]: Generator }> {
  const names = Object.keys(registry) as (keyof R & string)[];
  const loaded = await Promise.all(names.map((n) => registry[n]!()));
  return Object.fromEntries(names.map((n, i) => [n, loaded[i]])) as { [K in keyof R]: Generator };
}
