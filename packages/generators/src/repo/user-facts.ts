// What the repository says about a user, for the checks of gen user's answers.
import { codeContains, escapeRegExp } from "../nix/edit.js";
import type { RepoView } from "./tree.js";

/** Whether `host` already has `user`: an account or a home in its configuration.nix, or a home file. */
export function userOnHost(repo: RepoView, user: string, host: string): boolean {
  if (repo.read(`hosts/${host}/home/${user}.nix`) !== undefined) return true;
  const config = repo.read(`hosts/${host}/configuration.nix`);
  if (config === undefined) return false;
  const u = `(?:${escapeRegExp(user)}|"${escapeRegExp(user)}")`;
  return codeContains(config, new RegExp(`\\b(?:users\\.users|home-manager\\.users)\\.${u}(?![A-Za-z0-9_'-])`));
}

/** The home.stateVersion a standalone config sets itself, if it does so plainly. */
export function standaloneStateVersion(text: string): string | undefined {
  return /\bhome\.stateVersion\s*=\s*(?:lib\.mkDefault\s*)?"([^"]*)"/.exec(text)?.[1];
}
