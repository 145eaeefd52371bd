// gen user's parameters.
import { type Reason, checkEmail, checkFromPath, checkFullName, checkPattern, checkShell, checkUserName, type UserAnswers } from "../../answers/rules.js";
import { hostSystem, isHost, listHosts, noSuchHost } from "../../repo/facts.js";
import { PATTERNS, RELEASE, SHELLS, isDarwin } from "../../answers/release.js";
import type { RepoView } from "../../repo/tree.js";
import { checkSshKey, keysInFile } from "../../answers/ssh-keys.js";
import { HOME_MANAGER_STATE_VERSIONS, checkHomeStateVersion } from "../../answers/state-versions.js";
import { standaloneStateVersion, userOnHost } from "../../repo/user-facts.js";
import { releaseOf } from "../../repo/pins.js";
import type { Answers, CheckContext, GeneratorSpec } from "../../answers/spec.js";
import { twice } from "../../answers/spec.js";


/** The hosts a new user can go on: those that do not have them yet. */
function hostsWithout(repo: RepoView, user: unknown): string[] {
  const hosts = listHosts(repo);
  return typeof user === "string" ? hosts.filter((h) => !userOnHost(repo, user, h)) : hosts;
}


/** Whether one of the answers' hosts is a Mac. */
function onAMac(repo: RepoView, answers: Answers): boolean {
  const hosts = answers.hosts;
  return Array.isArray(hosts) && hosts.some((h) => isHost(repo, h) && isDarwin(hostSystem(repo, h)));
}

/** The defaults of --from and --full-name, which the resolver also applies (gen user's one statement of them). */
export const defaultFrom = (user: unknown) => `nix/${String(user)}/home.nix`;
export const defaultFullName = (user: string) => user;

/** The user's name refused where the hosts already have that user. */
function userNameFree(name: string, ctx: CheckContext): Reason {
  const hosts = ctx.answers.hosts;
  if (Array.isArray(hosts) && hosts.length > 0) {
    const taken = hosts.find((h) => isHost(ctx.repo, h) && userOnHost(ctx.repo, name, h));
    if (taken) return `${name} is already a user on ${taken} (hosts/${taken}/configuration.nix): pick another username, or another host.`;
    return undefined;
  }
  const all = listHosts(ctx.repo);
  if (all.length > 0 && hostsWithout(ctx.repo, name).length === 0) {
    return `${name} is already a user on ${all.length === 1 ? all[0] : `every host (${all.join(", ")})`}: pick another username.`;
  }
  return undefined;
}

function fromUsable(path: string, ctx: CheckContext): Reason {
  const user = ctx.answers.name;
  const text = ctx.repo.read(path);
  if (text === undefined) {
    if (path === defaultFrom(user)) return undefined; // created when missing
    const fix = ctx.origin("from") === "prompt" ? `or accept the default ${defaultFrom(user)}, which is created when missing` : `or drop --from to let the generator create ${defaultFrom(user)}`;
    return `The standalone config ${path} does not exist: create it first, ${fix}.`;
  }
  const version = standaloneStateVersion(text);
  const release = releaseOf(ctx.repo, RELEASE);
  if (version === undefined || checkHomeStateVersion(version, release) === undefined) return undefined;
  return `${path} sets home.stateVersion ${JSON.stringify(version)}, which Home Manager ${release} does not accept (it takes ${HOME_MANAGER_STATE_VERSIONS[0]} to ${release}): set the release the home was first used with, or pick another config.`;
}

function patternFits(pattern: string, ctx: CheckContext): Reason {
  if (pattern === "reuse" || ctx.answers.from === undefined || ctx.origin("from") !== "flag") return undefined;
  return ctx.origin("pattern") === "prompt"
    ? `--from only applies to the reuse pattern: pick reuse, or run again without --from.`
    : `--from only applies to the reuse pattern: add --pattern reuse, or drop --from.`;
}

function keyFileUsable(path: string, ctx: CheckContext): Reason {
  const text = ctx.readFile(path);
  if (text === undefined) return `The SSH key file ${JSON.stringify(path)} cannot be read: give the path of a public key, such as ~/.ssh/id_ed25519.pub.`;
  const keys = keysInFile(text);
  if (keys.length === 0) return `The SSH key file ${JSON.stringify(path)} holds no key: give the path of a public key, such as ~/.ssh/id_ed25519.pub.`;
  const bad = keys.map((k) => checkSshKey(k)).find(Boolean);
  return bad ? `In ${path}: ${bad}` : undefined;
}
export const userSpec: GeneratorSpec<UserAnswers, "fullName" | "pattern" | "shell" | "standalone" | "admin"> = {
  name: "user",
  description: "Add a user to one or more hosts: the NixOS account and a Home Manager home in one of three patterns.",
  example:
    'pnpm gen user --name alice --host web1 --full-name "Alice Liddell" --email alice@example.com --pattern shared --shell zsh --standalone --ssh-key-file ~/.ssh/id_ed25519.pub',
  minimal: "pnpm gen user alice --host web1",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "string",
      positional: true,
      required: true,
      prompt: "Username",
      help: "The login name: a POSIX username (lowercase, digits, _ and -), not a system account.",
      check: (v, ctx) => checkUserName(v) ?? userNameFree(v, ctx),
    },
    {
      name: "hosts",
      flag: "host",
      kind: "list",
      commaSeparated: true,
      required: true,
      choices: (repo, answers) => hostsWithout(repo, answers.name),
      prompt: "Hosts to add the user to",
      help: "A host (a folder in hosts/) to add the user to; repeat for several.",
      check: (v, ctx) => {
        if (!isHost(ctx.repo, v)) return noSuchHost(v, ctx.repo);
        const user = ctx.answers.name;
        if (typeof user === "string" && userOnHost(ctx.repo, user, v)) {
          return `${user} is already a user on ${v} (hosts/${v}/configuration.nix): pick another username, or another host.`;
        }
        return undefined;
      },
      checkList: (hosts, ctx) => {
        if (hosts.length === 0) {
          return ctx.origin("hosts") === "prompt" ? "Pick at least one host (space to select)." : `Say which host ${String(ctx.answers.name)} goes on: add --host <name>.`;
        }
        const dup = twice(hosts);
        return dup ? `The host ${dup} is listed twice: give each --host once.` : undefined;
      },
    },
    {
      name: "fullName",
      flag: "full-name",
      kind: "string",
      required: false,
      default: (a) => (typeof a.name === "string" ? defaultFullName(a.name) : undefined),
      defaultText: "the username",
      prompt: "Full name",
      help: "The account's description and the git author name.",
      check: (v) => checkFullName(v),
    },
    {
      name: "email",
      flag: "email",
      kind: "string",
      required: false,
      default: "",
      defaultText: "none",
      prompt: "Email (for git; empty to leave out)",
      help: "The git author email.",
      check: (v) => checkEmail(v),
    },
    {
      name: "pattern",
      flag: "pattern",
      kind: "choice",
      required: false,
      choices: PATTERNS,
      default: "shared",
      prompt: "Home pattern",
      choiceNotes: {
        separate: "a self-contained home file for this host",
        shared: "imports the shared modules in modules/home, adds overrides",
        reuse: "imports a standalone config from nix/ (created when missing)",
      },
      help: "separate: a self-contained home file; shared: imports modules/home; reuse: imports the standalone config in nix/.",
      check: (v, ctx) => checkPattern(v) ?? patternFits(v, ctx),
    },
    {
      name: "from",
      flag: "from",
      kind: "string",
      required: false,
      when: (a) => a.pattern === "reuse",
      default: (a) => defaultFrom(a.name),
      defaultText: "nix/<user>/home.nix, created when missing",
      prompt: "Standalone config to reuse",
      help: "reuse only: the standalone config to import; the default is created when missing, any other must exist.",
      check: (v, ctx) => checkFromPath(v) ?? fromUsable(v, ctx),
    },
    {
      name: "shell",
      flag: "shell",
      kind: "choice",
      required: false,
      choices: SHELLS,
      // zsh is macOS's own login shell: offered first, and the default, when a Mac is among the hosts.
      order: (repo, a) => (onAMac(repo, a) ? ["zsh", "bash", "fish"] : SHELLS),
      default: (a, repo) => (repo && onAMac(repo, a) ? "zsh" : "bash"),
      defaultText: "bash; zsh when a host is a Mac",
      prompt: "Login shell",
      help: "The login shell, enabled system-wide and in Home Manager (a Mac account keeps its own until you chsh).",
      check: (v) => checkShell(v),
    },
    {
      name: "standalone",
      flag: "standalone",
      kind: "boolean",
      required: false,
      default: false,
      prompt: "Also expose it as a standalone homeConfiguration (<user>@<host>)",
      help: 'Also add homeConfigurations."<user>@<host>", so home-manager switch works without root.',
    },
    {
      name: "admin",
      flag: "admin",
      kind: "boolean",
      required: false,
      default: true,
      defaultText: "yes",
      prompt: "Administrator (in wheel: may use sudo)",
      help: "--admin puts the user in wheel (sudo, and a trusted Nix user); --no-admin leaves them out.",
    },
    {
      name: "sshKeys",
      flag: "ssh-key",
      kind: "list",
      commaSeparated: false,
      required: false,
      default: "",
      prompt: "SSH public keys (each a .pub line, comma-separated; empty for none)",
      help: 'An SSH public key that may log in as the user ("ssh-ed25519 AAAA… you@laptop"); repeat for more. SSH password logins are off.',
      check: (v) => checkSshKey(v),
    },
    {
      name: "sshKeyFiles",
      flag: "ssh-key-file",
      kind: "list",
      commaSeparated: false,
      required: false,
      help: "A file of SSH public keys (a .pub or authorized_keys file) whose keys may log in as the user; repeat for more.",
      check: (v, ctx) => keyFileUsable(v, ctx),
    },
  ],
};
