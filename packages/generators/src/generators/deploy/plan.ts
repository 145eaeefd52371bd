// gen deploy: where Colmena reaches an existing host, and its tags, in
// hosts/<host>/deployment.nix (which flake.nix's colmenaHive imports).
import { hostKeyPath, writeHostKey } from "../secret/host-key.js";
import type { DeployAnswers } from "../../answers/rules.js";
import { type Deployment, type Target, deploymentPath, readDeployment, targetText } from "../../answers/deploy-target.js";
import { GenError } from "../../report/errors.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import type { ResolveOptions } from "../../answers/resolve.js";
import { resolveDeploy } from "./resolve.js";
import { render, renderTo } from "../templates.js";
import { recordRenders } from "../../repo/record.js";
import type { Plan } from "../../write/plan.js";

/** hosts/<host>/deployment.nix for `deployment`; noted on `tree` for the record when given (not for a comparison). */
export function renderDeployment(hostName: string, deployment: Deployment, tree?: Tree): string {
  const t = deployment.target;
  const target = t ? { host: t.host, user: t.user ?? false, port: t.port ?? false } : false;
  const tags = deployment.tags;
  const data = { hostName, target, oneTag: tags.length === 1 ? tags[0] : false, manyTags: tags.length > 1 ? tags : false };
  return tree ? renderTo(tree, "host/deployment.nix.hbs", data) : render("host/deployment.nix.hbs", data);
}

/** The command that deploys `host` with Colmena, through the flake's own pinned colmena. */
export const colmenaApply = (on: string) => `nix run --inputs-from . colmena -- apply --on ${on}`;

/** Where a deployment sends the host, in words. */
export function reachedAt(host: string, target: Target | undefined): string {
  return target ? targetText(target) : `${host} (its own name), as root`;
}

export function planDeploy(repo: RepoView, answers: DeployAnswers, options: ResolveOptions = {}): Plan {
  const tree = new Tree(repo);
  // Only a host key: deployment.nix is left as it is.
  if (answers.hostKeyFile !== undefined && answers.targetHost === undefined && (answers.tags ?? []).length === 0) {
    if (!writeHostKey(tree, answers.name, answers.hostKeyFile, options)) throw new GenError(`${hostKeyPath(answers.name)} already holds this key: nothing to change.`);
    return { title: `Set ${answers.name}'s host key`, changes: tree.changes(), nextSteps: [`Let the flake see it (flakes only read files git tracks): git add ${hostKeyPath(answers.name)}`, `Encrypt secrets to it: pnpm gen secret <name> --host ${answers.name}`] };
  }
  const keyChanged = writeHostKey(tree, answers.name, answers.hostKeyFile, options);
  const { name, target, tags } = resolveDeploy(tree, answers, options);
  const path = deploymentPath(name);
  const existing = tree.read(path);
  let current: Deployment = { tags: [] };
  if (existing !== undefined) {
    const read = readDeployment(existing, (d) => renderDeployment(name, d));
    if (!read) {
      throw new GenError(`${path} has been edited by hand, and rewriting it would lose that: change it there (deployment.targetHost, targetUser, targetPort, tags), or move it away and run again.`);
    }
    current = read;
  }
  const next: Deployment = { ...(target ?? current.target ? { target: target ?? current.target } : {}), tags: tags ?? current.tags };
  const text = renderDeployment(name, next, tree);
  if (text === existing && !keyChanged) throw new GenError(`${path} already says this: nothing to change.`);
  if (text !== existing) tree.write(path, text);
  recordRenders(tree);
  return {
    title: `${existing === undefined ? "Set" : "Change"} how Colmena deploys ${name}`,
    changes: tree.changes(),
    nextSteps: deploySteps(name, next, existing === undefined ? [path] : []),
  };
}

/** The next steps once a host has a deployment.nix. */
function deploySteps(host: string, deployment: Deployment, newPaths: string[]): string[] {
  const steps: string[] = [];
  if (newPaths.length > 0) steps.push(`Let the flake see the new file (flakes only read files git tracks): git add ${newPaths.join(" ")}`);
  steps.push(`Deploy it from here with Colmena, over SSH to ${reachedAt(host, deployment.target)}: ${colmenaApply(host)}`);
  for (const tag of deployment.tags) steps.push(`Or every host tagged ${tag} at once: ${colmenaApply(`@${tag}`)}`);
  return steps;
}
