// Each generator's parameters, declared once: the flags, the prompts, the
// defaults, --help and the docs' reference table all come from here.
import {
  type Reason,
  checkEmail,
  checkFromPath,
  checkFullName,
  checkHostName,
  checkPattern,
  checkShell,
  checkStateVersion,
  checkSystem,
  checkUserName,
} from "./answers.js";
import { isHost, listHosts } from "./plan/repo-facts.js";
import { PATTERNS, RELEASE, SHELLS, SYSTEMS } from "./release.js";
import type { RepoView } from "./repo.js";

export type Answers = Record<string, string | string[] | boolean | undefined>;

export interface Param {
  /** The answer's key (as in HostAnswers / UserAnswers). */
  name: string;
  /** The long flag, without dashes. */
  flag: string;
  kind: "string" | "choice" | "list" | "boolean";
  /** The question a person is asked. */
  prompt: string;
  /** One line for --help and the docs. */
  help: string;
  required: boolean;
  /** Filled by the bare argument of the short form (`pnpm gen host web1`). */
  positional?: boolean;
  choices?: readonly string[] | ((repo: RepoView) => string[]);
  /** A few words on each choice, shown beside it in the prompt. */
  choiceNotes?: Record<string, string>;
  default?: string | boolean | ((answers: Answers) => string | boolean | undefined);
  /** Shown in help/docs when the default is computed. */
  defaultText?: string;
  /** Asked only when this holds. */
  when?: (answers: Answers) => boolean;
  check?: (value: string, repo: RepoView, answers: Answers) => Reason;
}

export interface GeneratorSpec {
  name: "host" | "user";
  description: string;
  params: Param[];
  /** A full non-interactive call, for --help and the docs. */
  example: string;
  /** The shortest call that works, for error messages. */
  minimal: string;
}

const hostExists = (name: string, repo: RepoView): Reason =>
  isHost(repo, name) ? `The host ${name} already exists (hosts/${name}): pick another name.` : undefined;

export const hostSpec: GeneratorSpec = {
  name: "host",
  description: "Add a NixOS host: hosts/<name>/, its placeholder hardware config and its line in flake.nix.",
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
      check: (v, repo) => checkHostName(v) ?? hostExists(v, repo),
    },
    {
      name: "system",
      flag: "system",
      kind: "choice",
      required: false,
      choices: SYSTEMS,
      default: "x86_64-linux",
      prompt: "System",
      help: "The host's platform.",
      check: (v) => checkSystem(v),
    },
    {
      name: "stateVersion",
      flag: "state-version",
      kind: "string",
      required: false,
      default: RELEASE,
      prompt: "NixOS state version (the release first installed)",
      help: "system.stateVersion: the release the host is first installed with.",
      check: (v) => checkStateVersion(v),
    },
    {
      name: "users",
      flag: "user",
      kind: "list",
      required: false,
      default: "",
      prompt: "Users to add now (comma-separated, empty for none)",
      help: "A user to add right away with gen user's defaults (shared pattern, bash); repeat for more.",
      check: (v) => checkUserName(v),
    },
  ],
};

export const userSpec: GeneratorSpec = {
  name: "user",
  description: "Add a user to one or more hosts: the NixOS account and a Home Manager home in one of three patterns.",
  example: 'pnpm gen user --name alice --host web1 --full-name "Alice Liddell" --email alice@example.com --pattern shared --shell zsh --standalone',
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
      check: (v) => checkUserName(v),
    },
    {
      name: "hosts",
      flag: "host",
      kind: "list",
      required: true,
      choices: (repo) => listHosts(repo),
      prompt: "Hosts to add the user to",
      help: "A host (a folder in hosts/) to add the user to; repeat for several.",
      check: (v, repo) => {
        if (isHost(repo, v)) return undefined;
        return `There is no host ${JSON.stringify(v)}: the hosts here are ${listHosts(repo).join(", ") || "none yet"}.`;
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
      check: (v) => checkPattern(v),
    },
    {
      name: "from",
      flag: "from",
      kind: "string",
      required: false,
      when: (a) => a.pattern === "reuse",
      default: (a) => `nix/${String(a.name)}/home.nix`,
      defaultText: "nix/<user>/home.nix, created when missing",
      prompt: "Standalone config to reuse",
      help: "reuse only: the standalone config to import; the default is created when missing, any other must exist.",
      check: (v) => checkFromPath(v),
    },
    {
      name: "shell",
      flag: "shell",
      kind: "choice",
      required: false,
      choices: SHELLS,
      default: "bash",
      prompt: "Login shell",
      help: "The login shell, enabled system-wide and in Home Manager.",
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
  ],
};

export const SPECS = { host: hostSpec, user: userSpec } as const;

/** What the docs' reference table shows for a parameter. */
export interface ParamDoc {
  name: string;
  flag: string;
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
    prompt: p.prompt,
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

export const generatorParams = { host: paramDocs(hostSpec), user: paramDocs(userSpec) };
