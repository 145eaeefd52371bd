// gen fix's planner: evaluate → read the warnings → rewrite in a Tree →
// evaluate the planned tree again, until nothing renamed is left (renames
// chain). The result is a Plan for run.ts's check/lock/journal/apply, and a
// summary of what was rewritten, what needs a person and what was not
// evaluated.
import { addToModule } from "../../nix/edit.js";
import type { Plan } from "../../write/plan.js";
import { type RepoView, Tree } from "../../repo/tree.js";
import { followUpFor } from "./follow-ups.js";
import { homeDefinition, moduleDefinitionLine, renameInInlineHome, renameInModule, repoPath } from "./locate.js";
import type { OptionMessage } from "./warnings.js";

/** What one evaluation of the fork said, per configuration ("nixosConfigurations.web1"). */
export interface EvalReport {
  configs: { id: string; messages: OptionMessage[]; error?: string }[];
  /** The store paths the evaluated fork was copied to, to tell its files from Home Manager's. */
  forkSources: string[];
}

/** Evaluates the fork as `tree` has it (the planned edits included). */
export type Evaluator = (tree: RepoView) => EvalReport;

interface Rewritten {
  from: string;
  to: string;
  file: string;
  configs: string[];
  followUp?: string;
}
interface NeedsPerson {
  message: string;
  file?: string;
  line?: number;
  configs: string[];
  why?: string;
}
export interface FixSummary {
  rewritten: Rewritten[];
  needsPerson: NeedsPerson[];
  notEvaluated: { config: string; error: string }[];
}

const MAX_ROUNDS = 10;
const dot = (p: readonly string[]) => p.join(".");

/** The file and text holding a definition a warning names, following an integrated home's import. */
function definitionFile(tree: Tree, file: string, user: string | undefined): { file: string; inline?: string } | { why: string } {
  const text = tree.read(file);
  if (text === undefined) return { why: `${file} is not in the fork` };
  if (user === undefined) return { file };
  const home = homeDefinition(text, file, user);
  if (home.kind === "inline") return { file, inline: user };
  if (home.kind === "import") return tree.read(home.path) === undefined ? { why: `${file} imports ${home.path}, which is not in the fork` } : { file: home.path };
  if (home.kind === "opaque") return { why: home.reason };
  return { file }; // a path-valued home: the warning names the home file itself
}

export function planFix(repo: RepoView, root: string, evaluate: Evaluator): { plan: Plan; summary: FixSummary } {
  const tree = new Tree(repo);
  const summary: FixSummary = { rewritten: [], needsPerson: [], notEvaluated: [] };
  const keys = new Map<NeedsPerson, string>();
  // One entry per option and file, whichever store copy of the fork a round named.
  const person = (n: NeedsPerson, option: readonly string[]) => {
    const key = `${dot(option)}|${n.file ?? ""}`;
    const same = summary.needsPerson.find((p) => keys.get(p) === key);
    if (same) same.configs.push(...n.configs.filter((c) => !same.configs.includes(c)));
    else {
      keys.set(n, key);
      summary.needsPerson.push(n);
    }
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const report = evaluate(tree);
    summary.notEvaluated = report.configs.filter((c) => c.error !== undefined).map((c) => ({ config: c.id, error: c.error! }));
    let progress = false;
    const doneThisRound = new Set<string>();
    for (const config of report.configs) {
      for (const m of config.messages) {
        if (m.kind === "other") continue;
        const files = m.files.map((f) => ({ shown: f, rel: repoPath(f, report.forkSources, root) }));
        if (m.kind !== "renamed") {
          for (const f of files) {
            const where = f.rel === undefined ? undefined : definitionFile(tree, f.rel, m.user);
            const file = where && "file" in where ? where.file : (f.rel ?? f.shown);
            const text = tree.read(file);
            const line = text === undefined ? undefined : moduleDefinitionLine(text, m.from);
            person({ message: m.message, file, ...(line !== undefined ? { line } : {}), configs: [config.id] }, m.from);
          }
          continue;
        }
        for (const f of files) {
          if (f.rel === undefined) {
            person({ message: m.message, file: f.shown, configs: [config.id], why: "the file is not the fork's (Home Manager's or nixpkgs' own), so it is not edited" }, m.from);
            continue;
          }
          const where = definitionFile(tree, f.rel, m.user);
          if ("why" in where) {
            person({ message: m.message, file: f.rel, configs: [config.id], why: where.why }, m.from);
            continue;
          }
          // Several configs (a home integrated and standalone) report the same definition.
          const key = `${dot(m.from)}|${where.file}|${where.inline ?? ""}`;
          if (doneThisRound.has(key)) continue;
          doneThisRound.add(key);
          const text = tree.read(where.file)!;
          const result = where.inline !== undefined ? renameInInlineHome(text, where.inline, m.from, m.to) : renameInModule(text, m.from, m.to);
          if (!result.ok || result.count === 0) {
            const line = moduleDefinitionLine(text, m.from);
            const why = !result.ok ? result.reason : `no definition of \`${dot(m.from)}\` was found in it by structure`;
            person({ message: m.message, file: where.file, ...(line !== undefined ? { line } : {}), configs: [config.id], why }, m.from);
            continue;
          }
          let after = result.text;
          const follow = followUpFor(m.from);
          let followUp: string | undefined;
          if (follow && where.inline === undefined) {
            const added = addToModule(after, [`${follow.add} = ${follow.value};`]);
            if (added.ok) {
              after = added.text;
              followUp = `${follow.add} = ${follow.value}; (${follow.source}: "${follow.says}")`;
            }
          }
          tree.write(where.file, after);
          summary.rewritten.push({ from: dot(m.from), to: dot(m.to), file: where.file, configs: [config.id], ...(followUp ? { followUp } : {}) });
          progress = true;
        }
      }
    }
    if (!progress) break;
  }
  const n = summary.rewritten.length;
  return {
    plan: {
      title: n === 0 ? "Fix renamed options (nothing to rewrite)" : `Fix ${n} renamed option definition${n === 1 ? "" : "s"}`,
      changes: tree.changes(),
      nextSteps: summary.needsPerson.length > 0 ? ["Edit what `gen fix` listed as needing a person, then run `pnpm gen fix` again."] : ["nixos-rebuild build --flake .#<host> (or home-manager build) before switching."],
    },
    summary,
  };
}

/** The summary as the terminal shows it; exit 1 when something needs a person. */
export function formatSummary(s: FixSummary): { text: string; exitCode: number } {
  const lines: string[] = [];
  lines.push(`Rewritten (${s.rewritten.length}):`);
  for (const r of s.rewritten) {
    lines.push(`  ${r.file}: ${r.from} → ${r.to}`);
    if (r.followUp) lines.push(`    also set ${r.followUp}`);
  }
  lines.push(`Needs a person (${s.needsPerson.length}):`);
  for (const p of s.needsPerson) {
    lines.push(`  ${p.file ?? "?"}${p.line !== undefined ? `:${p.line}` : ""} (${p.configs.join(", ")}): ${p.message.split("\n").join("\n    ")}`);
    if (p.why) lines.push(`    not rewritten: ${p.why}`);
  }
  lines.push(`Not evaluated (${s.notEvaluated.length}):`);
  for (const e of s.notEvaluated) lines.push(`  ${e.config}: ${e.error.split("\n").join("\n    ")}`);
  return { text: lines.join("\n"), exitCode: s.needsPerson.length > 0 ? 1 : 0 };
}
