// Each generator's parameters, declared once: the flags, the prompts, the
// defaults, the checks, --help and the docs' reference table all come from
// here. Each check sees the answers known so far and where each came from,
// so the same rule words its reason for a flag or for a prompt.
import {
  type Reason,
  checkEmail,
  checkFromPath,
  checkFullName,
  checkHostName,
  checkPattern,
  checkShell,
  checkSystem,
  checkUserName,
} from "./answers.js";
import { hostSystem, isHost, listHosts } from "./plan/repo-facts.js";
import { PATTERNS, RELEASE, SHELLS, SYSTEMS, isDarwin } from "./release.js";
import type { RepoView } from "./repo.js";
import { checkTag, checkTarget } from "./deploy-target.js";
import { checkHardwareConfig, checkHardwarePlatform } from "./hardware.js";
import { checkSshKey, keysInFile } from "./ssh-keys.js";
import {
  DARWIN_STATE_VERSION,
  HOME_MANAGER_STATE_VERSIONS,
  checkDarwinStateVersion,
  checkHomeStateVersion,
  checkStateVersion,
} from "./state-versions.js";
import { standaloneStateVersion, userOnHost } from "./user-facts.js";

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

export interface GeneratorSpec {
  name: "host" | "user" | "deploy";
  description: string;
  params: Param[];
  /** A full non-interactive call, for --help and the docs. */
  example: string;
  /** The shortest call that works, for error messages. */
  minimal: string;
}

const twice = (values: string[]) => values.find((v, i) => values.indexOf(v) !== i);

function hostNameFree(name: string, repo: RepoView): Reason {
  if (isHost(repo, name)) return `The host ${name} already exists (hosts/${name}): pick another name, or remove that folder first.`;
  if (repo.listDir("hosts").includes(name)) {
    return `The folder hosts/${name} already exists but holds no configuration.nix: pick another name, or move that folder away first.`;
  }
  return undefined;
}

const TARGET_PARAM: Param = {
  name: "targetHost",
  flag: "target-host",
  kind: "string",
  required: false,
  help: "Where Colmena deploys the host over SSH, [user@]address[:port] (deployment.targetHost, targetUser, targetPort in hosts/<name>/deployment.nix).",
  defaultText: "the host's own name, as root",
  check: (v) => checkTarget(v),
};

const TAGS_PARAM: Param = {
  name: "tags",
  flag: "tag",
  kind: "list",
  // One tag per flag: a comma is Colmena's separator in --on, so it is refused, not split.
  commaSeparated: false,
  required: false,
  help: "A Colmena tag (deployment.tags), so `colmena apply --on @<tag>` picks the host; repeat for more.",
  check: (v) => checkTag(v),
  checkList: (tags) => {
    const dup = twice(tags);
    return dup ? `The tag ${dup} is listed twice: give each --tag once.` : undefined;
  },
};

export const hostSpec: GeneratorSpec = {
  name: "host",
  description:
    "Add a host: hosts/<name>/ and its line in flake.nix; a NixOS host gets a placeholder hardware config, a Mac (a -darwin system) a nix-darwin configuration.",
  example: "pnpm gen host --name web1 --system x86_64-linux --user alice",
  minimal: "pnpm gen host web1",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "string",
      positional: true,
      required: true,
      prompt: "Host name",
      help: "The host's name: lowercase letters, digits and hyphens (RFC 1123), e.g. web1.",
      check: (v, ctx) => checkHostName(v) ?? hostNameFree(v, ctx.repo),
    },
    {
      name: "system",
      flag: "system",
      kind: "choice",
      required: false,
      choices: SYSTEMS,
      choiceNotes: {
        "x86_64-linux": "NixOS on a PC",
        "aarch64-linux": "NixOS on ARM",
        "aarch64-darwin": "a Mac with Apple silicon (nix-darwin)",
        "x86_64-darwin": "an Intel Mac (nix-darwin)",
      },
      default: "x86_64-linux",
      prompt: "System",
      help: "The host's platform; a -darwin system makes a Mac, managed with nix-darwin.",
      check: (v) => checkSystem(v),
    },
    {
      name: "stateVersion",
      flag: "state-version",
      kind: "string",
      required: false,
      default: (a) => (isDarwin(a.system) ? String(DARWIN_STATE_VERSION) : RELEASE),
      defaultText: `${RELEASE}; ${DARWIN_STATE_VERSION} on a Mac`,
      prompt: `State version (NixOS: the release first installed, ${RELEASE} or earlier; a Mac: nix-darwin's integer, ${DARWIN_STATE_VERSION} or lower)`,
      promptFor: (a) =>
        isDarwin(a.system)
          ? `nix-darwin state version (an integer, ${DARWIN_STATE_VERSION} for a new Mac)`
          : `NixOS state version (the release first installed, ${RELEASE} or earlier)`,
      help: `system.stateVersion: the NixOS release the host was first installed with (a release up to ${RELEASE}); on a Mac, nix-darwin's integer (1 to ${DARWIN_STATE_VERSION}). Its users' homes keep their own home.stateVersion.`,
      check: (v, ctx) => (isDarwin(ctx.answers.system) ? checkDarwinStateVersion(v) : checkStateVersion(v)),
    },
    {
      name: "users",
      flag: "user",
      kind: "list",
      commaSeparated: true,
      required: false,
      default: "",
      prompt: "Users to add now (comma-separated, empty for none)",
      help: "A user to add right away with gen user's defaults (shared pattern, bash (zsh on a Mac), admin); repeat for more.",
      check: (v) => checkUserName(v),
      checkList: (users) => {
        const dup = twice(users);
        return dup ? `The user ${dup} is listed twice: give each --user once.` : undefined;
      },
    },
    {
      name: "hardwareConfig",
      flag: "hardware-config",
      kind: "string",
      required: false,
      help: "The machine's `nixos-generate-config --show-hardware-config` output (a file), written as hosts/<name>/hardware-configuration.nix instead of the placeholder.",
      defaultText: "a placeholder",
      check: (v, ctx) => checkHardwareConfig(v, ctx.readFile(v)) ?? checkHardwarePlatform(v, ctx.readFile(v), ctx.answers.system),
    },
    TARGET_PARAM,
    TAGS_PARAM,
  ],
};

/** The hosts a new user can go on: those that do not have them yet. */
function hostsWithout(repo: RepoView, user: unknown): string[] {
  const hosts = listHosts(repo);
  return typeof user === "string" ? hosts.filter((h) => !userOnHost(repo, user, h)) : hosts;
}

function noSuchHost(host: string, repo: RepoView): string {
  const known = listHosts(repo);
  const list = known.length > 0 ? `the hosts here are ${known.join(", ")}` : "there are no hosts yet (add one with pnpm gen host)";
  return `There is no host ${JSON.stringify(host)} (no hosts/${host}/configuration.nix): ${list}.`;
}

/** Whether one of the answers' hosts is a Mac. */
function onAMac(repo: RepoView, answers: Answers): boolean {
  const hosts = answers.hosts;
  return Array.isArray(hosts) && hosts.some((h) => isHost(repo, h) && isDarwin(hostSystem(repo, h)));
}

const defaultFrom = (user: unknown) => `nix/${String(user)}/home.nix`;

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
  if (version === undefined || checkHomeStateVersion(version) === undefined) return undefined;
  return `${path} sets home.stateVersion ${JSON.stringify(version)}, which Home Manager ${RELEASE} does not accept (it takes ${HOME_MANAGER_STATE_VERSIONS[0]} to ${RELEASE}): set the release the home was first used with, or pick another config.`;
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

export const userSpec: GeneratorSpec = {
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
      default: (a) => (typeof a.name === "string" ? a.name : undefined),
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

export const deploySpec: GeneratorSpec = {
  name: "deploy",
  description: "Set or change where Colmena deploys an existing host, and its tags: hosts/<name>/deployment.nix.",
  example: "pnpm gen deploy web1 --target-host deploy@198.51.100.2:2222 --tag web --tag eu",
  minimal: "pnpm gen deploy web1 --target-host root@192.0.2.7",
  params: [
    {
      name: "name",
      flag: "name",
      kind: "choice",
      positional: true,
      required: true,
      choices: (repo) => listHosts(repo),
      prompt: "Host",
      help: "The host (a folder in hosts/) to deploy with Colmena.",
      check: (v, ctx) => checkHostName(v) ?? (isHost(ctx.repo, v) ? undefined : noSuchHost(v, ctx.repo)),
    },
    {
      ...TARGET_PARAM,
      prompt: "Target, [user@]address[:port] (empty keeps the current one)",
      help: "Where Colmena deploys the host over SSH, [user@]address[:port]; replaces the host's target (user and port included).",
      defaultText: "the current target",
    },
    {
      ...TAGS_PARAM,
      prompt: "Tags (comma-separated; empty keeps the current ones)",
      help: "A Colmena tag, so `colmena apply --on @<tag>` picks the host; the tags given replace the host's tags. Repeat for more.",
      defaultText: "the current tags",
    },
  ],
};

export const SPECS = { host: hostSpec, user: userSpec, deploy: deploySpec } as const;

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

function defaultText(p: Param): string | undefined {
  if (p.defaultText) return p.defaultText;
  if (p.default === undefined || typeof p.default === "function") return undefined;
  if (p.kind === "list" && p.default === "") return undefined;
  return String(p.default);
}

export const generatorParams = { host: paramDocs(hostSpec), user: paramDocs(userSpec), deploy: paramDocs(deploySpec) };
