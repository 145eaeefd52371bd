// The fork check's part for secrets (agenix): every file under secrets/ but
// secrets.nix is an age file; every key a rule names is a host's
// (hosts/<h>/ssh_host_ed25519_key.pub) or an admin's (secrets.nix's
// `admins`); and every secret a host uses is encrypted to that host's key,
// read from the age file's own header, not only from the rules.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NIX_FLAGS, withoutNixWarnings } from "./nix-bin.js";
import { copyFlakeTree, evalWithStubs } from "./flake-eval.js";
import type { ForkProblem } from "./fork-check.js";

const RULES = "secrets/secrets.nix";
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const HEADER = "age-encryption.org/v1\n";

/** The age file's binary form: armored files decoded (their lines between the markers are base64). */
function ageBytes(content: Buffer): Buffer | undefined {
  const text = content.toString("latin1").replace(/^\s+/, "");
  if (text.startsWith(HEADER)) return content;
  if (!text.startsWith(ARMOR_BEGIN)) return undefined;
  const body = text.slice(ARMOR_BEGIN.length).split("-----END AGE ENCRYPTED FILE-----")[0]!;
  const bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  return bytes.toString("latin1").startsWith(HEADER) ? bytes : undefined;
}

/** The ssh-ed25519 stanza tags in an age header: the first 4 bytes of SHA-256 of each recipient's key, base64. */
function stanzaTags(bytes: Buffer): string[] {
  const header = bytes.toString("latin1").split("\n---")[0]!;
  return [...header.matchAll(/^-> ssh-ed25519 (\S+) /gm)].map((m) => m[1]!);
}

/** The tag age writes for `key` (`ssh-ed25519 <base64>`). */
export function sshTag(key: string): string {
  const blob = Buffer.from(key.split(/\s+/)[1] ?? "", "base64");
  return createHash("sha256").update(blob).digest().subarray(0, 4).toString("base64").replace(/=+$/, "");
}

const bare = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(" ");

function nixJson<T>(expr: string, cwd: string): T {
  const run = spawnSync("nix-instantiate", [...NIX_FLAGS, "--eval", "--strict", "--json", "-E", expr], { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(withoutNixWarnings(run.stderr).trim().split("\n").pop() ?? "nix-instantiate failed");
  return JSON.parse(run.stdout) as T;
}

/** secrets.nix's `admins` keys: its let evaluated with `admins` as the body (Nix's own parse, printed back). */
function adminKeys(root: string): string[] {
  const run = spawnSync("nix-instantiate", [...NIX_FLAGS, "--parse", RULES], { cwd: root, encoding: "utf8" });
  const parsed = run.stdout.trim();
  // Nix prints `(let <bindings> in <body>)`; the body is the rules set, the last ` in {`.
  const at = parsed.lastIndexOf(" in {");
  if (run.status !== 0 || !parsed.startsWith("(let ") || at < 0) return [];
  try {
    return nixJson<string[]>(`${parsed.slice(0, at)} in admins)`, join(root, "secrets"));
  } catch {
    return [];
  }
}

/** Each host's age.secrets files (repo paths), NixOS and Macs, as the stubs evaluate them. */
export function evalSecretUses(root: string): Record<string, Record<string, string>> {
  const dir = copyFlakeTree(root);
  const out: Record<string, Record<string, string>> = {};
  try {
    for (const output of ["nixosConfigurations", "darwinConfigurations"]) {
      try {
        const hosts = evalWithStubs<Record<string, Record<string, string>>>(dir, output, {
          apply: `cs: builtins.mapAttrs (n: c: builtins.mapAttrs (s: v: toString v.file) (c.config.age.secrets or { })) cs`,
        });
        for (const [h, uses] of Object.entries(hosts)) {
          out[h] = Object.fromEntries(Object.entries(uses).map(([s, f]) => [s, f.replace(/^\/nix\/store\/[a-z0-9]{32}-source\//, "")]));
        }
      } catch (error) {
        if (!/does not provide attribute/.test((error as Error).message)) throw error;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * The secrets problems of the fork at `root`. `uses` is each host's
 * age.secrets name → repo path of its file (evalSecretUses gives it).
 */
export function checkSecrets(root: string, uses: Record<string, Record<string, string>>): ForkProblem[] {
  const problems: ForkProblem[] = [];
  const dir = join(root, "secrets");
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)) : [];
  const tags = new Map<string, string[]>();
  for (const file of files.sort()) {
    if (file === RULES) continue;
    const bytes = ageBytes(readFileSync(join(root, file)));
    if (!bytes) problems.push({ file, reason: "it is not an age file (no age-encryption.org/v1 header, binary or armored): a secret's value must never be in git as plain text; remove it, and add the secret with pnpm gen secret" });
    else tags.set(file, stanzaTags(bytes));
  }

  const hostKeys = new Map<string, string>();
  for (const host of existsSync(join(root, "hosts")) ? readdirSync(join(root, "hosts")) : []) {
    const pub = join(root, "hosts", host, "ssh_host_ed25519_key.pub");
    if (existsSync(pub)) hostKeys.set(host, bare(readFileSync(pub, "utf8")));
  }
  let rules: Record<string, string[]> = {};
  if (existsSync(join(root, RULES))) {
    try {
      rules = nixJson(`builtins.mapAttrs (n: r: r.publicKeys) (import ./secrets.nix)`, dir);
    } catch (error) {
      problems.push({ file: RULES, reason: `its rules do not evaluate as agenix reads them: ${(error as Error).message.replace(/^error:\s*/, "")}` });
    }
    const known = new Set([...hostKeys.values(), ...adminKeys(root).map(bare)]);
    for (const [rule, keys] of Object.entries(rules)) {
      for (const key of keys.map(bare)) {
        if (!known.has(key)) problems.push({ file: RULES, reason: `its rule "${rule}" names the key ${key.slice(0, 30)}…, which no host (hosts/<h>/ssh_host_ed25519_key.pub) or admin (admins) has: take it out of the rule and re-encrypt (pnpm gen secret ${rule.replace(/\.age$/, "")} --host …)` });
      }
    }
  }

  for (const [host, secrets] of Object.entries(uses)) {
    for (const [name, file] of Object.entries(secrets)) {
      const entry = `age.secrets.${name} of ${host}`;
      const key = hostKeys.get(host);
      const where = `hosts/${host}/configuration.nix`;
      if (!key) {
        problems.push({ file: where, entry, reason: `${host} uses the secret ${name} but has no hosts/${host}/ssh_host_ed25519_key.pub to encrypt it to: add it with pnpm gen deploy ${host} --host-key-file F (F from ssh-keyscan -t ed25519 ${host})` });
        continue;
      }
      const rule = rules[file.replace(/^secrets\//, "")];
      const stanzas = tags.get(file);
      if (!rule?.map(bare).includes(key) || (stanzas !== undefined && !stanzas.includes(sshTag(key)))) {
        problems.push({ file, entry, reason: `${host} uses it, but it is not encrypted to ${host}'s key${rule?.map(bare).includes(key) ? " (its rule names the key: re-encrypt it)" : ""}: run pnpm gen secret ${name} --host ${host} (with its other hosts) --identity <an admin's key>` });
      }
    }
  }
  return problems;
}
