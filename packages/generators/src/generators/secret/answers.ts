// gen secret's answers and the rules each one must meet, checked before
// anything is read from the value or written.
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { type Reason, checkUserName } from "../../answers/rules.js";

// A type, not an interface: an Answers record, as every generator's answers are.
export type SecretAnswers = {
  /** The secret's name: secrets/<name>.age, age.secrets.<name>. */
  name: string;
  /** The hosts that decrypt it (the whole set: a re-run with other hosts re-keys). */
  hosts: string[];
  /** Who owns the decrypted file on the host (agenix's default: root). */
  owner?: string;
  /** Its mode, as chmod takes it (agenix's default: 0400). */
  mode?: string;
  /** An admin's public key file (.pub): needed by the first secret, added to the admins after. */
  adminKeyFile?: string;
  /** The private key that decrypts the secret for a re-key (default ~/.ssh/id_ed25519). */
  identity?: string;
  /** Take a new value even though the secret exists. */
  rotate?: boolean;
  /** Where the value is, outside the repository (else standard input or a hidden prompt). */
  valueFile?: string;
};

export interface RemoveSecretAnswers {
  name: string;
}

const show = (s: string) => JSON.stringify(s);

export function checkSecretName(name: string): Reason {
  if (name === "") return "The secret's name is empty: give one such as wifi.";
  if (name.endsWith(".age")) return `The secret's name ${show(name)} ends in .age, which gen secret adds itself: give ${show(name.slice(0, -4))}.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes("..") || name.length > 100) {
    return `The secret's name ${show(name)} is not a safe file name: use letters, digits, ".", "_" and "-" (starting with a letter or digit, at most 100), such as wifi or api-token.`;
  }
  if (name === "secrets") return `The secret's name "secrets" is taken by secrets/secrets.nix's own folder: pick another, such as app-secrets.`;
  return undefined;
}

export function checkMode(mode: string): Reason {
  return /^0?[0-7]{3}$/.test(mode) ? undefined : `The mode ${show(mode)} is not a file mode: give four octal digits as chmod takes them, such as 0400 (owner reads) or 0440 (owner and group read).`;
}

export function checkOwner(owner: string): Reason {
  if (owner === "root") return undefined;
  const reason = checkUserName(owner);
  return reason ? `The owner ${show(owner)} is not a user name (${reason.replace(/^The username "[^"]*" /, "it ").replace(/\.$/, "")}): give the account that reads the secret, such as root or alice.` : undefined;
}

/** Whether `path` (as given, from `cwd`) lies inside the repository at `root`. */
export function insideRepo(path: string, cwd: string, root: string): boolean {
  // Through symlinks too: a link in /tmp to a file in the repository is in the repository.
  const real = (p: string): string => {
    if (existsSync(p)) return realpathSync(p);
    return dirname(p) === p ? p : join(real(dirname(p)), basename(p));
  };
  const rel = relative(real(resolve(root)), real(resolve(cwd, path)));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
