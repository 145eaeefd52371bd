import { describe, expect, test } from "vitest";
import { type EvalReport, formatSummary, planFix } from "../src/generators/fix/plan-fix.js";
import { movePins } from "../src/generators/upgrade/pins.js";
import { forkRelease } from "../src/repo/pins.js";
import { planUpgrade } from "../src/generators/upgrade/plan-upgrade.js";
import { type RepoView, memoryRepo } from "../src/repo/tree.js";
import { classify } from "../src/generators/fix/warnings.js";

const SRC = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source";
const renamed = (from: string, to: string, file: string, user?: string) =>
  classify(`${user ? `${user} profile: ` : ""}The option \`${from}' defined in \`${SRC}/${file}' has been renamed to \`${to}'.`);
// What the module system would say of a tree: each rule warns while its old text is there.
const RULES: [string, string, string][] = [
  ["programs.git.userName", "programs.git.settings.user.name", "userName"],
  ["programs.git.delta.enable", "programs.delta.enable", "    delta.enable"],
  ["hardware.opengl.enable", "hardware.graphics.enable", "opengl"],
];
function fakeEvaluator(files: string[]) {
  return (tree: RepoView): EvalReport => ({
    forkSources: [SRC],
    configs: files.map((file) => ({
      id: `nixosConfigurations.${file}`,
      messages: RULES.filter(([, , needle]) => tree.read(file)!.includes(needle)).map(([f, t]) => renamed(f, t, file)),
    })),
  });
}

describe("gen fix's planner", () => {
  test("rewrites until nothing warns, adds the delta follow-up, keeps every other byte", () => {
    const home = `{ pkgs, ... }:\n{\n  home.stateVersion = "24.05";\n  programs.git = {\n    userName = "A";\n    delta.enable = true;\n  };\n}\n`;
    const repo = memoryRepo({ "nix/alice/home.nix": home, "hosts/h/configuration.nix": `{\n  hardware.opengl.enable = true;\n  system.stateVersion = "24.05";\n}\n` });
    const { plan, summary } = planFix(repo, "/fork", fakeEvaluator(["nix/alice/home.nix", "hosts/h/configuration.nix"]));
    expect(summary.needsPerson).toEqual([]);
    expect(plan.changes.find((c) => c.path === "nix/alice/home.nix")?.after).toBe(
      `{ pkgs, ... }:\n{\n  home.stateVersion = "24.05";\n  programs.git = {\n    settings.user.name = "A";\n  };\n  programs.delta.enable = true;\n\n  programs.delta.enableGitIntegration = true;\n}\n`,
    );
    expect(plan.changes.find((c) => c.path === "hosts/h/configuration.nix")?.after).toBe(`{\n  hardware.graphics.enable = true;\n  system.stateVersion = "24.05";\n}\n`);
    const out = formatSummary(summary);
    expect(out.exitCode).toBe(0);
    expect(out.text).toContain("also set programs.delta.enableGitIntegration = true; (home-manager release-26.05 modules/programs/delta.nix:124");
  });

  test("a removed option is listed with its message, file and line, the file unchanged, exit 1", () => {
    const file = "hosts/web1/home/alice.nix";
    const text = `{\n  programs.git.difftastic.extraArgs = [ "--x" ];\n}\n`;
    const removed = classify(`alice profile: The option definition \`programs.git.difftastic.extraArgs' in \`${SRC}/${file}' no longer has any effect; please remove it.\n'programs.git.difftastic.extraArgs' has been replaced by 'programs.git.difftastic.options'`);
    const { plan, summary } = planFix(memoryRepo({ [file]: text }), "/fork", () => ({
      forkSources: [SRC],
      configs: [{ id: "nixosConfigurations.web1", messages: [removed], error: "error:\nFailed assertions:\n- alice profile: …" }],
    }));
    expect(plan.changes).toEqual([]);
    expect(summary.needsPerson).toMatchObject([{ file, line: 2, configs: ["nixosConfigurations.web1"] }]);
    expect(summary.notEvaluated).toMatchObject([{ config: "nixosConfigurations.web1" }]);
    expect(formatSummary(summary).exitCode).toBe(1);
  });

  test("a warning naming Home Manager's own file is reported, not followed", () => {
    const hmFile = "/nix/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-source/modules/programs/git.nix";
    const m = classify(`The option \`programs.git.userName' defined in \`${hmFile}' has been renamed to \`programs.git.settings.user.name'.`);
    const { summary } = planFix(memoryRepo({}), "/fork", () => ({ forkSources: [SRC], configs: [{ id: "homeConfigurations.a", messages: [m] }] }));
    expect(summary.needsPerson).toMatchObject([{ file: hmFile, why: expect.stringContaining("not the fork's") }]);
  });
});

const FLAKE = (n: string, h: string, d: string) => `{
  inputs = {
    nixpkgs.url = "github:nixos/nixpkgs/${n}";
    home-manager = {
      url = "github:nix-community/home-manager/${h}";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nix-darwin.url = "github:nix-darwin/nix-darwin/${d}";
  };
  outputs = { self, ... }: { };
}
`;

describe("gen upgrade --release", () => {
  const flake = FLAKE("nixos-26.05", "release-26.05", "nix-darwin-26.05");

  test("the fork's release comes from its nixpkgs pin", () => {
    expect(forkRelease(flake)).toBe("26.05");
    expect(forkRelease(FLAKE("nixos-unstable", "master", "master"))).toBeUndefined();
  });

  test("moves exactly the three pins", () => {
    const r = planUpgrade(memoryRepo({ "flake.nix": flake }), "26.11");
    if ("error" in r) throw new Error(r.error);
    expect(r.plan.changes).toEqual([{ path: "flake.nix", before: flake, after: FLAKE("nixos-26.11", "release-26.11", "nix-darwin-26.11") }]);
  });

  test("refuses a non-release, a downgrade and pins that disagree, in one line each", () => {
    for (const [text, release, says] of [
      [flake, "26.04", "not a NixOS release"],
      [flake, "25.11", "older than the fork's 26.05"],
      [FLAKE("nixos-26.05", "release-25.11", "nix-darwin-26.05"), "26.11", "home-manager release-25.11"],
    ] as const) {
      const r = movePins(text, release);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toContain(says);
      expect(!r.ok && r.reason.includes("\n")).toBe(false);
    }
    expect(movePins(FLAKE("nixos-26.05", "release-25.11", "nix-darwin-26.05"), "26.11")).toMatchObject({ reason: expect.stringContaining("set home-manager to release-26.05") });
  });
});

describe("gen upgrade on the starter's own flake.nix", () => {
  test("moves exactly the three pins (nested and dotted inputs alike), nothing else", async () => {
    const { starterFiles } = await import("./helpers.js");
    const flake = starterFiles()["flake.nix"]!;
    const r = movePins(flake, "26.11");
    if (!r.ok) throw new Error(r.reason);
    const changed = r.text.split("\n").filter((l, i) => l !== flake.split("\n")[i]);
    expect(changed.map((l) => l.trim())).toEqual([
      'nixpkgs.url = "github:nixos/nixpkgs/nixos-26.11";',
      'url = "github:nix-community/home-manager/release-26.11";',
      'url = "github:nix-darwin/nix-darwin/nix-darwin-26.11";',
    ]);
  });

  test("offline, the lock update is one line with the command to run later", async () => {
    const { updateLock } = await import("../src/generators/upgrade/plan-upgrade.js");
    const offline = updateLock("/fork", () => ({ status: 1, stdout: "", stderr: "error: unable to download 'https://api.github.com/repos/nixos/nixpkgs/commits/nixos-26.11': Could not resolve host: api.github.com" }));
    expect(offline).toEqual({ ok: false, line: "note: could not reach the inputs (offline?): run `nix flake update nixpkgs home-manager nix-darwin` when online; the pins in flake.nix are moved already." });
    const calls: string[][] = [];
    updateLock("/fork", (args) => (calls.push(args), calls.length === 1 ? { status: 1, stdout: "", stderr: "error: unexpected argument 'nixpkgs'" } : { status: 0, stdout: "", stderr: "" }));
    expect(calls[1]).toEqual(["flake", "lock", "/fork", "--update-input", "nixpkgs", "--update-input", "home-manager", "--update-input", "nix-darwin"]);
  });
});

describe("the fork's release for new hosts", () => {
  test("read from the pins after an upgrade, the starter's RELEASE otherwise", async () => {
    const { releaseOf } = await import("../src/repo/pins.js");
    expect(releaseOf(memoryRepo({ "flake.nix": FLAKE("nixos-26.11", "release-26.11", "nix-darwin-26.11") }), "26.05")).toBe("26.11");
    expect(releaseOf(memoryRepo({ "flake.nix": FLAKE("nixos-unstable", "master", "master") }), "26.05")).toBe("26.05");
    expect(releaseOf(memoryRepo({}), "26.05")).toBe("26.05");
  });
});
