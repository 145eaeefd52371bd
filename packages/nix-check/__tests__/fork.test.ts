// The fork's own check: whatever this checkout's flake holds now (any names,
// any number of hosts and homes, the starter's example or not), every .nix
// file parses, every host and home evaluates with the stub inputs, each
// import resolving, and every integrated user's home is walked. It pins no
// names: `pnpm gen host web1` or deleting the example keeps it green, a
// broken import or a syntax error turns it red with the file and the reason.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_OUTPUTS, checkFork, formatProblem } from "../src/index.js";

const forkRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const report = checkFork(forkRoot);
// Warnings (a disko layout still on its placeholder disk) do not fail the
// check: they are printed, so the run says what to fix before gen install.
for (const warning of report.warnings) console.warn(`warning: ${warning}`);

describe("this fork's flake", () => {
  it("has no problem: every .nix file parses, every entry evaluates", () => {
    // One line per problem, `file: reason (entry)`, so a red run says what to fix.
    expect(report.problems.map(formatProblem).join("\n")).toBe("");
    expect(report.nixFiles).toContain("flake.nix");
  });

  for (const output of CONFIG_OUTPUTS) {
    const names = Object.keys(report.entries[output]);
    if (names.length === 0) continue;
    describe(output, () => {
      it.each(names)("%s evaluates, built from files in this repository", (name) => {
        expect(report.entries[output][name]!.files.length).toBeGreaterThan(0);
      });
    });
  }
});
