// A fragment a template put into a shared file (a flake.nix entry, a user's
// block in a host's configuration.nix), found again by structure with the
// same readers the generators and gen remove use, so gen update merges that
// fragment only and leaves every other byte of the file alone.
import type { Binding } from "../../nix/ast.js";
import { addToModule, flakeEntriesAt } from "../../nix/edit.js";
import type { ReadFile } from "../../nix/follow.js";
import { findUserInModule } from "../../nix/remove.js";
import type { Fragment } from "../../repo/record.js";

export interface FragmentSpan {
  /** Index of the first character of its first line. */
  start: number;
  /** Index just past its last line's line ending. */
  end: number;
}

/** Where a user block stands in `text`: its whole lines; "absent" when it is not there; a reason when it cannot be read. */
export function locateFragment(text: string, fragment: Fragment & { kind: "user-block" }): FragmentSpan | "absent" | { reason: string } {
  const found = findUserInModule(text, fragment.user);
  if ("reason" in found) return found;
  return spanOf(text, found.bindings, `# ${fragment.user}`);
}

export interface Located {
  /** The file it is in: a flake entry's may be a file flake.nix imports its set from (hosts/default.nix). */
  file: string;
  text: string;
  span: FragmentSpan;
}

/** Where `fragment` of `file` (whose text is `text`) stands; a flake entry is followed, with `read`, as gen host and gen remove follow it. */
export function locateIn(file: string, text: string, fragment: Fragment, read: ReadFile): Located | "absent" | { reason: string } {
  if (fragment.kind === "user-block") {
    const span = locateFragment(text, fragment);
    return span === "absent" || "reason" in span ? span : { file, text, span };
  }
  const entries = flakeEntriesAt(text, fragment.output, read);
  if ("reason" in entries) return entries;
  const at = entries.get(fragment.key);
  if (!at) return "absent";
  if (at.split) return { reason: `its ${fragment.output} entry "${fragment.key}" is written partly in flake.nix and partly in a file it imports` };
  if (at.bindings.some((b) => b.kind === "inherit")) return { reason: `its ${fragment.output} entry "${fragment.key}" is inherited, not written out` };
  const span = spanOf(at.text, at.bindings);
  return span === "absent" ? span : { file: at.file ?? file, text: at.text, span };
}

/** The whole lines `bindings` stand on, with the `comment` line right above them (gen user's `# <user>`). */
function spanOf(text: string, bindings: readonly Binding[], comment?: string): FragmentSpan | "absent" {
  if (bindings.length === 0) return "absent";
  let start = lineStart(text, Math.min(...bindings.map((b) => b.start)));
  const last = Math.max(...bindings.map((b) => b.semicolon));
  const nl = text.indexOf("\n", last);
  const end = nl === -1 ? text.length : nl + 1;
  if (comment !== undefined && start > 0) {
    const above = lineStart(text, start - 1);
    if (text.slice(above, start).trim() === comment) start = above;
  }
  return { start, end };
}

function lineStart(text: string, i: number): number {
  return text.lastIndexOf("\n", i - 1) + 1;
}

/**
 * A fragment's rendered text laid out as the editor inserts it into `file`
 * at `span`: the indentation of the fragment's first line, the file's own
 * indentation step for the template's two-space steps, its line endings.
 */
export function layOut(rendered: string, file: string, span: FragmentSpan): string {
  const indent = /^[ \t]*/.exec(file.slice(span.start))![0];
  const unit = indentUnit(file);
  const eol = file.includes("\r\n") ? "\r\n" : "\n";
  const lines = rendered.replace(/\n$/, "").split("\n");
  return lines
    .map((l) => {
      if (l === "") return eol;
      const lead = /^ */.exec(l)![0].length;
      return indent + unit.repeat(Math.floor(lead / 2)) + " ".repeat(lead % 2) + l.slice(lead) + eol;
    })
    .join("");
}

/** One step of indentation as the file writes it: a tab, or its smallest run of leading spaces. */
function indentUnit(text: string): string {
  let smallest = 0;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1]!.startsWith("\t")) return "\t";
    if (smallest === 0 || m[1]!.length < smallest) smallest = m[1]!.length;
  }
  return " ".repeat(smallest > 0 && smallest <= 8 ? smallest : 2);
}

/** The fragment at `span` as block lines in the template's layout (its first line's indentation taken off). */
export function fragmentLines(text: string, span: FragmentSpan): string[] {
  const lines = text.slice(span.start, span.end).replace(/\r?\n$/, "").split(/\r?\n/);
  const indent = /^[ \t]*/.exec(lines[0] ?? "")![0];
  return lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
}

/**
 * A host's configuration.nix as rendered, with the users' blocks the fork
 * holds put in as gen user puts them: so a template change next to where
 * the blocks went (the last comment) is not mistaken for a clash with them.
 * undefined when the editor cannot take a block.
 */
export function withBlocks(rendered: string, blocks: readonly string[][]): string | undefined {
  let text = rendered;
  for (const lines of blocks) {
    let edited;
    try {
      edited = addToModule(text, lines);
    } catch {
      return undefined; // a block that is not Nix as it stands (an unresolved conflict in it)
    }
    if (!edited.ok) return undefined;
    text = edited.text;
  }
  return text;
}
