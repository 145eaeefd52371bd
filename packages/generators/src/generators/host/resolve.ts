// gen host's answers, checked and with their defaults.
import { type ResolveOptions, checkContext, resolveAnswers, targetOf } from "../../answers/resolve.js";
import type { RepoView } from "../../repo/tree.js";
import type { HostAnswers } from "../../answers/rules.js";
import type { System } from "../../answers/release.js";
import type { Target } from "../../answers/deploy-target.js";
import { hostSpec } from "./spec.js";

export interface ResolvedHost {
  name: string;
  system: System;
  stateVersion: string;
  users: string[];
  /** The --hardware-config file's text, exactly as read; undefined for the placeholder. */
  hardwareConfig?: string;
  /** The disko layout (checked), and its devices as given (none: placeholders). */
  disk?: string;
  diskDevices?: string[];
  target?: Target;
  tags: string[];
}

export function resolveHost(repo: RepoView, answers: HostAnswers, options: ResolveOptions = {}): ResolvedHost {
  const a = resolveAnswers(hostSpec, repo, answers, options);
  return {
    name: a.name,
    system: a.system,
    stateVersion: a.stateVersion,
    users: a.users,
    ...(typeof a.hardwareConfig === "string" ? { hardwareConfig: checkContext(repo, a, options).readFile(a.hardwareConfig) } : {}),
    ...(typeof a.disk === "string" ? { disk: a.disk, diskDevices: a.diskDevices ?? [] } : {}),
    ...targetOf(a.targetHost, checkContext(repo, a, options)),
    tags: a.tags ?? [],
  };
}
