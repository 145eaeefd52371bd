// gen host: answers → the host's files and its flake.nix entry: a NixOS
// host under nixosConfigurations, or a Mac (a -darwin system) under
// darwinConfigurations.
import { writeHostKey } from "../secret/host-key.js";
import type { HostAnswers } from "../../answers/rules.js";
import { GenError } from "../../report/errors.js";
import { addFlakeEntry, onOneLine } from "../../nix/edit.js";
import { isDarwin } from "../../answers/release.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import { renderLinesTo, renderTo } from "../templates.js";
import { recordRenders } from "../../repo/record.js";
import type { Plan } from "../../write/plan.js";
import type { ResolveOptions } from "../../answers/resolve.js";
import { type ResolvedHost, resolveHost } from "./resolve.js";
import { readFlake } from "../../repo/facts.js";
import { addUserToTree, passwordStep } from "../user/plan.js";
import { deploymentPath } from "../../answers/deploy-target.js";
import { colmenaApply, reachedAt, renderDeployment } from "../deploy/plan.js";
import { addDiskToTree } from "./disk.js";
import { trackStep } from "./steps.js";

export function planHost(repo: RepoView, answers: HostAnswers, options: ResolveOptions = {}): Plan {
  const tree = new Tree(repo);
  const steps = addHostToTree(tree, answers, options);
  recordRenders(tree);
  return { title: `Add host ${answers.name}`, changes: tree.changes(), nextSteps: steps };
}

/** What differs between a NixOS host and a Mac, for the plan. */
interface HostKind {
  helper: "mkHost" | "mkDarwin";
  output: "nixosConfigurations" | "darwinConfigurations";
  entry: string;
  files: (name: string) => Record<string, string>;
  /** `track`: the paths the run wrote that git must see (the host's folder, flake.nix, a hosts file it imports). */
  steps: (name: string, track: readonly string[]) => string[];
}

const NIXOS: HostKind = {
  helper: "mkHost",
  output: "nixosConfigurations",
  entry: "host/flake-host.entry.hbs",
  files: (name) => ({
    [`hosts/${name}/configuration.nix`]: "host/configuration.nix.hbs",
    [`hosts/${name}/hardware-configuration.nix`]: "host/hardware-configuration.nix.hbs",
  }),
  steps: (name, track) => [
    `On ${name} itself, replace the placeholder hardware config: sudo nixos-generate-config --show-hardware-config > hosts/${name}/hardware-configuration.nix`,
    trackStep(track),
    `Deploy it: sudo nixos-rebuild switch --flake .#${name}`,
  ],
};

const MAC: HostKind = {
  helper: "mkDarwin",
  output: "darwinConfigurations",
  entry: "host/flake-darwin.entry.hbs",
  files: (name) => ({ [`hosts/${name}/configuration.nix`]: "host/darwin-configuration.nix.hbs" }),
  steps: (name, track) => [
    trackStep(track),
    `On ${name} itself, with Nix installed, the first time (darwin-rebuild is not installed yet): sudo nix run nix-darwin/nix-darwin-26.05#darwin-rebuild -- switch --flake .#${name}`,
    `Deploy it after that: sudo darwin-rebuild switch --flake .#${name}`,
  ],
};

/**
 * Plans the host into `tree` and returns its next steps.
 * @public for a generator that adds a host as one step of more (gen install).
 */
export function addHostToTree(tree: Tree, answers: HostAnswers, options: ResolveOptions = {}): string[] {
  const host: ResolvedHost = resolveHost(tree, answers, options);
  const { name, system, stateVersion, users, hardwareConfig, disk, target, tags } = host;
  const kind = isDarwin(system) ? MAC : NIXOS;
  const deploys = target !== undefined || tags.length > 0;
  if (kind === MAC && (deploys || hardwareConfig !== undefined)) {
    const flags = deploys ? "--target-host and --tag are" : "--hardware-config is";
    throw new GenError(`${flags} for NixOS hosts (Colmena and nixos-generate-config do not serve a Mac): drop ${deploys ? "them" : "it"} for ${name}, or give a Linux --system.`);
  }

  const flake = readFlake(tree, kind.helper);
  const data = { hostName: name, system, stateVersion };
  const entry = renderLinesTo(tree, kind.entry, data);
  // The entry has no paths in it, so it may go into a set flake.nix imports (`import ./hosts { inherit mkHost; }`).
  const edited = addFlakeEntry(flake, kind.output, name, entry, { read: (path) => tree.read(path), helper: kind.helper });
  if (!edited.ok) {
    const byHand = edited.hint ?? `add \`${onOneLine(entry)}\` to ${kind.output} by hand`;
    throw new GenError(`flake.nix cannot take the new host safely because ${edited.reason}: ${byHand}, or fix ${edited.file ?? "flake.nix"} and run again.`);
  }
  const hardwarePath = `hosts/${name}/hardware-configuration.nix`;
  for (const [path, template] of Object.entries(kind.files(name))) {
    // The machine's own hardware config, byte for byte, in place of the placeholder (which is then not rendered, so not recorded).
    tree.write(path, path === hardwarePath && hardwareConfig !== undefined ? hardwareConfig : renderTo(tree, template, data));
  }
  if (deploys) tree.write(deploymentPath(name), renderDeployment(name, { ...(target ? { target } : {}), tags }, tree));
  tree.write(edited.file ?? "flake.nix", edited.text);
  writeHostKey(tree, name, answers.hostKeyFile, options);

  // With a disko layout the host is installed by gen install, not rebuilt in place: its steps say how.
  // Where the entry went into the file flake.nix imports its hosts from, git must see that one too.
  const track = [`hosts/${name}`, ...(edited.file !== undefined ? [edited.file] : []), "flake.nix"];
  const steps =
    disk !== undefined
      ? addDiskToTree(tree, { name, system, layout: disk, devices: host.diskDevices ?? [] }, track)
      : kind.steps(name, track).filter((step) => hardwareConfig === undefined || !step.includes("replace the placeholder"));
  if (deploys) steps.push(`Or from here with Colmena, over SSH to ${reachedAt(name, target)}: ${colmenaApply(name)}`);
  for (const user of users) {
    addUserToTree(tree, { name: user, hosts: [name] });
    steps.push(passwordStep(user, name, 0, isDarwin(system)));
  }
  if (users.length === 0) steps.push(`Add a user: pnpm gen user <name> --host ${name}`);
  return steps;
}
