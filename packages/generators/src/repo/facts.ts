// What the planners need to know about the repository, read from its files.
import { GenError } from "../report/errors.js";
import { codeContains, flakeEntryNames } from "../nix/edit.js";
import { flakeEntryString } from "../nix/read.js";
import { hardwarePlatform } from "./hardware.js";
import { isDarwin } from "../answers/release.js";
import type { RepoView } from "./tree.js";

/** Hosts are the folders in hosts/ that hold a configuration.nix. */
export function listHosts(repo: RepoView): string[] {
  return repo.listDir("hosts").filter((h) => repo.read(`hosts/${h}/configuration.nix`) !== undefined);
}

/** Whether `name` is one of listHosts, reading only its own files (not every host's). */
export function isHost(repo: RepoView, name: string): boolean {
  return repo.listDir("hosts").includes(name) && repo.read(`hosts/${name}/configuration.nix`) !== undefined;
}

/** flake.nix, checked to have the helper its new entries call. */
export function readFlake(repo: RepoView, helper: "mkHost" | "mkHome" | "mkDarwin"): string {
  const flake = repo.read("flake.nix");
  if (flake === undefined) {
    throw new GenError("There is no flake.nix here: run the generator from the root of your fork (the folder that holds flake.nix).");
  }
  if (!codeContains(flake, new RegExp(`\\b${helper}\\b`))) {
    if (helper === "mkDarwin") {
      throw new GenError(
        "flake.nix has no mkDarwin, which a Mac's entry calls: copy the nix-darwin input, mkDarwin and darwinConfigurations from the starter's flake.nix (the Macs page shows them), or add the entry by hand.",
      );
    }
    throw new GenError(
      `flake.nix no longer defines or uses ${helper}, which the generated entries call: restore it from the starter's flake.nix, or add the entry by hand.`,
    );
  }
  return flake;
}

/** The host's system from its flake.nix entry, else its hardware config. */
export function hostSystem(repo: RepoView, host: string): string {
  const flake = repo.read("flake.nix") ?? "";
  // Read as the editor reads the entry (any attribute order, NixOS or nix-darwin), in a hosts file flake.nix imports too.
  const read = (path: string) => repo.read(path);
  for (const output of ["nixosConfigurations", "darwinConfigurations"]) {
    const system = flakeEntryString(flake, output, host, "system", read);
    if (system !== undefined) return system;
  }
  // A Mac whose entry is not in the usual form: its platform is not written elsewhere.
  if (flakeEntryNames(flake, "darwinConfigurations", read)?.includes(host)) return "aarch64-darwin";
  const hw = repo.read(`hosts/${host}/hardware-configuration.nix`) ?? "";
  return hardwarePlatform(hw) ?? "x86_64-linux";
}

/** Whether the host is a Mac (a nix-darwin host). */
export function isMac(repo: RepoView, host: string): boolean {
  return isDarwin(hostSystem(repo, host));
}

export function noSuchHost(host: string, repo: RepoView): string {
  const known = listHosts(repo);
  const list = known.length > 0 ? `the hosts here are ${known.join(", ")}` : "there are no hosts yet (add one with pnpm gen host)";
  return `There is no host ${JSON.stringify(host)} (no hosts/${host}/configuration.nix): ${list}.`;
}
