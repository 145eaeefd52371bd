// A file that does not parse and a Nix that cannot run are different
// failures: the generators report the first as a bug in what they wrote and
// the second as something to fix in the environment.
import { afterEach, describe, expect, it } from "vitest";
import { parseNixSources } from "../src/index.js";

const saved = process.env.NIX_STATE_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.NIX_STATE_DIR;
  else process.env.NIX_STATE_DIR = saved;
});

describe("parseNixSources tells parse failures from environment failures", () => {
  it("a syntax error is kind parse, naming the file", () => {
    const result = parseNixSources([{ path: "hosts/h/configuration.nix", content: "{ x = ; }" }]);
    expect(result).toMatchObject({ ok: false, kind: "parse", path: "hosts/h/configuration.nix" });
  });

  it("Nix failing before it reads any file (its state folder cannot be made) is kind environment", () => {
    process.env.NIX_STATE_DIR = "/proc/no-nix-state";
    const result = parseNixSources([{ path: "a.nix", content: "{ x = 1; }" }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe("environment");
    expect(result.message).toContain("/proc/no-nix-state");
  });
});
