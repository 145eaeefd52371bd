// Rewrites one renamed option's definitions in a Nix file by structure,
// keeping every other byte: a dotted binding (`programs.git.userName = …;`),
// nested sets (`programs.git = { userName = …; };`) or both. Where the new path
// leaves the enclosing set (`programs.git = { delta.enable = …; }` →
// `programs.delta.enable`), the binding moves out to the deepest set that holds
// it, and a set it leaves empty goes. Anything uncertain is refused with a reason.
import { type AttrBinding, type Expr, parseNix } from "../../nix/ast.js";
import { COMMENT, NixSyntaxError, STRING, lexNix } from "../../nix/scan.js";
import type { SetExpr } from "../../nix/edit.js";
export type RenameResult = { ok: true; text: string; count: number } | { ok: false; reason: string };

/** A set the option paths are read from: `pos` is the option path its bindings continue. */
export interface Level {
  set: SetExpr;
  pos: string[];
  /** The binding (in the level above) whose value this set is; none for a root. */
  holder?: AttrBinding;
}

interface Found {
  binding: AttrBinding;
  /** Root first, the binding's own set last. */
  chain: Level[];
  keys: string[];
}

const STATE_VERSIONS = [["system", "stateVersion"], ["home", "stateVersion"]];
const IDENT = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;
const KEYWORDS = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]);

const startsWith = (a: readonly string[], prefix: readonly string[]) => prefix.length <= a.length && prefix.every((k, i) => k === a[i]);
const show = (path: readonly string[]) => path.map(renderKey).join(".");

/** A key as Nix writes it: bare when it can be, quoted otherwise. */
function renderKey(key: string): string {
  return IDENT.test(key) && !KEYWORDS.has(key) ? key : JSON.stringify(key);
}

function unparen(e: Expr): Expr {
  while (e.type === "paren") e = e.inner;
  return e;
}

/** Definitions of `from` (or below it) under `level`, or why they cannot be read for certain. */
function findDefinitions(level: Level, from: readonly string[], chain: Level[]): Found[] | { reason: string } {
  const found: Found[] = [];
  for (const b of level.set.bindings) {
    const next = from[level.pos.length];
    if (b.kind === "inherit") {
      if (next !== undefined && b.names.includes(next)) return { reason: `\`${show([...level.pos, next])}\` is inherited, not written out` };
      continue;
    }
    const keys: string[] = [];
    let dynamic = false;
    for (const k of b.path) {
      if ("name" in k) keys.push(k.name);
      else {
        dynamic = true;
        break;
      }
    }
    const full = [...level.pos, ...keys];
    const n = Math.min(full.length, from.length);
    if (!startsWith(from.slice(0, n), full.slice(0, n))) continue;
    if (dynamic) return { reason: `a name computed with \`\${…}\` at \`${show(full)}\` may define \`${show(from)}\`` };
    if (full.length >= from.length) {
      found.push({ binding: b, chain: [...chain, level], keys });
      continue;
    }
    const inner = unparen(b.value);
    if (inner.type !== "set") return { reason: `\`${show(full)}\` is set to an expression (not \`{ … }\`), so \`${show(from)}\` inside it cannot be rewritten by structure` };
    const deeper = findDefinitions({ set: inner, pos: full, holder: b }, from, [...chain, level]);
    if ("reason" in deeper) return deeper;
    found.push(...deeper);
  }
  return found;
}

/** Every leaf definition's path under the roots (bindings whose value is not a literal set). */
function leafPaths(levels: Level[]): string[][] {
  const out: string[][] = [];
  const walk = (level: Level) => {
    for (const b of level.set.bindings) {
      if (b.kind === "inherit") {
        for (const n of b.names) out.push([...level.pos, n]);
        continue;
      }
      if (b.path.some((k) => !("name" in k))) continue;
      const full = [...level.pos, ...b.path.map((k) => (k as { name: string }).name)];
      const inner = unparen(b.value);
      if (inner.type === "set" && !inner.rec) walk({ set: inner, pos: full });
      else out.push(full);
    }
  };
  levels.forEach(walk);
  return out;
}

/** Pairs of definitions Nix (or the module system) would refuse: the same path twice, or a value and a path below it. */
function clashes(levels: Level[]): Set<string> {
  const paths = leafPaths(levels);
  const out = new Set<string>();
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      if (startsWith(paths[i]!, paths[j]!) || startsWith(paths[j]!, paths[i]!)) out.add(show(paths[i]!.length <= paths[j]!.length ? paths[i]! : paths[j]!));
    }
  }
  return out;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const lineStartOf = (text: string, i: number) => text.lastIndexOf("\n", i - 1) + 1;
const indentAt = (text: string, i: number) => /^[ \t]*/.exec(text.slice(lineStartOf(text, i)))![0];

/**
 * What taking binding `b` out removes: its whole lines with the comment
 * lines right above it when it stands on lines of its own, else its text
 * and the spaces after it.
 */
function removalSpan(text: string, kinds: Uint8Array, b: AttrBinding): { start: number; end: number; lines: boolean } {
  const lineStart = lineStartOf(text, b.start);
  let end = b.end;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  const ownLine = text.slice(lineStart, b.start).trim() === "" && (end >= text.length || text[end] === "\n" || text[end] === "\r" || kinds[end] === COMMENT);
  if (!ownLine) return { start: b.start, end, lines: false };
  while (end < text.length && text[end] !== "\n") end++;
  if (end < text.length) end++;
  let start = lineStart;
  for (;;) {
    const prev = lineStartOf(text, start - 1);
    if (start === 0 || !text.slice(prev, start).trim().startsWith("#")) break;
    start = prev;
  }
  return { start, end, lines: true };
}

/** The text from the first key to the `=` of `b`: the part a rename replaces. */
function attrPathEnd(b: AttrBinding, tokens: { kind: string; start: number; end: number; text: string }[]): { keysEnd: number; keyTexts: string[] } {
  const keyTexts: string[] = [];
  let keysEnd = b.start;
  for (const t of tokens) {
    if (t.start < b.start) continue;
    if (t.kind === "punct" && t.text === "=") break;
    if (!(t.kind === "punct" && t.text === ".")) keyTexts.push(t.text);
    keysEnd = t.end;
  }
  return { keysEnd, keyTexts };
}

/** Whether a line break in text[start, end) sits inside a "…" string (whose bytes must not move). */
function breaksInString(text: string, kinds: Uint8Array, start: number, end: number): boolean {
  for (let i = text.indexOf("\n", start); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) {
    if (kinds[i] === STRING) return true;
  }
  return false;
}

/** `block`'s lines after the first moved from indentation `from` to `to`. */
function reindent(block: string, from: string, to: string): string {
  return block
    .split("\n")
    .map((line, i) => (i === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join("\n");
}

/** One definition of `from` rewritten to `to`, as edits of `text`. */
function rewriteOne(text: string, found: Found, from: readonly string[], to: readonly string[]): Edit[] | { reason: string } {
  const { tokens, kinds, comments } = lexNix(text);
  const b = found.binding;
  const here = found.chain[found.chain.length - 1]!;
  const full = [...here.pos, ...found.keys];
  const newFull = [...to, ...full.slice(from.length)];
  const { keysEnd, keyTexts } = attrPathEnd(b, tokens);
  // Keys past `from` keep the owner's spelling.
  const tailTexts = keyTexts.slice(from.length - here.pos.length);
  const keyText = (pos: readonly string[]) => [...to.slice(pos.length).map(renderKey), ...tailTexts].join(".");
  // The deepest enclosing set that holds the new path.
  let t = found.chain.length - 1;
  while (t > 0 && !(startsWith(newFull, found.chain[t]!.pos) && newFull.length > found.chain[t]!.pos.length)) t--;
  const target = found.chain[t]!;
  if (target === here) return [{ start: b.start, end: keysEnd, text: keyText(here.pos) }];

  for (const level of found.chain.slice(t + 1)) {
    if (level.set.rec) return { reason: `\`${show(level.pos)}\` is a \`rec { … }\` set, so moving \`${show(full)}\` out of it may change what its names refer to` };
  }
  // Take the binding out; a set it leaves with nothing in it goes too, up to the target.
  let removed: AttrBinding = b;
  for (let i = found.chain.length - 1; i > t; i--) {
    const level = found.chain[i]!;
    const others = level.set.bindings.filter((x) => x !== removed);
    const inner = comments.some((c) => c.start > level.set.open && c.end <= level.set.close && !(c.start >= removed.start && c.end <= removed.end) && !(c.start >= removalSpan(text, kinds, removed).start && c.end <= removed.start));
    if (others.length > 0 || inner || !level.holder) break;
    removed = level.holder;
  }
  const span = removalSpan(text, kinds, removed);
  const fixed = breaksInString(text, kinds, keysEnd, b.end);
  const moved = keyText(target.pos) + text.slice(keysEnd, b.end);
  // Right after the binding of the target set that leads to the definition.
  const anchor = found.chain[t + 1]!.holder!;
  const anchorSpan = removalSpan(text, kinds, anchor);
  const indent = indentAt(text, anchor.start);
  const own = removalSpan(text, kinds, b);
  const leading = own.lines ? text.slice(own.start, lineStartOf(text, b.start)) : "";
  const block = fixed ? moved : reindent(moved, indentAt(text, b.start), indent);
  const commentLines = span.lines ? leading.split("\n").filter((l) => l.trim() !== "").map((l) => indent + l.trimStart()) : [];
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (anchorSpan.lines) {
    const insert = [...commentLines, indent + block].join(eol) + eol;
    if (removed === anchor) return [{ start: span.start, end: span.end, text: insert }];
    return [
      { start: span.start, end: span.end, text: "" },
      { start: anchorSpan.end, end: anchorSpan.end, text: insert },
    ];
  }
  // One-line sets: the binding goes on the same line, after its anchor.
  if (removed === anchor) return [{ start: anchor.start, end: anchor.end, text: block }];
  return [
    { start: span.start, end: span.end, text: "" },
    { start: anchor.end, end: anchor.end, text: " " + block },
  ];
}

function parse(text: string): { expr: Expr } | { reason: string } {
  try {
    return parseNix(text);
  } catch (e) {
    if (e instanceof NixSyntaxError) return { reason: `it is not valid Nix (${e.message})` };
    throw e;
  }
}

/**
 * Rewrites every definition of option `from` to `to` below the root sets
 * `roots(text)` picks (a module's settings, or an integrated home's value).
 * Counts 0 when nothing in the file defines `from`.
 */
export function renameOption(
  text: string,
  from: readonly string[],
  to: readonly string[],
  roots: (expr: Expr, text: string) => Level[] | { reason: string },
): RenameResult {
  if (STATE_VERSIONS.some((p) => startsWith(from, p) || startsWith(to, p))) {
    return { ok: false, reason: `${show(from)} → ${show(to)} touches a state version, which stays as it is` };
  }
  let current = text;
  let count = 0;
  // One definition at a time, parsing again after each: offsets stay true.
  for (let round = 0; round < 1000; round++) {
    const parsed = parse(current);
    if ("reason" in parsed) return { ok: false, reason: parsed.reason };
    const levels = roots(parsed.expr, current);
    if ("reason" in levels) return { ok: false, reason: levels.reason };
    const found: Found[] = [];
    for (const level of levels) {
      const f = findDefinitions(level, from, []);
      if ("reason" in f) return { ok: false, reason: f.reason };
      found.push(...f);
    }
    if (found.length === 0) return { ok: true, text: current, count };
    const edits = rewriteOne(current, found[0]!, from, to);
    if ("reason" in edits) return { ok: false, reason: edits.reason };
    const before = clashes(levels);
    const next = applyEdits(current, edits);
    const reparsed = parse(next);
    if ("reason" in reparsed) return { ok: false, reason: `rewriting \`${show(from)}\` would leave invalid Nix (${reparsed.reason})` };
    const after = roots(reparsed.expr, next);
    if ("reason" in after) return { ok: false, reason: after.reason };
    const added = [...clashes(after)].filter((c) => !before.has(c));
    if (added.length > 0) return { ok: false, reason: `\`${show(to)}\` is already set there, so moving \`${show(from)}\` to it would define \`${added[0]}\` twice: merge the two by hand` };
    current = next;
    count++;
  }
  return { ok: false, reason: `\`${show(from)}\` is defined too many times to rewrite` };
}

/** The 1-based line of the first definition of `path` below the roots, if any. */
export function definitionLine(text: string, path: readonly string[], roots: (expr: Expr, text: string) => Level[] | { reason: string }): number | undefined {
  const parsed = parse(text);
  if ("reason" in parsed) return undefined;
  const levels = roots(parsed.expr, text);
  if ("reason" in levels) return undefined;
  for (const level of levels) {
    const found = findDefinitions(level, path, []);
    if (!("reason" in found) && found.length > 0) return text.slice(0, found[0]!.binding.start).split("\n").length;
  }
  return undefined;
}
