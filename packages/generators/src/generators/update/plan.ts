// gen update: for each recorded entity whose templates changed, render the
// old text (old template by blob id, recorded answers) and the new (current
// template, same answers), and merge that difference into the fork's file,
// or into the fragment of a shared file the template wrote. One Plan, like
// every generator's, plus the files left with conflict markers.
import { hasConflictMarkers } from "@starter/nix-check";
import { GenError } from "../../report/errors.js";
import { type RepoView, Tree, fsRepo } from "../../repo/tree.js";
import type { Plan } from "../../write/plan.js";
import { type GenRecord, RECORD_FILE, type RenderedTemplate, blobId, formatRecord, readRecord } from "../../repo/record.js";
import { type FragmentSpan, fragmentLines, layOut, locateFragment, locateIn, withBlocks } from "./fragment.js";
import { mergeThree } from "./merge.js";
import { currentTemplate, oldTemplate, renderSource } from "./sources.js";

export interface UpdateOptions {
  /** Only these hosts' entities (a standalone home belongs to no host). Empty: every entity. */
  hosts?: string[];
}

export interface UpdatePlan {
  plan: Plan;
  /** Files left with conflict markers, sorted. */
  conflicts: string[];
  /** Recorded files whose template changed but which are gone from the fork (left gone). */
  missing: string[];
}

/** The host an entity id belongs to (`host/web1`, `user/web1/alice`, `deploy/web1`), if any. */
function entityHost(id: string): string | undefined {
  return /^(?:host|deploy|user)\/([^/]+)/.exec(id)?.[1];
}

interface Pending {
  id: string;
  index: number;
  t: RenderedTemplate;
  current: string;
}

/** The user blocks recorded in `file`, in the order they stand in `text`, as block lines. */
function blocksIn(record: GenRecord, file: string, text: string): string[][] {
  const spans: FragmentSpan[] = [];
  for (const entity of Object.values(record.entities)) {
    for (const t of entity.templates) {
      if (t.file !== file || t.fragment?.kind !== "user-block") continue;
      const span = locateFragment(text, t.fragment);
      if (span !== "absent" && !("reason" in span)) spans.push(span);
    }
  }
  return spans.sort((a, b) => a.start - b.start).map((span) => fragmentLines(text, span));
}

const markersLeft = (file: string) => new GenError(`${file} still has conflict markers from an earlier merge: resolve the conflict markers, then run again.`);

export function planUpdate(root: string, options: UpdateOptions = {}, repo: RepoView = fsRepo(root)): UpdatePlan {
  const record = readRecord(repo);
  const ids = Object.keys(record.entities).sort();
  if (ids.length === 0) {
    throw new GenError(`${RECORD_FILE} records nothing yet, so there is nothing to update: for a fork from before the record, run pnpm gen update --adopt first (later template changes then reach its hosts and users).`);
  }
  const hosts = options.hosts ?? [];
  for (const h of hosts) {
    if (!ids.some((id) => entityHost(id) === h)) throw new GenError(`${RECORD_FILE} records nothing of host ${h}: check the name (recorded hosts: ${[...new Set(ids.map(entityHost).filter(Boolean))].join(", ") || "none"}).`);
  }
  const next: GenRecord = structuredClone(record);
  const pending: Pending[] = [];
  for (const id of ids) {
    if (hosts.length > 0 && !hosts.includes(entityHost(id) ?? "")) continue;
    record.entities[id]!.templates.forEach((t, index) => {
      const current = currentTemplate(root, t.template);
      if (current === undefined) {
        throw new GenError(`templates/${t.template}, which ${id} was rendered from, is gone: restore it (git checkout <commit> -- templates/${t.template}), or remove its entry from ${RECORD_FILE} to stop following it.`);
      }
      if (blobId(current) !== t.blob) pending.push({ id, index, t, current });
    });
  }

  const tree = new Tree(repo);
  const conflicts = new Set<string>();
  const missing: string[] = [];
  for (const file of new Set(pending.map((p) => p.t.file))) {
    const text = tree.read(file);
    if (text !== undefined && hasConflictMarkers(text)) throw markersLeft(file);
  }
  // Fragments first, found in the files as they are; then whole files, whose
  // merge carries the merged fragments along as the owner's side.
  const ordered = [...pending.filter((p) => p.t.fragment), ...pending.filter((p) => !p.t.fragment)];
  for (const p of ordered) {
    const answers = record.entities[p.id]!.answers;
    const base = renderSource(oldTemplate(root, p.t.template, p.t.blob), answers);
    const theirs = renderSource(p.current, answers);
    next.entities[p.id]!.templates[p.index]!.blob = blobId(p.current);
    const text = tree.read(p.t.file);
    if (text === undefined) {
      // The owner deleted the file: the template's change has nowhere to go.
      missing.push(p.t.file);
      continue;
    }
    const labels = { ours: p.t.file, base: `templates/${p.t.template} as rendered before`, theirs: `templates/${p.t.template} now` };
    if (!p.t.fragment) {
      // The users' blocks in this file, as they stand, go into both renders alike.
      const blocks = blocksIn(record, p.t.file, text);
      const b = withBlocks(base, blocks);
      const t = withBlocks(theirs, blocks);
      const merged = b !== undefined && t !== undefined ? mergeThree(b, text, t, labels) : mergeThree(base, text, theirs, labels);
      if (merged.conflicts > 0) conflicts.add(p.t.file);
      tree.write(p.t.file, merged.text);
      continue;
    }
    const at = locateIn(p.t.file, text, p.t.fragment, (path) => tree.read(path));
    if (at === "absent") continue; // taken out by hand: stays out
    if ("reason" in at) {
      throw new GenError(`${p.t.file} cannot be updated safely because ${at.reason}: fix it and run again, or update only the other hosts with --host.`);
    }
    // An entry in a file flake.nix imports (hosts/default.nix) is merged there.
    if (at.file !== p.t.file && hasConflictMarkers(at.text)) throw markersLeft(at.file);
    const { span } = at;
    const merged = mergeThree(layOut(base, at.text, span), at.text.slice(span.start, span.end), layOut(theirs, at.text, span), { ...labels, ours: at.file });
    if (merged.conflicts > 0) conflicts.add(at.file);
    tree.write(at.file, at.text.slice(0, span.start) + merged.text + at.text.slice(span.end));
  }
  if (pending.length > 0) tree.write(RECORD_FILE, formatRecord(next));

  const changes = tree.changes();
  const updated = [...new Set(pending.map((p) => p.id))];
  const conflicted = [...conflicts].sort();
  const steps: string[] = [];
  if (conflicted.length > 0) {
    steps.push(
      `Resolve the conflict markers in ${conflicted.join(", ")}: between <<<<<<< and ======= is your text, between ======= and >>>>>>> the new template's; keep what is right, delete the marker lines (the fork check fails while any are left).`,
    );
  }
  if (changes.length > 0) steps.push(`Review the changes (git diff), then commit them: git add -A ${[...new Set(changes.map((c) => c.path))].join(" ")}`);
  const title = updated.length === 0 ? "Nothing to update: every recorded file is on the current templates" : `Update ${updated.join(", ")} to the current templates`;
  return { plan: { title, changes, nextSteps: steps }, conflicts: conflicted, missing: [...new Set(missing)].sort() };
}
