// The fork check reads the flake's whole tree (FLAKE_TREE): Turbo must count
// every part of it as an input of this package's tests, or an edit there
// (a secret's rules, say) replays a cached green check.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLAKE_TREE } from "../src/flake-eval.js";

const turbo = JSON.parse(readFileSync(new URL("../turbo.json", import.meta.url), "utf8")) as { tasks: { test: { inputs: string[] } } };

describe("the fork check's Turbo inputs", () => {
  it.each(FLAKE_TREE)("include %s", (entry) => {
    const inputs = turbo.tasks.test.inputs;
    expect(inputs.includes(`$TURBO_ROOT$/${entry}`) || inputs.includes(`$TURBO_ROOT$/${entry}/**`), inputs.join(", ")).toBe(true);
  });
});
