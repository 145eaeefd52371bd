// A host's public SSH host key, which its secrets are encrypted to. It is
// committed as hosts/<host>/ssh_host_ed25519_key.pub, and comes from the
// machine's own .pub file or from `ssh-keyscan -t ed25519 <host>`. Only
// ed25519: age encrypts to ssh-rsa too, but agenix's hosts decrypt with
// /etc/ssh/ssh_host_ed25519_key, and one key type keeps the check simple.
import { type ResolveOptions, checkContext } from "../../answers/resolve.js";
import type { Param } from "../../answers/spec.js";
import { GenError } from "../../report/errors.js";
import type { RepoView, Tree } from "../../repo/tree.js";
import { checkSshKey, keysInFile, shortKey } from "../../answers/ssh-keys.js";

export const hostKeyPath = (host: string) => `hosts/${host}/ssh_host_ed25519_key.pub`;

/** How to get the right key, for the refusals. */
function howToGetKey(host: string): string {
  return `run \`ssh-keyscan -t ed25519 ${host}\` here, or \`cat /etc/ssh/ssh_host_ed25519_key.pub\` on ${host}`;
}

/**
 * The one `ssh-ed25519 <base64>` key in `text` (a .pub file, or
 * ssh-keyscan's `<host> ssh-ed25519 <base64>` lines), without its comment;
 * or the reason it cannot be used, saying how to get the right one.
 */
export function parseHostKey(text: string, host: string, source: string, howTo = howToGetKey(host)): string | { reason: string } {
  const lines = keysInFile(text);
  const keys: string[] = [];
  const others: string[] = [];
  for (const line of lines) {
    const words = line.split(/[ \t]+/);
    // ssh-keyscan puts the host (or `[host]:port`) first.
    const at = words[0] === "ssh-ed25519" ? 0 : words[1] === "ssh-ed25519" ? 1 : -1;
    if (at < 0) {
      others.push(words[0]!.startsWith("ssh-") || words[0]!.startsWith("ecdsa-") ? words[0]! : (words[1] ?? words[0]!));
      continue;
    }
    const key = `ssh-ed25519 ${words[at + 1] ?? ""}`;
    const bad = checkSshKey(key);
    if (bad) return { reason: `${source} holds a damaged ssh-ed25519 key ("${shortKey(key)}"): ${howTo}, and give that output` };
    if (!keys.includes(key)) keys.push(key);
  }
  if (keys.length === 1) return keys[0]!;
  if (keys.length > 1) return { reason: `${source} holds ${keys.length} different ssh-ed25519 keys: give the one of ${host} only (${howTo})` };
  if (others.length > 0) {
    return { reason: `${source} holds a ${[...new Set(others)].join("/")} key, and only ssh-ed25519 host keys are taken (agenix decrypts with /etc/ssh/ssh_host_ed25519_key): ${howTo}` };
  }
  return { reason: `${source} holds no SSH public key: ${howTo}, and give that output` };
}

/** The host's committed key, or a GenError saying how to add one. */
export function readHostKey(repo: RepoView, host: string): string {
  const path = hostKeyPath(host);
  const text = repo.read(path);
  if (text === undefined) {
    throw new GenError(
      `${host} has no host key, which its secrets are encrypted to: add it with \`pnpm gen deploy ${host} --host-key-file F\`, where F is the output of \`ssh-keyscan -t ed25519 ${host}\` (or ${host}'s /etc/ssh/ssh_host_ed25519_key.pub).`,
    );
  }
  const key = parseHostKey(text, host, path);
  if (typeof key !== "string") throw new GenError(`${key.reason}; then write it to ${path}.`);
  return key;
}

/** The file a host's key is written to (one line, no comment). */
function hostKeyFile(key: string): string {
  return key + "\n";
}

/** --host-key-file, for gen host and gen deploy: the host's public key, written next to it. */
export const HOST_KEY_FILE_PARAM: Param = {
  name: "hostKeyFile",
  flag: "host-key-file",
  kind: "string",
  required: false,
  help: "The host's public SSH host key, which its secrets are encrypted to: its /etc/ssh/ssh_host_ed25519_key.pub, or `ssh-keyscan -t ed25519 <host>` output (written to hosts/<name>/ssh_host_ed25519_key.pub).",
  check: (file, ctx) => {
    const host = typeof ctx.answers.name === "string" ? ctx.answers.name : "the host";
    const text = ctx.readFile(file);
    if (text === undefined) return `The host key file ${file} cannot be read: ${howToGetKey(host)}, and give that file.`;
    const key = parseHostKey(text, host, file);
    return typeof key === "string" ? undefined : `${key.reason}.`;
  },
};

/** Writes the key in `file` (read as the answers' files are) to hosts/<host>/ssh_host_ed25519_key.pub; whether that changes it. */
export function writeHostKey(tree: Tree, host: string, file: string | undefined, options: ResolveOptions = {}): boolean {
  if (file === undefined) return false;
  const text = checkContext(tree, {}, options).readFile(file);
  if (text === undefined) throw new GenError(`The host key file ${file} cannot be read: ${howToGetKey(host)}, and give that file.`);
  const key = parseHostKey(text, host, file);
  if (typeof key !== "string") throw new GenError(`${key.reason}.`);
  const path = hostKeyPath(host);
  if (tree.read(path) === hostKeyFile(key)) return false;
  tree.write(path, hostKeyFile(key));
  return true;
}
