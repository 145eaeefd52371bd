// The one resolve step: raw answers (from flags, prompts or a planner's
// caller) → checked answers with their defaults. Flags are checked here
// before anything is asked, each prompt validates its answer with the same
// rule (checkAnswer), and the planners resolve what they are given, so no
// rule lives twice.
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { type Target, checkTarget, parseTarget } from "./deploy-target.js";
import { GenError } from "../report/errors.js";
import type { Answers, CheckContext, GeneratorSpec, Origin, Param, WithDefaults } from "./spec.js";
import type { RepoView } from "../repo/tree.js";
import { keysInFile } from "./ssh-keys.js";

export interface ResolveOptions {
  /** Where each answer came from; an answer not listed counts as a flag (a planner's caller). */
  origins?: Record<string, Origin>;
  /** The folder --ssh-key-file and --hardware-config paths are relative to (default: the process's). */
  cwd?: string;
  /** Files outside the repository that answers name, by path: when given, read instead of the disk (the catalogue's runs). */
  files?: Record<string, string>;
}

export function checkContext(repo: RepoView, answers: Answers, options: ResolveOptions = {}): CheckContext {
  return {
    repo,
    answers,
    origin: (name) => options.origins?.[name] ?? (answers[name] !== undefined ? "flag" : undefined),
    readFile: (path) => {
      if (options.files) return Object.hasOwn(options.files, path) ? options.files[path] : undefined;
      try {
        return readFileSync(resolvePath(options.cwd ?? process.cwd(), path), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** The reason `value` is refused as the answer to `p`, or undefined. */
export function checkAnswer(p: Param, value: Answers[string], ctx: CheckContext): string | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const reason = p.check?.(v, ctx);
      if (reason) return reason;
    }
    return p.checkList?.(value, ctx);
  }
  // An optional answer left empty takes its default (an empty email stays empty).
  if (value === "" && !p.required) return undefined;
  return p.check?.(value, ctx);
}

/** Checks the answers given so far (flags), before anything is asked. */
export function checkGiven(spec: GeneratorSpec, repo: RepoView, answers: Answers, options: ResolveOptions = {}): void {
  const ctx = checkContext(repo, answers, options);
  for (const p of spec.params) {
    const reason = checkAnswer(p, answers[p.name], ctx);
    if (reason) throw new GenError(reason);
  }
}

/** A prompt's comma-separated answer as a list (commas only: "bob smith" stays one, and is refused). */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function defaultOf(p: Param, answers: Answers, repo?: RepoView): Answers[string] {
  const value = typeof p.default === "function" ? p.default(answers, repo) : p.default;
  if (value === undefined) return undefined;
  return p.kind === "list" ? splitList(String(value)) : value;
}

/** Fills unanswered (or, when optional, empty) parameters with their defaults. */
export function withDefaults(spec: GeneratorSpec, answers: Answers, repo?: RepoView): Answers {
  const out: Answers = { ...answers };
  for (const p of spec.params) {
    if (p.when && !p.when(out)) continue;
    const given = out[p.name];
    if (given !== undefined && !(given === "" && !p.required && p.kind === "string")) continue;
    const value = defaultOf(p, out, repo);
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}

/** Every answer checked, with its default where none was given; throws the first reason. */
export function resolveAnswers<A extends Answers, D extends keyof A>(spec: GeneratorSpec<A, D>, repo: RepoView, raw: Answers, options: ResolveOptions = {}): WithDefaults<A, D> {
  const answers = withDefaults(spec, raw, repo);
  const ctx = checkContext(repo, answers, options);
  for (const p of spec.params) {
    if (p.required && answers[p.name] === undefined) throw new GenError(`Missing --${p.flag}: pass it as a flag (e.g. ${spec.minimal}).`);
    const reason = checkAnswer(p, answers[p.name], ctx);
    if (reason) throw new GenError(reason);
  }
  // Checked against the spec's own rules, with every declared default filled in.
  return answers as WithDefaults<A, D>;
}

/**
 * The parsed target of a checked --target-host answer; none when it is
 * absent or a prompt's answer left empty. An empty flag is refused.
 */
export function targetOf(value: Answers[string], ctx: CheckContext): { target?: Target } {
  if (value === "" && ctx.origin("targetHost") !== "prompt") throw new GenError(checkTarget("")!);
  if (typeof value !== "string" || value === "") return {};
  const target = parseTarget(value);
  return "reason" in target ? {} : { target };
}

/** The keys of --ssh-key-file read into the answers' SSH keys, so the plan needs no file outside the repository. */
export function inlineKeyFiles(answers: Answers, cwd: string): Answers {
  const files = answers.sshKeyFiles;
  if (!Array.isArray(files) || files.length === 0) return answers;
  const ctx = checkContext(fsLessRepo, answers, { cwd });
  const keys = files.flatMap((f) => keysInFile(ctx.readFile(f) ?? ""));
  const { sshKeyFiles: _, ...rest } = answers;
  const given = Array.isArray(answers.sshKeys) ? answers.sshKeys : [];
  return { ...rest, sshKeys: [...given, ...keys] };
}

const fsLessRepo: RepoView = { read: () => undefined, listDir: () => [], listFiles: () => [] };
