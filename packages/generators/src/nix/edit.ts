// Edits hand-written flake.nix and configuration.nix files. The target is
// found by structure (nix-ast), never by the first text that looks right,
// and an edit only inserts: whole lines in the file's own line endings and
// indentation, or, in a set written on one line, text on that line. Every
// other byte stays as the owner wrote it. Where the right place is not
// certain, the edit is refused with the reason.
import { type AttrBinding, type AttrKey, type Binding, type Expr, parseNix } from "./ast.js";
import { CODE, NixSyntaxError, codeMatches, lexNix } from "./scan.js";

export type EditResult = { ok: true; text: string; notes: string[] } | { ok: false; reason: string };

export type SetExpr = Expr & { type: "set" };

/** `text` with the characters special in a RegExp escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `re` matches somewhere in the code of `text` (not in comments or strings). */
export function codeContains(text: string, re: RegExp): boolean {
  try {
    return codeMatches(text, lexNix(text).kinds, re).length > 0;
  } catch {
    return false;
  }
}

/** The first match of `re` that begins in code, or undefined (also when `text` is not valid Nix). */
export function firstCodeMatch(text: string, re: RegExp): RegExpExecArray | undefined {
  try {
    return codeMatches(text, lexNix(text).kinds, re)[0];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- structure

/** `e` without the parentheses, `let … in`, `with …;` and `assert …;` around its value. */
function unwrap(e: Expr): Expr {
  for (;;) {
    if (e.type === "paren") e = e.inner;
    else if (e.type === "let" || e.type === "with" || e.type === "assert") e = e.body;
    else return e;
  }
}

/** The operands of `a // b // c` (one operand when there is no `//`). */
export function operands(e: Expr): Expr[] {
  const u = unwrap(e);
  return u.type === "binary" && u.op === "//" ? [...operands(u.left), ...operands(u.right)] : [u];
}

const keyName = (k: AttrKey | undefined) => (k && "name" in k ? k.name : undefined);

/** Whether the set's bindings define the attribute `name` (as `name = …`, `name.x = …` or `inherit name`). */
function defines(set: SetExpr, name: string): boolean {
  return set.bindings.some((b) => (b.kind === "inherit" ? b.names.includes(name) : keyName(b.path[0]) === name));
}

function attrBindings(set: SetExpr, name: string): AttrBinding[] {
  return set.bindings.filter((b): b is AttrBinding => b.kind === "attr" && keyName(b.path[0]) === name);
}

function parse(text: string): { expr: Expr } | { reason: string } {
  try {
    return parseNix(text);
  } catch (e) {
    if (e instanceof NixSyntaxError) return { reason: `it is not valid Nix (${e.message} on line ${lineOf(text, e.offset)})` };
    // The parser recurses once per level of nesting: a file nested thousands deep is refused, not a stack trace.
    if (e instanceof RangeError) return { reason: "it nests its expressions too deeply to read" };
    throw e;
  }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** The operands (`a // b` → a, b) of what the flake's `outputs` function returns. */
function outputsBody(expr: Expr): Expr[] | { reason: string } {
  const root = unwrap(expr);
  if (root.type !== "set") return { reason: "it is not an attribute set (`{ inputs = …; outputs = …; }`)" };
  const outputs = attrBindings(root, "outputs").filter((b) => b.path.length === 1);
  if (outputs.length !== 1) return { reason: "it has no `outputs = …;` attribute" };
  const fn = unwrap(outputs[0]!.value);
  if (fn.type !== "lambda") return { reason: "its `outputs` is not written out as a function (`{ self, … }: { … }`)" };
  return operands(fn.body);
}

interface FlakeTarget {
  /** Where the entry goes. */
  set: SetExpr;
  /** Put before each entry (`nixosConfigurations.` where the set holds dotted entries). */
  prefix: string;
  /** Insert after this binding (dotted entries), else at the end of the set. */
  after?: Binding;
  /** Names already defined. */
  keys: string[];
  /** The bindings that define each entry (`"a@b" = …;`, or `nixosConfigurations.web1 = …;`). */
  entries: Map<string, Binding[]>;
}

function findFlakeSet(text: string, name: string): FlakeTarget | { reason: string } {
  const parsed = parse(text);
  if ("reason" in parsed) return parsed;
  const body = outputsBody(parsed.expr);
  if ("reason" in body) return body;
  const definers = body.filter((o): o is SetExpr => o.type === "set" && defines(o, name));
  if (definers.length === 0) return { reason: `its outputs have no \`${name} = { … };\` attribute set` };
  // In `a // b` the right-hand definition is the one that counts.
  const owner = definers[definers.length - 1]!;
  const all = attrBindings(owner, name);
  const whole = all.filter((b) => b.path.length === 1);
  const dotted = all.filter((b) => b.path.length > 1);
  const keys = dotted.map((b) => keyName(b.path[1])).filter((k): k is string => k !== undefined);
  const entries = new Map<string, Binding[]>();
  const record = (key: string | undefined, b: Binding) => key !== undefined && entries.set(key, [...(entries.get(key) ?? []), b]);
  for (const b of dotted) record(keyName(b.path[1]), b);
  if (owner.bindings.some((b) => b.kind === "inherit" && b.names.includes(name))) {
    return { reason: `its \`${name}\` is inherited from elsewhere, not written out here` };
  }
  if (whole.length > 1) return { reason: `it defines \`${name}\` twice` };
  if (whole.length === 1) {
    const parts = operands(whole[0]!.value);
    const literals = parts.filter((p): p is SetExpr => p.type === "set");
    if (literals.length === 0) return { reason: `its \`${name}\` is computed (not written out as \`{ … }\`), so there is no set to add the entry to` };
    for (const set of literals) {
      for (const b of set.bindings) {
        keys.push(...bindingNames(b));
        for (const n of bindingNames(b)) record(n, b);
      }
    }
    // The left-most set that already holds entries, else the first.
    const set = literals.find((s) => s.bindings.length > 0) ?? literals[0]!;
    return { set, prefix: "", keys, entries };
  }
  return { set: owner, prefix: `${name}.`, after: dotted[dotted.length - 1], keys, entries };
}

function bindingNames(b: Binding): string[] {
  if (b.kind === "inherit") return b.names;
  const n = keyName(b.path[0]);
  return n === undefined ? [] : [n];
}

/** The bindings of each entry of outputs' `name` set, or why the set cannot be found. */
export function flakeEntries(text: string, name: string): Map<string, Binding[]> | { reason: string } {
  const target = findFlakeSet(text, name);
  return "reason" in target ? target : target.entries;
}

/** The entry names of outputs' `name` set, or undefined when it cannot be found. */
export function flakeEntryNames(text: string, name: string): string[] | undefined {
  const target = findFlakeSet(text, name);
  return "reason" in target ? undefined : target.keys;
}

/**
 * Adds `entry` (the lines of `key = …;`, laid out as nixfmt would) to the
 * attribute set that outputs' `name` (nixosConfigurations,
 * homeConfigurations) is, refusing when the key is there already or the set
 * cannot be found for certain.
 */
export function addFlakeEntry(text: string, name: string, key: string, entry: readonly string[]): EditResult {
  const target = findFlakeSet(text, name);
  if ("reason" in target) return { ok: false, reason: target.reason };
  if (target.keys.includes(key)) return { ok: false, reason: `\`${name}\` already has an entry named "${key}"` };
  const [first = "", ...rest] = entry;
  return { ok: true, text: insertInSet(text, target.set, [target.prefix + first, ...rest], { after: target.after, blankLine: false }), notes: [] };
}

/** Lines of Nix as one line (`a = f {` … `};` → `a = f { … };`), for a message that tells what to add by hand. */
export function onOneLine(lines: readonly string[]): string {
  return lines.map((l) => l.trim()).filter((l) => l !== "").join(" ");
}

// ---------------------------------------------------------------- modules

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
 * The bindings in `set` that set `path` or something below it, following
 * nested `{ … }` and dotted names; "opaque" when a part of `path` is given a
 * value that is not written out as a set (or is inherited).
 */
export function bindingsAt(set: SetExpr, path: readonly string[]): AttrBinding[] | "opaque" {
  const found: AttrBinding[] = [];
  for (const b of set.bindings) {
    if (b.kind === "inherit") {
      if (b.names.includes(path[0]!)) return "opaque";
      continue;
    }
    const names = b.path.map(keyName);
    const n = Math.min(names.length, path.length);
    if (names.slice(0, n).some((k, i) => k !== path[i])) continue;
    if (names.length >= path.length) {
      found.push(b);
      continue;
    }
    const inner = unwrap(b.value);
    if (inner.type !== "set") return "opaque";
    const deeper = bindingsAt(inner, path.slice(names.length));
    if (deeper === "opaque") return "opaque";
    found.push(...deeper);
  }
  return found;
}

/** The value of `path` in the set's bindings, following nested `{ … }` and dotted names. */
export function lookup(set: SetExpr, path: readonly string[]): Expr[] | "opaque" {
  const found: Expr[] = [];
  for (const b of set.bindings) {
    if (b.kind === "inherit") {
      if (b.names.includes(path[0]!)) return "opaque";
      continue;
    }
    const names = b.path.map(keyName);
    const n = Math.min(names.length, path.length);
    if (names.slice(0, n).some((k, i) => k !== path[i])) continue;
    if (names.length >= path.length) {
      if (names.length === path.length) found.push(b.value);
      continue;
    }
    const inner = unwrap(b.value);
    if (inner.type !== "set") return "opaque";
    const deeper = lookup(inner, path.slice(names.length));
    if (deeper === "opaque") return "opaque";
    found.push(...deeper);
  }
  return found;
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
  for (const b of set.bindings) {
    if (b.kind === "inherit") {
      if (b.names.includes(path[0]!)) return `\`${path[0]}\` is inherited there, so \`${path.join(".")}\` cannot be added beside it`;
      continue;
    }
    const names = b.path.map(keyName);
    const n = Math.min(names.length, path.length);
    if (names.slice(0, n).some((k, i) => k !== path[i])) continue;
    if (names.length >= path.length) return `it already sets \`${path.join(".")}\``;
    const inner = b.value.type === "paren" ? unwrap(b.value) : b.value;
    if (inner.type !== "set") {
      return `it sets \`${names.join(".")}\` to an expression (not \`{ … }\`), so \`${path.join(".")}\` cannot be added beside it`;
    }
    const deeper = conflict(inner, path.slice(names.length));
    if (deeper) return deeper;
  }
  return undefined;
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

// ---------------------------------------------------------------- inserting

interface Insert {
  at: number;
  text: string;
}

function applyInserts(text: string, inserts: Insert[]): string {
  let out = text;
  for (const ins of [...inserts].sort((a, b) => b.at - a.at)) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return out;
}

function insertInSet(text: string, set: SetExpr, lines: readonly string[], options: { after?: Binding; blankLine: boolean }): string {
  return applyInserts(text, [setInsert(text, set, lines, options)]);
}

/**
 * Where and what to insert so `lines` end up as the last bindings of `set`
 * (or right after `options.after`): whole lines before the line of the
 * set's `}`, else at the first line start after the anchor, or, when the
 * set's end is on the anchor's line, on that line with single spaces.
 */
function setInsert(text: string, set: SetExpr, lines: readonly string[], options: { after?: Binding; blankLine: boolean }): Insert {
  const { kinds } = lexNix(text);
  const last = set.bindings[set.bindings.length - 1];
  const anchor = options.after?.end ?? last?.end ?? set.open + 1;
  const limit = options.after ? (set.bindings[set.bindings.indexOf(options.after) + 1]?.start ?? set.close) : set.close;
  let lineStart = -1;
  const closeLine = text.lastIndexOf("\n", set.close - 1) + 1;
  if (!options.after && closeLine > anchor && text.slice(closeLine, set.close).trim() === "" && kinds[closeLine - 1] === CODE) {
    // At the end of the set, after any comments there, before the line of its `}`.
    lineStart = closeLine;
  } else {
    for (let i = anchor; i < limit; i++) {
      if (text[i] === "\n" && kinds[i] === CODE) {
        lineStart = i + 1;
        break;
      }
    }
  }
  if (lineStart === -1 || lineStart > limit) {
    const inline = lines.filter((l) => l.trim() !== "" && !l.trim().startsWith("#")).map((l) => l.trim()).join(" ");
    const after = text[anchor];
    return { at: anchor, text: " " + inline + (after !== undefined && !/\s/.test(after) ? " " : "") };
  }
  const eol = text[lineStart - 2] === "\r" ? "\r\n" : "\n";
  const unit = indentUnit(text);
  const first = set.bindings[0];
  const indent = first && startsLine(text, first.start) ? indentOf(text, first.start) : indentOf(text, set.open) + unit;
  const body = lines.map((l) => (l === "" ? eol : indent + reindent(l, unit) + eol)).join("");
  const previousLine = text.slice(text.lastIndexOf("\n", lineStart - 2) + 1, lineStart);
  const blank = options.blankLine && last !== undefined && previousLine.trim() !== "" ? eol : "";
  return { at: lineStart, text: blank + body };
}

/** The template's two-space steps at the start of `line`, in the file's own unit. */
function reindent(line: string, unit: string): string {
  const lead = /^ */.exec(line)![0].length;
  return unit.repeat(Math.floor(lead / 2)) + " ".repeat(lead % 2) + line.slice(lead);
}

function startsLine(text: string, i: number): boolean {
  const lineStart = text.lastIndexOf("\n", i - 1) + 1;
  return text.slice(lineStart, i).trim() === "";
}

/** The white space that starts the line holding index `i`. */
function indentOf(text: string, i: number): string {
  const start = text.lastIndexOf("\n", i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The line ending of the line before `lineStart`, else the file's first, else `\n`. */
function eolBefore(text: string, lineStart: number, whole: string): string {
  if (lineStart >= 2 && text[lineStart - 1] === "\n") return text[lineStart - 2] === "\r" ? "\r\n" : "\n";
  const first = whole.indexOf("\n");
  return first > 0 && whole[first - 1] === "\r" ? "\r\n" : "\n";
}

/** One step of indentation as the file writes it: a tab, or its smallest run of leading spaces. */
function indentUnit(text: string): string {
  const { kinds } = lexNix(text);
  let smallest = 0;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (kinds[m.index + m[1]!.length] !== CODE) continue;
    if (m[1]!.startsWith("\t")) return "\t";
    if (smallest === 0 || m[1]!.length < smallest) smallest = m[1]!.length;
  }
  return " ".repeat(smallest > 0 && smallest <= 8 ? smallest : 2);
}
