// A generator's flags → its answers: every parameter of its spec as a flag
// (booleans also as --no-<flag>), the bare name, and the CLI's own
// --dry-run, --yes, --help and --root. A repeated single-value flag is refused.
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Answers, GeneratorSpec } from "../answers/spec.js";
import { joinFlagValues } from "./flag-values.js";
import { GenError } from "../report/errors.js";

export interface Flags {
  answers: Answers;
  dryRun: boolean;
  help: boolean;
  /** Write without asking "Write N files?". */
  yes: boolean;
  root?: string;
}

export function parseFlags(spec: GeneratorSpec, args: string[]): Flags {
  // Every flag is parsed as repeatable, so that a repeated single-value one
  // can be refused instead of silently keeping the last.
  const options: ParseArgsConfig["options"] = {
    "dry-run": { type: "boolean", multiple: true },
    yes: { type: "boolean", short: "y", multiple: true },
    help: { type: "boolean", short: "h", multiple: true },
    root: { type: "string", multiple: true },
  };
  for (const p of spec.params) {
    options[p.flag] = { type: p.kind === "boolean" ? "boolean" : "string", multiple: true };
    if (p.kind === "boolean") options[`no-${p.flag}`] = { type: "boolean", multiple: true };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinFlagValues(spec, args), options, allowPositionals: true, strict: true });
  } catch (error) {
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec((error as Error).message);
    if (ambiguous) {
      const flag = ambiguous[1]!;
      throw new GenError(`The value after ${flag} starts with "-", so it reads as another flag: give the value itself, or write ${flag}=<value> if it really starts with "-".`);
    }
    const detail = (error as Error).message.replace(/\. To specify a positional.*$/s, "").replace(/\.$/, "");
    throw new GenError(`${detail}: see pnpm gen ${spec.name} --help for the flags.`);
  }
  const values = parsed.values as Record<string, Array<string | boolean> | undefined>;
  const once = (flag: string): string | boolean | undefined => {
    const given = values[flag];
    if (given === undefined) return undefined;
    if (given.length > 1 && typeof given[0] === "string") {
      throw new GenError(`--${flag} is given ${given.length} times (${given.join(", ")}): give it once.`);
    }
    return given[0];
  };
  const answers: Answers = {};
  for (const p of spec.params) {
    if (p.kind === "list") {
      const v = values[p.flag] as string[] | undefined;
      // A value may hold several, comma-separated; an empty one is kept so that it is refused.
      if (v !== undefined) answers[p.name] = p.commaSeparated ? v.flatMap((s) => s.split(",").map((x) => x.trim())) : v.map((x) => x.trim());
    } else if (p.kind === "boolean") {
      const on = once(p.flag) === true;
      const off = once(`no-${p.flag}`) === true;
      if (on && off) throw new GenError(`Both --${p.flag} and --no-${p.flag} are given: give one.`);
      if (on || off) answers[p.name] = on;
    } else {
      const v = once(p.flag);
      if (v !== undefined) answers[p.name] = v;
    }
  }
  const positional = spec.params.find((p) => p.positional);
  if (parsed.positionals.length > 1) {
    throw new GenError(`Too many arguments (${parsed.positionals.join(" ")}): give only the ${positional?.flag ?? "name"}, and everything else as flags.`);
  }
  const [bare] = parsed.positionals;
  if (bare !== undefined && positional) {
    if (answers[positional.name] !== undefined && answers[positional.name] !== bare) {
      throw new GenError(`The name is given twice (${bare} and --${positional.flag} ${String(answers[positional.name])}): give it once.`);
    }
    answers[positional.name] = bare;
  }
  const root = once("root");
  return {
    answers,
    dryRun: once("dry-run") === true,
    help: once("help") === true,
    yes: once("yes") === true,
    ...(typeof root === "string" ? { root } : {}),
  };
}
