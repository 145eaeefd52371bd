import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nixAvailable } from "@starter/nix-check";
import { describe, expect, it } from "vitest";
import { addToModule } from "../src/nix/edit.js";
import { parseNix } from "../src/nix/ast.js";
import { CODE, COMMENT, NixSyntaxError, STRING, lexNix } from "../src/nix/scan.js";

const tokens = (text: string) => lexNix(text).tokens.map((t) => `${t.kind} ${t.text}`);

describe("lexNix reads Nix as Nix's own lexer does", () => {
  it.each([
    ["an identifier with primes is one token", "f'' f' a-b_c'", ["id f''", "id f'", "id a-b_c'"]],
    ["`$${` in a string is text, not an interpolation", '"$${" + "a$${b}"', ['string "$${"', "punct +", 'string "a$${b}"']],
    ["indented-string escapes do not end it", "'' a ''$ b ''' c ''\\n d ${x} '' y", ["istring '' a ''$ b ''' c ''\\n d ${x} ''", "id y"]],
    ["a URI holding `/*` is one token", "https://a/*b c", ["uri https://a/*b", "id c"]],
    ["`x:x` is a URI, `x: x` a function", "x:x", ["uri x:x"]],
    ["paths, with interpolations", "./a/${b}.nix ~/c <nixpkgs> /abs/x a/b", ["path ./a/${b}.nix", "path ~/c", "spath <nixpkgs>", "path /abs/x", "path a/b"]],
    ["`//` and `/*` after a name", "a//b /* c */ d", ["id a", "op //", "id b", "id d"]],
    ["nested interpolations", '"${ "${ { a = "}"; }.a }" }" x', ['string "${ "${ { a = "}"; }.a }" }"', "id x"]],
    ["keywords, and `or` as one", "let a = b.c or d; in a", ["keyword let", "id a", "punct =", "id b", "punct .", "id c", "keyword or", "id d", "punct ;", "keyword in", "id a"]],
  ])("%s", (_label, text, expected) => {
    expect(tokens(text)).toEqual(expected);
  });

  it("marks comments, string text and code", () => {
    const text = "a = \"x}${ { } }y\"; # }\nb = ''q}''${\"{\"}''; /* } */ c = https://u/*v;";
    const { kinds } = lexNix(text);
    const at = (needle: string) => kinds[text.indexOf(needle)];
    expect(at("x}")).toBe(STRING);
    expect(at("{ }")).toBe(CODE);
    expect(at("# }")).toBe(COMMENT);
    expect(at("q}")).toBe(STRING);
    expect(at("/* }")).toBe(COMMENT);
    expect(at("/*v")).toBe(CODE);
  });

  it.each([
    ['"open', /string is never closed/],
    ["''open", /indented string .* never closed/],
    ["/* open", /comment is never closed/],
    ["./a/ b", /path ends with a slash/],
    ['"${ a"', /string is never closed|never closed/],
    ["a }", /unexpected `}`/],
  ])("refuses %j as Nix does", (text, message) => {
    expect(() => lexNix(text)).toThrow(NixSyntaxError);
    expect(() => lexNix(text)).toThrow(message);
  });
});

describe("parseNix", () => {
  it("tells a function's formals from a set", () => {
    const fn = parseNix("{ a, b ? { }, ... }@args: { c = 1; }").expr;
    expect(fn.type === "lambda" && fn.formals?.list.map((f) => f.name)).toEqual(["a", "b"]);
    expect(fn.type === "lambda" && fn.arg).toBe("args");
    const set = parseNix("{ a = 1; }").expr;
    expect(set.type).toBe("set");
  });

  it("runs out of stack on a file nested thousands deep, which the editors refuse in one line", () => {
    const deep = "{ pkgs, ... }: " + "(".repeat(50_000) + "{ }" + ")".repeat(50_000) + "\n";
    expect(() => parseNix(deep)).toThrow(RangeError);
    expect(addToModule(deep, ["a = 1;"])).toEqual({ ok: false, reason: "it nests its expressions too deeply to read" });
  });

  it("gives `//` a lower precedence than application and `+`", () => {
    const e = parseNix("f { } // { a = 1; } + 2").expr;
    expect(e.type === "binary" && e.op).toBe("//");
    expect(e.type === "binary" && e.left.type).toBe("apply");
  });
});

// Samples written for this test (no fetched code): each must parse, and
// blanking what the lexer calls comments, or re-joining its tokens with single
// spaces, must leave Nix's reading of it the same.
const SAMPLES = [
  "rec { f'' = 1; g = f'' + 1; doc = '' ${toString g} ''$ ''' ''\\t ''; }",
  '{ a = "$${b}"; b = "$"; c = "${ "${"x"}" }"; /* a } */ d = https://a/*b; }',
  "let x = ./a/${y}.nix; y = \"b\"; in { inherit x; # }\n z = <nixpkgs>; }",
  "{ lib, ... }: with lib; { a = mkDefault true; b.c.d = [ 1 2.5 (x: x) ]; }",
  "rec { a = 1; b = a // { c = a; }; e = if a == 1 then -a else !true; }",
];

describe.runIf(nixAvailable())("against nix-instantiate --parse", () => {
  /** What Nix prints for each text, as a sorted list of words (Nix 2.8 orders attributes by memory address). */
  const nixReads = (texts: string[]): string[] => {
    const dir = mkdtempSync(join(tmpdir(), "nix-scan-test-"));
    try {
      const paths = texts.map((t, i) => {
        const p = join(dir, `${i}.nix`);
        writeFileSync(p, t);
        return p;
      });
      const run = spawnSync("nix-instantiate", ["--parse", ...paths], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout
        .trimEnd()
        .split("\n")
        .map((l) => (l.split(dir).join("").match(/"(?:[^"\\]|\\.)*"|[,;]|[^\s",;]+/g) ?? []).sort().join(" "));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("reads the samples as Nix does", () => {
    const blanked = SAMPLES.map((t) => {
      const { kinds } = lexNix(t);
      return Array.from(t, (ch, i) => (kinds[i] === COMMENT && ch !== "\n" ? " " : ch)).join("");
    });
    const joined = SAMPLES.map((t) => lexNix(t).tokens.map((tok) => tok.text).join(" "));
    const [original, viaComments, viaTokens] = [nixReads(SAMPLES), nixReads(blanked), nixReads(joined)];
    expect(viaComments).toEqual(original);
    expect(viaTokens).toEqual(original);
    for (const t of SAMPLES) expect(() => parseNix(t)).not.toThrow();
  });
});
