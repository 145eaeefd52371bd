// gen deploy: where Colmena reaches an existing host, and its tags, in
// hosts/<host>/deployment.nix (which flake.nix's colmenaHive imports).
import type { DeployAnswers } from "../../answers/rules.js";
import { type Deployment, type Target, deploymentPath, readDeployment, targetText } from "../../answers/deploy-target.js";
import { GenError } from "../../report/errors.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import type { ResolveOptions } from "../../answers/resolve.js";
import { resolveDeploy } from "./resolve.js";
import { render } from "../templates.js";
import type { Plan } from "../../write/plan.js";

/** hosts/<host>/deployment.nix for `deployment`. */
export function renderDeployment(hostName: string, deployment: Deployment): string {
  const t = deployment.target;
  const target = t ? { host: t.host, user: t.user ?? false, port: t.port ?? false } : false;
  const tags = deployment.tags;
  return render("host/deployment.nix.hbs", {
    hostName,
    target,
    oneTag: tags.length === 1 ? tags[0] : false,
    manyTags: tags.length > 1 ? tags : false,
  });
}

/** The command that deploys `host` with Colmena, through the flake's own pinned colmena. */
export const colmenaApply = (on: string) => `nix run --inputs-from . colmena -- apply --on ${on}`;

/** Where a deployment sends the host, in words. */
export function reachedAt(host: string, target: Target | undefined): string {
  return target ? targetText(target) : `${host} (its own name), as root`;
}

export function planDeploy(repo: RepoView, answers: DeployAnswers, options: ResolveOptions = {}): Plan {
  const tree = new Tree(repo);
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
  const text = renderDeployment(name, next);
  if (text === existing) throw new GenError(`${path} already says this: nothing to change.`);
  tree.write(path, text);
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
