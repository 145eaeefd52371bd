// gen remove host|user: what the adding generators wrote, taken out again.
// Files go whole; in flake.nix and configuration.nix the entries and blocks
// go as whole lines (remove-edit.ts), so adding and then removing gives back
// the tree byte for byte. Anything that cannot go safely refuses the plan.
import { GenError } from "../../report/errors.js";
import { codeContains, escapeRegExp, flakeEntriesAt, flakeEntryNames } from "../../nix/edit.js";
import { type RepoView, Tree, filesBelow } from "../../repo/tree.js";
import { findUserInModule, removeFlakeEntry, removeUserFromModule } from "../../nix/remove.js";
import type { Plan } from "../../write/plan.js";
import { isHost, listHosts } from "../../repo/facts.js";
import { readRecord, removeEntity, removeUser, writeRecord } from "../../repo/record.js";

export interface RemoveHostAnswers {
  name: string;
}

export interface RemoveUserAnswers {
  name: string;
  /** Where to remove the user from; empty: every host, and the standalone config. */
  hosts: string[];
}

/** `alsoInTree`: more of the same removal, in the same tree (the host out of its secrets' recipients). */
export function planRemoveHost(repo: RepoView, answers: RemoveHostAnswers, alsoInTree?: (tree: Tree) => void): Plan {
  const { name } = answers;
  checkHostExists(repo, name);
  const tree = new Tree(repo);
  const users = usersOnHost(repo, name);
  for (const file of filesBelow(repo, `hosts/${name}`)) tree.remove(file);

  let flake = readFlakeText(tree);
  // The host's entry, in flake.nix or the file it imports its hosts from (`import ./hosts { … }`, where gen host put it).
  const read = (path: string) => tree.read(path);
  const elsewhere: string[] = [];
  const removeHostEntry = (output: string) => {
    const result = removeFlakeEntry(flake, output, name, read);
    const text = edited(result, `flake.nix cannot lose host ${name}'s entry safely`);
    if (result.ok && result.file !== undefined) {
      tree.write(result.file, text);
      elsewhere.push(result.file);
    } else flake = text;
  };
  removeHostEntry("nixosConfigurations");
  // A Mac's entry is in darwinConfigurations, where the flake has one.
  if (flakeEntryNames(flake, "darwinConfigurations", read)?.includes(name)) removeHostEntry("darwinConfigurations");
  for (const key of homeKeys(flake).filter((k) => k.endsWith(`@${name}`))) {
    flake = edited(removeFlakeEntry(flake, "homeConfigurations", key), `flake.nix cannot lose the standalone entry "${key}" safely`);
  }
  tree.write("flake.nix", flake);
  alsoInTree?.(tree);
  refuseDangling(tree, `hosts/${name}/`, `host ${name}`);
  writeRecord(tree, removeEntity(readRecord(tree), `host/${name}`));

  const steps = [`Let the flake see the change, then commit it: git add -A ${[`hosts/${name}`, ...elsewhere, "flake.nix"].join(" ")}`];
  for (const user of users) {
    if (filesBelow(repo, `nix/${user}`).length > 0) {
      steps.push(`${user}'s standalone config (nix/${user}/) stays; to remove ${user} everywhere: pnpm gen remove user ${user}`);
    }
  }
  steps.push(`The machine ${name} keeps running what it last deployed: wipe or reinstall it if it is retired.`);
  return { title: `Remove host ${name}`, changes: tree.changes(), nextSteps: steps };
}

export function planRemoveUser(repo: RepoView, answers: RemoveUserAnswers): Plan {
  const { name } = answers;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) throw new GenError(`There is no user ${JSON.stringify(name)}: check the name.`);
  const everywhere = answers.hosts.length === 0;
  const onHosts = listHosts(repo).filter((h) => userIsOn(repo, name, h, everywhere));
  for (const host of answers.hosts) {
    checkHostExists(repo, host);
    if (!onHosts.includes(host)) {
      const where = onHosts.length === 0 ? "it is on no host" : `it is on ${onHosts.join(", ")}`;
      throw new GenError(`${name} is not on host ${host} (no users.users.${name}, home-manager.users.${name} or hosts/${host}/home/${name}.nix there), so there is nothing to remove: ${where}.`);
    }
  }
  const hosts = everywhere ? onHosts : [...new Set(answers.hosts)];
  const standaloneFiles = everywhere ? filesBelow(repo, `nix/${name}`) : [];
  const standaloneKey = everywhere && homeKeys(readFlakeText(repo)).includes(name);
  if (hosts.length === 0 && standaloneFiles.length === 0 && !standaloneKey) {
    const hostList = listHosts(repo);
    throw new GenError(
      `There is no user ${name}: no host has it (${hostList.length === 0 ? "there are no hosts" : `hosts: ${hostList.join(", ")}`}), and there is no nix/${name}/ or homeConfigurations.${name}: check the name.`,
    );
  }

  const tree = new Tree(repo);
  let flake = readFlakeText(tree);
  const homes: string[] = [];
  for (const host of hosts) {
    const configPath = `hosts/${host}/configuration.nix`;
    const config = edited(removeUserFromModule(tree.read(configPath)!, name), `${configPath} cannot lose ${name} safely`);
    tree.write(configPath, config);
    const homePath = `hosts/${host}/home/${name}.nix`;
    if (tree.read(homePath) !== undefined) tree.remove(homePath);
    homes.push(homePath);
    flake = edited(removeFlakeEntry(flake, "homeConfigurations", `${name}@${host}`), `flake.nix cannot lose the standalone entry "${name}@${host}" safely`);
  }
  for (const file of standaloneFiles) tree.remove(file);
  if (standaloneKey) flake = edited(removeFlakeEntry(flake, "homeConfigurations", name), `flake.nix cannot lose the standalone entry "${name}" safely`);
  tree.write("flake.nix", flake);
  for (const home of homes) refuseDangling(tree, home, home);
  if (everywhere) refuseDangling(tree, `nix/${name}/`, `${name}'s standalone config`);
  writeRecord(tree, removeUser(readRecord(tree), name, answers.hosts));

  const gone = [...hosts.map((h) => `hosts/${h}`), ...(standaloneFiles.length > 0 ? [`nix/${name}`] : []), "flake.nix"];
  const steps = [`Let the flake see the change, then commit it: git add -A ${gone.join(" ")}`];
  for (const host of hosts) steps.push(`Deploy ${host} without ${name}: sudo nixos-rebuild switch --flake .#${host}`);
  if (hosts.length > 0) {
    steps.push(`NixOS removes the account on the next switch but keeps /home/${name}: delete it on each host (sudo rm -r /home/${name}) once nothing in it is needed.`);
  }
  if (!everywhere && filesBelow(repo, `nix/${name}`).length > 0) {
    steps.push(`${name}'s standalone config (nix/${name}/) stays; pnpm gen remove user ${name} without --host removes it too.`);
  }
  const title = everywhere ? `Remove user ${name}` : `Remove user ${name} from ${hosts.join(", ")}`;
  return { title, changes: tree.changes(), nextSteps: steps };
}

function checkHostExists(repo: RepoView, name: string): void {
  if (isHost(repo, name)) return;
  if (repo.listDir("hosts").includes(name)) {
    throw new GenError(`hosts/${name} holds no configuration.nix, so it is not a host the generators wrote: remove that folder by hand if it should go.`);
  }
  const hosts = listHosts(repo);
  throw new GenError(`There is no host ${JSON.stringify(name)} (${hosts.length === 0 ? "there are no hosts" : `hosts: ${hosts.join(", ")}`}): check the name.`);
}

function readFlakeText(repo: RepoView): string {
  const flake = repo.read("flake.nix");
  if (flake === undefined) throw new GenError("There is no flake.nix here: run the generator from the root of your fork (the folder that holds flake.nix).");
  return flake;
}

/** The names of homeConfigurations' entries; none when the flake has no such set. */
function homeKeys(flake: string): string[] {
  const keys = flakeEntriesAt(flake, "homeConfigurations");
  if (!("reason" in keys)) return [...keys.keys()];
  if (/has no `homeConfigurations/.test(keys.reason)) return [];
  throw new GenError(`flake.nix cannot be read safely because ${keys.reason}: fix it and run again.`);
}

function edited(result: { ok: true; text: string } | { ok: false; reason: string }, what: string): string {
  if (result.ok) return result.text;
  throw new GenError(`${what} because ${result.reason}; then run again. Nothing was changed.`);
}

/**
 * Whether `user` is on `host`: an account or home-manager entry in its
 * configuration.nix, its home file, or a `"<user>@<host>"` standalone entry.
 * A configuration.nix that cannot be read is refused when the user's hosts
 * are being looked for (`searching`), rather than guessed at.
 */
function userIsOn(repo: RepoView, user: string, host: string, searching: boolean): boolean {
  if (repo.read(`hosts/${host}/home/${user}.nix`) !== undefined) return true;
  const flake = repo.read("flake.nix") ?? "";
  if (codeContains(flake, new RegExp(`"${escapeRegExp(user)}@${escapeRegExp(host)}"`))) return true;
  const found = findUserInModule(repo.read(`hosts/${host}/configuration.nix`)!, user);
  if ("reason" in found) {
    if (!searching) return false;
    throw new GenError(
      `hosts/${host}/configuration.nix cannot be read safely (${found.reason}), so whether ${user} is on ${host} cannot be told: fix it, or name the hosts to remove ${user} from with --host.`,
    );
  }
  return found.bindings.length > 0;
}

/** The users with a home file on `host` (hosts/<host>/home/<user>.nix). */
function usersOnHost(repo: RepoView, host: string): string[] {
  return repo
    .listFiles(`hosts/${host}/home`)
    .filter((f) => f.endsWith(".nix"))
    .map((f) => f.slice(0, -".nix".length));
}

/** Refuses a plan that leaves a file naming the folder it removes (`prefix`). */
function refuseDangling(tree: Tree, prefix: string, what: string): void {
  const files = ["flake.nix", ...["hosts", "nix", "modules"].flatMap((d) => filesBelow(tree, d))].filter((f) => f.endsWith(".nix"));
  const re = new RegExp(`(^|[^A-Za-z0-9_.-])${escapeRegExp(prefix)}`);
  for (const file of files) {
    const text = tree.read(file);
    if (text !== undefined && codeContains(text, re)) {
      throw new GenError(`${file} still refers to ${prefix} after ${what} goes: change that reference by hand first, then run again. Nothing was changed.`);
    }
  }
}
