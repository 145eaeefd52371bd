// `pnpm gen <host|user> [name] [--flags]`: flags → answers, prompts (through
// Plop) for what is missing in a terminal, then plan, check and write.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Cancelled, GenError } from "../report/errors.js";
import { fsErrorMessage } from "../report/fs-errors.js";
import type { Answers } from "../answers/spec.js";
import { type Generator, type Loader, REGISTRY, type Registry } from "../generators/registry.js";
import type { ApplyHooks } from "../write/apply.js";
import type { Plan } from "../write/plan.js";
import { fsRepo } from "../repo/tree.js";
import { askToWrite, cancelOnCtrlC, recap } from "./confirm.js";
import { parseFlags } from "./flags.js";
import { generalHelp, generatorHelp } from "./help.js";
import { type Terminal, processTerminal } from "./terminal.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
  cwd: string;
  /** Standard input (default process.stdin): a value a generator reads from a pipe. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where questions are asked (default the process's stdin and stdout): a fake one runs the prompts in tests. */
  terminal?: Terminal;
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
    if (error instanceof Cancelled) {
      io.err("\r\u001b[2K\n" + error.message);
      return 130;
    }
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
  if (!load) throw new GenError(`There is no generator called ${JSON.stringify(command)}: use ${Object.keys(registry).join(", ")} or remove (see pnpm gen --help).`);

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
    const missing = spec.params.filter((p) => {
      const given = preset[p.name];
      return p.required && (given === undefined || (Array.isArray(given) && given.length === 0));
    });
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
        raw = await promptWithPlop(generator, root, preset, io);
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
      terminal: io.terminal ?? processTerminal(),
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
    const raw = await promptWithPlop(generator, root, preset, io);
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
    const what = args[0] === "host" || args[0] === "user" || args[0] === "secret" ? args[0] : undefined;
    io.out(removeHelp(what));
    return what === undefined && args.length === 0 ? 1 : 0;
  }
  const root = findRoot(command.root ?? io.cwd);
  const { runPlanner, settleRepo } = await import("./run.js");
  const { planRemoveHost, planRemoveUser } = await import("../generators/remove/plan.js");
  if (!command.dryRun) await settleRepo(root, io.err);
  let cancelled = false;
  const { planRemoveSecret, removeHostFromSecrets } = await import("../generators/secret/remove.js");
  const home = process.env.HOME ?? homedir();
  const secretOptions = { cwd: io.cwd, home, ...(command.identity !== undefined ? { identity: command.identity } : {}) };
  const planner = () =>
    command.what === "secret" ? planRemoveSecret(fsRepo(root), { name: command.name })
    : command.what === "host" ? planRemoveHost(fsRepo(root), { name: command.name }, (tree) => void removeHostFromSecrets(tree, fsRepo(root), command.name, secretOptions))
    : planRemoveUser(fsRepo(root), { name: command.name, hosts: command.hosts });
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

/** Asks for the missing answers through Plop's prompts (cli/plop.ts, loaded for a terminal only); the caller plans and writes. */
async function promptWithPlop(generator: Generator, root: string, preset: Answers, io: Io): Promise<Answers> {
  const { askWithPlop } = await import("./plop.js");
  return askWithPlop(generator, { root, preset, interactive: true, cwd: io.cwd, ...(io.terminal ? { terminal: io.terminal } : {}) });
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

