// The checks themselves must be able to fail: broken input is reported,
// with the file it came from.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalFlakeStructures, evalHosts, parseNixSources } from "../src/index.js";

describe("parseNixSources", () => {
  it("accepts valid files", () => {
    expect(parseNixSources([{ path: "a.nix", content: "{ x = 1; }" }])).toEqual({ ok: true });
  });

  it.each([
    ["a syntax error", "{ x = ; }", "syntax error"],
    ["a duplicate attribute", "{ a = 1; a = 2; }", "already defined"],
    ["an undefined variable", "{ x = pkgs.hello; }", "undefined variable 'pkgs'"],
  ])("rejects %s and names the file", (_what, content, needle) => {
    const result = parseNixSources([
      { path: "ok.nix", content: "{ }" },
      { path: "hosts/bad/configuration.nix", content },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.path).toBe("hosts/bad/configuration.nix");
    expect(result.message).toContain(needle);
    expect(result.message).toContain("hosts/bad/configuration.nix");
  });
});

describe("parseNixSources's temp folders", () => {
  it("removes the one a killed run left (its pid is gone), keeps a live run's, and leaves none of its own", () => {
    const dead = spawnSync("true").pid!;
    const left = mkdtempSync(join(tmpdir(), `nix-parse-${dead}-`));
    const live = mkdtempSync(join(tmpdir(), `nix-parse-${process.ppid}-`));
    try {
      writeFileSync(join(left, "flake.nix"), "{ }");
      const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`nix-parse-${process.pid}-`));
      expect(parseNixSources([{ path: "a.nix", content: "{ }" }])).toEqual({ ok: true });
      expect(existsSync(left)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(mine()).toEqual([]);
    } finally {
      for (const d of [left, live]) rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("stub evaluation", () => {
  it("fails when a host imports a module that does not exist", () => {
    const dir = mkdtempSync(join(tmpdir(), "stub-"));
    try {
      mkdirSync(join(dir, "hosts", "h"), { recursive: true });
      writeFileSync(
        join(dir, "flake.nix"),
        `{ inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
           inputs.home-manager.url = "github:nix-community/home-manager/release-26.05";
           inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";
           outputs = { nixpkgs, ... }: {
             nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ ./hosts/h/configuration.nix ]; };
           }; }`,
      );
      writeFileSync(join(dir, "hosts", "h", "configuration.nix"), "{ imports = [ ./missing.nix ]; }");
      expect(() => evalHosts(dir)).toThrow(/missing\.nix.*does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("evaluates several flakes in one nix eval, each to its own structure, and names the one that fails", () => {
    const base = mkdtempSync(join(tmpdir(), "stubs-"));
    const flake = (name: string, config: string) => {
      const dir = join(base, name);
      mkdirSync(join(dir, "hosts", name), { recursive: true });
      writeFileSync(
        join(dir, "flake.nix"),
        `{ inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-26.05";
           outputs = { nixpkgs, ... }: {
             nixosConfigurations.${name} = nixpkgs.lib.nixosSystem { modules = [ ./hosts/${name}/configuration.nix ]; };
             homeConfigurations = { };
             checks = { };
           }; }`,
      );
      writeFileSync(join(dir, "hosts", name, "configuration.nix"), config);
      return dir;
    };
    try {
      const ok = ["web1", "web2"].map((n) => flake(n, `{ networking.hostName = "${n}"; }`));
      const structures = evalFlakeStructures(ok);
      expect(structures.map((s) => Object.keys(s.hosts))).toEqual([["web1"], ["web2"]]);
      expect(structures.map((s) => s.hosts[Object.keys(s.hosts)[0]!]!.hostName)).toEqual(["web1", "web2"]);
      const broken = flake("web3", "{ imports = [ ./missing.nix ]; }");
      expect(() => evalFlakeStructures([...ok, broken])).toThrow(/missing\.nix.*does not exist/);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
