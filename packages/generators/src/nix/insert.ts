// Inserting lines into a set in a file's own line endings and indentation,
// or, in a set written on one line, text on that line: every other byte
// stays as the owner wrote it.
import type { Binding } from "./ast.js";
import { CODE, lexNix } from "./scan.js";
import type { SetExpr } from "./set-walk.js";

export interface Insert {
  at: number;
  text: string;
}

export function applyInserts(text: string, inserts: Insert[]): string {
  let out = text;
  for (const ins of [...inserts].sort((a, b) => b.at - a.at)) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return out;
}

export function insertInSet(text: string, set: SetExpr, lines: readonly string[], options: { after?: Binding; blankLine: boolean }): string {
  return applyInserts(text, [setInsert(text, set, lines, options)]);
}

/**
 * Where and what to insert so `lines` end up as the last bindings of `set`
 * (or right after `options.after`): whole lines before the line of the
 * set's `}`, else at the first line start after the anchor, or, when the
 * set's end is on the anchor's line, on that line with single spaces.
 */
export function setInsert(text: string, set: SetExpr, lines: readonly string[], options: { after?: Binding; blankLine: boolean }): Insert {
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
export function indentOf(text: string, i: number): string {
  const start = text.lastIndexOf("\n", i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The line ending of the line before `lineStart`, else the file's first, else `\n`. */
export function eolBefore(text: string, lineStart: number, whole: string): string {
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
