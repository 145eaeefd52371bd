// A host's new SSH host key (gen install makes one per install): every
// secret the host is a recipient of is re-encrypted to the new key, with the
// same value, so the machine can decrypt its secrets on its first boot.
import type { RepoView, Tree } from "../../repo/tree.js";
import { encrypt } from "./age.js";
import { type SecretIO, decryptExisting, edited, identityPath, idsIn, rulesOf } from "./plan.js";
import { RULES_PATH, hostKeyName, readRules, setKeyName } from "./rules.js";

/**
 * Gives `host` the key `newKey` in secrets/secrets.nix and re-encrypts its
 * secrets to it, into `tree`; returns their names. Decrypts with --identity
 * (default ~/.ssh/id_ed25519) and refuses, naming it, when that cannot.
 */
export function rekeyHostSecrets(tree: Tree, repo: RepoView, host: string, newKey: string, options: { identity?: string } & Pick<SecretIO, "cwd" | "home">): string[] {
  const current = rulesOf(repo);
  if (!current) return [];
  const name = hostKeyName(host);
  const oldKey = current.rules.keyNames.get(name);
  const affected = [...current.rules.rules.values()].filter((r) => idsIn(current.text, r).has(name) || (oldKey !== undefined && r.keys.includes(oldKey)));
  if (oldKey === undefined && affected.length === 0) return [];
  newKey = newKey.trim().split(/\s+/).slice(0, 2).join(" "); // the key itself, without its comment
  const text = edited(setKeyName(current.text, current.rules, name, newKey), RULES_PATH);
  const rules = readRules(text);
  if ("reason" in rules) throw new Error(`secret rules edit broke the file: ${rules.reason}`);
  const identity = affected.length > 0 ? identityPath(options.identity, options) : "";
  for (const rule of affected) {
    const agePath = `secrets/${rule.file}`;
    const cipher = repo.read(agePath);
    if (cipher === undefined) continue;
    const value = decryptExisting(cipher, agePath, identity);
    const keys = (rules.rules.get(rule.file)?.keys ?? []).filter((k) => k !== oldKey);
    tree.write(agePath, encrypt(value, [...new Set([...rules.admins, ...keys, newKey])]));
    value.fill(0);
  }
  tree.write(RULES_PATH, text);
  return affected.map((r) => r.file.replace(/\.age$/, ""));
}
