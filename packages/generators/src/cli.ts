// `pnpm gen <host|user> [name] [--flags]`: flags → answers, prompts (through
// Plop) for what is missing in a terminal, then plan, check and write.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { GenError } from "./errors.js";
import { fsErrorMessage } from "./fs-errors.js";
import { type Answers, type GeneratorSpec, SPECS } from "./params.js";
import { withDefaults } from "./plop.js";
import { fsRepo } from "./repo.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
  cwd: string;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t + "\n"),
  err: (t) => process.stderr.write(t + "\n"),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  cwd: process.env.INIT_CWD ?? process.cwd(),
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof GenError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    // A file-system failure anywhere (reading, locking, cleaning up) is one line too.
    const fsMessage = fsErrorMessage(error, io.cwd);
    if (fsMessage !== undefined) {
      io.err(`error: ${fsMessage}`);
      return 1;
    }
    throw error;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(generalHelp());
    return command === undefined ? 1 : 0;
  }
  const spec = (SPECS as Record<string, GeneratorSpec>)[command];
  if (!spec) throw new GenError(`There is no generator called ${JSON.stringify(command)}: use host or user (see pnpm gen --help).`);

  const flags = parseFlags(spec, rest);
  if (flags.help) {
    io.out(generatorHelp(spec));
    return 0;
  }
  const root = findRoot(flags.root ?? io.cwd);
  const { runGenerator, settleRepo } = await import("./run.js");
  // What a killed run left is settled before any answer is checked against the tree.
  if (!flags.dryRun) await settleRepo(root, io.err);
  const repo = fsRepo(root);
  const preset = flags.answers;

  // Check every answer given as a flag before asking or planning anything.
  for (const p of spec.params) {
    const value = preset[p.name];
    if (value === undefined || !p.check) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== "string" || (v === "" && !p.required && p.kind !== "list")) continue;
      const reason = p.check(v, repo, preset);
      if (reason) throw new GenError(reason);
    }
  }
  if (!io.interactive) {
    const missing = spec.params.filter((p) => p.required && (preset[p.name] === undefined || (Array.isArray(preset[p.name]) && (preset[p.name] as string[]).length === 0)));
    if (missing.length > 0) {
      const flagsList = missing.map((p) => `--${p.flag}`).join(" and ");
      throw new GenError(`Missing ${flagsList}: pass ${missing.length > 1 ? "them as flags" : "it as a flag"} (e.g. ${spec.minimal}), or run in a terminal to be asked.`);
    }
  }

  const answers = io.interactive ? await promptWithPlop(spec, root, preset) : withDefaults(spec, preset);
  io.out(await runGenerator(spec.name, answers, { root, dryRun: flags.dryRun, note: io.err }));
  return 0;
}

/** Asks for the missing answers through Plop's prompts; the caller plans and writes. */
async function promptWithPlop(spec: GeneratorSpec, root: string, preset: Answers): Promise<Answers> {
  const { default: nodePlop } = await import("node-plop");
  const { registerGenerators } = await import("./plop.js");
  const plop = await nodePlop(undefined, { destBasePath: root, force: false });
  registerGenerators(plop, { root, preset, interactive: true });
  return (await plop.getGenerator(spec.name).runPrompts()) as Answers;
}

interface Flags {
  answers: Answers;
  dryRun: boolean;
  help: boolean;
  root?: string;
}

function parseFlags(spec: GeneratorSpec, args: string[]): Flags {
  const options: ParseArgsConfig["options"] = {
    "dry-run": { type: "boolean" },
    help: { type: "boolean", short: "h" },
    root: { type: "string" },
  };
  for (const p of spec.params) {
    options[p.flag] = p.kind === "boolean" ? { type: "boolean" } : { type: "string", multiple: p.kind === "list" };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const detail = (error as Error).message.replace(/\. To specify a positional.*$/s, "").replace(/\.$/, "");
    throw new GenError(`${detail}: see pnpm gen ${spec.name} --help for the flags.`);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const answers: Answers = {};
  for (const p of spec.params) {
    const v = values[p.flag];
    if (v === undefined) continue;
    // Each value may hold several, comma-separated; an empty one is kept so that it is refused.
    answers[p.name] = p.kind === "list" ? (v as string[]).flatMap((s) => s.split(",").map((x) => x.trim())) : v;
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
  return {
    answers,
    dryRun: values["dry-run"] === true,
    help: values.help === true,
    ...(typeof values.root === "string" ? { root: values.root } : {}),
  };
}

/** The nearest folder at or above `start` that holds flake.nix. */
function findRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "flake.nix"))) return dir;
    if (dirname(dir) === dir) {
      throw new GenError(`There is no flake.nix in ${resolve(start)} or above it: run pnpm gen inside your fork, or pass --root <dir>.`);
    }
  }
}

function generalHelp(): string {
  return [
    "Usage: pnpm gen <generator> [name] [flags]",
    "",
    "Generators:",
    ...Object.values(SPECS).map((s) => `  ${s.name.padEnd(6)}${s.description}`),
    "",
    "Run `pnpm gen <generator> --help` for its flags. Without flags, a terminal is asked",
    "each question; without a terminal, missing required flags are an error.",
  ].join("\n");
}

export function generatorHelp(spec: GeneratorSpec): string {
  const rows = spec.params.map((p) => {
    const value = p.kind === "boolean" ? "" : p.kind === "choice" && Array.isArray(p.choices) ? ` <${p.choices.join("|")}>` : " <value>";
    const left = `--${p.flag}${value}`;
    const notes = [p.required ? "required" : undefined, p.kind === "list" ? "repeatable" : undefined, defaultNote(p)].filter(Boolean).join(", ");
    return `  ${left.padEnd(34)}${p.help}${notes ? ` (${notes})` : ""}`;
  });
  const positional = spec.params.find((p) => p.positional);
  return [
    `Usage: pnpm gen ${spec.name} [${positional?.flag ?? "name"}] [flags]`,
    "",
    spec.description,
    "",
    "Flags:",
    ...rows,
    `  ${"--dry-run".padEnd(34)}Print the plan and the diffs; write nothing.`,
    `  ${"--root <dir>".padEnd(34)}The repository (default: the nearest folder with flake.nix).`,
    `  ${"-h, --help".padEnd(34)}Show this help.`,
    "",
    `Example: ${spec.example}`,
  ].join("\n");
}

function defaultNote(p: GeneratorSpec["params"][number]): string | undefined {
  if (p.defaultText) return `default: ${p.defaultText}`;
  if (p.default === undefined || typeof p.default === "function" || p.default === "" || p.kind === "boolean") return undefined;
  return `default: ${String(p.default)}`;
}
