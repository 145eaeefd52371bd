// Whole-line inserts and removals for the secret edits (the same rules as
// remove-edit.ts: a binding is taken out only with the lines it stands on
// alone, and new lines take the file's own indentation and line endings).
import type { Binding } from "../../nix/ast.js";
import { CODE, COMMENT, lexNix } from "../../nix/scan.js";

export interface LineRange {
  start: number;
  end: number;
}

/** The whole lines `b` stands on, or undefined when other code shares them. */
export function wholeLines(text: string, b: Binding): LineRange | undefined {
  const { kinds } = lexNix(text);
  const start = text.lastIndexOf("\n", b.start - 1) + 1;
  if (text.slice(start, b.start).trim() !== "" || (start > 0 && kinds[start - 1] !== CODE)) return undefined;
  let i = b.semicolon + 1;
  while (i < text.length && text[i] !== "\n") {
    if (!/\s/.test(text[i]!) && kinds[i] !== COMMENT) return undefined;
    i++;
  }
  if (i < text.length && kinds[i] !== CODE) return undefined;
  return { start, end: i < text.length ? i + 1 : i };
}

/** The line before the one starting at `lineStart`, if any. */
export function lineBefore(text: string, lineStart: number): { start: number; text: string } | undefined {
  if (lineStart === 0) return undefined;
  const start = text.lastIndexOf("\n", lineStart - 2) + 1;
  return { start, text: text.slice(start, lineStart).replace(/\r?\n$/, "") };
}

export function cut(text: string, ranges: readonly LineRange[]): string {
  let out = text;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + out.slice(r.end);
  return out;
}

/** The file's line ending (its first one), `\n` when it has none. */
function eolOf(text: string): string {
  const i = text.indexOf("\n");
  return i > 0 && text[i - 1] === "\r" ? "\r\n" : "\n";
}

/** The white space that starts the line holding index `i`. */
export function indentAt(text: string, i: number): string {
  return /^[ \t]*/.exec(text.slice(text.lastIndexOf("\n", i - 1) + 1))![0];
}

/** `lines` inserted, each with `indent` and the file's line ending, at line start `at`. */
export function insertLines(text: string, at: number, indent: string, lines: readonly string[]): string {
  const eol = eolOf(text);
  return text.slice(0, at) + lines.map((l) => indent + l + eol).join("") + text.slice(at);
}
