// A Nix lexer that follows Nix's own (src/libexpr/lexer.l): identifiers may
// hold `'` (`f''`), `$${` is plain text in strings, `''$` `'''` `''\x` are
// escapes in indented strings, `https://a/*b` is one URI, `./a/${x}.nix` one
// path, and interpolations nest. Like flex, it takes the longest match at
// each position, the earlier rule on a tie. The editors build on its tokens.

/** What each character of a Nix file is part of. */
export const COMMENT = 0;
export const CODE = 1;
export const STRING = 2;

type TokenKind =
  | "id"
  | "keyword"
  | "int"
  | "float"
  | "string" // "…", quotes included
  | "istring" // ''…'', quotes included
  | "path"
  | "spath" // <nixpkgs>
  | "uri"
  | "op" // // ++ == != <= >= && || -> ...
  | "punct" // one character: { } [ ] ( ) ; : , = . ? @ + - * / < > !
  | "interp"; // ${ in code (a dynamic attribute name); its `}` is a punct

export interface Token {
  kind: TokenKind;
  /** Index of the first character. */
  start: number;
  /** Index just past the last character. */
  end: number;
  text: string;
}

interface Comment {
  start: number;
  end: number;
}

export interface Lexed {
  /** The tokens outside strings and paths (their interpolations are inside their token). */
  tokens: Token[];
  comments: Comment[];
  /** For each character: CODE, STRING (literal text in a string) or COMMENT. */
  kinds: Uint8Array;
}

export class NixSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "NixSyntaxError";
  }
}

/** Nix's keywords: never an identifier (quote.ts quotes an attribute name that is one). */
export const KEYWORDS: ReadonlySet<string> = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]);
const OPERATORS = ["...", "==", "!=", "<=", ">=", "&&", "||", "->", "//", "++"];

const PATH_CHAR = "[a-zA-Z0-9._+-]";
// Rules that compete for the longest match, in lexer.l's order (which wins a tie).
const RULES: { kind: TokenKind | "ws" | "comment" | "pathseg"; re: RegExp }[] = [
  { kind: "id", re: /[a-zA-Z_][a-zA-Z0-9_'-]*/y },
  { kind: "int", re: /[0-9]+/y },
  { kind: "float", re: /(?:[1-9][0-9]*\.[0-9]*|0?\.[0-9]+)(?:[Ee][+-]?[0-9]+)?/y },
  // A path segment ending in `/` right before `${`: the match length counts the `${`.
  { kind: "pathseg", re: new RegExp(`(?:${PATH_CHAR}*|~)\\/\\$\\{`, "y") },
  { kind: "path", re: new RegExp(`(?:${PATH_CHAR}*|~)(?:\\/${PATH_CHAR}+)+\\/?`, "y") },
  { kind: "spath", re: new RegExp(`<${PATH_CHAR}+(?:\\/${PATH_CHAR}+)*>`, "y") },
  { kind: "uri", re: /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y },
  { kind: "ws", re: /[ \t\r\n]+/y },
  { kind: "comment", re: /#[^\r\n]*/y },
  { kind: "comment", re: /\/\*(?:[^*]|\*+[^*/])*\*+\//y },
];
const PATH_CONTINUE = new RegExp(`(?:${PATH_CHAR}*(?:\\/${PATH_CHAR}+)+\\/?|${PATH_CHAR}*\\/|${PATH_CHAR}+)`, "y");

/**
 * The last few texts' results, by text. A run reads flake.nix several times
 * (its pins, its facts, the editor's target, the check of the edit); the
 * results are never changed by their readers, so each text is lexed once.
 */
export function memoByText<T>(size: number, make: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const made = make(text);
    if (cache.size >= size) cache.delete(cache.keys().next().value!);
    cache.set(text, made);
    return made;
  };
}

/** Lexes `text`; throws NixSyntaxError where Nix's lexer would fail. */
export const lexNix: (text: string) => Lexed = memoByText(8, lexText);

function lexText(text: string): Lexed {
  const kinds = new Uint8Array(text.length).fill(CODE);
  const comments: Comment[] = [];
  const tokens = lexCode(text, 0, kinds, comments, false).tokens;
  return { tokens, comments, kinds };
}

/**
 * Lexes code from `pos`. In an interpolation (`inner`), stops at the `}`
 * that closes it and returns the index just past it.
 */
function lexCode(text: string, pos: number, kinds: Uint8Array, comments: Comment[], inner: boolean): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let depth = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, start, end, text: text.slice(start, end) });
  while (pos < text.length) {
    const c = text[pos]!;
    // Operators and keywords come first in lexer.l; the longest match still wins.
    let best: { kind: TokenKind | "ws" | "comment" | "pathseg"; len: number } | undefined;
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (op) best = { kind: "op", len: op.length };
    for (const rule of RULES) {
      rule.re.lastIndex = pos;
      const m = rule.re.exec(text);
      if (m && (!best || m[0].length > best.len)) best = { kind: rule.kind, len: m[0].length };
    }
    if (best?.kind === "id" && KEYWORDS.has(text.slice(pos, pos + best.len))) best = { kind: "keyword", len: best.len };
    if (text.startsWith("${", pos) && (!best || best.len <= 2)) best = { kind: "interp", len: 2 };
    if (best?.kind === "ws") {
      pos += best.len;
      continue;
    }
    if (best?.kind === "comment") {
      kinds.fill(COMMENT, pos, pos + best.len);
      comments.push({ start: pos, end: pos + best.len });
      pos += best.len;
      continue;
    }
    if (best?.kind === "path" || best?.kind === "pathseg") {
      const start = pos;
      pos = lexPath(text, pos, kinds, comments);
      push("path", start, pos);
      continue;
    }
    if (best) {
      if (best.kind === "interp") depth++;
      push(best.kind, pos, pos + best.len);
      pos += best.len;
      continue;
    }
    if (c === '"') {
      const start = pos;
      pos = lexString(text, pos + 1, kinds, comments);
      push("string", start, pos);
      continue;
    }
    if (text.startsWith("''", pos)) {
      const start = pos;
      pos = lexIndentedString(text, pos + 2, kinds, comments);
      push("istring", start, pos);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) {
        if (inner) return { tokens, end: pos + 1 };
        throw new NixSyntaxError("unexpected `}`", pos);
      }
      depth--;
    } else if (c === "/" && text[pos + 1] === "*") {
      throw new NixSyntaxError("a `/*` comment is never closed", pos);
    } else if (!"[]();:,=.?@+-*/<>!".includes(c)) {
      throw new NixSyntaxError(`unexpected character ${JSON.stringify(c)}`, pos);
    }
    push("punct", pos, pos + 1);
    pos++;
  }
  if (inner) throw new NixSyntaxError("a `${` is never closed", text.length);
  return { tokens, end: pos };
}

/** Lexes an interpolation whose `${` starts at `pos`; returns the index past its `}`. */
function lexInterpolation(text: string, pos: number, kinds: Uint8Array, comments: Comment[]): number {
  return lexCode(text, pos + 2, kinds, comments, true).end;
}

/** From just after the opening `"`, returns the index past the closing `"`. */
function lexString(text: string, pos: number, kinds: Uint8Array, comments: Comment[]): number {
  while (pos < text.length) {
    const c = text[pos]!;
    const next = text[pos + 1];
    if (c === '"') return pos + 1;
    if (c === "$" && next === "{") {
      pos = lexInterpolation(text, pos, kinds, comments);
      continue;
    }
    // `\x` is an escape; `$x` (x not `{`) is plain text, so `$${` is too.
    const len = c === "\\" ? 2 : c === "$" && next !== '"' ? (next === "\\" ? 3 : 2) : 1;
    kinds.fill(STRING, pos, Math.min(pos + len, text.length));
    pos += len;
  }
  throw new NixSyntaxError("a string is never closed", text.length);
}

/** From just after the opening `''`, returns the index past the closing `''`. */
function lexIndentedString(text: string, pos: number, kinds: Uint8Array, comments: Comment[]): number {
  while (pos < text.length) {
    const c = text[pos]!;
    const next = text[pos + 1];
    if (c === "'" && next === "'") {
      const after = text[pos + 2];
      if (after === "'" || after === "$") {
        kinds.fill(STRING, pos, pos + 3); // ''' and ''$
        pos += 3;
        continue;
      }
      if (after === "\\" && pos + 3 < text.length) {
        kinds.fill(STRING, pos, pos + 4); // ''\x
        pos += 4;
        continue;
      }
      return pos + 2;
    }
    if (c === "$" && next === "{") {
      pos = lexInterpolation(text, pos, kinds, comments);
      continue;
    }
    const len = c === "$" && next !== "'" && next !== undefined ? 2 : 1;
    kinds.fill(STRING, pos, pos + len);
    pos += len;
  }
  throw new NixSyntaxError("an indented string ('' … '') is never closed", text.length);
}

/** Lexes a path (with its interpolations) from `pos`; returns the index past it. */
function lexPath(text: string, pos: number, kinds: Uint8Array, comments: Comment[]): number {
  let slash = false;
  if (text[pos] === "~") pos++;
  for (;;) {
    if (text.startsWith("${", pos)) {
      pos = lexInterpolation(text, pos, kinds, comments);
      slash = false;
      continue;
    }
    PATH_CONTINUE.lastIndex = pos;
    const m = PATH_CONTINUE.exec(text);
    if (m && m[0].length > 0) {
      pos += m[0].length;
      slash = m[0].endsWith("/");
      continue;
    }
    if (slash) throw new NixSyntaxError("a path ends with a slash", pos);
    return pos;
  }
}

/** The 1-based line number of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** The matches of `re` that begin in code (not in a comment or string literal). */
export function codeMatches(text: string, kinds: Uint8Array, re: RegExp): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (kinds[m.index] === CODE) out.push(m);
    if (m[0].length === 0) g.lastIndex++;
  }
  return out;
}
