// Finds where a generated entry goes in a hand-editable Nix file and returns
// the edited text, or the reason it cannot do so safely. Pure string work on
// top of nix-scan, so the user's own edits elsewhere in the file survive.
import { CODE, COMMENT, codeMatches, lastCodeChar, lineIndent, matchingBrace, openingBrace, scanNix } from "./nix-scan.js";

export type EditResult = { ok: true; text: string } | { ok: false; reason: string };

export interface AttrSetSpan {
  /** Index of the set's `{`. */
  open: number;
  /** Index of its `}`. */
  close: number;
  /** Indentation of the line that holds `name = {`. */
  indent: string;
}

/** `text` with the characters special in a RegExp escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Locates the single `name = { ... }` attribute set in `text`. */
export function findAttrSet(text: string, name: string): AttrSetSpan | { reason: string } {
  const kinds = scanNix(text);
  const hits = codeMatches(text, kinds, new RegExp(`(?<![A-Za-z0-9_'-])${escapeRegExp(name)}\\s*=\\s*\\{`));
  if (hits.length === 0) return { reason: `it has no \`${name} = { ... };\` attribute set` };
  if (hits.length > 1) return { reason: `it has ${hits.length} \`${name} = {\` attribute sets, so the right one is ambiguous` };
  const hit = hits[0]!;
  const open = hit.index + hit[0].length - 1;
  const close = matchingBrace(text, kinds, open);
  if (close === -1) return { reason: `its \`${name} = {\` attribute set is never closed` };
  return { open, close, indent: lineIndent(text, hit.index) };
}

/**
 * The names defined directly in the attribute set between `open` and
 * `close` (`web1 = ...;`, `"alice@web1" = ...;`, `a.b = ...;` gives `a`).
 */
export function attrSetKeys(text: string, open: number, close: number): string[] {
  const kinds = scanNix(text);
  const keys: string[] = [];
  let depth = 0;
  let statement = "";
  const flush = () => {
    const m = /^\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_'-]*)/.exec(statement);
    if (m && !/^\s*inherit\b/.test(statement)) keys.push(m[1]!.startsWith('"') ? unquote(m[1]!) : m[1]!);
    statement = "";
  };
  for (let i = open + 1; i < close; i++) {
    const c = text[i]!;
    const kind = kinds[i];
    if (kind === CODE && c === "{") depth++;
    else if (kind === CODE && c === "}") depth--;
    else if (kind === CODE && c === ";" && depth === 0) {
      flush();
      continue;
    }
    if (depth === 0 && kind !== COMMENT) statement += c;
  }
  return keys;
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_m, ch: string) => ({ n: "\n", r: "\r", t: "\t" })[ch] ?? ch);
}

/**
 * Appends `entry` (one line, no indentation) as the last attribute of the
 * set `name`, refusing when the key is already there.
 */
export function addAttrEntry(text: string, name: string, key: string, entry: string): EditResult {
  const span = findAttrSet(text, name);
  if ("reason" in span) return { ok: false, reason: span.reason };
  if (attrSetKeys(text, span.open, span.close).includes(key)) {
    return { ok: false, reason: `\`${name}\` already has an entry named "${key}"` };
  }
  return { ok: true, text: insertBefore(text, span.close, span.indent, [entry], false) };
}

/**
 * Appends `lines` as a block at the end of a module's top-level attribute
 * set (the body of `{ pkgs, ... }: { ... }`), after a blank line.
 */
export function appendToModuleBody(text: string, lines: readonly string[]): EditResult {
  const kinds = scanNix(text);
  const close = lastCodeChar(text, kinds);
  if (close === -1 || text[close] !== "}") return { ok: false, reason: "it does not end with the closing `}` of a module's attribute set" };
  const open = openingBrace(text, kinds, close);
  if (open === -1) return { ok: false, reason: "its last `}` has no matching `{`" };
  return { ok: true, text: insertBefore(text, close, lineIndent(text, open), lines, true) };
}

/** Inserts lines, indented one step inside the brace at `close`, just before it. */
function insertBefore(text: string, close: number, indent: string, lines: readonly string[], blankLine: boolean): string {
  const head = text.slice(0, close).replace(/\s*$/, "");
  const inner = indent + "  ";
  const body = lines.map((l) => (l === "" ? "" : inner + l)).join("\n");
  return `${head}\n${blankLine ? "\n" : ""}${body}\n${indent}${text.slice(close)}`;
}

/** Whether `re` matches somewhere in the code of `text` (not in comments or strings). */
export function codeContains(text: string, re: RegExp): boolean {
  return codeMatches(text, scanNix(text), re).length > 0;
}
