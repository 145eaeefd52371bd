// Takes out of hand-written Nix what the adding generators put in: whole
// bindings, found by structure (flake-edit), removed as the whole lines they
// stand on. Every other byte stays. A binding that shares a line with other
// code, or that cannot be found for certain, is refused with the lines to
// delete by hand.
import { type AttrBinding, type Binding } from "./ast.js";
import { CODE, COMMENT, lexNix, lineOf } from "./scan.js";
import { bindingsAt, codeContains, escapeRegExp, moduleSettings } from "./edit.js";
import { flakeEntriesAt } from "./edit-flake.js";
import type { ReadFile } from "./follow.js";

export type RemoveResult = { ok: true; text: string } | { ok: false; reason: string };

interface LineRange {
  /** Index of the first character of the first line. */
  start: number;
  /** Index just past the last line's line ending. */
  end: number;
}

/** 1-based line number of index `i`. */

/** `lines 3–7` or `line 3` of the binding, with its text when short, for the by-hand instruction. */
function describeSpan(text: string, start: number, end: number): string {
  const first = lineOf(text, start);
  const last = lineOf(text, Math.max(start, end - 1));
  const code = text.slice(start, end).replace(/\s+/g, " ").trim();
  const where = first === last ? `line ${first}` : `lines ${first}–${last}`;
  return code.length <= 120 ? `${where} (\`${code}\`)` : where;
}

/**
 * The whole lines binding `b` stands on, or undefined when other code shares
 * them: only white space before it on its first line, and only white space
 * or a comment that ends on that line after its `;`.
 */
function wholeLines(text: string, kinds: Uint8Array, b: Binding): LineRange | undefined {
  const start = text.lastIndexOf("\n", b.start - 1) + 1;
  if (text.slice(start, b.start).trim() !== "") return undefined;
  if (start > 0 && kinds[start - 1] !== CODE) return undefined;
  let i = b.semicolon + 1;
  while (i < text.length && text[i] !== "\n") {
    if (!/\s/.test(text[i]!) && kinds[i] !== COMMENT) return undefined;
    i++;
  }
  if (i < text.length && kinds[i] !== CODE) return undefined; // a block comment goes on past the line
  return { start, end: i < text.length ? i + 1 : i };
}

/** The line before the one starting at `lineStart` (its start and text), if any. */
function lineBefore(text: string, lineStart: number): { start: number; text: string } | undefined {
  if (lineStart === 0) return undefined;
  const start = text.lastIndexOf("\n", lineStart - 2) + 1;
  return { start, text: text.slice(start, lineStart).replace(/\r?\n$/, "") };
}

function cut(text: string, ranges: LineRange[]): string {
  let out = text;
  const sorted = [...ranges].sort((a, b) => b.start - a.start);
  for (const r of sorted) out = out.slice(0, r.start) + out.slice(r.end);
  return out;
}

/** Whole-line ranges of `bindings`, or the refusal naming the lines to delete by hand. */
function rangesOf(text: string, bindings: readonly Binding[], what: string): LineRange[] | { reason: string } {
  const { kinds } = lexNix(text);
  const ranges: LineRange[] = [];
  for (const b of bindings) {
    const r = wholeLines(text, kinds, b);
    if (!r) return { reason: `${what} shares its line with other code there, so it cannot be taken out as whole lines: delete it by hand (${describeSpan(text, b.start, b.semicolon + 1)})` };
    ranges.push(r);
  }
  return ranges;
}

// ---------------------------------------------------------------- flake.nix

/**
 * Removes outputs' `name.key` entry (every binding that defines it), from
 * flake.nix or, given `read`, the file it imports the set from (`file` then
 * names it and `text` is that file's). Absent: the text as it is.
 */
export function removeFlakeEntry(text: string, name: string, key: string, read?: ReadFile): RemoveResult & { file?: string } {
  const entries = flakeEntriesAt(text, name, read);
  if ("reason" in entries) return { ok: false, reason: entries.reason };
  const at = entries.get(key);
  if (!at) return { ok: true, text };
  if (at.split) return { ok: false, reason: `its \`${name}\` entry "${key}" is written partly in flake.nix and partly in a file it imports: delete it by hand` };
  if (at.bindings.some((b) => b.kind === "inherit")) {
    return { ok: false, reason: `its \`${name}\` entry "${key}" is inherited from elsewhere: remove "${key}" from that \`inherit\` by hand` };
  }
  const ranges = rangesOf(at.text, at.bindings, `its \`${name}\` entry "${key}"`);
  if ("reason" in ranges) return { ok: false, reason: ranges.reason };
  return { ok: true, text: cut(at.text, ranges), ...(at.file !== undefined ? { file: at.file } : {}) };
}

// ---------------------------------------------------------------- a host's configuration.nix

/** What a host's configuration.nix holds of one user. */
export interface UserInModule {
  /** users.users.<u> and home-manager.users.<u> bindings, in file order. */
  bindings: AttrBinding[];
}

/** The user's bindings in a NixOS module, or why they cannot be found for certain. */
export function findUserInModule(text: string, user: string): UserInModule | { reason: string } {
  const settings = moduleSettings(text);
  if ("reason" in settings) return settings;
  const bindings: AttrBinding[] = [];
  for (const path of [
    ["users", "users", user],
    ["home-manager", "users", user],
  ]) {
    for (const set of settings.sets) {
      const found = bindingsAt(set, [...settings.prefix, ...path]);
      if (found === "opaque") {
        return {
          reason: `it sets \`${path.slice(0, 2).join(".")}\` (or a part of it) to an expression the generator cannot read (not \`{ … }\`), so ${user}'s lines in it cannot be found for certain: delete \`${path.join(".")}\` there by hand`,
        };
      }
      bindings.push(...found);
    }
  }
  // On a Mac, `system.primaryUser = "<user>";` (which gen user writes for a Mac's first user) names the user too.
  for (const set of settings.sets) {
    const found = bindingsAt(set, [...settings.prefix, "system", "primaryUser"]);
    if (found === "opaque") continue;
    bindings.push(...found.filter((b) => text.slice(b.value.start, b.value.end).trim() === JSON.stringify(user)));
  }
  return { bindings: bindings.sort((a, b) => a.start - b.start) };
}

/**
 * Removes the user from a host's configuration.nix: the account block and
 * the home-manager.users entry, whole whatever they hold now; the `# <user>`
 * comment and the blank line the add put above them; and
 * `programs.<shell>.enable = true;` where the add put it (the line right after
 * the account block) when nothing left in the file names that shell's package.
 * The module's `pkgs` argument stays: whether the add put it there cannot be
 * known, and it is harmless.
 */
export function removeUserFromModule(text: string, user: string): RemoveResult {
  const found = findUserInModule(text, user);
  if ("reason" in found) return { ok: false, reason: found.reason };
  if (found.bindings.length === 0) return { ok: true, text };
  const what = `${user}'s account or home-manager entry`;
  const ranges = rangesOf(text, found.bindings, what);
  if ("reason" in ranges) return { ok: false, reason: ranges.reason };

  // The comment gen user puts above a Mac's `system.primaryUser` line.
  const { kinds: lexed } = lexNix(text);
  for (const r of [...ranges]) {
    const above = lineBefore(text, r.start);
    if (above && /^\s*# Per-user macOS settings .* apply to /.test(above.text) && above.text.trim().endsWith(`apply to ${user}.`) && lexed[above.start + above.text.indexOf("#")] === COMMENT) {
      ranges.push({ start: above.start, end: r.start });
    }
  }

  // The shell line the add put right after the account block.
  const shellLine = addedShellLine(text, user, ranges);
  if (shellLine) ranges.push(shellLine);

  // The `# <user>` comment and the blank line above the first binding.
  const first = ranges.reduce((a, b) => (a.start <= b.start ? a : b));
  const { kinds } = lexNix(text);
  let top = first.start;
  const comment = lineBefore(text, top);
  if (comment && comment.text.trim() === `# ${user}` && kinds[comment.start + comment.text.indexOf("#")] === COMMENT) top = comment.start;
  const blank = lineBefore(text, top);
  if (blank && blank.text.trim() === "" && lineBefore(text, blank.start) !== undefined) top = blank.start;
  if (top < first.start) ranges.push({ start: top, end: first.start });

  const merged = mergeRanges(ranges);
  return { ok: true, text: cut(text, merged) };
}

function mergeRanges(ranges: LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: LineRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * `programs.<shell>.enable = true;` on the line right after the user's
 * account block, where `gen user` writes it, when the block's shell is
 * `pkgs.<shell>` and, once the user is gone, nothing else in the file names
 * `pkgs.<shell>` (another user's login shell keeps it).
 */
function addedShellLine(text: string, user: string, userRanges: LineRange[]): LineRange | undefined {
  const settings = moduleSettings(text);
  if ("reason" in settings) return undefined;
  const shells = settings.sets.flatMap((set) => {
    const b = bindingsAt(set, [...settings.prefix, "users", "users", user, "shell"]);
    return b === "opaque" ? [] : b;
  });
  if (shells.length !== 1) return undefined;
  const shell = /^pkgs\.([A-Za-z0-9_-]+)$/.exec(text.slice(shells[0]!.value.start, shells[0]!.value.end).trim())?.[1];
  if (shell === undefined || shell === "bashInteractive") return undefined;
  const { kinds } = lexNix(text);
  for (const set of settings.sets) {
    const enables = bindingsAt(set, [...settings.prefix, "programs", shell, "enable"]);
    if (enables === "opaque") continue;
    for (const b of enables) {
      if (text.slice(b.value.start, b.value.end).trim() !== "true") continue;
      const range = wholeLines(text, kinds, b);
      if (!range || !userRanges.some((r) => r.end === range.start)) continue;
      const rest = cut(text, [...userRanges, range]);
      if (codeContains(rest, new RegExp(`\\bpkgs\\.${escapeRegExp(shell)}\\b`))) return undefined;
      return range;
    }
  }
  return undefined;
}
