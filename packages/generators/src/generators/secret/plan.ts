// gen secret: answers → secrets/<name>.age (armored, to the hosts' keys and
// every admin's), its rule in secrets/secrets.nix, and age.secrets.<name>
// in each host's configuration.nix. The value is read only when a new one is
// needed (a new secret, --rotate); a re-key decrypts the old one with
// --identity. It lives in memory and pipes only: the plan holds ciphertext.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GenError } from "../../report/errors.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import { recordEntity } from "../../repo/record.js";
import type { Plan } from "../../write/plan.js";
import { isHost, listHosts } from "../../repo/facts.js";
import { nixAttr } from "../../nix/quote.js";
import { ARMOR_BEGIN, encrypt, isAgeFile, tryDecrypt } from "./age.js";
import { type SecretAnswers, checkMode, checkOwner, checkSecretName, insideRepo } from "./answers.js";
import { addSecretUse, removeSecretUse } from "./config-edit.js";
import { parseHostKey, readHostKey } from "./host-key.js";
import { ADMINS, type Edit, RULES_PATH, type Rules, addRule, hostKeyName, newRules, readRules, removeKeyNames, setKeyName, setRuleKeys } from "./rules.js";

export interface SecretIO {
  /** The repository on disk (a --value-file inside it is refused). */
  root: string;
  /** Where relative paths given on the command line are from. */
  cwd: string;
  /** The user's home, for the default identity ~/.ssh/id_ed25519. */
  home: string;
  /** The value from standard input or a hidden prompt, exactly as given. Called only when a new value is needed. */
  readValue(): Buffer;
  /** Files outside the repository that answers name, by path: read instead of the disk (the catalogue's runs). */
  files?: Record<string, string>;
}

export const configPath = (host: string) => `hosts/${host}/configuration.nix`;
export const secretPath = (name: string) => `secrets/${name}.age`;

/** The rules text without the host key names no rule uses any more (admins' names always stay). */
export function dropUnusedHostNames(text: string, repo: RepoView, gone: readonly string[] = []): string {
  const rules = readRules(text);
  if ("reason" in rules) return text;
  const hostNames = new Set([...repo.listDir("hosts"), ...gone].map(hostKeyName));
  const unused = [...rules.keyNames.keys()].filter((n) => hostNames.has(n) && !rules.used.has(n));
  return unused.length === 0 ? text : edited(removeKeyNames(text, rules, unused), RULES_PATH);
}


/** The rules file read, or a refusal naming it. */
export function rulesOf(repo: RepoView): { text: string; rules: Rules } | undefined {
  const text = repo.read(RULES_PATH);
  if (text === undefined) return undefined;
  const rules = readRules(text);
  if ("reason" in rules) throw new GenError(`${RULES_PATH} cannot be read for certain because ${rules.reason}: fix it by hand (agenix's format: let <name> = "ssh-ed25519 …"; in { "<name>.age".publicKeys = [ … ]; }), then run again.`);
  return { text, rules };
}

export function edited(result: Edit, path: string): string {
  if (!result.ok) throw new GenError(`${path} cannot take the change safely because ${result.reason}: edit it by hand, or fix it and run again.`);
  return result.text;
}

/** The private key a re-key decrypts with, checked to be there. */
export function identityPath(given: string | undefined, io: Pick<SecretIO, "cwd" | "home">): string {
  const path = given === undefined ? join(io.home, ".ssh", "id_ed25519") : resolve(io.cwd, given.replace(/^~(?=\/)/, io.home));
  if (!existsSync(path)) {
    throw new GenError(`There is no private key at ${path} to decrypt the secret with: give --identity with the private SSH key (not the .pub) of an admin or a host it is encrypted to.`);
  }
  return path;
}

/** The value inside an existing secret file, decrypted with `identity`, or a refusal naming --identity. */
export function decryptExisting(text: string, path: string, identity: string): Buffer {
  if (!text.trimStart().startsWith(ARMOR_BEGIN)) {
    throw new GenError(`${path} is not an armored age file, so it cannot be re-encrypted in place: give its rule \`armor = true;\` in ${RULES_PATH} and run \`agenix -r\` in secrets/, or remove it with pnpm gen remove secret.`);
  }
  const value = tryDecrypt(text, identity);
  if (value === undefined) {
    throw new GenError(`${identity} does not decrypt ${path} (it is not one of its recipients): give --identity with the private key of an admin or a host it is encrypted to.`);
  }
  return value;
}

function readAdminKey(file: string, io: SecretIO): string {
  const path = resolve(io.cwd, file.replace(/^~(?=\/)/, io.home));
  let text: string;
  try {
    if (io.files && !Object.hasOwn(io.files, file)) throw new Error("not among the files given");
    text = io.files ? io.files[file]! : readFileSync(path, "utf8");
  } catch {
    throw new GenError(`The admin key file ${path} cannot be read: give your public key, such as --admin-key-file ~/.ssh/id_ed25519.pub.`);
  }
  const key = parseHostKey(text, "you", path, "give your own ed25519 public key (~/.ssh/id_ed25519.pub; make one with `ssh-keygen -t ed25519`)");
  if (typeof key !== "string") throw new GenError(`${key.reason}.`);
  return key;
}

function readNewValue(answers: SecretAnswers, io: SecretIO): Buffer {
  let value: Buffer;
  if (answers.valueFile !== undefined) {
    const path = resolve(io.cwd, answers.valueFile);
    try {
      value = readFileSync(path);
    } catch {
      throw new GenError(`The value file ${path} cannot be read: give a file you can read, outside the repository, or pipe the value in.`);
    }
  } else value = io.readValue();
  if (value.length === 0) throw new GenError("The secret's value is empty: pipe it in (printf '%s' \"$VALUE\" | pnpm gen secret …), type it at the prompt, or give --value-file.");
  return value;
}

function check(answers: SecretAnswers, repo: RepoView, io: SecretIO): void {
  const reason = [
    checkSecretName(answers.name),
    answers.mode === undefined ? undefined : checkMode(answers.mode),
    answers.owner === undefined ? undefined : checkOwner(answers.owner),
  ].find((r) => r !== undefined);
  if (reason) throw new GenError(reason);
  if (answers.hosts.length === 0) throw new GenError(`Give the hosts that decrypt ${answers.name}: --host H (again for each host).`);
  for (const host of answers.hosts) {
    if (!isHost(repo, host)) throw new GenError(`There is no host ${JSON.stringify(host)} (no ${configPath(host)}): give one of ${listHosts(repo).join(", ") || "the hosts in hosts/ (add one with pnpm gen host)"}.`);
  }
  if (answers.valueFile !== undefined && insideRepo(answers.valueFile, io.cwd, io.root)) {
    throw new GenError(`The value file ${answers.valueFile} is inside the repository, where a secret's value must never be: move it out (for example to a private temp folder), or pipe the value in.`);
  }
}

export function planSecret(repo: RepoView, answers: SecretAnswers, io: SecretIO): Plan {
  check(answers, repo, io);
  const hosts = [...new Set(answers.hosts)];
  const keys = new Map(hosts.map((h) => [h, readHostKey(repo, h)]));
  const file = `${answers.name}.age`;
  const agePath = secretPath(answers.name);
  const tree = new Tree(repo);
  const current = rulesOf(repo);
  const oldCipher = repo.read(agePath);
  const rule = current?.rules.rules.get(file);
  if (oldCipher !== undefined && !rule) throw new GenError(`${agePath} exists but ${RULES_PATH} has no rule for "${file}": add its rule by hand, or remove the file, then run again.`);
  if (oldCipher !== undefined && !isAgeFile(oldCipher)) throw new GenError(`${agePath} is not an age file: remove it (it may hold a value in plain text), then run again.`);

  let text: string;
  let admins: string[];
  const adminKey = answers.adminKeyFile === undefined ? undefined : readAdminKey(answers.adminKeyFile, io);
  if (!current) {
    if (!adminKey) throw new GenError(`The first secret needs an admin key, which can re-encrypt every secret later: give --admin-key-file ~/.ssh/id_ed25519.pub (your public key).`);
    admins = [adminKey];
    text = newRules(admins, hosts.map((h) => ({ name: h, key: keys.get(h)! })), file);
  } else {
    text = current.text;
    let rules = current.rules;
    admins = rules.admins;
    if (adminKey && !admins.includes(adminKey)) {
      text = addAdmin(text, rules, adminKey);
      admins = [...admins, adminKey];
    }
    for (const h of hosts) {
      text = edited(setKeyName(text, reread(text), hostKeyName(h), keys.get(h)!), RULES_PATH);
    }
    rules = reread(text);
    const names = hosts.map(hostKeyName);
    const existing = rules.rules.get(file);
    if (existing) {
      // Keys the rule names that are no host's (a user's, say) stay.
      const hostNames = new Set(repo.listDir("hosts").map(hostKeyName));
      const others = [...idsIn(text, existing)].filter((n) => n !== ADMINS && !hostNames.has(n));
      text = setRuleKeys(text, existing, [...others, ...names]);
    } else text = edited(addRule(text, rules, file, names), RULES_PATH);
    text = dropUnusedHostNames(text, repo);
  }
  const recipients = [...new Set([...admins, ...(reread(text).rules.get(file)?.keys ?? [])])];

  // A new value, the old one re-encrypted, or nothing when the recipients are the same.
  const sameKeys = rule !== undefined && oldCipher !== undefined && sameSet(rule.keys, recipients);
  let value: Buffer | undefined;
  if (oldCipher === undefined || answers.rotate) value = readNewValue(answers, io);
  else if (!sameKeys) value = decryptExisting(oldCipher, agePath, identityPath(answers.identity, io));
  if (value !== undefined) tree.write(agePath, encrypt(value, recipients));
  value?.fill(0);
  tree.write(RULES_PATH, text);

  for (const host of repo.listDir("hosts")) {
    const path = configPath(host);
    const config = repo.read(path);
    if (config === undefined) continue;
    if (keys.has(host)) tree.write(path, edited(addSecretUse(config, { name: answers.name, owner: answers.owner, mode: answers.mode }), path));
    else tree.write(path, edited(removeSecretUse(config, answers.name), path));
  }
  // Recorded for gen update and gen remove: the name, hosts, owner and mode, never the value.
  const recorded = { name: answers.name, hosts, ...(answers.owner !== undefined ? { owner: answers.owner } : {}), ...(answers.mode !== undefined ? { mode: answers.mode } : {}) };
  recordEntity(tree, `secret/${answers.name}`, "secret", recorded, [agePath, RULES_PATH, ...hosts.map(configPath)]);
  const verb = oldCipher === undefined ? "Add" : answers.rotate ? "Rotate" : "Re-key";
  return {
    title: `${verb} secret ${answers.name} for ${hosts.join(", ")}`,
    changes: tree.changes(),
    nextSteps: [
      `Let the flake see the new files (flakes only read files git tracks): git add secrets ${hosts.map((h) => `hosts/${h}`).join(" ")}`,
      `Use it in a host's settings as config.age.secrets.${nixAttr(answers.name)}.path (the decrypted file, /run/agenix/${answers.name}), then deploy: ${hosts.map((h) => `nixos-rebuild switch --flake .#${h}`).join("; ")} (darwin-rebuild on a Mac)`,
    ],
  };
}

function reread(text: string): Rules {
  const rules = readRules(text);
  if ("reason" in rules) throw new Error(`secret rules edit broke the file: ${rules.reason}`);
  return rules;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((k) => sa.has(k));
}

/** The names a rule's publicKeys writes out (`admins ++ [ web1 alice ]` → admins, web1, alice). */
export function idsIn(text: string, rule: { publicKeys?: { start: number; end: number } }): Set<string> {
  const e = rule.publicKeys!;
  const src = text.slice(e.start, e.end);
  if (!/^[\s\w'+\-[\]]*$/.test(src)) throw new GenError(`${RULES_PATH}'s rule names its keys in a way the generator cannot rewrite (\`${src.replace(/\s+/g, " ")}\`): write it as admins ++ [ <names> ], then run again.`);
  return new Set(src.replace(/\+\+|\[|\]/g, " ").split(/\s+/).filter((w) => w !== ""));
}

/** A new admin: `adminN = "<key>";` and its name in `admins = [ … ];`. */
function addAdmin(text: string, rules: Rules, key: string): string {
  const list = rules.lets.get(ADMINS);
  if (!list || !/^\[[\s\w'-]*\]$/.test(text.slice(list.value.start, list.value.end))) {
    throw new GenError(`${RULES_PATH} has no \`admins = [ … ];\` list of key names to add the admin key to: add \`admins = [ <your key's name> ];\` by hand, then run again.`);
  }
  let n = 1;
  while (rules.lets.has(n === 1 ? "admin" : `admin${n}`)) n++;
  const name = n === 1 ? "admin" : `admin${n}`;
  // The key first, so the list never names a key that is not there yet.
  text = edited(setKeyName(text, rules, name, key), RULES_PATH);
  const value = reread(text).lets.get(ADMINS)!.value;
  const inList = text.slice(value.start, value.end).replace(/\s*\]$/, ` ${name} ]`).replace("[  ", "[ ");
  return text.slice(0, value.start) + inList + text.slice(value.end);
}
