// SSH public keys, as `users.users.<u>.openssh.authorizedKeys.keys` takes
// them: one line of `<type> <base64 body> [comment]`. (sshpk, the usual npm
// parser, knows no sk-* keys; the wire format is simple enough to check here.)
import type { Reason } from "./rules.js";

/** The key types OpenSSH's sshd accepts by default for user authentication. */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** A long key as its start and end, enough to tell which one is meant. */
export function shortKey(key: string): string {
  const flat = JSON.stringify(key).slice(1, -1);
  return flat.length <= 40 ? flat : `${flat.slice(0, 24)}…${flat.slice(-12)}`;
}

/** The key on one line with single spaces, as it will be written. */
export function normalizeSshKey(key: string): string {
  return key.trim().split(/[ \t]+/).join(" ");
}

export function checkSshKey(key: string): Reason {
  const shown = `"${shortKey(key.trim())}"`;
  if (/[\u0000-\u001f\u007f]/.test(key.trim())) return `The SSH key ${shown} spans several lines: give each key on one line.`;
  const [type = "", body = ""] = key.trim().split(/[ \t]+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return `The SSH key ${shown} is not an SSH public key: give a line such as "ssh-ed25519 AAAA… you@laptop" (the .pub file's content; types: ${SSH_KEY_TYPES.join(", ")}).`;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    return `The SSH key ${shown} has no valid base64 body after ${type}: copy the whole line of the .pub file.`;
  }
  // The body starts with its own type as a length-prefixed string.
  const bytes = Buffer.from(body, "base64");
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const embedded = length >= 0 && 4 + length <= bytes.length ? bytes.subarray(4, 4 + length).toString("latin1") : undefined;
  // An ed25519 body has a fixed size (type, then the 32-byte key): a cut one is caught too.
  if (embedded !== type || (type === "ssh-ed25519" && bytes.length !== 4 + type.length + 4 + 32)) {
    return `The SSH key ${shown} is damaged (its body is not a whole ${type} key): copy the whole line of the .pub file again.`;
  }
  return undefined;
}

/** The keys in an authorized_keys or .pub file: one a line, blank lines and # comments skipped. */
export function keysInFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}
