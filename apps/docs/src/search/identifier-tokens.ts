// Option names for the site's search. lunr, which @easyops-cn/docusaurus-search-local
// builds its index with, splits text at spaces and hyphens only, so
// `home.stateVersion` is one token and a search for "stateVersion" finds nothing.
// This adds, after each such token, its parts: split at dots and other
// punctuation, and at camelCase humps. The whole token stays too, because the
// search box sends "home.stateVersion" as one term.

/** A part of a word, with its offset inside the word. */
export interface WordPart {
  start: number;
  text: string;
}

// Runs of letters and digits between punctuation ("home", "stateVersion").
const SEGMENT = /[\p{L}\p{N}]+/gu;
// camelCase humps inside a segment ("state", "Version"; "use", "Global", "Pkgs").
const HUMP = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu;

/**
 * The searchable parts of one word, without the word itself, in order:
 * `home-manager.useGlobalPkgs` gives home, manager, useGlobalPkgs, use, Global, Pkgs.
 */
export function wordParts(word: string): WordPart[] {
  const parts: WordPart[] = [];
  const seen = new Set<string>([`0:${word}`]);
  const add = (start: number, text: string) => {
    const key = `${start}:${text}`;
    if (!seen.has(key)) {
      seen.add(key);
      parts.push({ start, text });
    }
  };
  for (const segment of word.matchAll(SEGMENT)) {
    add(segment.index, segment[0]);
    const humps = [...segment[0].matchAll(HUMP)];
    if (humps.length > 1) for (const hump of humps) add(segment.index + hump.index, hump[0]);
  }
  return parts;
}

/** The parts of lunr this needs: its tokenizer and its Token class. */
interface LunrToken {
  toString(): string;
  metadata: { position?: [number, number] } & Record<string, unknown>;
}
interface LunrLike {
  tokenizer: ((obj: unknown, metadata?: object) => LunrToken[]) & { separator: RegExp };
  Token: new (str: string, metadata: object) => LunrToken;
}

const PATCHED = Symbol.for("starter.docs.identifierTokens");

/**
 * Replaces `lunr.tokenizer` (which every new lunr index takes as its own) with
 * one that also emits each word's parts, at their positions in the text.
 * Applying it twice changes nothing.
 */
export function addWordPartsToTokenizer(lunr: LunrLike): void {
  const original = lunr.tokenizer;
  if ((original as unknown as Record<symbol, boolean>)[PATCHED]) return;
  const tokenizer = (obj: unknown, metadata?: object): LunrToken[] => {
    const tokens = original(obj, metadata);
    if (obj == null || Array.isArray(obj)) return tokens;
    const text = String(obj);
    // Positions index the lower-cased text; they are valid in the original
    // only when lower-casing kept the length.
    if (text.toLowerCase().length !== text.length) return tokens;
    return tokens.flatMap((token) => {
      const [start, length] = token.metadata.position ?? [0, 0];
      const word = text.slice(start, start + length);
      const extra = wordParts(word).map(
        (part) => new lunr.Token(part.text.toLowerCase(), { ...metadata, position: [start + part.start, part.text.length] }),
      );
      return [token, ...extra];
    });
  };
  tokenizer.separator = original.separator;
  (tokenizer as unknown as Record<symbol, boolean>)[PATCHED] = true;
  lunr.tokenizer = tokenizer;
}
