// The reference flake is what the generators write: strip the example host
// and alice from it, run the generators with the example's answers, and
// get the committed files back byte for byte.
import { describe, expect, it } from "vitest";
import { type HostAnswers, type UserAnswers, memoryRepo, planHost, planUser } from "../src/index.js";
import { applyInMemory, starterFiles } from "./helpers.js";

const EXAMPLE_HOST: HostAnswers = { name: "example", system: "x86_64-linux" };
const ALICE: UserAnswers = {
  name: "alice",
  hosts: ["example"],
  fullName: "Alice Liddell",
  email: "alice@example.com",
  pattern: "reuse",
  shell: "zsh",
};

function stripped(reference: Record<string, string>): Record<string, string> {
  const files = Object.fromEntries(
    Object.entries(reference).filter(([path]) => !path.startsWith("hosts/example/") && !path.startsWith("nix/alice/")),
  );
  const flake = reference["flake.nix"]!;
  // Each entry runs from its `name = mkX {` line to the `};` at the same indentation.
  const entry = (line: string) => new RegExp(`^( *)${line} \\{\\n(?:.*\\n)*?\\1\\};\\n`, "m");
  const withoutEntries = flake.replace(entry("example = mkHost"), "").replace(entry("alice = mkHome"), "");
  expect(withoutEntries).not.toBe(flake);
  files["flake.nix"] = withoutEntries;
  return files;
}

describe("the reference flake", () => {
  it("is exactly what gen host example + gen user alice --pattern reuse write", () => {
    const reference = starterFiles();
    let files = stripped(reference);
    files = applyInMemory(files, planHost(memoryRepo(files), EXAMPLE_HOST));
    files = applyInMemory(files, planUser(memoryRepo(files), ALICE));
    // The starter ships no record: a fork's first gen run writes it.
    expect(Object.keys(JSON.parse(files["gen-record.json"]!).entities)).toEqual(["home/alice", "host/example", "user/example/alice"]);
    delete files["gen-record.json"];
    expect(files).toEqual(reference);
  });
});

describe("the reference flake.nix reads as a page", () => {
  it("shows its first host entry within its first 60 lines: inputs, then entries, the helpers in modules/flake", () => {
    const lines = starterFiles()["flake.nix"]!.split("\n");
    const first = lines.findIndex((l) => /^\s*example = mkHost \{/.test(l)) + 1;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(60);
  });
});
