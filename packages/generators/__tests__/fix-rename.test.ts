import { describe, expect, test } from "vitest";
import { homeDefinition, renameInInlineHome, renameInModule, repoPath } from "../src/generators/fix/locate.js";

const p = (s: string) => s.split(".");
const rename = (text: string, from: string, to: string) => renameInModule(text, p(from), p(to));
const ok = (text: string, from: string, to: string) => {
  const r = rename(text, from, to);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

describe("renaming an option by structure (HM 26.05 and NixOS renames)", () => {
  test("a dotted binding: only its name changes", () => {
    const before = `{ pkgs, ... }:\n{\n  programs.git.userName = "Alice"; # me\n  programs.git.userEmail = "a@x";\n  home.stateVersion = "24.05";\n}\n`;
    expect(ok(before, "programs.git.userName", "programs.git.settings.user.name")).toBe(before.replace("programs.git.userName", "programs.git.settings.user.name"));
  });

  test("inside a nested set, staying in it", () => {
    const before = `{\n  programs.git = {\n    enable = true;\n    userEmail = "a@x";\n  };\n}\n`;
    expect(ok(before, "programs.git.userEmail", "programs.git.settings.user.email")).toBe(before.replace("userEmail", "settings.user.email"));
  });

  test("mixed: `programs = { git.extraConfig.core.editor = …; }` keeps the keys past the option", () => {
    const before = `{\n  programs = {\n    git.extraConfig.core.editor = "vim";\n  };\n}\n`;
    expect(ok(before, "programs.git.extraConfig", "programs.git.settings")).toBe(before.replace("git.extraConfig.core", "git.settings.core"));
  });

  test("leaving the enclosing set: moved out to where it fits, the emptied set dropped with its comment kept", () => {
    const before = `{\n  programs.git = {\n    # colours\n    delta.enable = true;\n  };\n  home.stateVersion = "25.11";\n}\n`;
    expect(ok(before, "programs.git.delta.enable", "programs.delta.enable")).toBe(`{\n  # colours\n  programs.delta.enable = true;\n  home.stateVersion = "25.11";\n}\n`);
  });

  test("leaving a set that keeps other bindings: placed right after it", () => {
    const before = `{\n  programs.git = {\n    enable = true;\n    delta.enable = true;\n  };\n}\n`;
    expect(ok(before, "programs.git.delta.enable", "programs.delta.enable")).toBe(`{\n  programs.git = {\n    enable = true;\n  };\n  programs.delta.enable = true;\n}\n`);
  });

  test("a set on one line", () => {
    expect(ok(`{ programs.git = { delta.enable = true; userName = "A"; }; }\n`, "programs.git.delta.enable", "programs.delta.enable")).toBe(
      `{ programs.git = { userName = "A"; }; programs.delta.enable = true; }\n`,
    );
  });

  test("extraConfig → settings beside an existing settings set merges; a clash needs a person", () => {
    const merge = `{\n  programs.git.extraConfig = {\n    core.editor = "vim";\n  };\n  programs.git.settings = { user.name = "A"; };\n}\n`;
    expect(ok(merge, "programs.git.extraConfig", "programs.git.settings")).toBe(merge.replace("git.extraConfig", "git.settings"));
    const clash = `{\n  programs.git.extraConfig.user.name = "B";\n  programs.git.settings = { user.name = "A"; };\n}\n`;
    const r = rename(clash, "programs.git.extraConfig", "programs.git.settings");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain("programs.git.settings.user.name");
  });

  test("a NixOS module with `config.` settings, and a chain (difftastic moved twice)", () => {
    expect(ok(`{ config, ... }:\n{\n  config.hardware.opengl.enable = true;\n}\n`, "hardware.opengl.enable", "hardware.graphics.enable")).toContain("config.hardware.graphics.enable = true;");
    const once = ok(`{\n  programs.git.difftastic = {\n    enable = true;\n    background = "dark";\n  };\n}\n`, "programs.git.difftastic.background", "programs.git.difftastic.options.background");
    expect(once).toContain("    options.background = \"dark\";");
    const twice = ok(once, "programs.git.difftastic.options", "programs.difftastic.options");
    expect(twice).toBe(`{\n  programs.git.difftastic = {\n    enable = true;\n  };\n  programs.difftastic.options.background = "dark";\n}\n`);
  });

  test("uncertain definitions are refused, state versions never touched, absent ones counted 0", () => {
    expect(rename(`{ lib, ... }: { programs.git = lib.mkIf true { userName = "A"; }; }`, "programs.git.userName", "programs.git.settings.user.name")).toMatchObject({ ok: false });
    expect(rename(`{ home.stateVersion = "24.05"; }`, "home.stateVersion", "home.version")).toMatchObject({ ok: false });
    expect(rename(`{ programs.zsh.enable = true; }`, "programs.git.userName", "programs.git.settings.user.name")).toMatchObject({ ok: true, count: 0 });
  });
});

describe("where the definition lives", () => {
  test("store paths of the fork map to repo paths; Home Manager's own do not", () => {
    const fork = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source";
    expect(repoPath(`${fork}/hosts/web1/home/alice.nix`, [fork], "/src/fork")).toBe("hosts/web1/home/alice.nix");
    expect(repoPath("/nix/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-source/modules/programs/git.nix", [fork], "/src/fork")).toBeUndefined();
    expect(repoPath("/src/fork/nix/alice/home.nix", [fork], "/src/fork")).toBe("nix/alice/home.nix");
  });

  test("`home-manager.users.alice = import ./home/alice.nix;` is followed; an inline home is edited in place", () => {
    const host = `{ ... }:\n{\n  home-manager.users.alice = import ./home/alice.nix;\n  home-manager.users.bob = { programs.git.userName = "Bob"; };\n}\n`;
    expect(homeDefinition(host, "hosts/web1/configuration.nix", "alice")).toEqual({ kind: "import", path: "hosts/web1/home/alice.nix" });
    expect(homeDefinition(host, "hosts/web1/configuration.nix", "bob")).toEqual({ kind: "inline" });
    const r = renameInInlineHome(host, "bob", p("programs.git.userName"), p("programs.git.settings.user.name"));
    expect(r.ok && r.text).toBe(host.replace("programs.git.userName", "programs.git.settings.user.name"));
  });
});

describe("moving a multi-line value", () => {
  test("nested sets all the way down: re-indented to its new level, every emptied set dropped", () => {
    const before = `{\n  programs.git = {\n    delta = {\n      options = {\n        side-by-side = true;\n      };\n    };\n  };\n}\n`;
    const r = renameInModule(before, p("programs.git.delta.options"), p("programs.delta.options"));
    expect(r.ok && r.text).toBe(`{\n  programs.delta.options = {\n    side-by-side = true;\n  };\n}\n`);
  });
});
