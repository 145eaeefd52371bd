// gen user: answers → the user's account and home on each host, in one of
// the guide's three patterns, plus standalone entries where asked.
import type { UserAnswers } from "../../answers/rules.js";
import { GenError } from "../../report/errors.js";
import { addFlakeEntry, addToModule, codeContains, flakeEntryNames, onOneLine, shellState } from "../../nix/edit.js";
import { nixAttr } from "../../nix/quote.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import { renderLinesTo, renderTo } from "../templates.js";
import { recordRenders } from "../../repo/record.js";
import type { Plan } from "../../write/plan.js";
import type { ResolveOptions } from "../../answers/resolve.js";
import { type ResolvedUser, resolveUser } from "./resolve.js";
import { hostSystem, isMac, readFlake } from "../../repo/facts.js";

export function planUser(repo: RepoView, answers: UserAnswers, options: ResolveOptions = {}): Plan {
  const tree = new Tree(repo);
  const added = addUserToTree(tree, answers, options);
  recordRenders(tree);
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
  /** The hosts among them that are Macs. */
  macs: string[];
  /** The login shell (a Mac keeps its own until changed with chsh). */
  shell: string;
  /** homeConfigurations entries added (`alice`, `alice@web1`). */
  homeConfigs: string[];
  /** Files to `git add` so the flake sees them. */
  paths: string[];
  admin: boolean;
  sshKeys: number;
  /** Changes beyond the new lines that the owner should know of. */
  notes: string[];
}

type Resolved = ResolvedUser;

export function addUserToTree(tree: Tree, answers: UserAnswers, options: ResolveOptions = {}): AddedUser {
  const user = resolveUser(tree, answers, options);
  const hosts = user.hosts;
  const macs = hosts.filter((h) => isMac(tree, h));
  const added: AddedUser = { name: user.name, hosts, macs, shell: user.shell, homeConfigs: [], paths: [], admin: user.admin, sshKeys: user.sshKeys.length, notes: [] };
  const track = (path: string) => added.paths.includes(path) || added.paths.push(path);

  if (user.pattern === "reuse") ensureStandaloneConfig(tree, user, hosts[0]!, added, track);
  for (const host of hosts) addToHost(tree, user, host, added, track);
  return added;
}

function addToHost(tree: Tree, user: Resolved, host: string, added: AddedUser, track: (p: string) => void): void {
  const configPath = `hosts/${host}/configuration.nix`;
  const homePath = `hosts/${host}/home/${user.name}.nix`;
  const config = tree.read(configPath)!;
  const mac = isMac(tree, host);
  const data = {
    userName: user.name,
    hostName: host,
    description: user.fullName,
    fullName: user.fullName,
    email: user.email,
    shell: user.shell,
    standalone: user.standalone,
    stateVersion: user.homeStateVersion,
    admin: user.admin,
    sshKeys: user.sshKeys,
    enableShell: shellToEnable(configPath, config, user, mac),
    from: user.from,
    fromImport: "../../../" + user.from,
    // macOS keeps homes in /Users; Home Manager on nix-darwin reads it from users.users.
    homeDirectory: `/Users/${user.name}`,
    // nix-darwin needs one for per-user macOS settings: the Mac's first user, unless the host names one.
    primaryUser: mac && !codeContains(config, /\bsystem\.primaryUser\b|\bprimaryUser\s*=/),
  };
  const lines = renderLinesTo(tree, mac ? "user/account-darwin.block.hbs" : "user/account.block.hbs", data);
  const edited = addToModule(config, lines, { needsPkgs: true });
  if (!edited.ok) {
    const byHand = lines.filter((l) => !l.trim().startsWith("#")).map((l) => l.trim()).join(" ");
    throw new GenError(`${configPath} cannot take the new user safely because ${edited.reason}: add \`${byHand}\` to its settings by hand, or fix it and run again.`);
  }
  if (edited.notes.includes("pkgs")) {
    added.notes.push(`${configPath} now takes pkgs in its arguments ({ pkgs, ... }:), which ${user.name}'s login shell needs.`);
  }
  tree.write(configPath, edited.text);
  tree.write(homePath, renderTo(tree, `user/home-${user.pattern}.nix.hbs`, data));
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
 * on in NixOS (and bash and zsh in nix-darwin); the others must be enabled
 * once per host, so an existing `programs.<shell>.enable = true` (in any
 * form) is reused, and a file that turns the shell off is refused rather
 * than given a user NixOS rejects.
 */
function shellToEnable(configPath: string, config: string, user: Resolved, mac: boolean): boolean {
  if (user.shell === "bash" || (mac && user.shell === "zsh")) return false;
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
  // resolveUser let through a missing file only when it is the default one.
  if (tree.read(user.from) !== undefined) return;
  tree.write(
    user.from,
    renderTo(
      tree,
      "user/standalone-home.nix.hbs",
      { userName: user.name, fullName: user.fullName, email: user.email, shell: user.shell, stateVersion: user.homeStateVersion },
      user.from,
    ),
  );
  track(user.from);
  if (flakeEntryNames(tree.read("flake.nix") ?? "", "homeConfigurations")?.includes(user.name)) return;
  addHomeConfig(tree, user.name, user.name, hostSystem(tree, firstHost), `./${user.from}`);
  added.homeConfigs.push(user.name);
  track("flake.nix");
}

function addHomeConfig(tree: Tree, configName: string, userName: string, system: string, modulePath: string): void {
  const flake = readFlake(tree, "mkHome");
  const entry = renderLinesTo(tree, "user/flake-home.entry.hbs", { configName, userName, system, modulePath });
  const edited = addFlakeEntry(flake, "homeConfigurations", configName, entry);
  if (!edited.ok) {
    const byHand = edited.hint ?? `add \`${onOneLine(entry)}\` to homeConfigurations by hand`;
    throw new GenError(`flake.nix cannot take the standalone config ${nixAttr(configName)} safely because ${edited.reason}: ${byHand}, or fix flake.nix and run again.`);
  }
  tree.write("flake.nix", edited.text);
}

/** How the user logs in on `host` for the first time: the shared NixOS module turns SSH password logins off. */
export function passwordStep(user: string, host: string, sshKeys = 0, mac = false): string {
  if (mac) {
    return `The macOS account ${user} must exist on ${host} before the switch: nix-darwin sets its home, not the account (create it in System Settings > Users & Groups if needed)`;
  }
  if (sshKeys > 0) {
    return `Log in as ${user} on ${host} over SSH with the key${sshKeys === 1 ? "" : "s"} given: ssh ${user}@${host} (password logins over SSH are off, in modules/nixos)`;
  }
  return `Give ${user} a way to log in on ${host}: set a password for the console (sudo passwd ${user} on ${host}); for SSH, where password logins are off (modules/nixos), add a key to users.users.${user}.openssh.authorizedKeys.keys in hosts/${host}/configuration.nix`;
}

function userNextSteps(added: AddedUser): string[] {
  const steps = [...added.notes, `Let the flake see the new files (flakes only read files git tracks): git add ${added.paths.join(" ")}`];
  const mac = (host: string) => added.macs.includes(host);
  for (const host of added.hosts) {
    const rebuild = mac(host) ? "darwin-rebuild" : "nixos-rebuild";
    steps.push(`Deploy ${host} with ${added.name}'s home: sudo ${rebuild} switch --flake .#${host}`);
  }
  for (const config of added.homeConfigs) steps.push(`Or, as ${added.name} and without root: home-manager switch --flake .#${config}`);
  for (const host of added.hosts) steps.push(passwordStep(added.name, host, added.sshKeys, mac(host)));
  if (added.macs.length > 0 && added.shell !== "zsh") {
    steps.push(`macOS keeps ${added.name}'s login shell (zsh): to log in to ${added.shell} on ${added.macs.join(", ")}, add pkgs.${added.shell} to environment.shells there, deploy, then run chsh -s /run/current-system/sw/bin/${added.shell} as ${added.name}`);
  }
  const linux = added.hosts.filter((h) => !mac(h));
  if (!added.admin && linux.length > 0) steps.push(`${added.name} is not in wheel (no sudo): run the nixos-rebuild steps as an administrator`);
  if (!added.admin && added.macs.length > 0) steps.push(`On a Mac, macOS decides who is an administrator (System Settings > Users & Groups): --no-admin changes nothing there`);
  return steps;
}
