import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Flags that let `nix` use flakes without a nix.conf that enables them. */
export const NIX_FLAGS = ["--extra-experimental-features", "nix-command flakes"] as const;

let available: boolean | undefined;

/**
 * Whether the Nix command-line tools are on PATH (looked up once per
 * process). It looks for an executable nix-instantiate instead of running
 * `nix-instantiate --version`, which cost every `pnpm gen` a process spawn.
 */
export function nixAvailable(): boolean {
  if (available === undefined) available = onPath("nix-instantiate");
  return available;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    if (dir === "") return false;
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

export class NixMissingError extends Error {
  constructor() {
    super("Nix is not installed or not on PATH: install it (on Debian, `apt-get install nix-bin`) to check Nix files.");
    this.name = "NixMissingError";
  }
}

/**
 * Nix's stderr without its environment warnings. Debian's nix-bin run as
 * root without a `nixbld` group says `warning: the group 'nixbld' specified
 * in 'build-users-group' does not exist` on every call; such lines are noise,
 * never a failure, so nothing that reports Nix's errors may show them.
 */
export function withoutNixWarnings(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/^warning: /.test(line))
    .join("\n")
    .trim();
}
