import { describe, expect, it } from "vitest";
import { addFlakeEntry, addToModule, codeContains, firstCodeMatch, flakeEntryNames, moduleTakesPkgs, shellState } from "../src/nix/edit.js";
import { removeFlakeEntry } from "../src/nix/remove.js";

const WEB1 = 'web1 = mkHost { hostName = "web1"; system = "x86_64-linux"; };';
const addHost = (text: string) => addFlakeEntry(text, "nixosConfigurations", "web1", [WEB1]);

/** The text with `inserted` put at the one place where `marker` is. */
const withAt = (template: string, inserted: string) => ({ before: template.replace("@", ""), after: template.replace("@", inserted) });

describe("addFlakeEntry finds outputs' set by structure", () => {
  it("appends after the last entry, keeping everything else byte for byte", () => {
    const { before, after } = withAt(
      `{
  outputs = { self, ... }: let
    # nixosConfigurations = { decoy = 1; };
    note = "nixosConfigurations = {";
  in {
    nixosConfigurations = {
      example = mkHost { hostName = "example"; system = "x86_64-linux"; };
      "1web" = mkHost { hostName = "1web"; system = "x86_64-linux"; };
      nested = { a = { b = 1; }; };
@    };
  };
}
`,
      `      ${WEB1}\n`,
    );
    expect(addHost(before)).toEqual({ ok: true, text: after, notes: [] });
    expect(flakeEntryNames(before, "nixosConfigurations")).toEqual(["example", "1web", "nested"]);
  });

  it("inserts a multi-line entry as nixfmt lays it out, in the file's own indentation, or on the line of a one-line set", () => {
    const entry = ["web1 = mkHost {", '  hostName = "web1";', '  system = "x86_64-linux";', "};"];
    const fourSpaces = "{\n    outputs = { ... }: {\n        nixosConfigurations = {\n            a = 1;\n        };\n    };\n}\n";
    const result = addFlakeEntry(fourSpaces, "nixosConfigurations", "web1", entry);
    expect(result).toEqual({
      ok: true,
      text: fourSpaces.replace(
        "            a = 1;\n",
        '            a = 1;\n            web1 = mkHost {\n                hostName = "web1";\n                system = "x86_64-linux";\n            };\n',
      ),
      notes: [],
    });
    const oneLine = "{ outputs = { ... }: { nixosConfigurations = { a = 1; }; }; }";
    expect(addFlakeEntry(oneLine, "nixosConfigurations", "web1", entry)).toEqual({
      ok: true,
      text: oneLine.replace("a = 1; }", 'a = 1; web1 = mkHost { hostName = "web1"; system = "x86_64-linux"; }; }'),
      notes: [],
    });
  });

  it("edits the `rec` set that outputs returns, not a nested `legacy.nixosConfigurations`", () => {
    const before = "{ outputs = { ... }: let mkHost = x: x; in { nixosConfigurations = rec { }; legacy.nixosConfigurations = { }; }; }";
    expect(addHost(before)).toEqual({ ok: true, text: before.replace("rec { }", `rec { ${WEB1} }`), notes: [] });
  });

  it("takes a comment between `=` and `{`", () => {
    const { before, after } = withAt("{\n  outputs = { ... }: {\n    nixosConfigurations = /* hosts */ {\n      a = 1;\n@    };\n  };\n}\n", `      ${WEB1}\n`);
    expect(addHost(before)).toEqual({ ok: true, text: after, notes: [] });
  });

  it("is not fooled by `f''`, `$${`, `''$` or a URI holding `/*`", () => {
    const before = [
      "{ outputs = { ... }: let",
      "  mkHost = x: x; f'' = 1; g = \"$${\"; u = https://a/*b;",
      "  doc = '' nixosConfigurations = { } ''$'' '''; '';",
      "in {",
      "  nixosConfigurations = {",
      "  };",
      "}; }",
    ].join("\n");
    const result = addHost(before);
    expect(result).toEqual({ ok: true, text: before.replace("  nixosConfigurations = {\n", `  nixosConfigurations = {\n    ${WEB1}\n`), notes: [] });
  });

  it("keeps CRLF line endings, tabs and the owner's blank lines and trailing spaces", () => {
    const before = "{\r\n\toutputs = { ... }: {\r\n\t\tnixosConfigurations = {\r\n\t\t\ta = 1;  \r\n\r\n\t\t};\r\n\t};\r\n}\r\n";
    const result = addHost(before);
    expect(result).toEqual({ ok: true, text: before.replace("\r\n\t\t};", `\r\n\t\t\t${WEB1}\r\n\t\t};`), notes: [] });
  });

  it("adds to a one-line set on its line, without reflowing it", () => {
    const before = "{ outputs = { ... }: { nixosConfigurations = { a = 1; }; }; }\n";
    expect(addHost(before)).toEqual({ ok: true, text: before.replace("a = 1;", `a = 1; ${WEB1}`), notes: [] });
  });

  it("adds a dotted entry beside dotted entries", () => {
    const before = "{\n  outputs = { ... }: {\n    nixosConfigurations.a = 1;\n    other = 2;\n  };\n}\n";
    expect(addHost(before)).toEqual({
      ok: true,
      text: before.replace("a = 1;\n", `a = 1;\n    nixosConfigurations.${WEB1}\n`),
      notes: [],
    });
  });

  it("in a `//` merge, edits the left-most set that holds entries, and sees every side's names", () => {
    const before = "{ outputs = { ... }: { nixosConfigurations = { } // {\n  a = 1;\n} // { web1 = 2; }; }; }";
    expect(addHost(before)).toEqual({ ok: false, reason: expect.stringMatching(/already has an entry named "web1"/) });
    const ok = before.replace("{ web1 = 2; }", "{ b = 2; }");
    expect(addHost(ok)).toEqual({ ok: true, text: ok.replace("a = 1;\n", `a = 1;\n  ${WEB1}\n`), notes: [] });
  });

  it("refuses, saying why, where the set is computed or missing", () => {
    const mapped = "{ outputs = { ... }: { nixosConfigurations = builtins.mapAttrs (n: v: v) { }; hydraJobs.nixosConfigurations = { }; }; }";
    expect(addFlakeEntry(mapped, "nixosConfigurations", "web1", [WEB1], { helper: "mkHost" })).toEqual({ ok: false, reason: expect.stringMatching(/is computed by `builtins\.mapAttrs` over an empty set/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    expect(addHost("{ outputs = { ... }: { }; }")).toEqual({ ok: false, reason: expect.stringMatching(/no `nixosConfigurations = \{ … \};`/) });
    expect(addHost("{ outputs = { ... }: { legacy.nixosConfigurations = { }; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/no `nixosConfigurations/) });
    expect(addHost("{ outputs = x; }")).toEqual({ ok: false, reason: expect.stringMatching(/not written out as a function/) });
    expect(addHost('{ outputs = { ... }: { nixosConfigurations = { a = "x; }; }; }')).toEqual({ ok: false, reason: expect.stringMatching(/is not valid Nix \(a string is never closed/) });
  });
});

describe("addFlakeEntry follows a name or an import to the set, as Nix would", () => {
  const HOSTS = "{\n  example = mkHost { };\n}\n";
  const withHosts = (files: Record<string, string>) => (path: string) => files[path];

  it("a `let`-bound set, named or inherited, in outputs or in a rec set", () => {
    for (const before of [
      "{ outputs = { ... }: let\n  hosts = {\n    a = 1;\n  };\nin { nixosConfigurations = hosts; }; }",
      "{ outputs = { ... }: let\n  nixosConfigurations = {\n    a = 1;\n  };\nin { inherit nixosConfigurations; }; }",
      "{ outputs = { ... }: let\n  hosts = {\n    a = 1;\n  };\n  all = hosts;\nin { nixosConfigurations = all // { }; }; }",
      "{ outputs = { ... }: rec {\n  hosts = {\n    a = 1;\n  };\n  nixosConfigurations = hosts; }; }",
    ]) {
      expect(addHost(before)).toEqual({ ok: true, text: before.replace("a = 1;\n", `a = 1;\n    ${WEB1}\n`), notes: [] });
      expect(flakeEntryNames(before, "nixosConfigurations")).toEqual(["a"]);
    }
  });

  it("`import ./hosts { inherit mkHost; }`: the entry goes into hosts/default.nix, given a reader", () => {
    const flake = "{ outputs = { ... }: let mkHost = x: x; in { nixosConfigurations = import ./hosts { inherit mkHost; }; }; }";
    const file = `{ mkHost, ... }:\n${HOSTS}`;
    const read = withHosts({ "hosts/default.nix": file });
    const result = addFlakeEntry(flake, "nixosConfigurations", "web1", [WEB1], { read, helper: "mkHost" });
    expect(result).toEqual({ ok: true, file: "hosts/default.nix", text: file.replace("{ };\n", `{ };\n  ${WEB1}\n`), notes: [] });
    expect(flakeEntryNames(flake, "nixosConfigurations", read)).toEqual(["example"]);
    // ./hosts.nix, imported without arguments.
    const plain = addFlakeEntry(flake.replace("import ./hosts { inherit mkHost; }", "import ./hosts.nix"), "nixosConfigurations", "web1", [WEB1], { read: withHosts({ "hosts.nix": HOSTS }) });
    expect(plain).toMatchObject({ ok: true, file: "hosts.nix" });
  });

  it("gen remove takes an entry out of the imported file, and refuses one written half in each file", () => {
    const flake = "{ outputs = { ... }: { nixosConfigurations = import ./hosts.nix; }; }";
    const read = withHosts({ "hosts.nix": "{\n  a = 1;\n  web1 = 2;\n}\n" });
    expect(removeFlakeEntry(flake, "nixosConfigurations", "web1", read)).toEqual({ ok: true, file: "hosts.nix", text: "{\n  a = 1;\n}\n" });
    const split = "{ outputs = { ... }: { nixosConfigurations = {\n  web1.a = 1;\n} // import ./hosts.nix; }; }";
    expect(removeFlakeEntry(split, "nixosConfigurations", "web1", read)).toEqual({ ok: false, reason: expect.stringMatching(/partly in flake\.nix and partly in a file it imports/) });
  });

  it("still refuses what is truly computed, a file that lacks the helper, and a loop", () => {
    const flake = "{ outputs = { ... }: { nixosConfigurations = import ./hosts { }; }; }";
    expect(addHost(flake)).toEqual({ ok: false, reason: expect.stringMatching(/it is imported from \.\/hosts\)/) });
    const opts = { read: withHosts({ "hosts/default.nix": `{ ... }:\n${HOSTS}` }), helper: "mkHost" };
    expect(addFlakeEntry(flake, "nixosConfigurations", "web1", [WEB1], opts)).toEqual({ ok: false, file: "hosts/default.nix", reason: expect.stringMatching(/in hosts\/default\.nix, which does not take `mkHost`/) });
    expect(addFlakeEntry(flake.replace("./hosts", "./gone"), "nixosConfigurations", "web1", [WEB1], opts)).toEqual({ ok: false, reason: expect.stringMatching(/not a file of this repository/) });
    // A folder without default.nix: the tree refuses to read it as a file, the editor refuses the import.
    const folder = (path: string) => {
      if (path === "hosts") throw new Error("a file is a folder where a file is expected");
      return undefined;
    };
    expect(addFlakeEntry(flake, "nixosConfigurations", "web1", [WEB1], { read: folder })).toEqual({ ok: false, reason: expect.stringMatching(/not a file of this repository/) });
    expect(addHost("{ outputs = { ... }: let a = b; b = a; in { nixosConfigurations = a; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/refers to itself/) });
    expect(addHost("{ outputs = { ... }: let h = f { }; in { nixosConfigurations = h; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/is computed/) });
    expect(addHost("{ outputs = hosts: { nixosConfigurations = hosts; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/`hosts` is not bound by a `let` here/) });
    expect(addHost("{ outputs = { ... }: let inherit (x) nixosConfigurations; in { inherit nixosConfigurations; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/inherited from another set/) });
    expect(addHost("{ outputs = { ... }: { inherit (x) nixosConfigurations; }; }")).toEqual({ ok: false, reason: expect.stringMatching(/inherited from elsewhere/) });
  });
});

describe("addFlakeEntry into the set `mapAttrs f` is given, where each entry there calls the helper as the new one does", () => {
  const EXAMPLE = 'example = mkHost { hostName = "example"; system = "x86_64-linux"; };';
  const add = (text: string, read?: (path: string) => string | undefined) => addFlakeEntry(text, "nixosConfigurations", "web1", [WEB1], { helper: "mkHost", ...(read ? { read } : {}) });
  const mapped = (value: string) => `{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations = ${value};\n  };\n}\n`;
  const overExample = (fn: string) => mapped(`${fn} {\n      ${EXAMPLE}\n    }`);
  const withWeb1 = (text: string, indent: string) => text.replace(`${EXAMPLE}\n`, `${EXAMPLE}\n${indent}${WEB1}\n`);

  it("builtins.mapAttrs, lib.mapAttrs, nixpkgs.lib.mapAttrs: the entry goes into the set beside its siblings (not into an empty `{ } //` beside it), byte for byte", () => {
    const merged = mapped(`{ } // builtins.mapAttrs (_: h: h) {\n      ${EXAMPLE}\n    }`);
    for (const before of [...["builtins.mapAttrs (_: h: h)", "lib.mapAttrs (name: host: host)", "nixpkgs.lib.mapAttrs f"].map(overExample), merged]) {
      expect(add(before)).toEqual({ ok: true, text: withWeb1(before, "      "), notes: [] });
      expect(flakeEntryNames(before, "nixosConfigurations")).toEqual(["example"]);
    }
  });

  it("follows the set through a let-bound name and an import, as without mapAttrs", () => {
    const bound = `{ outputs = { ... }: let\n  hosts = {\n    ${EXAMPLE}\n  };\n  f = _: h: h;\nin { nixosConfigurations = builtins.mapAttrs f hosts; }; }`;
    expect(add(bound)).toEqual({ ok: true, text: withWeb1(bound, "    "), notes: [] });
    const file = `{ mkHost, ... }:\n{\n  ${EXAMPLE}\n}\n`;
    expect(add(mapped("builtins.mapAttrs (_: h: h) (import ./hosts { inherit mkHost; })"), () => file)).toEqual({ ok: true, file: "hosts/default.nix", text: withWeb1(file, "  "), notes: [] });
  });

  it("refuses, saying why, where an entry is not a call of the helper, the set is empty, or there is no helper", () => {
    expect(add(mapped('builtins.mapAttrs (_: mkHost) {\n      example = { hostName = "example"; };\n    }'))).toEqual({ ok: false, reason: expect.stringMatching(/^its `nixosConfigurations` is computed by `builtins\.mapAttrs` over entries not all written as `mkHost \{ … \}` \(`example` is not\)/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    expect(add(mapped(`builtins.mapAttrs (_: h: h) ({\n      ${EXAMPLE}\n    } // { lab = mkHome { }; })`))).toEqual({ ok: false, reason: expect.stringMatching(/\(`lab` is not\)/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    expect(add(mapped("builtins.mapAttrs (_: h: h) { example.config = mkHost { }; }"))).toEqual({ ok: false, reason: expect.stringMatching(/\(`example` is not\)/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    expect(add(mapped("lib.mapAttrs (_: h: h) { }"))).toEqual({ ok: false, reason: expect.stringMatching(/computed by `lib\.mapAttrs` over an empty set/), hint: "add `web1` to that set by hand in the form its other entries take (`lib.mapAttrs` hands each to its function)" });
    expect(addHost(overExample("builtins.mapAttrs (_: h: h)"))).toEqual({ ok: false, reason: expect.stringMatching(/cannot tell what that function makes of a new entry/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    const imported = mapped("builtins.mapAttrs (_: mkHost) (import ./hosts.nix { inherit mkHost; })"); // the refusal names the file to fix
    expect(add(imported, () => "{ mkHost, ... }:\n{\n  example = { };\n}\n")).toEqual({ ok: false, file: "hosts.nix", reason: expect.stringMatching(/\(`example` is not\)/), hint: "add `web1` to that set by hand in the form its other entries take (`builtins.mapAttrs` hands each to its function)" });
    const beside = mapped("{ } // builtins.mapAttrs (_: mkHost) { example = { }; }"); // a plain set beside it takes it, as beside any computed operand
    expect(add(beside)).toEqual({ ok: true, text: beside.replace("{ } //", `{ ${WEB1} } //`), notes: [] });
  });

  it("still refuses as computed what renames keys or builds them (mapAttrs', genAttrs, listToAttrs), a bare mapAttrs, f { … }, other arities, and outputs' own body mapped", () => {
    const forms = ["lib.mapAttrs' (n: v: { name = n; value = v; })", "mapAttrs (_: h: h)", "f", "lib.attrsets.mapAttrs (_: h: h)", "builtins.mapAttrs", "builtins.mapAttrs (_: h: h) x"].map(overExample);
    for (const before of [...forms, mapped("builtins.listToAttrs [ ]"), mapped('lib.genAttrs [ "example" ] (hostName: mkHost { inherit hostName; })')]) {
      expect(add(before)).toEqual({ ok: false, reason: expect.stringMatching(/^its `nixosConfigurations` is computed \(not written out as `\{ … \}`\)/) });
      expect(flakeEntryNames(before, "nixosConfigurations")).toBeUndefined();
    }
    const outputs = `{ outputs = { ... }: builtins.mapAttrs (_: v: v) {\n  nixosConfigurations = {\n    ${EXAMPLE}\n  };\n}; }`; // f is of each output, not each host
    expect(add(outputs)).toEqual({ ok: false, reason: expect.stringMatching(/no `nixosConfigurations = \{ … \};` attribute set/) });
  });

  it("gen remove takes an entry out of the mapped set, whatever its siblings are written as", () => {
    const before = mapped(`builtins.mapAttrs (_: h: h) {\n      ${EXAMPLE}\n      lab = { };\n    }`);
    expect(removeFlakeEntry(before, "nixosConfigurations", "example")).toEqual({ ok: true, text: before.replace(`      ${EXAMPLE}\n`, "") });
    expect(removeFlakeEntry(before, "nixosConfigurations", "lab")).toEqual({ ok: true, text: before.replace("      lab = { };\n", "") });
  });
});

describe("addToModule", () => {
  const BLOCK = ["# bob", "users.users.bob = {", "  isNormalUser = true;", "  shell = pkgs.zsh;", "};", "home-manager.users.bob = import ./home/bob.nix;"];
  const INDENTED = "\n  # bob\n  users.users.bob = {\n    isNormalUser = true;\n    shell = pkgs.zsh;\n  };\n  home-manager.users.bob = import ./home/bob.nix;\n";

  it("adds a block after the module's last setting, after a blank line", () => {
    const before = "{ pkgs, ... }:\n{\n  a = 1; # }\n}\n";
    expect(addToModule(before, BLOCK, { needsPkgs: true })).toEqual({ ok: true, text: before.replace("# }\n", "# }\n" + INDENTED), notes: [] });
  });

  it("in `a // b`, edits the side that already holds users, so none are dropped", () => {
    const before = "{ pkgs, ... }: {\n  users.users.alice = { };\n} // { }\n";
    expect(addToModule(before, BLOCK)).toEqual({ ok: true, text: before.replace("{ };\n", "{ };\n" + INDENTED), notes: [] });
    const split = "{ pkgs, ... }: { users.users.alice = { }; } // { home-manager.users.carol = { }; }\n";
    expect(addToModule(split, BLOCK)).toEqual({ ok: false, reason: expect.stringMatching(/split across `\/\/` merges/) });
  });

  it("puts settings inside an explicit `config = { … }`, or as `config.` attributes", () => {
    const before = "{ pkgs, ... }: {\n  options = { };\n  config = {\n    a = 1;\n  };\n}\n";
    const result = addToModule(before, BLOCK);
    expect(result.ok && result.text).toBe(before.replace("    a = 1;\n", "    a = 1;\n" + INDENTED.replace(/\n(?=.)/g, "\n  ")));
    const dotted = "{ pkgs, ... }: {\n  config.a = 1;\n}\n";
    const dottedResult = addToModule(dotted, BLOCK);
    expect(dottedResult.ok && dottedResult.text).toContain("\n  config.users.users.bob = {\n    isNormalUser = true;");
    expect(dottedResult.ok && dottedResult.text).toContain("\n  config.home-manager.users.bob = import");
  });

  it("adds pkgs to the arguments when the module lacks it, and says so", () => {
    expect(addToModule("{ lib, ... }: with lib; { }\n", BLOCK, { needsPkgs: true })).toEqual({
      ok: true,
      text: "{ lib, pkgs, ... }: with lib; { users.users.bob = { isNormalUser = true; shell = pkgs.zsh; }; home-manager.users.bob = import ./home/bob.nix; }\n",
      notes: ["pkgs"],
    });
    const noEllipsis = addToModule("{ config }:\n{\n  a = 1;\n}\n", BLOCK, { needsPkgs: true });
    expect(noEllipsis.ok && noEllipsis.text.startsWith("{ config, pkgs }:\n")).toBe(true);
    const plain = addToModule("# host\n{\n  a = 1;\n}\n", BLOCK, { needsPkgs: true });
    expect(plain.ok && plain.text.startsWith("# host\n{ pkgs, ... }:\n{\n  a = 1;\n")).toBe(true);
    expect(moduleTakesPkgs("{ pkgs ? null, ... }: { }")).toBe(true);
  });

  it("refuses a computed module, and a name the block would clash with", () => {
    expect(addToModule("{ lib, ... }: lib.mkMerge [ { } ]\n", BLOCK)).toEqual({ ok: false, reason: expect.stringMatching(/computed/) });
    expect(addToModule("{ pkgs, ... }: { users = import ./users.nix; }\n", BLOCK)).toEqual({ ok: false, reason: expect.stringMatching(/sets `users` to an expression/) });
    expect(addToModule("{ pkgs, ... }: { a = 1; } // import ./more.nix\n", BLOCK)).toEqual({ ok: false, reason: expect.stringMatching(/computed set that may define `users`/) });
  });
});

describe("shellState", () => {
  it.each([
    ["{ programs.zsh.enable = true; }", "on"],
    ["{ programs.zsh = { enable = true; }; }", "on"],
    ["{ lib, ... }: { programs = { zsh.enable = lib.mkDefault true; }; }", "on"],
    ["{ config = { programs.zsh.enable = true; }; }", "on"],
    ["{ programs.zsh.enable = false; }", "off"],
    ["{ config, ... }: { programs.zsh.enable = config.x; }", "unknown"],
    ["{ programs.fish.enable = true; }", "absent"],
    ['{ x = "programs.zsh.enable = true;"; }', "absent"],
  ] as const)("%s: %s", (text, state) => {
    expect(shellState(text, "zsh")).toBe(state);
  });
});

describe("codeContains", () => {
  it("ignores comments and strings", () => {
    expect(codeContains('# programs.zsh.enable = true;\nx = "programs.zsh.enable = true";', /programs\.zsh\.enable\s*=/)).toBe(false);
    expect(codeContains("programs.zsh.enable = true;", /programs\.zsh\.enable\s*=/)).toBe(true);
  });

  it("firstCodeMatch finds the first match in code", () => {
    const text = '# system = "a";\nx = "system = \\"b\\"";\nsystem = "c";';
    expect(firstCodeMatch(text, /system = "([^"]+)"/)?.[1]).toBe("c");
    expect(firstCodeMatch('"open', /open/)).toBeUndefined();
  });
});

describe("modules that declare options", () => {
  it("refuses to put settings beside `options` without a `config`", () => {
    expect(addToModule("{ lib, ... }: { options.x = lib.mkOption { }; }\n", ["a = 1;"])).toEqual({ ok: false, reason: expect.stringMatching(/declares `options` but has no `config/) });
  });
});
