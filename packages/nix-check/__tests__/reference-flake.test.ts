// The reference flake at the repository root: every .nix file parses, and the
// flake evaluates with stub inputs to the hosts and homes the README promises.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evalFlakeStructure, listNixFiles, parseNixPaths } from "../src/index.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("reference flake", () => {
  it("has only .nix files that the Nix parser accepts", () => {
    const files = listNixFiles(repoRoot);
    expect(files).toContain("flake.nix");
    expect(files).toContain("hosts/example/configuration.nix");
    expect(files).toContain("packages/nix-check/stubs/nixpkgs/walk.nix");
    expect(parseNixPaths(files, repoRoot)).toEqual({ ok: true });
  });

  const { hosts, homes, checks } = evalFlakeStructure(repoRoot);

  it("lists the example host, built from resolvable modules", () => {
    expect(Object.keys(hosts)).toEqual(["example"]);
    const example = hosts.example!;
    expect(example.hostName).toBe("example");
    expect(example.platform).toBe("x86_64-linux");
    expect(example.stateVersion).toBe("26.05");
    expect(example.files).toEqual([
      "modules/nixos",
      "hosts/example/configuration.nix",
      "hosts/example/hardware-configuration.nix",
    ]);
  });

  it("integrates alice with Home Manager on the example host", () => {
    const example = hosts.example!;
    expect(example.users).toEqual(["alice"]);
    expect(Object.keys(example.homeUsers)).toEqual(["alice"]);
    const alice = example.homeUsers.alice!;
    expect(alice.stateVersion).toBe("26.05");
    expect(alice.gitName).toBe("Alice Liddell");
    expect(alice.files).toEqual([
      "nix/alice/home.nix",
      "modules/home",
      "modules/home/git.nix",
      "modules/home/shell.nix",
      "modules/home/editor.nix",
    ]);
  });

  it("exposes alice's standalone config, the same home the host imports", () => {
    expect(Object.keys(homes)).toEqual(["alice"]);
    const alice = homes.alice!;
    expect(alice.username).toBe("alice");
    expect(alice.gitEmail).toBe("alice@example.com");
    expect(alice.files).toEqual(hosts.example!.homeUsers.alice!.files);
  });

  it("has a flake check per host and home, on the system each is built for", () => {
    expect(checks).toEqual({ "x86_64-linux": ["home-alice", "host-example"], "aarch64-linux": [] });
  });
});
