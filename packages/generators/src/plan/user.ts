// gen user: answers → the user's account and home on each host, in one of
// the guide's three patterns, plus standalone entries where asked.
import {
  type UserAnswers,
  checkEmail,
  checkFromPath,
  checkFullName,
  checkPattern,
  checkShell,
  checkUserName,
  firstReason,
} from "../answers.js";
import { GenError } from "../errors.js";
import { addFlakeEntry, addToModule, codeContains, flakeEntryNames, shellState } from "../flake-edit.js";
import { nixAttr } from "../nix.js";
import type { Pattern, Shell } from "../release.js";
import { type RepoView, Tree } from "../repo.js";
import { render, renderLines } from "../templates.js";
import type { Plan } from "./plan.js";
import { hostStateVersion, hostSystem, isHost, listHosts, readFlake } from "./repo-facts.js";

export function planUser(repo: RepoView, answers: UserAnswers): Plan {
  const tree = new Tree(repo);
  const added = addUserToTree(tree, answers);
  return {
    title: `Add user ${answers.name} to ${answers.hosts.join(", ")}`,
    changes: tree.changes(),
    nextSteps: userNextSteps(added),
  };
}

/** What addUserToTree did, for the next steps. */
export interface AddedUser {
  name: string;
  hosts: string[];
  /** homeConfigurations entries added (`alice`, `alice@web1`). */
  homeConfigs: string[];
  /** Files to `git add` so the flake sees them. */
  paths: string[];
  /** Changes beyond the new lines that the owner should know of. */
  notes: string[];
}

interface Resolved {
  name: string;
  fullName: string;
  email: string;
  pattern: Pattern;
  shell: Shell;
  standalone: boolean;
  from: string;
  fromGiven: boolean;
}

function resolve(answers: UserAnswers): Resolved {
  const resolved: Resolved = {
    name: answers.name,
    fullName: answers.fullName?.trim() || answers.name,
    email: answers.email?.trim() ?? "",
    pattern: answers.pattern ?? "shared",
    shell: answers.shell ?? "bash",
    standalone: answers.standalone ?? false,
    from: answers.from ?? `nix/${answers.name}/home.nix`,
    fromGiven: false,
  };
  // Only a file other than the default must exist already; the default is created.
  resolved.fromGiven = resolved.from !== `nix/${resolved.name}/home.nix`;
  const reason = firstReason(
    checkUserName(resolved.name),
    checkFullName(resolved.fullName),
    checkEmail(resolved.email),
    checkPattern(resolved.pattern),
    checkShell(resolved.shell),
    answers.from !== undefined ? checkFromPath(answers.from) : undefined,
  );
  if (reason) throw new GenError(reason);
  if (resolved.fromGiven && resolved.pattern !== "reuse") {
    throw new GenError(`--from only applies to the reuse pattern: add --pattern reuse, or drop --from.`);
  }
  return resolved;
}

export function addUserToTree(tree: Tree, answers: UserAnswers): AddedUser {
  const user = resolve(answers);
  const hosts = answers.hosts;
  if (hosts.length === 0) throw new GenError(`Say which host ${user.name} goes on: add --host <name>.`);
  for (const host of hosts) {
    if (!isHost(tree, host)) {
      const known = listHosts(tree);
      const list = known.length > 0 ? `the hosts here are ${known.join(", ")}` : "there are no hosts yet (add one with pnpm gen host)";
      throw new GenError(`There is no host ${JSON.stringify(host)} (no hosts/${host}/configuration.nix): ${list}.`);
    }
  }
  const dup = hosts.find((h, i) => hosts.indexOf(h) !== i);
  if (dup) throw new GenError(`The host ${dup} is listed twice: give each --host once.`);

  const added: AddedUser = { name: user.name, hosts, homeConfigs: [], paths: [], notes: [] };
  const track = (path: string) => added.paths.includes(path) || added.paths.push(path);

  if (user.pattern === "reuse") ensureStandaloneConfig(tree, user, hosts[0]!, added, track);
  for (const host of hosts) addToHost(tree, user, host, added, track);
  return added;
}

function addToHost(tree: Tree, user: Resolved, host: string, added: AddedUser, track: (p: string) => void): void {
  const configPath = `hosts/${host}/configuration.nix`;
  const homePath = `hosts/${host}/home/${user.name}.nix`;
  const config = tree.read(configPath)!;
  const u = `(?:${user.name}|"${user.name}")`;
  if (codeContains(config, new RegExp(`\\b(?:users\\.users|home-manager\\.users)\\.${u}(?![A-Za-z0-9_'-])`)) || tree.read(homePath) !== undefined) {
    throw new GenError(`${user.name} is already a user on ${host} (${configPath}): pick another username, or another host.`);
  }

  const stateVersion = hostStateVersion(tree, host);
  const data = {
    userName: user.name,
    hostName: host,
    description: user.fullName,
    fullName: user.fullName,
    email: user.email,
    shell: user.shell,
    standalone: user.standalone,
    stateVersion,
    enableShell: shellToEnable(configPath, config, user),
    from: user.from,
    fromImport: "../../../" + user.from,
  };
  const lines = renderLines("user/account.block.hbs", data);
  const edited = addToModule(config, lines, { needsPkgs: true });
  if (!edited.ok) {
    const byHand = lines.filter((l) => !l.trim().startsWith("#")).map((l) => l.trim()).join(" ");
    throw new GenError(`${configPath} cannot take the new user safely because ${edited.reason}: add \`${byHand}\` to its settings by hand, or fix it and run again.`);
  }
  if (edited.notes.includes("pkgs")) {
    added.notes.push(`${configPath} now takes pkgs in its arguments ({ pkgs, ... }:), which ${user.name}'s login shell needs.`);
  }
  tree.write(configPath, edited.text);
  tree.write(homePath, render(`user/home-${user.pattern}.nix.hbs`, data));
  track(configPath);
  track(homePath);

  if (user.standalone) {
    const configName = `${user.name}@${host}`;
    addHomeConfig(tree, configName, user.name, hostSystem(tree, host), `./${homePath}`);
    added.homeConfigs.push(configName);
    track("flake.nix");
  }
}

/**
 * Whether the account block must turn the user's shell on: bash is always
 * on in NixOS; zsh and fish must be enabled once per host, so an existing
 * `programs.<shell>.enable = true` (in any form) is reused, and a file that
 * turns the shell off is refused rather than given a user NixOS rejects.
 */
function shellToEnable(configPath: string, config: string, user: Resolved): boolean {
  if (user.shell === "bash") return false;
  const state = shellState(config, user.shell);
  if (state === "off") {
    throw new GenError(
      `${configPath} turns ${user.shell} off (programs.${user.shell}.enable is false), and NixOS refuses a user whose login shell is not enabled: turn it on there, or pick another --shell.`,
    );
  }
  if (state === "unknown") {
    throw new GenError(
      `${configPath} sets programs.${user.shell}.enable in a way the generator cannot read: write \`programs.${user.shell}.enable = true;\` there, or pick another --shell.`,
    );
  }
  return state === "absent";
}

/**
 * reuse imports nix/<user>/home.nix (or --from). When the default file is
 * missing, it is created, with its own homeConfigurations entry: the user
 * gets the standalone config first, then the host integrates it. An
 * explicit --from must already exist.
 */
function ensureStandaloneConfig(tree: Tree, user: Resolved, firstHost: string, added: AddedUser, track: (p: string) => void): void {
  if (tree.read(user.from) !== undefined) return;
  if (user.fromGiven) {
    throw new GenError(`The standalone config ${user.from} does not exist: create it first, or drop --from to let the generator create nix/${user.name}/home.nix.`);
  }
  tree.write(
    user.from,
    render("user/standalone-home.nix.hbs", {
      userName: user.name,
      fullName: user.fullName,
      email: user.email,
      shell: user.shell,
      stateVersion: hostStateVersion(tree, firstHost),
    }),
  );
  track(user.from);
  if (flakeEntryNames(tree.read("flake.nix") ?? "", "homeConfigurations")?.includes(user.name)) return;
  addHomeConfig(tree, user.name, user.name, hostSystem(tree, firstHost), `./${user.from}`);
  added.homeConfigs.push(user.name);
  track("flake.nix");
}

function addHomeConfig(tree: Tree, configName: string, userName: string, system: string, modulePath: string): void {
  const flake = readFlake(tree, "mkHome");
  const entry = renderLines("user/flake-home.entry.hbs", { configName, userName, system, modulePath })[0]!;
  const edited = addFlakeEntry(flake, "homeConfigurations", configName, entry);
  if (!edited.ok) {
    throw new GenError(`flake.nix cannot take the standalone config ${nixAttr(configName)} safely because ${edited.reason}: add \`${entry}\` to homeConfigurations by hand, or fix flake.nix and run again.`);
  }
  tree.write("flake.nix", edited.text);
}

export function passwordStep(user: string, host: string): string {
  return `Give ${user} a way to log in on ${host}: sudo passwd ${user} (or add users.users.${user}.openssh.authorizedKeys.keys)`;
}

export function userNextSteps(added: AddedUser): string[] {
  const steps = [...added.notes, `Let the flake see the new files (flakes only read files git tracks): git add ${added.paths.join(" ")}`];
  for (const host of added.hosts) steps.push(`Deploy ${host} with ${added.name}'s home: sudo nixos-rebuild switch --flake .#${host}`);
  for (const config of added.homeConfigs) steps.push(`Or, as ${added.name} and without root: home-manager switch --flake .#${config}`);
  for (const host of added.hosts) steps.push(passwordStep(added.name, host));
  return steps;
}
