// gen user's answers, checked and with their defaults.
import { type ResolveOptions, checkContext, resolveAnswers, } from "../../answers/resolve.js";
import type { RepoView } from "../../repo/tree.js";
import type { UserAnswers } from "../../answers/rules.js";
import type { Pattern, Shell } from "../../answers/release.js";
import { keysInFile, normalizeSshKey } from "../../answers/ssh-keys.js";
import { RELEASE } from "../../answers/release.js";
import { releaseOf } from "../../repo/pins.js";
import { defaultFrom, defaultFullName, userSpec } from "./spec.js";

export interface ResolvedUser {
  name: string;
  hosts: string[];
  fullName: string;
  email: string;
  pattern: Pattern;
  shell: Shell;
  standalone: boolean;
  /** reuse: the standalone config the home imports. */
  from: string;
  admin: boolean;
  /** Every key from --ssh-key and --ssh-key-file, once each, in order. */
  sshKeys: string[];
  /** home.stateVersion of a home this run creates. */
  homeStateVersion: string;
}

export function resolveUser(repo: RepoView, answers: UserAnswers, options: ResolveOptions = {}): ResolvedUser {
  const a = resolveAnswers(userSpec, repo, answers, options);
  const ctx = checkContext(repo, a, options);
  const name = a.name;
  const fromFiles = (a.sshKeyFiles ?? []).flatMap((f) => keysInFile(ctx.readFile(f) ?? ""));
  const keys = [...(a.sshKeys ?? []), ...fromFiles].map(normalizeSshKey);
  return {
    name,
    hosts: a.hosts,
    // A full name of blanks reads as none: the username, as the spec's default says.
    fullName: a.fullName.trim() || defaultFullName(name),
    email: (a.email ?? "").trim(),
    pattern: a.pattern,
    shell: a.shell,
    standalone: a.standalone,
    // Asked (and defaulted) only for the reuse pattern; the others still name where it would be.
    from: a.from ?? defaultFrom(name),
    admin: a.admin,
    sshKeys: keys.filter((k, i) => keys.indexOf(k) === i),
    // The fork's release, from its pins: after gen upgrade a new home starts on it.
    homeStateVersion: releaseOf(repo, RELEASE),
  };
}
