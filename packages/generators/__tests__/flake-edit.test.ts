import { describe, expect, it } from "vitest";
import { addAttrEntry, appendToModuleBody, attrSetKeys, codeContains, findAttrSet } from "../src/flake-edit.js";
import { CODE, STRING, scanNix } from "../src/nix-scan.js";

describe("scanNix", () => {
  it("tells code from strings, comments and interpolations", () => {
    const text = 'a = "x}${ { } }y"; # }\n b = \'\'q}\'\'${"{"}\'\'; /* } */';
    const kinds = scanNix(text);
    const kindAt = (needle: string, from = 0) => kinds[text.indexOf(needle, from)];
    expect(kindAt("x}")).toBe(STRING);
    expect(kindAt("{ }")).toBe(CODE); // inside ${ }
    expect(kindAt("# }")).not.toBe(CODE);
    expect(kindAt("q}")).toBe(STRING);
    expect(kindAt("/* }")).not.toBe(CODE);
  });
});

const flake = `{
  outputs = { self, ... }: let
    # nixosConfigurations = { decoy = 1; };
    note = "nixosConfigurations = {";
  in {
    nixosConfigurations = {
      example = mkHost { hostName = "example"; system = "x86_64-linux"; };
      "1web" = mkHost { hostName = "1web"; system = "x86_64-linux"; };
      nested = { a = { b = 1; }; };
    };
  };
}
`;

describe("findAttrSet / attrSetKeys", () => {
  it("finds the one real set, ignoring comments and strings", () => {
    const span = findAttrSet(flake, "nixosConfigurations");
    if ("reason" in span) throw new Error(span.reason);
    expect(flake.slice(span.open, span.open + 1)).toBe("{");
    expect(flake.slice(span.close, span.close + 2)).toBe("};");
    expect(span.indent).toBe("    ");
    expect(attrSetKeys(flake, span.open, span.close)).toEqual(["example", "1web", "nested"]);
  });

  it("says why when the set is missing or ambiguous", () => {
    expect(findAttrSet("{ }", "nixosConfigurations")).toEqual({ reason: expect.stringMatching(/has no `nixosConfigurations = \{ \.\.\. \};`/) });
    const twice = "{ a = { nixosConfigurations = { }; }; b = { nixosConfigurations = { }; }; }";
    expect(findAttrSet(twice, "nixosConfigurations")).toEqual({ reason: expect.stringMatching(/2 .* ambiguous/) });
  });
});

describe("addAttrEntry", () => {
  it("appends after the last entry, keeping everything else byte for byte", () => {
    const result = addAttrEntry(flake, "nixosConfigurations", "web2", 'web2 = mkHost { hostName = "web2"; system = "x86_64-linux"; };');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text).toBe(
      flake.replace(
        "      nested = { a = { b = 1; }; };\n",
        '      nested = { a = { b = 1; }; };\n      web2 = mkHost { hostName = "web2"; system = "x86_64-linux"; };\n',
      ),
    );
  });

  it("opens up an empty inline set", () => {
    const result = addAttrEntry("{\n  homeConfigurations = { };\n}\n", "homeConfigurations", "bob", "bob = 1;");
    expect(result).toEqual({ ok: true, text: "{\n  homeConfigurations = {\n    bob = 1;\n  };\n}\n" });
  });

  it("refuses a key that is already there", () => {
    expect(addAttrEntry(flake, "nixosConfigurations", "1web", "x")).toEqual({ ok: false, reason: expect.stringMatching(/already has an entry named "1web"/) });
  });
});

describe("appendToModuleBody", () => {
  it("adds a block before the module's closing brace", () => {
    const text = "{ pkgs, ... }:\n{\n  a = 1; # }\n}\n";
    expect(appendToModuleBody(text, ["b = 2;", "", "c = 3;"])).toEqual({ ok: true, text: "{ pkgs, ... }:\n{\n  a = 1; # }\n\n  b = 2;\n\n  c = 3;\n}\n" });
  });

  it("refuses a file that does not end in an attribute set", () => {
    expect(appendToModuleBody("{ pkgs, ... }: lib.mkMerge [ { } ]\n", ["b = 2;"])).toEqual({ ok: false, reason: expect.stringMatching(/does not end with the closing/) });
  });
});

describe("codeContains", () => {
  it("ignores comments and strings", () => {
    expect(codeContains('# programs.zsh.enable = true;\nx = "programs.zsh.enable = true";', /programs\.zsh\.enable\s*=/)).toBe(false);
    expect(codeContains("programs.zsh.enable = true;", /programs\.zsh\.enable\s*=/)).toBe(true);
  });
});
