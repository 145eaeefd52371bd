// gen deploy's answers, checked and with their defaults.
import { type ResolveOptions, checkContext, resolveAnswers, targetOf } from "../../answers/resolve.js";
import type { RepoView } from "../../repo/tree.js";
import type { DeployAnswers } from "../../answers/rules.js";
import type { Target } from "../../answers/deploy-target.js";
import { GenError } from "../../report/errors.js";
import { deploySpec } from "./spec.js";

export interface ResolvedDeploy {
  name: string;
  /** undefined: keep the host's target. */
  target?: Target;
  /** undefined: keep the host's tags. */
  tags?: string[];
}

export function resolveDeploy(repo: RepoView, answers: DeployAnswers, options: ResolveOptions = {}): ResolvedDeploy {
  const a = resolveAnswers(deploySpec, repo, answers, options);
  const tags = a.tags;
  const resolved: ResolvedDeploy = { name: a.name, ...targetOf(a.targetHost, checkContext(repo, a, options)), ...(tags && tags.length > 0 ? { tags } : {}) };
  if (!resolved.target && !resolved.tags) {
    const fix = options.origins?.targetHost === "prompt" ? "give a target or at least one tag" : `add --target-host [user@]address[:port], --tag <tag>, or both (e.g. ${deploySpec.minimal})`;
    throw new GenError(`Nothing to change for ${resolved.name}: ${fix}.`);
  }
  return resolved;
}
