// `pnpm gen <host|user> [name] [--flags]`: flags → answers, prompts (through
// Plop) for what is missing in a terminal, then plan, check and write.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { GenError } from "../report/errors.js";
import { fsErrorMessage } from "../report/fs-errors.js";
import type { Answers, GeneratorSpec } from "../answers/spec.js";
import { type Loader, REGISTRY, type Registry, loadAll } from "../generators/registry.js";
import type { ApplyHooks } from "../write/apply.js";
import type { Plan } from "../write/plan.js";
import { shortKey } from "../answers/ssh-keys.js";
import { changeVerb, fsRepo } from "../repo/tree.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
  cwd: string;
  /** Standard input (default process.stdin): a value a generator reads from a pipe. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t + "\n"),
  err: (t) => process.stderr.write(t + "\n"),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  cwd: process.env.INIT_CWD ?? process.cwd(),
};

/** What a caller other than bin/gen.mjs may change: the tests' injected failures, a registry with more generators. */
export interface MainOptions {
  hooks?: ApplyHooks;
  registry?: Registry;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo, options: MainOptions = {}): Promise<number> {
  try {
    return await run(argv, io, options);
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

async function run(argv: string[], io: Io, options: MainOptions): Promise<number> {
  const registry: Registry = options.registry ?? REGISTRY;
  const hooks = options.hooks ? { hooks: options.hooks } : {};
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(await generalHelp(registry));
    return command === undefined ? 1 : 0;
  }
  if (command === "remove") return runRemove(rest, io, hooks);
  const load: Loader | undefined = Object.hasOwn(registry, command) ? registry[command] : undefined;
  if (!load) throw new GenError(`There is no generator called ${JSON.stringify(command)}: use host, user, deploy or remove (see pnpm gen --help).`);

  const generator = await load();
  const { spec } = generator;
  const flags = parseFlags(spec, rest);
  if (flags.help) {
    io.out(generatorHelp(spec));
    return 0;
  }
  const root = findRoot(flags.root ?? io.cwd);
  // Loaded only once a generator is chosen: --help and a wrong name need neither.
  const [{ runGenerator, settleRepo }, { checkGiven, inlineKeyFiles, resolveAnswers }] = await Promise.all([import("./run.js"), import("../answers/resolve.js")]);
  // What a killed run left is settled before any answer is checked against the tree.
  if (!flags.dryRun) await settleRepo(root, io.err);
  const repo = fsRepo(root);
  const preset = flags.answers;

  // gen user and gen deploy need a host: said before any question, which could not be answered.
  if (spec.needsHost !== false && spec.name !== "host" && (await import("../repo/facts.js")).listHosts(repo).length === 0) {
    throw new GenError("There are no hosts yet (no hosts/<name>/configuration.nix): add one first with pnpm gen host <name>.");
  }
  if (!io.interactive) {
    const missing = spec.params.filter((p) => p.required && (preset[p.name] === undefined || (Array.isArray(preset[p.name]) && (preset[p.name] as string[]).length === 0)));
    if (missing.length > 0) {
      const flagsList = missing.map((p) => `--${p.flag}`).join(" and ");
      throw new GenError(`Missing ${flagsList}: pass ${missing.length > 1 ? "them as flags" : "it as a flag"} (e.g. ${spec.minimal}), or run in a terminal to be asked.`);
    }
  }
  // Every answer given as a flag is checked before anything is asked.
  checkGiven(spec, repo, preset, { cwd: io.cwd });

  if (generator.command) {
    // Missing answers are asked as for any generator; what is its own to ask
    // (a hidden value, the host's name typed to confirm) it asks itself.
    let raw = preset;
    if (io.interactive) {
      const cancel = cancelOnCtrlC(io);
      try {
        raw = await promptWithPlop(spec, root, preset, io.cwd);
      } finally {
        cancel.dispose();
      }
    }
    const answers = inlineKeyFiles(resolveAnswers(spec, repo, raw, { cwd: io.cwd }), io.cwd);
    const confirm = io.interactive && !flags.yes && !flags.dryRun ? async (plan: Plan) => (await askToWrite(plan, io)) === "yes" : undefined;
    return generator.command(answers, {
      root,
      cwd: io.cwd,
      dryRun: flags.dryRun,
      yes: flags.yes,
      interactive: io.interactive,
      out: io.out,
      note: io.err,
      stdin: io.stdin ?? process.stdin,
      ...(confirm ? { confirm } : {}),
      ...hooks,
    });
  }
  if (!io.interactive) {
    const answers = inlineKeyFiles(resolveAnswers(spec, repo, preset, { cwd: io.cwd }), io.cwd);
    io.out(await runGenerator(generator, answers, { root, dryRun: flags.dryRun, note: io.err, cwd: io.cwd, ...hooks }));
    return 0;
  }

  // In a terminal: the missing answers, a recap, then "Write N files?".
  // Ctrl-C anywhere before the write says that nothing was written.
  const cancel = cancelOnCtrlC(io);
  try {
    const raw = await promptWithPlop(spec, root, preset, io.cwd);
    const origins = Object.fromEntries(Object.keys(raw).map((k) => [k, preset[k] !== undefined ? "flag" : "prompt"] as const));
    const answers = inlineKeyFiles(resolveAnswers(spec, repo, raw, { origins, cwd: io.cwd }), io.cwd);
    if (flags.dryRun || flags.yes) {
      cancel.dispose();
      io.out(await runGenerator(generator, answers, { root, dryRun: flags.dryRun, note: io.err, cwd: io.cwd, ...hooks }));
      return 0;
    }
    io.out(recap(spec, answers));
    let cancelled = false;
    const confirm = async (plan: Plan) => {
      const answer = await askToWrite(plan, io);
      if (answer === "cancel") cancelled = true;
      else cancel.dispose(); // the write itself defers Ctrl-C until it is whole
      return answer === "yes";
    };
    const report = await runGenerator(generator, answers, { root, dryRun: false, note: io.err, confirm, cwd: io.cwd, ...hooks });
    if (cancelled) return cancel.now();
    io.out(report);
    return 0;
  } finally {
    cancel.dispose();
  }
}

/** `pnpm gen remove host|user <name>`: plan, confirm (or --yes), write, through the same run as the adds. */
async function runRemove(args: string[], io: Io, hooks: { hooks?: ApplyHooks }): Promise<number> {
  const { confirmRemoval, parseRemove, removeHelp } = await import("./remove.js");
  const command = parseRemove(args);
  if (command.help) {
    const what = args[0] === "host" || args[0] === "user" ? args[0] : undefined;
    io.out(removeHelp(what));
    return what === undefined && args.length === 0 ? 1 : 0;
  }
  const root = findRoot(command.root ?? io.cwd);
  const { runPlanner, settleRepo } = await import("./run.js");
  const { planRemoveHost, planRemoveUser } = await import("../generators/remove/plan.js");
  if (!command.dryRun) await settleRepo(root, io.err);
  let cancelled = false;
  const planner = () =>
    command.what === "host" ? planRemoveHost(fsRepo(root), { name: command.name }) : planRemoveUser(fsRepo(root), { name: command.name, hosts: command.hosts });
  const report = await runPlanner(`gen remove ${command.what} ${command.name}`, planner, {
    root,
    dryRun: command.dryRun,
    note: io.err,
    confirm: confirmRemoval(command, io, () => (cancelled = true)),
    declined: "Nothing removed.",
    ...hooks,
  });
  if (cancelled) {
    io.err("\r\u001b[2K\nCancelled: nothing was removed.");
    return 130;
  }
  io.out(report);
  return 0;
}

/** Ctrl-C during the questions: one line, then the process ends as interrupted (status 130). */
function cancelOnCtrlC(io: Io): { dispose: () => void; now: () => number } {
  const now = (): number => {
    dispose();
    // Start on a fresh line: the prompt's own line may hold the half-typed answer.
    io.err("\r\u001b[2K\nCancelled: nothing was written.");
    // Ending by SIGINT (status 130), as an interrupted program does, rather
    // than exiting: the shell and pnpm see an interruption. (Under pnpm gen,
    // pnpm still adds its own ELIFECYCLE line, after this one.)
    process.removeAllListeners("SIGINT");
    process.kill(process.pid, "SIGINT");
    return 130;
  };
  const onSignal = () => void now();
  // Inquirer answers Ctrl-C by closing its prompt and sending SIGINT to this
  // process; without something pending, Node would exit (status 13) first.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const dispose = () => {
    clearInterval(keepAlive);
    process.removeListener("SIGINT", onSignal);
  };
  process.on("SIGINT", onSignal);
  return { dispose, now };
}

/** The answers, one a line with their flag, as the last look before writing. */
export function recap(spec: GeneratorSpec, answers: Answers): string {
  const rows: string[] = [];
  for (const p of spec.params) {
    const value = answers[p.name];
    if (value === undefined || p.name === "sshKeyFiles") continue;
    const shown =
      typeof value === "boolean" ? (value ? "yes" : "no")
      : Array.isArray(value) ? (value.length === 0 ? "none" : value.map((v) => (p.name === "sshKeys" ? shortKey(v) : v)).join(", "))
      : value === "" ? "none" : value;
    rows.push(`  ${`--${p.flag}`.padEnd(16)}${shown}`);
  }
  return ["", `gen ${spec.name} with:`, ...rows, ""].join("\n");
}

/** "Write N files? (Y/n)": yes on Enter, y or yes; no on n or no; cancel on Ctrl-C. */
async function askToWrite(plan: Plan, io: Io): Promise<"yes" | "no" | "cancel"> {
  const { createInterface } = await import("node:readline/promises");
  io.out(plan.changes.map((c) => `  ${changeVerb(c)} ${c.path}`).join("\n"));
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const cancelled = new Promise<"cancel">((resolve) => rl.once("SIGINT", () => resolve("cancel")));
  try {
    for (;;) {
      const n = plan.changes.length;
      const typed = await Promise.race([rl.question(`Write ${n} file${n === 1 ? "" : "s"}? (Y/n) `), cancelled]);
      if (typed === "cancel") return "cancel";
      const word = typed.trim().toLowerCase();
      if (word === "" || word === "y" || word === "yes") return "yes";
      if (word === "n" || word === "no") return "no";
    }
  } finally {
    rl.close();
  }
}

/** Asks for the missing answers through Plop's prompts; the caller plans and writes. */
async function promptWithPlop(spec: GeneratorSpec, root: string, preset: Answers, cwd: string): Promise<Answers> {
  const { default: nodePlop } = await import("node-plop");
  const { registerGenerators } = await import("./plop.js");
  const plop = await nodePlop(undefined, { destBasePath: root, force: false });
  registerGenerators(plop, { root, preset, interactive: true, cwd });
  return (await plop.getGenerator(spec.name).runPrompts()) as Answers;
}

interface Flags {
  answers: Answers;
  dryRun: boolean;
  help: boolean;
  /** Write without asking "Write N files?". */
  yes: boolean;
  root?: string;
}

function parseFlags(spec: GeneratorSpec, args: string[]): Flags {
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
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
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

/** The nearest folder at or above `start` that holds flake.nix. */
function findRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "flake.nix"))) return dir;
    if (dirname(dir) === dir) {
      throw new GenError(`There is no flake.nix in ${resolve(start)} or above it: run pnpm gen inside your fork, or pass --root <dir>.`);
    }
  }
}

async function generalHelp(registry: Registry): Promise<string> {
  const specs = Object.values(await loadAll(registry)).map((g) => g.spec);
  return [
    "Usage: pnpm gen <generator> [name] [flags]",
    "",
    "Generators:",
    ...specs.map((s) => `  ${s.name.padEnd(8)}${s.description}`),
    `  ${"remove".padEnd(8)}Remove a host, or a user from some hosts or everywhere (pnpm gen remove --help).`,
    "",
    "Run `pnpm gen <generator> --help` for its flags. In a terminal, each missing answer is",
    "asked and checked, then a recap asks before writing; without one, missing required flags are an error.",
  ].join("\n");
}

export function generatorHelp(spec: GeneratorSpec): string {
  const rows = spec.params.map((p) => {
    const value = p.kind === "boolean" ? "" : p.kind === "choice" && Array.isArray(p.choices) ? ` <${p.choices.join("|")}>` : " <value>";
    const left = p.kind === "boolean" && p.default === true ? `--${p.flag}, --no-${p.flag}` : `--${p.flag}${value}`;
    const notes = [p.required ? "required" : undefined, p.kind === "list" ? "repeatable" : undefined, defaultNote(p)].filter(Boolean).join(", ");
    // A flag too long for the column (--system's four choices) takes a line of its own.
    const lead = left.length < 34 ? left.padEnd(34) : `${left}\n  ${"".padEnd(34)}`;
    return `  ${lead}${p.help}${notes ? ` (${notes})` : ""}`;
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
    `  ${"-y, --yes".padEnd(34)}In a terminal, write without asking "Write N files?" after the recap.`,
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
