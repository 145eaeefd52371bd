// The answers each generator takes, and the rules they must meet. Every rule
// is a pure function that returns the reason it refuses (a sentence that
// says how to fix it) or undefined; prompts and flags share them.
import { PATTERNS, SHELLS, SYSTEMS, type Pattern, type Shell, type System } from "./release.js";

// A type, not an interface, so that it is an Answers record too.
export type HostAnswers = {
  name: string;
  system: System;
  /** system.stateVersion; defaults to the pinned release. */
  stateVersion?: string;
  /** Users to add right away, with the defaults of `gen user`. */
  users?: string[];
  /** A file holding the machine's `nixos-generate-config --show-hardware-config` output, read relative to the working directory. */
  hardwareConfig?: string;
  /** A disko layout (hosts/<name>/disk-config.nix): ext4, luks-ext4, btrfs or zfs-mirror. */
  disk?: string;
  /** The layout's disks, absolute /dev/ paths; placeholders when none are given. */
  diskDevices?: string[];
  /** Where Colmena deploys the host: `[user@]address[:port]`. */
  targetHost?: string;
  /** Colmena tags (`colmena apply --on @<tag>`). */
  tags?: string[];
  /** A file holding the host's public SSH host key (for its secrets), read relative to the working directory. */
  hostKeyFile?: string;
};

// A type, not an interface, so that it is an Answers record too.
export type DeployAnswers = {
  /** An existing host. */
  name: string;
  /** Replaces the host's target: `[user@]address[:port]`. */
  targetHost?: string;
  /** Replace the host's tags. */
  tags?: string[];
  /** A file holding the host's public SSH host key (for its secrets). */
  hostKeyFile?: string;
};

// A type, not an interface, so that it is an Answers record too.
export type UserAnswers = {
  name: string;
  hosts: string[];
  /** The account's description and git name; defaults to the username. */
  fullName?: string;
  email?: string;
  pattern?: Pattern;
  shell?: Shell;
  /** Also add a homeConfigurations."<user>@<host>" entry per host. */
  standalone?: boolean;
  /** reuse: the standalone config to import (default nix/<user>/home.nix). */
  from?: string;
  /** Whether the user joins wheel (sudo); default true. */
  admin?: boolean;
  /** SSH public keys that may log in as the user (authorizedKeys.keys). */
  sshKeys?: string[];
  /** Files of SSH public keys (.pub or authorized_keys), read relative to the working directory. */
  sshKeyFiles?: string[];
};

export type Reason = string | undefined;

const show = (value: string) => JSON.stringify(value);

export function checkHostName(name: string): Reason {
  if (name.trim() === "") return "The host name is empty: give one such as web1.";
  if (/[/\\]/.test(name) || name.startsWith(".")) {
    return `The host name ${show(name)} is a path, not a name: use lowercase letters, digits and hyphens, such as web1.`;
  }
  if (name.length > 63) return `The host name ${show(name)} is ${name.length} characters long: use at most 63.`;
  if (/[A-Z]/.test(name)) {
    const lower = name.toLowerCase();
    return `The host name ${show(name)} has uppercase letters: use lowercase${checkHostName(lower) ? "" : `, such as ${show(lower)}`}.`;
  }
  if (name.startsWith("-") || name.endsWith("-")) return `The host name ${show(name)} starts or ends with a hyphen: move the hyphen inside the name.`;
  if (!/^[a-z0-9-]+$/.test(name)) {
    return `The host name ${show(name)} has characters a host name cannot have: use only lowercase letters, digits and hyphens (RFC 1123).`;
  }
  if (name === "localhost") return `The host name "localhost" is reserved: pick the machine's own name.`;
  return undefined;
}

// Accounts NixOS or common services create; a generated user must not take them.
const RESERVED_USERS = new Set([
  "root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "news", "uucp",
  "operator", "games", "ftp", "nobody", "nogroup", "sshd", "messagebus", "polkituser", "nscd",
  "avahi", "dbus", "wheel", "users", "nixbld", "systemd-network", "systemd-resolve", "systemd-timesync",
]);

export function checkUserName(name: string): Reason {
  if (name.trim() === "") return "The username is empty: give one such as alice.";
  if (/[/\\]/.test(name) || name.startsWith(".")) {
    return `The username ${show(name)} is a path, not a name: use lowercase letters, digits, "_" and "-", such as alice.`;
  }
  if (name.length > 32) return `The username ${show(name)} is ${name.length} characters long: use at most 32.`;
  if (/[A-Z]/.test(name)) {
    const lower = name.toLowerCase();
    return `The username ${show(name)} has uppercase letters: use lowercase${checkUserName(lower) ? "" : `, such as ${show(lower)}`}.`;
  }
  if (!/^[a-z_][a-z0-9_-]*$/.test(name)) {
    return `The username ${show(name)} is not a POSIX username: start with a lowercase letter or "_", then use lowercase letters, digits, "_" or "-".`;
  }
  if (RESERVED_USERS.has(name) || /^(nixbld|systemd-)/.test(name)) {
    return `The username ${show(name)} belongs to a system account: pick a person's login name, such as alice.`;
  }
  return undefined;
}

export function checkSystem(system: string): Reason {
  return (SYSTEMS as readonly string[]).includes(system)
    ? undefined
    : `The system ${show(system)} is not supported: use one of ${SYSTEMS.join(", ")}.`;
}

export { checkStateVersion } from "./state-versions.js";
export { checkSshKey } from "./ssh-keys.js";

export function checkShell(shell: string): Reason {
  return (SHELLS as readonly string[]).includes(shell) ? undefined : `The shell ${show(shell)} is not offered: use one of ${SHELLS.join(", ")}.`;
}

export function checkPattern(pattern: string): Reason {
  return (PATTERNS as readonly string[]).includes(pattern)
    ? undefined
    : `The pattern ${show(pattern)} does not exist: use one of ${PATTERNS.join(", ")}.`;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkFullName(fullName: string): Reason {
  // It becomes the GECOS field of /etc/passwd, where NixOS refuses ":" and newlines.
  if (fullName.includes(":")) return `The full name ${show(fullName)} has a ":", which /etc/passwd cannot hold: leave it out.`;
  if (CONTROL.test(fullName)) return `The full name ${show(fullName)} has a newline or another control character: write it on one line.`;
  return undefined;
}

export function checkEmail(email: string): Reason {
  if (email === "") return undefined;
  if (CONTROL.test(email) || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    return `The email ${show(email)} is not an address: use the form name@example.com, or leave it out.`;
  }
  return undefined;
}

/** reuse's --from: a .nix file under nix/, as a plain relative path. */
export function checkFromPath(path: string): Reason {
  const parts = path.split("/");
  const plain = parts.every((p) => /^[A-Za-z0-9._+-]+$/.test(p) && p !== "." && p !== "..");
  if (!plain || parts[0] !== "nix" || parts.length < 2 || !path.endsWith(".nix")) {
    return `The standalone config ${show(path)} is not a .nix file under nix/: give a repo-relative path such as nix/alice/home.nix.`;
  }
  return undefined;
}
