// Property tests of the two editors: hand-edited variants of the starter's
// flake.nix and configuration.nix (edit-variants.ts) must each come out as
// an exact insert that Nix evaluates to the right hosts/users, or as a
// one-line refusal. bench/fuzz-editors.mjs runs the same with more variants.
import { nixAvailable } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { starterFiles } from "../src/index.js";
import { type Judged, attemptHost, attemptUser, judge, runEdits, tally } from "./edit-variants.js";

const FLAKES = Number(process.env.FUZZ_FLAKES ?? 120);
const CONFIGS = Number(process.env.FUZZ_CONFIGS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20260517);

const explain = (judged: Judged[]) =>
  judged
    .filter((j) => j.outcome === "wrong")
    .slice(0, 5)
    .map((j) => `${j.variant.edits.join("; ")}\n  → ${j.detail}\n${j.variant.text}`)
    .join("\n\n");

describe.runIf(nixAvailable())("edits of hand-edited files, checked by evaluation", () => {
  const { flakes, configs } = runEdits({ flakes: FLAKES, configs: CONFIGS }, SEED);
  if (process.env.FUZZ_REPORT) {
        const all = [...flakes, ...configs];
    const report = {
      seed: SEED,
      flakes: tally(flakes),
      configs: tally(configs),
      crashes: all.filter((j) => j.detail.startsWith("crashed")).length,
      notExact: all.filter((j) => j.outcome !== "exact").map((j) => ({ outcome: j.outcome, edits: j.variant.edits, detail: j.detail.split("\n")[0] })),
    };
    process.stdout.write(`FUZZ_RESULT ${JSON.stringify(report)}\n`);
  }

  it(`gen host on ${FLAKES} flake.nix variants: exact inserts, none refused`, () => {
    expect(explain(flakes)).toBe("");
    // A let-bound name, `inherit`, `import ./hosts` and `builtins.mapAttrs f { … }` over mkHost entries are all followed to their set.
    const refused = flakes.filter((j) => j.outcome === "refused").map((j) => `${j.variant.edits.join("; ")} → ${j.detail}`);
    expect(refused).toEqual([]);
  });

  it(`gen user on ${CONFIGS} configuration.nix variants: exact inserts or one-line refusals, at most 15% refused`, () => {
    expect(explain(configs)).toBe("");
    expect(tally(configs).refused / CONFIGS).toBeLessThanOrEqual(0.15);
  });

  it("the variants vary: both outcomes and many distinct files occur", () => {
    expect(new Set(flakes.map((j) => j.variant.text)).size).toBeGreaterThan(FLAKES * 0.9);
    expect(new Set(configs.map((j) => j.variant.text)).size).toBeGreaterThan(CONFIGS * 0.9);
    expect(tally(flakes).exact).toBeGreaterThan(0);
    expect(tally(configs).refused).toBeGreaterThan(0);
  });

  it("the oracle itself tells wrong edits from right ones", () => {
    const web1 = 'web1 = mkHost { hostName = "web1"; system = "x86_64-linux"; };';
    const flake = starterFiles()["flake.nix"]!.replace(/(\n\s*# `pnpm gen host` adds)/, (m) => "\n      legacy.nixosConfigurations = { };" + m);
    const host = attemptHost({ text: flake, edits: [] });
    const right = host.after!;
    const crlf = flake.replace(/\n/g, "\r\n");
    const flakes = [
      host,
      { ...host, after: flake.replace("legacy.nixosConfigurations = { };", `legacy.nixosConfigurations = { ${web1} };`) },
      { ...host, after: right.replace("\n\n", "\n") },
      { ...attemptHost({ text: crlf, edits: [] }), after: crlf.replace(/(example = mkHost[^\r]*\r\n)/, `$1        ${web1}\n`) },
    ];
    expect(judge(flakes, "flake").map((j) => j.outcome)).toEqual(["exact", "wrong", "wrong", "wrong"]);

    const merged = "{ pkgs, ... }:\n{\n  users.users.alice = { isNormalUser = true; };\n}\n// {\n}\n";
    const user = attemptUser({ text: merged, edits: [], shell: "bash" });
    const block = "  users.users.bob = { isNormalUser = true; shell = pkgs.bashInteractive; };\n  home-manager.users.bob = import ./home/bob.nix;\n";
    const noPkgs = "{ lib, ... }:\nwith lib;\n{\n  users.users.alice = { isNormalUser = true; };\n}\n";
    const configs = [
      user,
      { ...user, after: merged.replace("// {\n", "// {\n" + block) },
      { ...attemptUser({ text: noPkgs, edits: [], shell: "bash" }), after: noPkgs.replace("true; };\n", "true; };\n" + block) },
    ];
    expect(judge(configs, "module").map((j) => j.outcome)).toEqual(["exact", "wrong", "wrong"]);
  });
});
