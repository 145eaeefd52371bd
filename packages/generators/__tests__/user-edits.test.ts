// gen user on hand-edited configuration.nix files: what it needs of the file.
import { describe, expect, it } from "vitest";
import { GenError, type Shell, memoryRepo, planUser, starterFiles } from "../src/index.js";

const CONFIG = "hosts/example/configuration.nix";
const plan = (config: string, shell: Shell = "bash") =>
  planUser(memoryRepo({ ...starterFiles(), [CONFIG]: config }), { name: "bob", hosts: ["example"], shell });
const configAfter = (config: string, shell?: Shell) => plan(config, shell).changes.find((c) => c.path === CONFIG)!.after!;

describe("gen user needs less of configuration.nix", () => {
  it("adds pkgs to a module's arguments when it lacks it, and says so in the next steps", () => {
    const result = plan("{ lib, ... }:\nwith lib;\n{\n  networking.firewall.enable = true;\n}\n");
    const after = result.changes.find((c) => c.path === CONFIG)!.after!;
    expect(after.startsWith("{ lib, pkgs, ... }:\nwith lib;\n{\n  networking.firewall.enable = true;\n\n  # bob\n")).toBe(true);
    expect(result.nextSteps[0]).toBe(`${CONFIG} now takes pkgs in its arguments ({ pkgs, ... }:), which bob's login shell needs.`);
    expect(plan(starterFiles()[CONFIG]!).nextSteps.join("\n")).not.toMatch(/takes pkgs/);
  });

  it.each([
    ["programs.zsh = { enable = true; };"],
    ["programs = {\n    zsh.enable = lib.mkDefault true;\n  };"],
  ])("reuses `%s` instead of enabling zsh twice", (line) => {
    const after = configAfter(`{ lib, pkgs, ... }:\n{\n  ${line}\n}\n`, "zsh");
    expect(after).toContain("shell = pkgs.zsh;");
    expect(after).not.toMatch(/programs\.zsh\.enable = true/);
  });

  it("refuses, saying why, a zsh user where the file turns zsh off", () => {
    const off = () => plan("{ pkgs, ... }:\n{\n  programs.zsh.enable = false;\n}\n", "zsh");
    expect(off).toThrow(GenError);
    expect(off).toThrow(/turns zsh off \(programs\.zsh\.enable is false\).*turn it on there, or pick another --shell/);
    expect(configAfter("{ pkgs, ... }:\n{\n  programs.zsh.enable = false;\n}\n", "fish")).toContain("programs.fish.enable = true;");
  });

  it("refuses with the lines to add by hand where no set can take them", () => {
    expect(() => plan("{ lib, pkgs, ... }: lib.mkMerge [ { } ]\n")).toThrow(
      /hosts\/example\/configuration\.nix cannot take the new user safely because its settings are computed .*: add `users\.users\.bob = \{ isNormalUser = true; .*home-manager\.users\.bob = \.\/home\/bob\.nix;` to its settings by hand/,
    );
  });
});
