// A host's system is read from its flake entry by structure, as the editor
// reads it: in any attribute order, for NixOS and nix-darwin entries alike.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hardwarePlatform } from "../src/repo/hardware.js";
import { readTree, runMain, starterRepos } from "./helpers.js";

const repo = starterRepos();

/** Rewrites the generated entry of `host` with `system` first, as a hand edit would. */
function systemFirst(dir: string, host: string, helper: string, system: string): void {
  const path = join(dir, "flake.nix");
  const flake = readFileSync(path, "utf8");
  const generated = new RegExp(`${host} = ${helper} \\{\\s*hostName = "${host}";\\s*system = "${system}";\\s*\\};`);
  expect(flake).toMatch(generated);
  writeFileSync(path, flake.replace(generated, `${host} = ${helper} { system = "${system}"; hostName = "${host}"; };`));
}

describe("a host's system, read from its flake entry in any order", () => {
  it.each([
    ["pi", "mkHost", "aarch64-linux"],
    ["mac2", "mkDarwin", "x86_64-darwin"],
  ])("%s = %s { system = …; hostName = …; }: gen user --standalone writes that system in the home entry", async (host, helper, system) => {
    const dir = repo();
    expect((await runMain(["host", host, "--system", system], dir)).code).toBe(0);
    systemFirst(dir, host, helper, system);
    // The entry alone says the system: the hardware config's guess is gone.
    const hw = join(dir, "hosts", host, "hardware-configuration.nix");
    if (helper === "mkHost") writeFileSync(hw, readFileSync(hw, "utf8").replace(/^\s*nixpkgs\.hostPlatform.*\n/m, ""));
    const run = await runMain(["user", "carol", "--host", host, "--standalone"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const flake = readTree(dir)["flake.nix"]!;
    const home = flake.slice(flake.indexOf(`"carol@${host}"`));
    expect(home).toMatch(new RegExp(`^"carol@${host}" = mkHome \\{[^}]*system = "${system}";`));
  });
});

describe("nixpkgs.hostPlatform, read from the hardware config by structure", () => {
  it.each([
    ['{ nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux"; }', "aarch64-linux"],
    ['{ lib, ... }: { nixpkgs.hostPlatform = "x86_64-linux"; }', "x86_64-linux"],
    ['{ lib, ... }: { nixpkgs = { config.allowUnfree = true; hostPlatform = lib.mkDefault "aarch64-linux"; }; }', "aarch64-linux"],
    ["{ lib, ... }: { boot.loader.grub.enable = true; }", undefined],
    ['{ nixpkgs.hostPlatform = "a${"b"}"; }', undefined],
  ])("%s → %s", (text, platform) => {
    expect(hardwarePlatform(text)).toBe(platform);
  });
});
