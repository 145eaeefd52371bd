// A small Nix lexer: just enough to tell code from strings and comments and
// to match braces, so edits of flake.nix and configuration.nix land in the
// right attribute set however the user has formatted the rest of the file.

/** What each character of a Nix file is part of. */
export const COMMENT = 0;
export const CODE = 1;
export const STRING = 2;

/**
 * For each character: CODE, STRING (the inside of a string literal) or
 * COMMENT. Quotes and `${`/`}` of interpolations count as code.
 */
export function scanNix(text: string): Uint8Array {
  const mask = new Uint8Array(text.length); // COMMENT until proven otherwise
  // Each frame is a context; "code" frames opened by `${` end at their matching `}`.
  type Frame = { kind: "code"; depth: number } | { kind: "str" } | { kind: "istr" };
  const stack: Frame[] = [{ kind: "code", depth: 0 }];
  let i = 0;
  while (i < text.length) {
    const frame = stack[stack.length - 1]!;
    const c = text[i]!;
    const next = text[i + 1];
    if (frame.kind === "code") {
      if (c === "#") {
        const end = text.indexOf("\n", i);
        i = end === -1 ? text.length : end;
        continue;
      }
      if (c === "/" && next === "*") {
        const end = text.indexOf("*/", i + 2);
        i = end === -1 ? text.length : end + 2;
        continue;
      }
      mask[i] = CODE;
      if (c === '"') stack.push({ kind: "str" });
      else if (c === "'" && next === "'") {
        mask[i + 1] = CODE;
        stack.push({ kind: "istr" });
        i += 2;
        continue;
      } else if (c === "{") frame.depth++;
      else if (c === "}") {
        if (frame.depth === 0 && stack.length > 1) stack.pop(); // end of ${ ... }
        else frame.depth--;
      }
      i++;
      continue;
    }
    if (frame.kind === "str") {
      if (c === "\\") {
        mask[i] = STRING;
        if (i + 1 < text.length) mask[i + 1] = STRING;
        i += 2;
        continue;
      }
      if (c === '"') {
        mask[i] = CODE;
        stack.pop();
        i++;
        continue;
      }
      // Interpolations and plain characters: as in indented strings, below.
    } else if (c === "'" && next === "'") {
      // Indented string: '' ends it, except the escapes ''' ''$ and ''\.
      const after = text[i + 2];
      if (after === "'" || after === "$") {
        mask.fill(STRING, i, i + 3);
        i += 3;
        continue;
      }
      if (after === "\\") {
        mask.fill(STRING, i, Math.min(i + 4, text.length));
        i += 4;
        continue;
      }
      mask[i] = mask[i + 1] = CODE;
      stack.pop();
      i += 2;
      continue;
    }
    if (c === "$" && next === "{") {
      mask[i] = mask[i + 1] = CODE;
      stack.push({ kind: "code", depth: 0 });
      i += 2;
      continue;
    }
    mask[i] = STRING;
    i++;
  }
  return mask;
}

/** Index of the `}` that closes the `{` at `open`, or -1. */
export function matchingBrace(text: string, mask: Uint8Array, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (mask[i] !== CODE) continue;
    if (text[i] === "{") depth++;
    else if (text[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Start indexes of the matches of `re` (global) that begin in code. */
export function codeMatches(text: string, mask: Uint8Array, re: RegExp): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
  for (let m = g.exec(text); m; m = g.exec(text)) if (mask[m.index] === CODE) out.push(m);
  return out;
}

/** Index of the `{` that the `}` at `close` closes, or -1. */
export function openingBrace(text: string, mask: Uint8Array, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (mask[i] !== CODE) continue;
    if (text[i] === "}") depth++;
    else if (text[i] === "{") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the last code character that is not white space, or -1. */
export function lastCodeChar(text: string, mask: Uint8Array): number {
  for (let i = text.length - 1; i >= 0; i--) if (mask[i] === CODE && !/\s/.test(text[i]!)) return i;
  return -1;
}

/** The whitespace that starts the line holding index `i`. */
export function lineIndent(text: string, i: number): string {
  const start = text.lastIndexOf("\n", i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}
