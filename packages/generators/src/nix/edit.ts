// Edits hand-written flake.nix and configuration.nix files. The target is
// found by structure (nix-ast), never by the first text that looks right,
// and an edit only inserts: whole lines in the file's own line endings and
// indentation, or, in a set written on one line, text on that line. Every
// other byte stays as the owner wrote it. Where the right place is not
// certain, the edit is refused with the reason.
//
// The editors themselves: edit-flake.ts (flake.nix's entries), edit-module.ts
// (a module's settings), on set-walk.ts (reading sets) and insert.ts. This
// file is the one entry the rest of the package imports them from.
import { codeMatches, lexNix } from "./scan.js";

export { type SetExpr, bindingsAt, lookup, operands } from "./set-walk.js";
export { addFlakeEntry, flakeEntriesAt, flakeEntryNames, onOneLine } from "./edit-flake.js";
export { addToModule, moduleSettings, moduleTakesPkgs, shellState } from "./edit-module.js";

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
