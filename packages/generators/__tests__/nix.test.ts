// Nix string escaping: unit cases, and a round trip through the real Nix
// evaluator for strings full of characters that mean something to Nix.
import { spawnSync } from "node:child_process";
import { withoutNixWarnings } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { isNixIdentifier, nixAttr, nixString } from "../src/nix/quote.js";

const nasty = [
  "Alice Liddell",
  'Bob "the builder"',
  "back\\slash \\n not a newline",
  "${builtins.abort \"boom\"}",
  "$${x} and $$ and $ alone and ${",
  "\\${escaped?}",
  "line one\nline two\r\n\ttabbed",
  "Zoë Ñúñez 山田 🚀",
  "''indented'' string ''${x}",
  "# not a comment /* nor this */",
  "",
];

describe("nixString", () => {
  it("quotes and escapes what Nix would interpret", () => {
    expect(nixString('a"b')).toBe('"a\\"b"');
    expect(nixString("a\\b")).toBe('"a\\\\b"');
    expect(nixString("${x}")).toBe('"\\${x}"');
    expect(nixString("$x")).toBe('"$x"');
    expect(nixString("a\nb")).toBe('"a\\nb"');
  });

  it("evaluates back to exactly the original strings", () => {
    const expr = `[ ${nasty.map(nixString).join(" ")} ]`;
    const run = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expr], { encoding: "utf8" });
    // Only Nix's environment warnings (the nixbld group as root on Debian) may be there.
    expect(withoutNixWarnings(run.stderr)).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(nasty);
  });
});

describe("nixAttr", () => {
  it("leaves identifiers bare and quotes everything else", () => {
    expect(nixAttr("alice")).toBe("alice");
    expect(nixAttr("web-1")).toBe("web-1");
    expect(nixAttr("_svc")).toBe("_svc");
    expect(nixAttr("1web")).toBe('"1web"');
    expect(nixAttr("alice@web1")).toBe('"alice@web1"');
    expect(nixAttr("if")).toBe('"if"');
    expect(isNixIdentifier("inherit")).toBe(false);
  });

  it("produces attribute names Nix reads back", () => {
    const names = ["alice", "1web", "alice@web1", "if", "or", "a-b_c"];
    const expr = `builtins.attrNames { ${names.map((n) => `${nixAttr(n)} = 1;`).join(" ")} }`;
    const run = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expr], { encoding: "utf8" });
    expect(JSON.parse(run.stdout)).toEqual([...names].sort());
  });
});
