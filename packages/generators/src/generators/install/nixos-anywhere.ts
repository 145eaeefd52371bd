// The nixos-anywhere command `gen install` runs, argument by argument (flag
// names from nixos-anywhere's docs/cli.md and src/nixos-anywhere.sh).
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where nixos-anywhere reads the LUKS passphrase in the installer, as the layouts' passwordFile says. */
export const DISK_KEY_REMOTE = "/tmp/disk.key";

export const facterPath = (host: string) => `hosts/${host}/facter.json`;

export interface InstallCommand {
  host: string;
  /** `user@address`, as ssh takes it (a bare IPv6 address after the "@"). */
  target: string;
  port?: number;
  sshKey?: string;
  extraFiles: string;
  /** The local file holding the passphrase, for a LUKS layout. */
  passphraseFile?: string;
}

/** nixos-anywhere's arguments, in the order its docs give them. */
export function nixosAnywhereArgs(c: InstallCommand): string[] {
  return [
    "--flake",
    `.#${c.host}`,
    "--target-host",
    c.target,
    ...(c.port !== undefined ? ["-p", String(c.port)] : []),
    ...(c.sshKey !== undefined ? ["-i", c.sshKey] : []),
    "--generate-hardware-config",
    "nixos-facter",
    facterPath(c.host),
    "--extra-files",
    c.extraFiles,
    ...(c.passphraseFile !== undefined ? ["--disk-encryption-keys", DISK_KEY_REMOTE, c.passphraseFile] : []),
  ];
}

/** `name` on PATH as an executable file, else undefined. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "") continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The program and arguments: the nixos-anywhere on PATH (the dev shell has
 * pkgs.nixos-anywhere), else the upstream flake through `nix run`.
 */
export function nixosAnywhereCommand(args: string[], path: string | undefined): { program: string; argv: string[] } {
  const found = onPath("nixos-anywhere", path);
  if (found) return { program: found, argv: args };
  return { program: "nix", argv: ["run", "github:nix-community/nixos-anywhere", "--", ...args] };
}

/** A word as a POSIX shell would need it, for printing the command. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./#-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(program: string, argv: readonly string[]): string {
  const name = program.endsWith("/nixos-anywhere") ? "nixos-anywhere" : program;
  return [name, ...argv].map(shellWord).join(" ");
}
