// @ts-check
// Text helpers for the rendered partials: lines, excerpts, hunks around
// inserted lines, and MDX that no user text can break.

/** Lines of a file, without the empty string after a final newline. */
export function lines(/** @type {string} */ text) {
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

/**
 * Groups inserted lines (0-based) of a file into excerpts with `context`
 * lines around each, not starting or ending on a blank line.
 */
export function hunks(/** @type {number[]} */ inserted, /** @type {string[]} */ all, context = 2) {
  /** @type {Array<{ from: number, to: number, marked: number[] }>} */
  const out = [];
  for (const line of inserted) {
    const from = Math.max(0, line - context);
    const to = Math.min(all.length, line + context + 1);
    const last = out[out.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.marked.push(line);
    } else {
      out.push({ from, to, marked: [line] });
    }
  }
  const blank = (/** @type {number} */ i) => (all[i] ?? "").trim() === "";
  for (const h of out) {
    while (h.from < (h.marked[0] ?? 0) && blank(h.from)) h.from++;
    while (h.to - 1 > (h.marked[h.marked.length - 1] ?? 0) && blank(h.to - 1)) h.to--;
  }
  return out;
}

/**
 * A named part of a starter file. `start` finds the first line; the excerpt
 * runs to `end` (inclusive) or, without it, to the end of the attribute that
 * starts there. `comment` takes the comment lines just above too.
 * @typedef {{ name: string, path: string, start: RegExp, end?: RegExp, comment?: boolean }} ExcerptSpec
 */

/** The line range of a named excerpt in `text` (0-based, end exclusive). */
export function findExcerpt(/** @type {string} */ text, /** @type {ExcerptSpec} */ spec) {
  const all = lines(text);
  let start = all.findIndex((l) => spec.start.test(l));
  if (start < 0) throw new Error(`${spec.path} has no line matching ${spec.start} (excerpt ${spec.name}): update EXCERPTS in scripts/render/pages.mjs.`);
  let end = -1;
  if (spec.end) {
    const end_ = spec.end;
    end = all.findIndex((l, i) => i >= start && end_.test(l));
  } else {
    let depth = 0;
    let opened = false;
    for (let i = start; i < all.length; i++) {
      const code = (all[i] ?? "").replace(/#.*$/, "");
      for (const ch of code) {
        if (ch === "{" || ch === "[" || ch === "(") {
          depth++;
          opened = true;
        } else if (ch === "}" || ch === "]" || ch === ")") depth--;
      }
      if (opened && depth === 0 && code.trim().endsWith(";")) {
        end = i;
        break;
      }
    }
  }
  if (end < 0) throw new Error(`${spec.path}: the excerpt ${spec.name} has no end: update EXCERPTS in scripts/render/pages.mjs.`);
  if (spec.comment) while (start > 0 && /^\s*#/.test(all[start - 1] ?? "")) start--;
  return { from: start, to: end + 1 };
}

/** How many leading spaces all non-blank lines share. */
export function sharedIndent(/** @type {string[]} */ block) {
  const widths = block.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0);
  return widths.length === 0 ? 0 : Math.min(...widths);
}

/** Escapes text for MDX prose, leaving `code spans` alone. */
export function mdxText(/** @type {string} */ text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\{}<>*_[\]|]/g, (c) => `\\${c}`)))
    .join("");
}

/** Text as an inline code span, whatever backticks it holds. */
export function code(/** @type {string} */ text) {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block that no content can close early. */
export function fenced(/** @type {string} */ lang, /** @type {string} */ meta, /** @type {string} */ body) {
  const runs = body.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${lang}${meta ? " " + meta : ""}\n${body}\n${fence}\n`;
}

/** "{2,4-6}" for the 1-based lines given. */
export function ranges(/** @type {number[]} */ marked) {
  /** @type {string[]} */
  const out = [];
  let i = 0;
  while (i < marked.length) {
    let j = i;
    while (j + 1 < marked.length && marked[j + 1] === (marked[j] ?? 0) + 1) j++;
    out.push(i === j ? `${marked[i]}` : `${marked[i]}-${marked[j]}`);
    i = j + 1;
  }
  return `{${out.join(",")}}`;
}

/** Breaks a long command before its flags, with shell line continuations. */
export function wrapCommand(/** @type {string} */ command, width = 72) {
  const parts = command.split(/ (?=--)/);
  /** @type {string[]} */
  const out = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] ?? "").length + 1 + part.length <= width) out[last] += ` ${part}`;
    else out.push(part);
  }
  return out.join(" \\\n  ");
}
