import { spawnSync } from "node:child_process";

/** Flags that let `nix` use flakes without a nix.conf that enables them. */
export const NIX_FLAGS = ["--extra-experimental-features", "nix-command flakes"] as const;

let available: boolean | undefined;

/** Whether the Nix command-line tools are on PATH (checked once per process). */
export function nixAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync("nix-instantiate", ["--version"], { encoding: "utf8" });
    available = probe.status === 0;
  }
  return available;
}

export class NixMissingError extends Error {
  constructor() {
    super("Nix is not installed or not on PATH: install it (on Debian, `apt-get install nix-bin`) to check Nix files.");
    this.name = "NixMissingError";
  }
}
