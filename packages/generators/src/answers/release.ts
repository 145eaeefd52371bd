/** The NixOS / Home Manager release the reference flake pins (nixos-26.05, release-26.05). */
export const RELEASE = "26.05";

export const SYSTEMS = ["x86_64-linux", "aarch64-linux", "aarch64-darwin", "x86_64-darwin"] as const;
export type System = (typeof SYSTEMS)[number];

/** A Mac: a nix-darwin host (darwinConfigurations, mkDarwin) rather than a NixOS one. */
export function isDarwin(system: unknown): boolean {
  return typeof system === "string" && system.endsWith("-darwin");
}

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The three ways the integration guide wires a user's home into a host. */
export const PATTERNS = ["separate", "shared", "reuse"] as const;
export type Pattern = (typeof PATTERNS)[number];
