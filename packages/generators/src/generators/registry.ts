// Every generator that answers flags and prompts, by name: the CLI, --help,
// the plopfile, the scenario catalogue, the docs' flag tables and index.ts
// all read this one map. Adding a generator is its folder (spec.ts, plan.ts,
// index.ts), its templates and one line here. Each entry is a dynamic import,
// so `gen host` loads gen host's modules only.
import type { ResolveOptions } from "../answers/resolve.js";
import type { Answers, GeneratorSpec } from "../answers/spec.js";
import type { RepoView } from "../repo/tree.js";
import type { Plan } from "../write/plan.js";

/** One generator: its parameters and its planner of checked answers. */
/** Plans are given the answers as a record: each planner resolves and checks them against its spec first. */
export interface Generator {
  spec: GeneratorSpec;
  // A method, so each generator declares its own answers type (HostAnswers is an Answers record).
  plan(repo: RepoView, answers: Answers, options?: ResolveOptions): Plan;
}

/** A generator's module, loaded on first use. */
export type Loader = () => Promise<Generator>;

export type Registry = Readonly<Record<string, Loader>>;

export const REGISTRY = {
  host: () => import("./host/index.js").then((m) => m.generator),
  user: () => import("./user/index.js").then((m) => m.generator),
  deploy: () => import("./deploy/index.js").then((m) => m.generator),
} as const satisfies Registry;

export type GeneratorName = keyof typeof REGISTRY;

/** Every generator of `registry`, loaded, in registry order. */
export async function loadAll<R extends Registry>(registry: R): Promise<{ [K in keyof R]: Generator }> {
  const names = Object.keys(registry) as (keyof R & string)[];
  const loaded = await Promise.all(names.map((n) => registry[n]!()));
  return Object.fromEntries(names.map((n, i) => [n, loaded[i]])) as { [K in keyof R]: Generator };
}
