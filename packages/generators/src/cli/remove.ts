// `pnpm gen remove <host|user> <name> [--host H …] [--yes] [--dry-run]`:
// plans the removal under the lock, then lists what goes and asks (in a
// terminal), or needs --yes (without one). Nothing is asked for: a removal
// names exactly what it removes.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { GenError } from "../report/errors.js";
import type { Plan } from "../write/plan.js";
import { changeVerb } from "../repo/tree.js";
import { type Terminal, askYesNo, processTerminal } from "./terminal.js";

export interface RemoveIo {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
  terminal?: Terminal;
}

export interface RemoveCommand {
  what: "host" | "user" | "secret";
  name: string;
  hosts: string[];
  /** gen remove host: the private key that decrypts the host's secrets to re-key them. */
  identity?: string;
  dryRun: boolean;
  yes: boolean;
  help: boolean;
  root?: string;
}

export function removeHelp(what?: "host" | "user" | "secret"): string {
  const common = [
    `  ${"--dry-run".padEnd(22)}Print what would go, with the diffs; change nothing.`,
    `  ${"-y, --yes".padEnd(22)}Remove without asking (required without a terminal).`,
    `  ${"--root <dir>".padEnd(22)}The repository (default: the nearest folder with flake.nix).`,
    `  ${"-h, --help".padEnd(22)}Show this help.`,
  ];
  if (what === "host") {
    return [
      "Usage: pnpm gen remove host <name> [flags]",
      "",
      "Remove a host: its folder hosts/<name>/ (configuration, hardware config, homes),",
      'its nixosConfigurations entry and its "<user>@<name>" homeConfigurations entries.',
      "Users' standalone configs (nix/<user>/) stay. Its secrets are re-encrypted to the keys left.",
      "",
      "Flags:",
      `  ${"--identity <file>".padEnd(22)}The private SSH key that decrypts the host's secrets to re-key them (default: ~/.ssh/id_ed25519).`,
      ...common,
      "",
      "Example: pnpm gen remove host web1 --dry-run",
    ].join("\n");
  }
  if (what === "user") {
    return [
      "Usage: pnpm gen remove user <name> [--host <host> …] [flags]",
      "",
      "Remove a user. With --host: on those hosts, its account block, its home-manager.users",
      'entry, hosts/<host>/home/<name>.nix and its "<name>@<host>" entry. Without --host: from',
      "every host it is on, and its standalone config too (nix/<name>/, homeConfigurations.<name>).",
      "Blocks edited by hand go whole; what cannot go safely is refused, with the lines to delete.",
      "",
      "Flags:",
      `  ${"--host <host>".padEnd(22)}A host to remove the user from (repeatable; default: every host, and standalone).`,
      ...common,
      "",
      "Example: pnpm gen remove user alice --host web1 --yes",
    ].join("\n");
  }
  if (what === "secret") {
    return [
      "Usage: pnpm gen remove secret <name> [flags]",
      "",
      "Remove a secret: secrets/<name>.age, its rule in secrets/secrets.nix and every host's",
      "age.secrets.<name>. The flake's agenix wiring stays.",
      "",
      "Flags:",
      ...common,
      "",
      "Example: pnpm gen remove secret wifi --yes",
    ].join("\n");
  }
  return [
    "Usage: pnpm gen remove <host|user|secret> <name> [flags]",
    "",
    "  host  Remove a host: its folder, its flake entry and its standalone entries.",
    "  user  Remove a user from some hosts (--host), or everywhere with its standalone config.",
    "  secret  Remove a secret: its .age file, its rule and every host's age.secrets entry.",
    "",
    "Run `pnpm gen remove host --help`, `pnpm gen remove user --help` or `pnpm gen remove secret --help` for the flags.",
  ].join("\n");
}

export function parseRemove(args: string[]): RemoveCommand {
  const [what, ...rest] = args;
  if (what === undefined || what === "--help" || what === "-h" || what === "help") {
    return { what: "host", name: "", hosts: [], dryRun: false, yes: false, help: true };
  }
  if (what !== "host" && what !== "user" && what !== "secret") throw new GenError(`pnpm gen remove takes host, user or secret, not ${JSON.stringify(what)}: see pnpm gen remove --help.`);
  const options: ParseArgsConfig["options"] = {
    "dry-run": { type: "boolean" },
    yes: { type: "boolean", short: "y" },
    help: { type: "boolean", short: "h" },
    root: { type: "string", multiple: true },
    ...(what === "user" ? { host: { type: "string", multiple: true } } : {}),
    ...(what === "host" ? { identity: { type: "string", multiple: true } } : {}),
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    const detail = (error as Error).message.replace(/\. To specify a positional.*$/s, "").replace(/\.$/, "");
    throw new GenError(`${detail}: see pnpm gen remove ${what} --help for the flags.`);
  }
  const v = parsed.values as { "dry-run"?: boolean; yes?: boolean; help?: boolean; root?: string[]; host?: string[]; identity?: string[] };
  if (v.root && v.root.length > 1) throw new GenError(`--root is given ${v.root.length} times: give it once.`);
  if (v.identity && v.identity.length > 1) throw new GenError(`--identity is given ${v.identity.length} times: give it once.`);
  const command: RemoveCommand = {
    what,
    name: parsed.positionals[0] ?? "",
    hosts: (v.host ?? []).flatMap((h) => h.split(",").map((x) => x.trim())),
    dryRun: v["dry-run"] === true,
    yes: v.yes === true,
    help: v.help === true,
    ...(v.root ? { root: v.root[0]! } : {}),
    ...(v.identity ? { identity: v.identity[0]! } : {}),
  };
  if (command.help) return command;
  if (parsed.positionals.length > 1) throw new GenError(`Too many arguments (${parsed.positionals.join(" ")}): give only the ${what}'s name, and everything else as flags.`);
  if (command.name === "") throw new GenError(`Missing the ${what}'s name: pnpm gen remove ${what} <name>${what === "user" ? " [--host <host>]" : ""}.`);
  if (command.hosts.some((h) => h === "")) throw new GenError("--host is given an empty value: give a host's name.");
  return command;
}

/** What will go, as the confirmation lists it. */
function listRemoval(plan: Plan): string {
  return plan.changes.map((c) => `  ${changeVerb(c)} ${c.path}`).join("\n");
}

/**
 * The confirmation: without a terminal, --yes is required (the refusal says
 * what would go); in one, "Remove …? (y/N)", where only y or yes goes on.
 */
export function confirmRemoval(command: RemoveCommand, io: RemoveIo, onCancel: () => void): (plan: Plan) => Promise<boolean> {
  return async (plan) => {
    if (command.yes) return true;
    const files = plan.changes.filter((c) => c.after === null).length;
    const edits = plan.changes.length - files;
    const summary = `${files} file${files === 1 ? "" : "s"} deleted and ${edits} edited`;
    if (!io.interactive) {
      throw new GenError(
        `${plan.title} (${summary}) needs --yes without a terminal: run it again with --yes, or with --dry-run to see the diffs first. Nothing was changed.`,
      );
    }
    io.out([`${plan.title}:`, listRemoval(plan)].join("\n"));
    const answer = await askYesNo(io.terminal ?? processTerminal(), `Remove them (${summary})? (y/N) `, false);
    if (answer === "cancel") onCancel();
    return answer === true;
  };
}
