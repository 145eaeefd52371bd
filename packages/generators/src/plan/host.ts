// gen host: answers → the host's files and its flake.nix entry.
import { type HostAnswers, checkHostName, checkStateVersion, checkSystem, firstReason } from "../answers.js";
import { GenError } from "../errors.js";
import { addFlakeEntry } from "../flake-edit.js";
import { RELEASE } from "../release.js";
import { type RepoView, Tree } from "../repo.js";
import { render, renderLines } from "../templates.js";
import type { Plan } from "./plan.js";
import { readFlake } from "./repo-facts.js";
import { addUserToTree, passwordStep } from "./user.js";

export function planHost(repo: RepoView, answers: HostAnswers): Plan {
  const tree = new Tree(repo);
  const steps = addHostToTree(tree, answers);
  return { title: `Add host ${answers.name}`, changes: tree.changes(), nextSteps: steps };
}

/** Plans the host into `tree` and returns its next steps. */
export function addHostToTree(tree: Tree, answers: HostAnswers): string[] {
  const { name, system } = answers;
  const stateVersion = answers.stateVersion ?? RELEASE;
  const users = answers.users ?? [];
  const reason = firstReason(checkHostName(name), checkSystem(system), checkStateVersion(stateVersion));
  if (reason) throw new GenError(reason);
  const dup = users.find((u, i) => users.indexOf(u) !== i);
  if (dup) throw new GenError(`The user ${dup} is listed twice: give each --user once.`);
  if (tree.listDir("hosts").includes(name)) {
    throw new GenError(`The host ${name} already exists (hosts/${name}): pick another name, or remove that folder first.`);
  }

  const flake = readFlake(tree, "mkHost");
  const data = { hostName: name, system, stateVersion };
  const entry = renderLines("host/flake-host.entry.hbs", data)[0]!;
  const edited = addFlakeEntry(flake, "nixosConfigurations", name, entry);
  if (!edited.ok) {
    throw new GenError(`flake.nix cannot take the new host safely because ${edited.reason}: add \`${entry}\` to nixosConfigurations by hand, or fix flake.nix and run again.`);
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
    steps.push(passwordStep(user, name));
  }
  if (users.length === 0) steps.push(`Add a user: pnpm gen user <name> --host ${name}`);
  return steps;
}
