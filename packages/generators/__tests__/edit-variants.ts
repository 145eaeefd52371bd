// Hand-edited variants of the starter's flake.nix and configuration.nix
// (fast-check arbitraries), and the oracle that judges an edit of one by
// evaluating it with Nix, not by matching text. Used by
// edit-properties.test.ts and, for a larger counted run, bench/fuzz-editors.mjs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { GenError, type Plan, type Shell, memoryRepo, planHost, planUser, starterFiles } from "../src/index.js";
import { STRING, lexNix } from "../src/nix/scan.js";

export interface Variant {
  /** The file's hand-edited text. */
  text: string;
  /** What was done to the starter's file, for a failure message. */
  edits: string[];
  /** Other files the variant has beside it (a hosts file its flake.nix imports). */
  beside?: Record<string, string>;
}

// ---------------------------------------------------------------- text edits

function must(text: string, from: string | RegExp, to: string | ((...m: string[]) => string), what: string): string {
  if (!(typeof from === "string" ? text.includes(from) : from.test(text))) throw new Error(`variant edit "${what}" found nothing to change`);
  return typeof to === "string" ? text.replace(from, () => to) : text.replace(from, to);
}

/** Layout edits that keep the meaning: applied line by line to any Nix file. */
interface Layout {
  indent: "  " | "    " | "\t";
  /** Comment lines put before these line numbers (modulo the line count). */
  comments: { at: number; text: string }[];
  /** Line numbers that get a trailing comment, trailing spaces or a blank line after them. */
  trailingComments: number[];
  trailingSpaces: number[];
  blankLines: number[];
  /** Block comments put at the start of these lines. */
  blockComments: number[];
  spacing: "as-is" | "tight" | "wide";
  crlf: boolean;
}

const COMMENT_TEXTS = ["# nixosConfigurations = { old = 1; };", "# }", "# users.users.x = { };", '# "', "# ''", "# programs.zsh.enable = false;", "# TODO {"];

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom("  " as const, "  " as const, "    " as const, "\t" as const),
  comments: fc.array(fc.record({ at: fc.nat(400), text: fc.constantFrom(...COMMENT_TEXTS) }), { maxLength: 4 }),
  trailingComments: fc.array(fc.nat(400), { maxLength: 3 }),
  trailingSpaces: fc.array(fc.nat(400), { maxLength: 3 }),
  blankLines: fc.array(fc.nat(400), { maxLength: 3 }),
  blockComments: fc.array(fc.nat(400), { maxLength: 2 }),
  spacing: fc.constantFrom("as-is" as const, "as-is" as const, "tight" as const, "wide" as const),
  crlf: fc.boolean(),
});

/** Applies the layout edits; lines that begin or end inside a multi-line string are left as they are. */
function applyLayout(text: string, layout: Layout, edits: string[]): string {
  let lines = text.replace(/\n$/, "").split("\n");
  const n = lines.length;
  const { kinds } = lexNix(text);
  const inString: boolean[] = []; // whether the newline ending line i is string text
  let offset = 0;
  for (const l of lines) {
    offset += l.length;
    inString.push(kinds[offset] === STRING);
    offset++;
  }
  const free = (i: number) => !inString[i] && (i === 0 || !inString[i - 1]);
  if (layout.indent !== "  ") {
    lines = lines.map((l) => {
      const lead = /^ */.exec(l)![0].length;
      return layout.indent.repeat(Math.floor(lead / 2)) + " ".repeat(lead % 2) + l.slice(lead);
    });
    edits.push(`indent ${JSON.stringify(layout.indent)}`);
  }
  if (layout.spacing !== "as-is") {
    const eq = layout.spacing === "tight" ? "=" : "   =  ";
    lines = lines.map((l) => (/^\s*#/.test(l) ? l : l.replace(/ = (?=[^"]*$)/, eq)));
    edits.push(`spacing ${layout.spacing}`);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (!free(i)) {
      out.push(line);
      return;
    }
    for (const c of layout.comments) if (c.at % n === i) out.push(`${/^\s*/.exec(line)![0]}${c.text}`);
    let l = line;
    if (layout.blockComments.some((b) => b % n === i)) l = "/* { \" */ " + l;
    if (layout.trailingComments.some((t) => t % n === i) && l.trim() !== "") l += " # } end";
    if (layout.trailingSpaces.some((t) => t % n === i)) l += "   ";
    out.push(l);
    if (layout.blankLines.some((b) => b % n === i)) out.push(i % 2 === 0 ? "" : "  ");
  });
  if (layout.comments.length) edits.push(`comment lines ${layout.comments.map((c) => c.at % n).join(",")}`);
  if (layout.blockComments.length) edits.push(`block comments ${layout.blockComments.map((b) => b % n).join(",")}`);
  if (layout.trailingComments.length) edits.push("trailing comments");
  if (layout.trailingSpaces.length) edits.push("trailing spaces");
  if (layout.blankLines.length) edits.push("blank lines");
  let result = out.join("\n") + "\n";
  if (layout.crlf) {
    result = result.replace(/\n/g, "\r\n");
    edits.push("CRLF");
  }
  return result;
}

/** The whole file on one line: comments dropped, lines joined with a space. */
function oneLine(text: string): string {
  return (
    text
      .split("\n")
      .filter((l) => !/^\s*#/.test(l))
      .map((l) => l.replace(/\s#[^"']*$/, "").trim())
      .filter((l) => l !== "")
      .join(" ") + "\n"
  );
}

// ---------------------------------------------------------------- flake.nix

// The starter's host set, its entry on one line or laid out over several (the variants write their own).
const HOSTS_SET = /nixosConfigurations = \{\n(\s*)(example = mkHost \{[^}]*\};)\n\s*\};/;

const flakeShape = fc.record({
  outputs: fc.constantFrom("plain", "plain", "rec", "with", "assert", "merge-right", "merge-left", "unknown-left", "unknown-right"),
  hosts: fc.constantFrom(
    "plain",
    "plain",
    "rec",
    "block-comment",
    "line-comment",
    "one-line",
    "merge-empty-right",
    "merge-empty-left",
    "dotted",
    "let",
    "parens",
    "inner-comments",
    "two-entries",
    "quoted",
    "with",
    "mapped",
    "let-name",
    "let-merge",
    "let-in-value",
    "let-inherit",
    "import-dir",
    "import-file",
  ),
  decoys: fc.subarray(["let-set", "string", "indented-string", "multi-line-string", "primes", "uri", "dollar", "nested", "hydra", "comment"]),
  layout: layoutArb,
  oneLine: fc.nat(9).map((n) => n < 2),
});

type FlakeShape = typeof flakeShape extends fc.Arbitrary<infer T> ? T : never;

function buildFlake(starter: string, shape: FlakeShape): Variant {
  const edits: string[] = [`outputs ${shape.outputs}`, `hosts ${shape.hosts}`];
  let t = starter;
  const entry = 'example = mkHost { hostName = "example"; system = "x86_64-linux"; };';
  const hosts: Record<string, string> = {
    plain: `nixosConfigurations = {\n        ${entry}\n      };`,
    rec: `nixosConfigurations = rec {\n        ${entry}\n      };`,
    "block-comment": `nixosConfigurations = /* hosts */ {\n        ${entry}\n      };`,
    "line-comment": `nixosConfigurations = # hosts\n      {\n        ${entry}\n      };`,
    "one-line": `nixosConfigurations = { ${entry} };`,
    "merge-empty-right": `nixosConfigurations = {\n        ${entry}\n      } // { };`,
    "merge-empty-left": `nixosConfigurations = { } // {\n        ${entry}\n      };`,
    dotted: `nixosConfigurations.${entry}`,
    let: `nixosConfigurations =\n        let\n          none = { };\n        in\n        none // {\n          ${entry}\n        };`,
    parens: `nixosConfigurations = (\n        {\n          ${entry}\n        }\n      );`,
    "inner-comments": `nixosConfigurations = {\n        # the hosts\n        ${entry}\n        # more below\n      };`,
    "two-entries": `nixosConfigurations = {\n        ${entry}\n        lab = mkHost { hostName = "lab"; system = "aarch64-linux"; };\n      };`,
    quoted: `"nixosConfigurations" = {\n        "example" = mkHost { hostName = "example"; system = "x86_64-linux"; };\n      };`,
    with: `nixosConfigurations = with builtins; {\n        ${entry}\n      };`,
    mapped: `nixosConfigurations = builtins.mapAttrs (_: h: h) {\n        ${entry}\n      };`,
    "let-name": "nixosConfigurations = hosts;",
    "let-merge": "nixosConfigurations = hosts // { };",
    "let-in-value": `nixosConfigurations =\n        let\n          hosts = {\n            ${entry}\n          };\n        in\n        hosts;`,
    "let-inherit": "inherit nixosConfigurations;",
    "import-dir": "nixosConfigurations = import ./hosts { inherit mkHost; };",
    "import-file": "nixosConfigurations = import ./machines.nix { inherit mkHost; };",
  };
  t = must(t, HOSTS_SET, hosts[shape.hosts]!, "hosts");
  // The set itself, bound by the outputs' `let` or in a file of its own.
  const letBound: Record<string, string> = { "let-name": "hosts", "let-merge": "hosts", "let-inherit": "nixosConfigurations" };
  if (letBound[shape.hosts]) t = must(t, "    in\n", `      ${letBound[shape.hosts]} = {\n        ${entry}\n      };\n    in\n`, shape.hosts);
  const besideFile: Record<string, string> = { "import-dir": "hosts/default.nix", "import-file": "machines.nix" };
  const beside = besideFile[shape.hosts] ? { [besideFile[shape.hosts]!]: `{ mkHost, ... }:\n{\n  ${entry}\n}\n` } : undefined;
  const open = "    in\n    {\n";
  const close = "\n    };\n}\n";
  switch (shape.outputs) {
    case "rec":
      t = must(t, open, "    in\n    rec {\n", "rec");
      break;
    case "with":
      t = must(t, open, "    in\n    with nixpkgs.lib;\n    {\n", "with");
      break;
    case "assert":
      t = must(t, open, "    in\n    assert nixpkgs ? lib;\n    {\n", "assert");
      break;
    case "merge-right":
      t = must(t, close, "\n    }\n    // {\n      extra = { };\n    };\n}\n", "merge-right");
      break;
    case "merge-left":
      t = must(t, open, "    in\n    { extra = { }; }\n    // {\n", "merge-left");
      break;
    case "unknown-left":
      t = must(t, open, "    in\n    builtins.removeAttrs { extra = 1; } [ \"extra\" ]\n    // {\n", "unknown-left");
      break;
    case "unknown-right":
      t = must(t, close, "\n    }\n    // builtins.listToAttrs [ ];\n}\n", "unknown-right");
      break;
  }
  const letDecoys: Record<string, string> = {
    "let-set": "      legacyHosts = { nixosConfigurations = { old = 1; }; };",
    string: '      note = "nixosConfigurations = {";',
    "indented-string": "      doc = '' nixosConfigurations = { } ''$ ''' ''\\n '';",
    primes: "      f'' = { nixosConfigurations = { }; };",
    uri: "      site = https://example.org/*nixosConfigurations;",
    dollar: '      s = "$${ nixosConfigurations = {";',
    comment: "      /* nixosConfigurations = { */",
    "multi-line-string": "      script = ''\n        nixosConfigurations = {\n          ${\"x\"} ''${y} ''' \n        }\n      '';",
  };
  for (const d of shape.decoys) {
    if (letDecoys[d]) t = must(t, "    in\n", `${letDecoys[d]}\n    in\n`, d);
    if (d === "nested") t = must(t, /(\n\s*# `pnpm gen host` adds)/, (m) => "\n      legacy.nixosConfigurations = { };" + m, d);
    if (d === "hydra") t = must(t, /(\n\s*# `pnpm gen host` adds)/, (m) => "\n      hydraJobs.nixosConfigurations = { old = { }; };" + m, d);
  }
  if (shape.decoys.length) edits.push(`decoys ${shape.decoys.join(",")}`);
  if (shape.oneLine) {
    edits.push("one line");
    return { text: oneLine(t), edits, ...(beside ? { beside } : {}) };
  }
  return { text: applyLayout(t, shape.layout, edits), edits, ...(beside ? { beside } : {}) };
}

export function flakeVariants(): fc.Arbitrary<Variant> {
  const starter = starterFiles()["flake.nix"]!;
  return flakeShape.map((shape) => buildFlake(starter, shape));
}

// ---------------------------------------------------------------- configuration.nix

const configShape = fc.record({
  base: fc.constantFrom("starter", "starter", "fresh"),
  args: fc.constantFrom("as-is", "as-is", "no-pkgs", "lib-only-with", "no-ellipsis", "one-line", "at-args", "plain-set"),
  body: fc.constantFrom("plain", "plain", "let", "rec", "parens"),
  users: fc.constantFrom("dotted", "dotted", "nested", "nested-users"),
  shellLine: fc.constantFrom("dotted", "dotted", "nested", "programs-set", "mkDefault", "off", "none"),
  homeManager: fc.constantFrom("dotted", "dotted", "nested"),
  merge: fc.constantFrom("none", "none", "none", "empty-right", "right-setting", "split", "unknown-left"),
  config: fc.constantFrom("none", "none", "none", "config-set", "config-dotted"),
  tail: fc.constantFrom("none", "none", "text", "comments"),
  shell: fc.constantFrom("bash", "zsh", "fish") as fc.Arbitrary<Shell>,
  layout: layoutArb,
  oneLine: fc.nat(9).map((n) => n < 2),
});

type ConfigShape = typeof configShape extends fc.Arbitrary<infer T> ? T : never;

const FRESH_HOST = () => {
  const plan = planHost(memoryRepo(starterFiles()), { name: "example2", system: "x86_64-linux" });
  return plan.changes.find((c) => c.path === "hosts/example2/configuration.nix")!.after!.replace(/example2/g, "example");
};

function buildConfig(starter: string, fresh: string, s: ConfigShape): Variant {
  const edits = Object.entries(s)
    .filter(([k]) => !["layout", "oneLine"].includes(k))
    .map(([k, v]) => `${k} ${String(v)}`);
  let t = s.base === "starter" ? starter : fresh;
  const hasAlice = s.base === "starter";
  if (hasAlice) {
    if (s.users === "nested") t = must(t, /  users\.users\.alice = \{\n([\s\S]*?)\n  \};/, (_m: string, body: string) => `  users = {\n    users.alice = {\n${body.replace(/^/gm, "  ")}\n    };\n  };`, "users nested");
    if (s.users === "nested-users") t = must(t, "  users.users.alice = {", "  users.users = { alice = {", "users nested-users").replace("    shell = pkgs.zsh;\n  };", "    shell = pkgs.zsh;\n  }; };");
    const shellLines: Record<string, string> = {
      dotted: "  programs.zsh.enable = true;",
      nested: "  programs.zsh = {\n    enable = true;\n  };",
      "programs-set": "  programs = {\n    zsh.enable = true;\n  };",
      mkDefault: "  programs.zsh.enable = lib.mkDefault true;",
      off: "  programs.zsh.enable = false;",
      none: "  programs.fish.enable = true;",
    };
    t = must(t, "  programs.zsh.enable = true;", shellLines[s.shellLine]!, "shell line");
    if (s.shellLine === "none") t = t.replace("shell = pkgs.zsh;", "shell = pkgs.fish;");
    if (s.homeManager === "nested") t = must(t, "  home-manager.users.alice = ./home/alice.nix;", "  home-manager = {\n    users.alice = ./home/alice.nix;\n  };", "hm nested");
  }
  // What ends the module's set: a multi-line string, or comments.
  if (s.tail === "text") t = must(t, /\n\}\n$/, "\n  environment.etc.motd.text = ''\n    Welcome. ''${not} interpolated }\n  '';\n}\n", "tail");
  if (s.tail === "comments") t = must(t, /\n\}\n$/, "\n\n  # Nothing below.\n  /* } */\n}\n", "tail");
  // The module's arguments.
  const formals = /\{\n  config,\n  lib,\n  pkgs,\n  \.\.\.\n\}:\n/;
  const usesPkgs = /pkgs\./.test(t.replace(formals, ""));
  const usesLib = /lib\./.test(t.replace(formals, ""));
  let args = s.args;
  if ((args === "no-pkgs" || args === "plain-set") && usesPkgs) args = "as-is";
  if (args === "plain-set" && usesLib) args = "as-is";
  if (args === "lib-only-with" && usesPkgs) args = "as-is";
  edits[1] = `args ${args}`;
  const argTexts: Record<string, string> = {
    "as-is": "{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n",
    "no-pkgs": "{\n  config,\n  lib,\n  ...\n}:\n",
    "lib-only-with": "{ lib, ... }:\nwith lib;\n",
    "no-ellipsis": "{ config, lib, pkgs }:\n",
    "one-line": "{ config, lib, pkgs, ... }:\n",
    "at-args": "args@{ config, lib, pkgs, ... }:\n",
    "plain-set": "",
  };
  t = must(t, formals, argTexts[args]!, "args");
  // The body around the module's set: its first `{` at the start of a line and the file's last `}`.
  const bodyOpen = /\n\{\n  imports/;
  const lastClose = /\n\}\n$/;
  // Where settings split for a `//` merge: before the first user comment.
  const splitAt = hasAlice ? "\n  # alice\n" : "\n  # Users of this host";
  switch (s.merge) {
    case "empty-right":
      t = must(t, lastClose, "\n}\n// { }\n", "merge");
      break;
    case "right-setting":
      t = must(t, lastClose, "\n}\n// {\n  networking.firewall.enable = true;\n}\n", "merge");
      break;
    case "split":
      t = must(t, splitAt, `\n}\n// {${splitAt}`, "merge");
      break;
    case "unknown-left":
      t = must(t, bodyOpen, "\nbuiltins.removeAttrs { extra = 1; } [ \"extra\" ]\n// {\n  imports", "merge");
      break;
  }
  if (s.config === "config-set" && s.merge === "none") {
    t = must(t, "  imports = [ ./hardware-configuration.nix ];\n", "  imports = [ ./hardware-configuration.nix ];\n  config = {\n", "config");
    t = must(t, lastClose, "\n  };\n}\n", "config");
  } else if (s.config === "config-dotted" && s.merge === "none") {
    // Every top-level setting of the module's set becomes `config.<setting>`.
    const start = t.search(bodyOpen);
    let depth = 0;
    const body = t
      .slice(start)
      .split("\n")
      .map((l) => {
        const top = depth === 0 && /^  [a-z"]/.test(l) && !l.startsWith("  imports");
        if (!/^[{}]$/.test(l)) depth += (l.match(/[{[(]/g) ?? []).length - (l.match(/[}\])]/g) ?? []).length;
        return top ? "  config." + l.slice(2) : l;
      })
      .join("\n");
    t = t.slice(0, start) + body;
  }
  const bodyFree = bodyOpen.test(t); // a merge may have taken the set's opening already
  if (s.body === "let" && bodyFree) t = must(t, bodyOpen, "\nlet\n  unused = 1;\nin\n{\n  imports", "body");
  if (s.body === "rec" && bodyFree) t = must(t, bodyOpen, "\nrec {\n  imports", "body");
  if (s.body === "parens" && s.merge === "none") {
    t = must(t, bodyOpen, "\n(\n{\n  imports", "body");
    t = must(t, lastClose, "\n})\n", "body");
  }
  if (s.oneLine) {
    edits.push("one line");
    return { text: oneLine(t), edits };
  }
  return { text: applyLayout(t, s.layout, edits), edits };
}

export function configVariants(): fc.Arbitrary<Variant & { shell: Shell }> {
  const starter = starterFiles()["hosts/example/configuration.nix"]!;
  const fresh = FRESH_HOST();
  return configShape.map((s) => ({ ...buildConfig(starter, fresh, s), shell: s.shell }));
}

// ---------------------------------------------------------------- the oracle

export type Outcome = "exact" | "refused" | "wrong";

export interface Judged {
  outcome: Outcome;
  /** Why it is wrong, or the refusal's message. */
  detail: string;
  variant: Variant;
}

interface Attempt {
  variant: Variant;
  /** The file the edit changed (the variant's own, or a file beside it), and its text before and after. */
  path: string;
  before: string;
  after?: string;
  refusal?: string;
  crash?: string;
  /** What the evaluation must show after the edit, given what it shows before. */
  expect: (before: Record<string, unknown>, after: Record<string, unknown>) => string | undefined;
}

/** Whether `after` is `before` with at most `chunks` runs of text inserted (and nothing removed or changed). */
export function onlyInserted(before: string, after: string, chunks: 1 | 2): boolean {
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const middle = before.slice(p, before.length - s);
  if (middle === "") return true;
  return chunks === 2 && after.slice(p, after.length - s).includes(middle);
}

/** Lines the edit added with a bare `\n` in a file whose every line ends `\r\n`. */
function lineEndingsKept(before: string, after: string): boolean {
  const crlf = before.includes("\r\n") && !/[^\r]\n/.test(before);
  return !crlf || !/[^\r]\n/.test(after);
}

function attempt(variant: Variant, plan: () => Plan, path: string, expectFn: Attempt["expect"]): Attempt {
  const base = { variant, path, before: variant.text, expect: expectFn };
  try {
    const changes = plan().changes;
    const beside = changes.find((c) => variant.beside?.[c.path] !== undefined);
    if (beside) return { ...base, path: beside.path, before: variant.beside![beside.path]!, after: beside.after ?? undefined };
    return { ...base, after: changes.find((c) => c.path === path)?.after ?? undefined };
  } catch (e) {
    if (e instanceof GenError) return { ...base, refusal: e.message };
    return { ...base, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** The variant's files with the edited one as it is before or after the edit: its own text, and the files beside it. */
function filesOf(a: Attempt, after: boolean): { text: string; beside: Record<string, string> } {
  const text = after ? a.after! : a.before;
  if (a.variant.beside?.[a.path] === undefined) return { text, beside: a.variant.beside ?? {} };
  return { text: a.variant.text, beside: { ...a.variant.beside, [a.path]: text } };
}

export function attemptHost(variant: Variant): Attempt {
  const files = { ...starterFiles(), ...variant.beside, "flake.nix": variant.text };
  return attempt(variant, () => planHost(memoryRepo(files), { name: "web1", system: "x86_64-linux" }), "flake.nix", (b, a) => {
    const want = { ...(b.hosts as object), web1: { name: "web1", system: "x86_64-linux" } };
    if (JSON.stringify(sortKeys(a.hosts)) !== JSON.stringify(sortKeys(want))) return `hosts after: ${JSON.stringify(a.hosts)}`;
    if (JSON.stringify(a.homes) !== JSON.stringify(b.homes) || JSON.stringify(a.outputs) !== JSON.stringify(b.outputs)) return "other outputs changed";
    return undefined;
  });
}

export function attemptUser(variant: Variant & { shell: Shell }): Attempt {
  const files = { ...starterFiles(), "hosts/example/configuration.nix": variant.text };
  const pkg = variant.shell === "bash" ? "bashInteractive" : variant.shell;
  return attempt(variant, () => planUser(memoryRepo(files), { name: "bob", hosts: ["example"], shell: variant.shell }), "hosts/example/configuration.nix", (b, a) => {
    const want = { ...(b.users as object), bob: { normal: true, shell: pkg } };
    if (JSON.stringify(sortKeys(a.users)) !== JSON.stringify(sortKeys(want))) return `users after: ${JSON.stringify(a.users)}`;
    if (JSON.stringify([...(b.hm as string[]), "bob"].sort()) !== JSON.stringify(a.hm)) return `home-manager users after: ${JSON.stringify(a.hm)}`;
    if (variant.shell !== "bash" && (a.shells as Record<string, unknown>)[variant.shell] !== true) return `programs.${variant.shell}.enable after: ${JSON.stringify(a.shells)}`;
    const others = (x: Record<string, unknown>) => JSON.stringify([x.stateVersion, x.imports, variant.shell === "zsh" ? null : (x.shells as Record<string, unknown>).zsh]);
    if (others(a) !== others(b)) return "other settings changed";
    return undefined;
  });
}

function sortKeys(x: unknown): unknown {
  if (!x || typeof x !== "object" || Array.isArray(x)) return x;
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}

const FLAKE_HARNESS = `file:
let
  stubLib = {
    nixosSystem = a: { _modules = a.modules; };
    genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
    optionals = cond: list: if cond then list else [ ];
  };
  nixpkgs = { lib = stubLib; legacyPackages = { }; };
  home-manager = { lib.homeManagerConfiguration = a: { _home = a; }; nixosModules.home-manager = { }; darwinModules.home-manager = { }; };
  nix-darwin = { lib.darwinSystem = a: { _modules = a.modules; }; };
  colmena = { lib.makeHive = hive: hive; };
  out = (import file).outputs { self = out; inherit nixpkgs home-manager nix-darwin colmena; };
  host = c: let m = builtins.head c._modules; in { name = m.networking.hostName; system = m.nixpkgs.hostPlatform; };
in {
  outputs = builtins.attrNames out;
  hosts = builtins.mapAttrs (_: host) out.nixosConfigurations;
  homes = builtins.attrNames out.homeConfigurations;
}`;

const MODULE_HARNESS = `file:
let
  lib = { mkDefault = x: x; mkForce = x: x; };
  pkgs = { bashInteractive = "bashInteractive"; zsh = "zsh"; fish = "fish"; };
  args = { inherit lib pkgs; config = { }; options = { }; modulesPath = "/modules"; };
  m = import file;
  v = if builtins.isFunction m then m (builtins.intersectAttrs (builtins.functionArgs m) args) else m;
  body = if v ? config || v ? options then v.config or { } else v;
in {
  users = builtins.mapAttrs (_: u: { normal = u.isNormalUser or null; shell = u.shell or null; }) (body.users.users or { });
  hm = builtins.attrNames (body.home-manager.users or { });
  shells = { zsh = body.programs.zsh.enable or null; fish = body.programs.fish.enable or null; };
  stateVersion = body.system.stateVersion or null;
  imports = builtins.length (v.imports or [ ]);
}`;

/**
 * Evaluates each file with the harness (a function of the file's path), all
 * in one nix-instantiate where they all evaluate, else one by one. Returns
 * the JSON result or the error of each.
 */
function evaluateAll(harness: string, variants: { text: string; beside: Record<string, string> }[], name: string, shared: Record<string, string> = {}): ({ value: Record<string, unknown> } | { error: string })[] {
  const dir = mkdtempSync(join(tmpdir(), "edit-oracle-"));
  try {
    writeFileSync(join(dir, "harness.nix"), harness);
    const paths = variants.map(({ text, beside: own }, i) => {
      const beside = { ...shared, ...own };
      mkdirSync(join(dir, String(i)));
      const p = join(dir, String(i), name);
      writeFileSync(p, text);
      for (const [rel, content] of Object.entries(beside)) {
        mkdirSync(dirname(join(dir, String(i), rel)), { recursive: true });
        writeFileSync(join(dir, String(i), rel), content);
      }
      return p;
    });
    const run = (list: string[]): { values: Record<string, unknown>[] } | { error: string } => {
      const expr = `[ ${list.map((p) => `(import ${join(dir, "harness.nix")} ${p})`).join(" ")} ]`;
      const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expr], { encoding: "utf8", maxBuffer: 1 << 28 });
      if (r.status === 0) return { values: JSON.parse(r.stdout) as Record<string, unknown>[] };
      return { error: r.stderr.split("\n").filter((l) => l.startsWith("error:")).join(" ") || r.stderr.trim() };
    };
    const all = run(paths);
    if ("values" in all) return all.values.map((value) => ({ value }));
    return paths.map((p) => {
      const one = run([p]);
      return "values" in one ? { value: one.values[0]! } : { error: one.error };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Judges each attempt: an exact insert that evaluates as expected, a one-line refusal, or wrong. */
export function judge(attempts: Attempt[], kind: "flake" | "module"): Judged[] {
  const harness = kind === "flake" ? FLAKE_HARNESS : MODULE_HARNESS;
  const name = kind === "flake" ? "flake.nix" : "configuration.nix";
  // flake.nix imports its helpers from modules/flake: each variant gets the starter's.
  const helpers = "modules/flake/default.nix";
  const beside: Record<string, string> = kind === "flake" ? { [helpers]: starterFiles()[helpers]! } : {};
  const edited = attempts.filter((a) => a.after !== undefined);
  // Every variant must be valid Nix, refused or not: else the generator, not the editor, is at fault.
  const original = evaluateAll(harness, attempts.map((a) => filesOf(a, false)), name, beside);
  const invalid = new Map<Attempt, string>();
  attempts.forEach((a, i) => {
    const r = original[i]!;
    if ("error" in r) invalid.set(a, r.error);
  });
  const before = edited.map((a) => original[attempts.indexOf(a)]!);
  const after = evaluateAll(harness, edited.map((a) => filesOf(a, true)), name, beside);
  const results = new Map<Attempt, Judged>();
  edited.forEach((a, i) => {
    const wrong = (detail: string) => results.set(a, { outcome: "wrong", detail, variant: a.variant });
    const b = before[i]!;
    const r = after[i]!;
    if ("error" in b) return wrong(`the variant itself does not evaluate: ${b.error}`);
    if (!onlyInserted(a.before, a.after!, kind === "flake" ? 1 : 2)) return wrong("bytes outside the inserted lines changed");
    if (!lineEndingsKept(a.before, a.after!)) return wrong("a CRLF file got LF line endings");
    if ("error" in r) return wrong(`the edited file does not evaluate: ${r.error}`);
    const why = a.expect(b.value, r.value);
    if (why) return wrong(why);
    results.set(a, { outcome: "exact", detail: "", variant: a.variant });
  });
  return attempts.map((a) => {
    const bad = invalid.get(a);
    if (bad) return { outcome: "wrong", detail: `the variant itself does not evaluate: ${bad}`, variant: a.variant };
    if (a.crash) return { outcome: "wrong", detail: `crashed: ${a.crash}`, variant: a.variant };
    if (a.refusal !== undefined) {
      const oneLine = !a.refusal.includes("\n") && a.refusal.trim() !== "";
      return { outcome: oneLine ? "refused" : "wrong", detail: oneLine ? a.refusal : `refusal is not one line: ${a.refusal}`, variant: a.variant };
    }
    if (a.after === undefined) return { outcome: "wrong", detail: "the plan does not change the file", variant: a.variant };
    return results.get(a)!;
  });
}

/** Draws `n` variants of each file (seeded), plans the edits and judges them. */
export function runEdits(n: { flakes: number; configs: number }, seed: number): { flakes: Judged[]; configs: Judged[] } {
  const flakes = fc.sample(flakeVariants(), { numRuns: n.flakes, seed });
  const configs = fc.sample(configVariants(), { numRuns: n.configs, seed: seed + 1 });
  return {
    flakes: judge(flakes.map(attemptHost), "flake"),
    configs: judge(configs.map(attemptUser), "module"),
  };
}

/** exact/refused/wrong counts. */
export function tally(judged: Judged[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = { exact: 0, refused: 0, wrong: 0 };
  for (const j of judged) out[j.outcome]++;
  return out;
}
