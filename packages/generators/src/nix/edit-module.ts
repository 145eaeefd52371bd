// Edits a hand-written NixOS or Home Manager module (configuration.nix, a
// home): finds the set that holds its settings (its top-level set or its
// `config`) by structure, adds lines there and `pkgs` to its arguments,
// and reads whether a shell is turned on. Only inserts; refuses with the
// reason where the right place is not certain.
import type { AttrBinding, Expr } from "./ast.js";
import { type Insert, applyInserts, eolBefore, indentOf, setInsert } from "./insert.js";
import { CODE, lexNix } from "./scan.js";
import { type EditResult, type SetExpr, attrBindings, defines, keyName, lookup, operands, parse, unwrap, walkPath } from "./set-walk.js";

export type ShellState = "on" | "off" | "unknown" | "absent";

interface ModuleShape {
  expr: Expr;
  /** The function's formals, when the module is `{ … }: …`. */
  formals?: (Expr & { type: "lambda" })["formals"];
  /** The module is a function of one named argument (`args: …`). */
  argOnly: boolean;
  /** The operands of the set that holds the module's settings (its `config`, if it has one). */
  level: Expr[];
  /** ["config"] when the settings are dotted `config.x = …` attributes of the top-level set. */
  prefix: string[];
}

function moduleShape(text: string): ModuleShape | { reason: string } {
  const parsed = parse(text);
  if ("reason" in parsed) return parsed;
  let top = unwrap(parsed.expr);
  let formals: ModuleShape["formals"];
  let argOnly = false;
  if (top.type === "lambda") {
    formals = top.formals;
    argOnly = !top.formals;
    top = top.body;
  }
  let level = operands(top);
  let prefix: string[] = [];
  const definers = level.filter((o): o is SetExpr => o.type === "set" && defines(o, "config"));
  if (definers.length === 0 && level.some((o) => o.type === "set" && defines(o, "options"))) {
    // NixOS takes settings beside `options` only under `config`.
    return { reason: "it declares `options` but has no `config = { … };` for the settings" };
  }
  if (definers.length > 0) {
    const owner = definers[definers.length - 1]!;
    const whole = attrBindings(owner, "config").filter((b) => b.path.length === 1);
    if (whole.length === 1) level = operands(whole[0]!.value);
    else if (owner.bindings.some((b) => b.kind === "inherit" && b.names.includes("config"))) {
      return { reason: "its `config` is inherited from elsewhere" };
    } else {
      level = [owner];
      prefix = ["config"];
    }
  }
  return { expr: parsed.expr, formals, argOnly, level, prefix };
}

/**
 * The literal sets that hold a module's settings, the path prefix their
 * settings carry (`config.` when written as dotted `config.x` attributes),
 * and whether a computed operand (`// import ./x.nix`) may hold more.
 */
export function moduleSettings(text: string): { sets: SetExpr[]; prefix: string[]; computed: boolean } | { reason: string } {
  const shape = moduleShape(text);
  if ("reason" in shape) return shape;
  const sets = shape.level.filter((o): o is SetExpr => o.type === "set");
  return { sets, prefix: shape.prefix, computed: sets.length < shape.level.length };
}

/**
 * Whether the module turns `programs.<shell>.enable` on (`true`, also under
 * mkDefault/mkForce), off, to something the generator cannot read, or
 * not at all, in any of the forms a set can say it.
 */
export function shellState(text: string, shell: string): ShellState {
  const shape = moduleShape(text);
  if ("reason" in shape) return "unknown";
  let state: ShellState = "absent";
  for (const o of shape.level) {
    if (o.type !== "set") continue;
    const values = lookup(o, [...shape.prefix, "programs", shell, "enable"]);
    if (values === "opaque") return "unknown";
    for (const v of values) {
      const b = boolValue(v, text);
      if (b === undefined) return "unknown";
      state = b ? "on" : "off";
    }
  }
  return state;
}

function boolValue(e: Expr, text: string): boolean | undefined {
  const u = unwrap(e);
  if (u.type === "bool") return u.value;
  const src = text.slice(u.start, u.end).replace(/\s+/g, " ");
  const m = /^(?:lib\.)?(?:mkDefault|mkForce) \(?(true|false)\)?$/.exec(src);
  return m ? m[1] === "true" : undefined;
}

/** Whether the module is a function that takes `pkgs`. */
export function moduleTakesPkgs(text: string): boolean {
  const shape = moduleShape(text);
  return !("reason" in shape) && (shape.formals?.list.some((f) => f.name === "pkgs") ?? false);
}

/**
 * Adds `lines` (module settings, a block that may start with a comment) to
 * the set that holds a NixOS module's settings: its top-level set, or its
 * `config`. With `needsPkgs`, also adds `pkgs` to the module's arguments.
 */
export function addToModule(text: string, lines: readonly string[], options: { needsPkgs?: boolean } = {}): EditResult {
  const shape = moduleShape(text);
  if ("reason" in shape) return { ok: false, reason: shape.reason };
  const parsedBlock = parse(`{\n${lines.join("\n")}\n}`);
  if ("reason" in parsedBlock) throw new Error(`generated block is not valid Nix: ${parsedBlock.reason}`);
  const block = (parsedBlock.expr as SetExpr).bindings.filter((b): b is AttrBinding => b.kind === "attr");
  const paths = block.map((b) => [...shape.prefix, ...(b.path.map(keyName) as string[])]);
  const names = [...new Set(paths.map((p) => p[0]!))];

  const sets = shape.level.map((o) => (o.type === "set" ? o : undefined));
  const literal = sets.filter((s): s is SetExpr => s !== undefined);
  if (literal.length === 0) {
    return { ok: false, reason: "its settings are computed (for example with lib.mkMerge or lib.mkIf), not written out as one attribute set" };
  }
  const hasOpaque = literal.length < sets.length;
  // `a // b` replaces whole top-level attributes: the new lines must go where
  // each of their top-level names lives now, or where nothing else defines it.
  let target: SetExpr | undefined;
  for (const name of names) {
    const definers = literal.filter((s) => defines(s, name));
    if (definers.length === 0) {
      if (hasOpaque) return { ok: false, reason: `its settings merge (\`//\`) with a computed set that may define \`${name}\` and so drop the new lines` };
      continue;
    }
    const live = definers[definers.length - 1]!;
    if (target && target !== live) {
      return { ok: false, reason: `its settings are split across \`//\` merges, so no one set can take both \`${names.join("`, `")}\`` };
    }
    target = live;
  }
  const into: SetExpr = target ?? literal.find((s) => s.bindings.length > 0) ?? literal[0]!;

  for (const path of paths) {
    const clash = conflict(into, path);
    if (clash) return { ok: false, reason: clash };
  }

  const inserts: Insert[] = [];
  const notes: string[] = [];
  if (options.needsPkgs && !shape.formals?.list.some((f) => f.name === "pkgs")) {
    const pkgsInsert = addPkgsArgument(text, shape);
    if ("reason" in pkgsInsert) return { ok: false, reason: pkgsInsert.reason };
    inserts.push(pkgsInsert);
    notes.push("pkgs");
  }
  const prefixed = shape.prefix.length > 0 ? prefixTopLevel(lines, shape.prefix.join(".") + ".") : lines;
  inserts.push(setInsert(text, into, prefixed, { blankLine: true }));
  return { ok: true, text: applyInserts(text, inserts), notes };
}

/** Why `path` cannot be added to `set` (an existing attribute would clash with it), or undefined. */
function conflict(set: SetExpr, path: string[]): string | undefined {
  return walkPath(
    set,
    path,
    (step) => {
      const at = step.path.join(".");
      if (step.kind === "inherit") return `\`${step.path[0]}\` is inherited there, so \`${at}\` cannot be added beside it`;
      if (step.kind === "reached") return `it already sets \`${at}\``;
      return `it sets \`${step.names.join(".")}\` to an expression (not \`{ … }\`), so \`${at}\` cannot be added beside it`;
    },
    // Only parentheses are looked through here: a `let … in { … }` value is an expression the new line cannot go beside.
    (value) => (value.type === "paren" ? unwrap(value) : value),
  );
}

/** Block lines with `prefix` put before each top-level attribute (not its comments or inner lines). */
function prefixTopLevel(lines: readonly string[], prefix: string): string[] {
  return lines.map((l) => (/^[A-Za-z_"]/.test(l) ? prefix + l : l));
}

function addPkgsArgument(text: string, shape: ModuleShape): Insert | { reason: string } {
  const f = shape.formals;
  if (shape.argOnly) return { reason: "its module function takes a single argument instead of `{ pkgs, ... }`, so `pkgs` cannot be added to it" };
  if (!f) {
    // A plain set module: make it a function of pkgs, on a line of its own.
    const start = unwrap(shape.expr).start;
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    const { kinds } = lexNix(text);
    for (let i = lineStart; i < start; i++) {
      if (kinds[i] === CODE && !/\s/.test(text[i]!)) return { reason: "it is not a function of `{ pkgs, ... }`, and its first line holds more than the module" };
    }
    return { at: lineStart, text: indentOf(text, start) + "{ pkgs, ... }:" + eolBefore(text, lineStart, text) };
  }
  if (f.ellipsis) return { at: f.ellipsis.start, text: "pkgs, " };
  if (f.list.length > 0) return { at: f.list[f.list.length - 1]!.end, text: ", pkgs" };
  return { at: f.close, text: /\s/.test(text[f.close - 1] ?? "") ? "pkgs " : " pkgs " };
}
