import { describe, expect, it } from "vitest";
import { nixBroken } from "../vitest.nix-works.js";

describe("the suites' check that Nix runs", () => {
  it("says nothing when nix-instantiate parses, warnings or not", () => {
    expect(nixBroken(() => ({ status: 0, stderr: "warning: the group 'nixbld' specified in 'build-users-group' does not exist\n" }), true)).toBeUndefined();
  });

  it("says nothing, and runs nothing, without Nix on PATH (the Nix tests skip themselves then)", () => {
    expect(nixBroken(() => expect.unreachable("ran Nix"), false)).toBeUndefined();
  });

  it("gives one sentence with Nix's own error and what to do when it cannot run", () => {
    const stderr = "warning: something\nerror: could not set permissions on '/nix/var/nix/profiles/per-user' to 755: Operation not permitted\n";
    const why = nixBroken(() => ({ status: 1, stderr }), true);
    expect(why).toMatch(/^Nix cannot run as \S+ here \(nix-instantiate --parse --expr 1: could not set permissions on '\/nix\/var\/nix\/profiles\/per-user' to 755: Operation not permitted\), and the tests need it: /);
    expect(why).toContain("NIX_REMOTE=daemon");
    expect(why).toContain("the user who owns /nix");
    expect(why).not.toContain("\n");
  });
});
