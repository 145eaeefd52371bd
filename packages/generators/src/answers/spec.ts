// What a generator's parameters are: the flags, the prompts, the defaults,
// the checks, --help and the docs' reference table all come from one
// declaration per parameter. Each check sees the answers known so far and
// where each came from, so the same rule words its reason for a flag or for
// a prompt. The specs themselves live in generators/<name>/spec.ts.
import type { Reason } from "./rules.js";
import type { RepoView } from "../repo/tree.js";

export type Answers = Record<string, string | string[] | boolean | undefined>;

/** Where an answer came from: a flag (or a planner's caller), or a prompt. */
export type Origin = "flag" | "prompt";

export interface CheckContext {
  repo: RepoView;
  /** Every answer known so far: flags, earlier prompts, defaults. */
  answers: Answers;
  /** Where an answer came from; undefined for a default. */
  origin: (name: string) => Origin | undefined;
  /** A file an answer names (--ssh-key-file), relative to where gen runs; undefined when unreadable. */
  readFile: (path: string) => string | undefined;
}

export interface Param {
  /** The answer's key (as in HostAnswers / UserAnswers). */
  name: string;
  /** The long flag, without dashes. */
  flag: string;
  kind: "string" | "choice" | "list" | "boolean";
  /** The question a person is asked; a parameter without one is a flag only. */
  prompt?: string;
  /** The question as asked, when it depends on earlier answers (else `prompt`). */
  promptFor?: (answers: Answers) => string;
  /** One line for --help and the docs. */
  help: string;
  required: boolean;
  /** Filled by the bare argument of the short form (`pnpm gen host web1`). */
  positional?: boolean;
  /**
   * list: a flag that takes several arguments (`--override-input <name> <flake-ref>`),
   * named here for --help; cli/flag-values.ts joins each occurrence's into one answer, space-separated.
   */
  values?: readonly string[];
  /** list: whether one flag value may hold several, comma-separated (an SSH key's comment may hold a comma). */
  commaSeparated?: boolean;
  choices?: readonly string[] | ((repo: RepoView, answers: Answers) => string[]);
  /** The choices in the order a prompt offers them, when that depends on the answers (else `choices`). */
  order?: (repo: RepoView, answers: Answers) => readonly string[];
  /** A few words on each choice, shown beside it in the prompt. */
  choiceNotes?: Record<string, string>;
  /** A function sees the answers so far and, where known, the repository. */
  default?: string | boolean | ((answers: Answers, repo?: RepoView) => string | boolean | undefined);
  /** Shown in help/docs when the default is computed. */
  defaultText?: string;
  /** Asked (and defaulted) only when this holds. */
  when?: (answers: Answers) => boolean;
  /** One value (each item of a list). */
  check?: (value: string, ctx: CheckContext) => Reason;
  /** A list as a whole (duplicates, at least one). */
  checkList?: (values: string[], ctx: CheckContext) => Reason;
}

/** Answers `A` once resolved: those named in `D` always hold a value (their default is declared in the spec). */
export type WithDefaults<A extends Answers, D extends keyof A> = A & { [K in D]-?: Exclude<A[K], undefined> };

/**
 * A generator's parameters. `A`, its answers, and `D`, the answers with a
 * declared default, are for the type checker only: resolveAnswers infers
 * them from the spec and returns WithDefaults<A, D>, so a resolver reads
 * its answers without casts; specs of different answers still share one
 * registry (the parameters themselves are untyped records).
 */
// oxlint-disable-next-line no-unused-vars -- D is read by resolveAnswers' inference only
export interface GeneratorSpec<A extends Answers = Answers, D extends keyof A = never> {
  name: string;
  description: string;
  params: Param[];
  /** A full non-interactive call, for --help and the docs. */
  example: string;
  /** The shortest call that works, for error messages. */
  minimal: string;
  /** false: runs on a fork without hosts (default: every generator but host needs one). */
  needsHost?: boolean;
}

/** The value given twice in a list, if any. */
export const twice = (values: string[]) => values.find((v, i) => values.indexOf(v) !== i);

/** What the docs' reference table shows for a parameter. */
export interface ParamDoc {
  name: string;
  flag: string;
  /** "(flag only)" for one that is never asked. */
  prompt: string;
  help: string;
  default?: string;
  required: boolean;
  repeatable: boolean;
  choices?: string[];
}

export function paramDocs(spec: GeneratorSpec): ParamDoc[] {
  return spec.params.map((p) => ({
    name: p.name,
    flag: `--${p.flag}`,
    prompt: p.prompt ?? "(flag only)",
    help: p.help,
    ...(defaultText(p) !== undefined ? { default: defaultText(p) } : {}),
    required: p.required,
    repeatable: p.kind === "list",
    ...(Array.isArray(p.choices) ? { choices: [...p.choices] } : {}),
  }));
}

/** A parameter's default as --help and the docs' table both say it (undefined: none to say). */
export function defaultText(p: Param): string | undefined {
  if (p.defaultText) return p.defaultText;
  if (p.default === undefined || typeof p.default === "function" || p.default === "") return undefined;
  return String(p.default);
}
