// gen host: answers → the host's files and its flake.nix entry.
import type { HostAnswers } from "../answers.js";
import { GenError } from "../errors.js";
import { addFlakeEntry, onOneLine } from "../flake-edit.js";
import { type RepoView, Tree } from "../repo.js";
import { render, renderLines } from "../templates.js";
import type { Plan } from "./plan.js";
import { type ResolveOptions, resolveHost } from "../resolve.js";
import { readFlake } from "./repo-facts.js";
import { addUserToTree, passwordStep } from "./user.js";

export function planHost(repo: RepoView, answers: HostAnswers, options: ResolveOptions = {}): Plan {
  const tree = new Tree(repo);
  const steps = addHostToTree(tree, answers, options);
  return { title: `Add host ${answers.name}`, changes: tree.changes(), nextSteps: steps };
}

/** Plans the host into `tree` and returns its next steps. */
export function addHostToTree(tree: Tree, answers: HostAnswers, options: ResolveOptions = {}): string[] {
  const { name, system, stateVersion, users } = resolveHost(tree, answers, options);

  const flake = readFlake(tree, "mkHost");
  const data = { hostName: name, system, stateVersion };
  const entry = renderLines("host/flake-host.entry.hbs", data);
  const edited = addFlakeEntry(flake, "nixosConfigurations", name, entry);
  if (!edited.ok) {
    throw new GenError(`flake.nix cannot take the new host safely because ${edited.reason}: add \`${onOneLine(entry)}\` to nixosConfigurations by hand, or fix flake.nix and run again.`);
  }
  tree.write(`hosts/${name}/configuration.nix`, render("host/configuration.nix.hbs", data));
  tree.write(`hosts/${name}/hardware-configuration.nix`, render("host/hardware-configuration.nix.hbs", data));
  tree.write("flake.nix", edited.text);

  const steps = [
    `On ${name} itself, replace the placeholder hardware config: sudo nixos-generate-config --show-hardware-config > hosts/${name}/hardware-configuration.nix`,
    `Let the flake see the new files (flakes only read files git tracks): git add hosts/${name} flake.nix`,
    `Deploy it: sudo nixos-rebuild switch --flake .#${name}`,
  ];
  for (const user of users) {
    addUserToTree(tree, { name: user, hosts: [name] });
    steps.push(passwordStep(user, name, 0));
  }
  if (users.length === 0) steps.push(`Add a user: pnpm gen user <name> --host ${name}`);
  return steps;
}
