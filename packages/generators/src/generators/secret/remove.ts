// gen remove secret <name>: the file, its rule and every age.secrets.<name>;
// and for gen remove host: the host out of every rule it is in, each of
// those secrets re-encrypted to the keys left (the same value, decrypted
// with --identity), so the removed machine's key opens nothing new.
import { GenError } from "../../report/errors.js";
import { readRecord, removeEntity, updateEntity, writeRecord } from "../../repo/record.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import type { Plan } from "../../write/plan.js";
import { encrypt } from "./age.js";
import type { RemoveSecretAnswers } from "./answers.js";
import { checkSecretName } from "./answers.js";
import { removeSecretUse } from "./config-edit.js";
import { type SecretIO, configPath, decryptExisting, dropUnusedHostNames, edited, identityPath, idsIn, rulesOf, secretPath } from "./plan.js";
import { RULES_PATH, hostKeyName, readRules, removeRule, setRuleKeys } from "./rules.js";

export function planRemoveSecret(repo: RepoView, answers: RemoveSecretAnswers): Plan {
  const reason = checkSecretName(answers.name);
  if (reason) throw new GenError(reason);
  const file = `${answers.name}.age`;
  const agePath = secretPath(answers.name);
  const current = rulesOf(repo);
  const rule = current?.rules.rules.get(file);
  if (repo.read(agePath) === undefined && !rule) {
    const known = current ? [...current.rules.rules.keys()].map((f) => f.replace(/\.age$/, "")) : [];
    throw new GenError(`There is no secret ${JSON.stringify(answers.name)} (no ${agePath}, no rule in ${RULES_PATH}): give one of ${known.join(", ") || "the secrets in secrets/ (there are none)"}.`);
  }
  const tree = new Tree(repo);
  const steps: string[] = [];
  if (repo.read(agePath) !== undefined) tree.remove(agePath);
  if (current && rule) {
    let text = edited(removeRule(current.text, rule), RULES_PATH);
    text = dropUnusedHostNames(text, repo);
    const left = readRules(text);
    // The last rule gone: the file held only keys for it, as the first gen secret wrote it.
    if (!("reason" in left) && left.rules.size === 0) {
      tree.remove(RULES_PATH);
      steps.push(`${RULES_PATH} went too, as no secret is left: the next pnpm gen secret takes --admin-key-file again`);
    } else tree.write(RULES_PATH, text);
  }
  for (const host of repo.listDir("hosts")) {
    const path = configPath(host);
    const config = repo.read(path);
    if (config !== undefined) tree.write(path, edited(removeSecretUse(config, answers.name), path));
  }
  writeRecord(tree, removeEntity(readRecord(tree), `secret/${answers.name}`));
  steps.unshift(`Check that no setting still reads config.age.secrets.${answers.name}.path (pnpm test evaluates every host), then deploy the hosts that used it`);
  return { title: `Remove secret ${answers.name}`, changes: tree.changes(), nextSteps: steps };
}

/**
 * Takes `host` out of every rule that names its key, re-encrypting each of
 * those secrets to the keys left, into `tree` (gen remove host's plan).
 * Returns the secrets re-keyed. Refuses, naming --identity, when the
 * identity cannot decrypt one of them.
 */
export function removeHostFromSecrets(tree: Tree, repo: RepoView, host: string, options: { identity?: string } & Pick<SecretIO, "cwd" | "home">): string[] {
  const current = rulesOf(repo);
  if (!current) return [];
  const name = hostKeyName(host);
  const hostKey = current.rules.keyNames.get(name) ?? repo.read(`hosts/${host}/ssh_host_ed25519_key.pub`)?.trim();
  const affected = [...current.rules.rules.values()].filter((r) => (hostKey !== undefined && r.keys.includes(hostKey)) || idsIn(current.text, r).has(name));
  if (affected.length === 0) {
    // Its key may still be named in the let, unused: it goes with the host.
    tree.write(RULES_PATH, dropUnusedHostNames(current.text, repo, [host]));
    return [];
  }
  const identity = identityPath(options.identity, options);
  let text = current.text;
  for (const rule of affected) {
    const fresh = readRules(text);
    if ("reason" in fresh) throw new Error(`secret rules edit broke the file: ${fresh.reason}`);
    const r = fresh.rules.get(rule.file)!;
    const kept = [...idsIn(text, r)].filter((n) => n !== "admins" && n !== name);
    text = setRuleKeys(text, r, kept);
    const agePath = `secrets/${rule.file}`;
    const cipher = repo.read(agePath);
    if (cipher === undefined) continue;
    const value = decryptExisting(cipher, agePath, identity);
    const after = readRules(text);
    if ("reason" in after) throw new Error(`secret rules edit broke the file: ${after.reason}`);
    const recipients = [...new Set([...after.admins, ...after.rules.get(rule.file)!.keys])].filter((k) => k !== hostKey);
    tree.write(agePath, encrypt(value, recipients));
    value.fill(0);
  }
  tree.write(RULES_PATH, dropUnusedHostNames(text, repo, [host]));
  const names = affected.map((r) => r.file.replace(/\.age$/, ""));
  for (const n of names) updateEntity(tree, `secret/${n}`, (a) => ({ ...a, hosts: (a.hosts as string[]).filter((h) => h !== host) }));
  return names;
}
