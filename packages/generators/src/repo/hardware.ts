// --hardware-config: what `nixos-generate-config --show-hardware-config`
// printed on the machine, taken as it is once it parses as a NixOS module.
import type { Reason } from "../answers/rules.js";
import { parseNix } from "../nix/ast.js";
import { NixSyntaxError, lineOf } from "../nix/scan.js";
import { moduleString } from "../nix/read.js";

const HOW = "give the file `sudo nixos-generate-config --show-hardware-config > hw.nix` wrote on the machine";

/** Why the text read from `path` (undefined: unreadable) cannot be a host's hardware-configuration.nix. */
export function checkHardwareConfig(path: string, text: string | undefined): Reason {
  const name = JSON.stringify(path);
  if (text === undefined) return `The hardware config ${name} cannot be read: ${HOW}.`;
  if (text.trim() === "") return `The hardware config ${name} is empty: ${HOW}.`;
  if (text.includes("\uFFFD")) return `The hardware config ${name} is not UTF-8 text: ${HOW}.`;
  let type: string;
  try {
    type = parseNix(text).expr.type;
  } catch (error) {
    if (!(error instanceof NixSyntaxError)) throw error;
    return `The hardware config ${name} is not valid Nix (${error.message} on line ${lineOf(text, error.offset)}): ${HOW}, unchanged.`;
  }
  if (type !== "lambda" && type !== "set") {
    return `The hardware config ${name} is not a NixOS module (a function such as \`{ config, lib, ... }: { … }\`, or a set): ${HOW}.`;
  }
  return undefined;
}

/** The platform the machine reported (`nixpkgs.hostPlatform = lib.mkDefault "…"`), if it says. */
export function hardwarePlatform(text: string): string | undefined {
  return moduleString(text, ["nixpkgs", "hostPlatform"]);
}

/** The host's --system must be the machine's: the flake's entry overrides the hardware config's guess. */
export function checkHardwarePlatform(path: string, text: string | undefined, system: unknown): Reason {
  const platform = text === undefined ? undefined : hardwarePlatform(text);
  if (platform === undefined || typeof system !== "string" || platform === system) return undefined;
  return `The hardware config ${JSON.stringify(path)} says the machine is ${platform}, but the host's system is ${system}: add --system ${platform}.`;
}
