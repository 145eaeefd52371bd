// gen fix end to end through the CLI (in-process main) on real Nix, with
// stub inputs given by --override-input that warn as the module system does
// for the fork's files (fixtures/fix/stubs): an integrated home, a
// standalone home, a Mac's home (the older `import ./home/bob.nix` form) and
// a NixOS rename on a host converge to 0 warnings, changing only those
// bindings; --dry-run shows the same diff and writes nothing.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STUBS_DIR, nixAvailable } from "@starter/nix-check";
import { afterAll, describe, expect, test } from "vitest";
import { flakeEvaluator } from "../src/generators/fix/evaluate.js";
import { unifiedDiff } from "../src/report/diff.js";
import { fsRepo } from "../src/repo/tree.js";
import { readTree, runMain, starterFiles, starterRepos } from "./helpers.js";

const stubs = mkdtempSync(join(tmpdir(), "fix-stubs-"));
cpSync(join(import.meta.dirname, "fixtures/fix/stubs"), stubs, { recursive: true });
cpSync(join(STUBS_DIR, "nixpkgs", "walk.nix"), join(stubs, "nixpkgs", "walk.nix"));
afterAll(() => rmSync(stubs, { recursive: true, force: true }));
const overrides: [string, string][] = [
  ["nixpkgs", `path:${join(stubs, "nixpkgs")}`],
  ["home-manager", `path:${join(stubs, "home-manager")}`],
  ["nix-darwin", `path:${join(stubs, "nix-darwin")}`],
  ["colmena", `path:${join(STUBS_DIR, "colmena")}`],
  ["agenix", `path:${join(STUBS_DIR, "agenix")}`],
  ["disko", `path:${join(STUBS_DIR, "disko")}`],
];
const overrideArgs = overrides.flatMap(([name, ref]) => ["--override-input", name, ref]);

const ALICE = `{ pkgs, ... }:
{
  imports = [ ../../modules/home ];

  home.stateVersion = "24.05";

  programs.git.userName = "Alice Liddell";
  programs.git.userEmail = "alice@example.com";
  programs.git.extraConfig.init.defaultBranch = "main";

  programs.zsh.enable = true;
}
`;
const BOB = `{ ... }:
{
  home.stateVersion = "25.11";
  programs.git = {
    enable = true;
    userName = "Bob";
    extraConfig = {
      pull.rebase = true;
    };
    delta.enable = true;
  };
}
`;
const MAC = `{ ... }:
{
  system.stateVersion = 6;
  system.primaryUser = "bob";
  users.users.bob.home = "/Users/bob";
  home-manager.users.bob = import ./home/bob.nix;
}
`;

function fork(extra: Record<string, string> = {}): Record<string, string> {
  const files = starterFiles();
  files["flake.nix"] = files["flake.nix"]!.replace(
    "darwinConfigurations = {\n",
    'darwinConfigurations = {\n        mac1 = mkDarwin {\n          hostName = "mac1";\n          system = "aarch64-darwin";\n        };\n',
  );
  files["nix/alice/home.nix"] = ALICE;
  files["hosts/mac1/configuration.nix"] = MAC;
  files["hosts/mac1/home/bob.nix"] = BOB;
  files["hosts/example/configuration.nix"] = files["hosts/example/configuration.nix"]!.replace(
    "  boot.loader.systemd-boot.enable = true;\n",
    "  boot.loader.systemd-boot.enable = true;\n  hardware.opengl.enable = true;\n",
  );
  return { ...files, ...extra };
}

describe.skipIf(!nixAvailable())("gen fix on real Nix with warning stubs", () => {
  const repos = starterRepos();

  test("dry run shows the diff and writes nothing; the run converges to 0 warnings, only those bindings changed", async () => {
    const dir = repos(fork());
    const before = readTree(dir);
    const dry = await runMain(["fix", "--dry-run", ...overrideArgs], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(readTree(dir)).toEqual(before);
    expect(dry.stdout).toContain("Needs a person (0)");
    const run = await runMain(["fix", "--yes", ...overrideArgs], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Rewritten \(7\):/);
    expect(run.stdout).toContain("also set programs.delta.enableGitIntegration = true;");
    const after = readTree(dir);
    // The dry run showed exactly the diff the run then wrote.
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changed.sort()).toEqual(["hosts/example/configuration.nix", "hosts/mac1/home/bob.nix", "nix/alice/home.nix"]);
    for (const f of changed) expect(dry.stdout).toContain(unifiedDiff(f, before[f] ?? null, after[f] ?? null));
    expect(after["nix/alice/home.nix"]).toBe(
      ALICE.replace("git.userName", "git.settings.user.name").replace("git.userEmail", "git.settings.user.email").replace("git.extraConfig.init", "git.settings.init"),
    );
    expect(after["hosts/mac1/home/bob.nix"]).toBe(`{ ... }:
{
  home.stateVersion = "25.11";
  programs.git = {
    enable = true;
    settings.user.name = "Bob";
    settings = {
      pull.rebase = true;
    };
  };
  programs.delta.enable = true;

  programs.delta.enableGitIntegration = true;
}
`);
    expect(after["hosts/example/configuration.nix"]).toBe(before["hosts/example/configuration.nix"]!.replace("hardware.opengl.enable", "hardware.graphics.enable"));
    for (const f of Object.keys(before)) {
      if (!["nix/alice/home.nix", "hosts/mac1/home/bob.nix", "hosts/example/configuration.nix"].includes(f)) expect(after[f], f).toBe(before[f]);
    }
    // Evaluated again: nothing left to say.
    const again = flakeEvaluator(dir, { overrides })(fsRepo(dir));
    expect(again.configs.map((c) => [c.id, c.messages.length, c.error ?? ""])).toEqual([
      ["nixosConfigurations.example", 0, ""],
      ["darwinConfigurations.mac1", 0, ""],
      ["homeConfigurations.alice", 0, ""],
    ]);
  }, 300_000);

  test("a removed option: listed with message, file and line; that config not evaluated, its file unchanged, the others fixed; exit 1", async () => {
    const bob = BOB.replace("    delta.enable = true;\n", '    difftastic.extraArgs = [ "--x" ];\n');
    const dir = repos(fork({ "hosts/mac1/home/bob.nix": bob }));
    const before = readTree(dir);
    const r = await runMain(["fix", "--yes", "--host", "mac1", "--host", "alice", ...overrideArgs], dir);
    expect(r.code).toBe(1);
    const after = readTree(dir);
    expect(Object.keys(after).filter((f) => after[f] !== before[f])).toEqual(["nix/alice/home.nix"]);
    expect(after["hosts/mac1/home/bob.nix"]).toBe(bob);
    expect(r.stdout).toMatch(/Needs a person \(1\):\n {2}hosts\/mac1\/home\/bob\.nix:10 \(darwinConfigurations\.mac1\): [^\n]*difftastic\.extraArgs/);
    expect(r.stdout).toContain("'programs.git.difftastic.extraArgs' has been replaced by 'programs.git.difftastic.options'");
    expect(r.stdout).toMatch(/Not evaluated \(1\):\n {2}darwinConfigurations\.mac1: error:/);
  }, 300_000);
});
