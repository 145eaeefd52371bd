// The starter's `nix develop` shell and `nix fmt` formatter, evaluated with
// the stub inputs: every system gets Node and pnpm, Linux also Chromium
// (which the docs' browser tests find through CHROMIUM_PATH).
import { evalWithStubs } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { STARTER_DIR } from "../src/repo/starter.js";

interface Shell {
  packages: string[];
  env: Record<string, string>;
}

const SYSTEMS = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"];

const shells = evalWithStubs<Record<string, Shell>>(STARTER_DIR, "devShells", {
  apply: "builtins.mapAttrs (_: s: { packages = map (p: p.pname) s.default.packages; env = s.default.env; })",
});

describe("devShells.<system>.default", () => {
  it("exists for every system the starter supports", () => {
    expect(Object.keys(shells).sort()).toEqual([...SYSTEMS].sort());
  });

  it.each(SYSTEMS)("on %s lists node, pnpm, git and nixfmt", (system) => {
    expect(shells[system]!.packages).toEqual(expect.arrayContaining(["nodejs", "pnpm", "git", "nixfmt"]));
  });

  it.each(["x86_64-linux", "aarch64-linux"])("on %s lists Chromium and points CHROMIUM_PATH at it", (system) => {
    expect(shells[system]!.packages).toContain("chromium");
    expect(shells[system]!.env.CHROMIUM_PATH).toMatch(/-chromium\/bin\/chromium$/);
  });

  it.each(["x86_64-darwin", "aarch64-darwin"])("on %s has no browser (nixpkgs builds Chromium for Linux only)", (system) => {
    expect(shells[system]!.packages).not.toContain("chromium");
    expect(shells[system]!.env).toEqual({});
  });
});

describe("formatter.<system>", () => {
  it("is nixfmt-tree (nixfmt over the whole tree) on every system", () => {
    const formatters = evalWithStubs<Record<string, string>>(STARTER_DIR, "formatter", { apply: "builtins.mapAttrs (_: f: f.pname)" });
    expect(formatters).toEqual(Object.fromEntries(SYSTEMS.map((s) => [s, "nixfmt-tree"])));
  });
});
