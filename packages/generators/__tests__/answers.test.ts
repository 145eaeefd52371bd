import { describe, expect, it } from "vitest";
import {
  checkEmail,
  checkFromPath,
  checkFullName,
  checkHostName,
  checkStateVersion,
  checkSystem,
  checkUserName,
} from "../src/answers/rules.js";

describe("host names (RFC 1123 labels)", () => {
  it.each(["web1", "a", "1web", "my-laptop", "x".repeat(63)])("accepts %j", (name) => {
    expect(checkHostName(name)).toBeUndefined();
  });
  it.each([
    ["", /empty/],
    ["Web1", /uppercase.*"web1"/],
    ["web 1", /characters a host name cannot have/],
    ["../x", /path/],
    ["/abs", /path/],
    ["x".repeat(64), /64 characters long.*at most 63/],
    ["-web", /hyphen/],
    ["web-", /hyphen/],
    ["web_1", /characters/],
    ["localhost", /reserved/],
  ])("refuses %j with a reason", (name, reason) => {
    expect(checkHostName(name)).toMatch(reason);
  });
});

describe("usernames (POSIX)", () => {
  it.each(["alice", "_svc", "bob-2", "a".repeat(32)])("accepts %j", (name) => {
    expect(checkUserName(name)).toBeUndefined();
  });
  it.each([
    ["", /empty/],
    ["Alice", /uppercase/],
    ["al ice", /POSIX/],
    ["1alice", /POSIX/],
    ["-alice", /POSIX/],
    ["../x", /path/],
    ["a".repeat(33), /at most 32/],
    ["root", /system account/],
    ["nobody", /system account/],
    ["nixbld1", /system account/],
  ])("refuses %j with a reason", (name, reason) => {
    expect(checkUserName(name)).toMatch(reason);
  });
});

describe("other answers", () => {
  it("checks systems and state versions", () => {
    expect(checkSystem("aarch64-linux")).toBeUndefined();
    expect(checkSystem("x86_64-darwin")).toBeUndefined();
    expect(checkSystem("riscv64-linux")).toMatch(/not supported/);
    expect(checkStateVersion("26.05")).toBeUndefined();
    expect(checkStateVersion("26.5")).toMatch(/"26\.5" is not a NixOS release/);
  });

  it("refuses what /etc/passwd cannot hold in a full name, and nothing else", () => {
    expect(checkFullName('Zoë "${x}" \\o/')).toBeUndefined();
    expect(checkFullName("a:b")).toMatch(/":"/);
    expect(checkFullName("a\nb")).toMatch(/newline/);
  });

  it("checks emails loosely", () => {
    expect(checkEmail("")).toBeUndefined();
    expect(checkEmail('"odd${x}"@example.com')).toBeUndefined();
    expect(checkEmail("not an email")).toMatch(/not an address/);
    expect(checkEmail("a@b\n")).toMatch(/not an address/);
  });

  it("keeps --from inside nix/", () => {
    expect(checkFromPath("nix/linux/home.nix")).toBeUndefined();
    for (const bad of ["../etc/passwd.nix", "/abs/home.nix", "nix/../flake.nix", "hosts/x.nix", "nix/a/home.txt", "nix//a.nix"]) {
      expect(checkFromPath(bad)).toMatch(/not a \.nix file under nix\//);
    }
  });
});
