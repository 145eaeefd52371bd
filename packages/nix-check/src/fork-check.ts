// The fork check: validates whatever a fork's flake holds now, whatever its
// hosts and users are called and however many there are. Every .nix file
// parses; every nixosConfigurations, darwinConfigurations and homeConfigurations entry evaluates
// with the stub inputs, each import resolving; every integrated user's home
// is walked; secrets/ is checked against the hosts that use it. Problems
// come back as file + reason, never as a pinned listing.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { copyFlakeTree, evalWithStubs } from "./flake-eval.js";
import { diskPlaceholderWarnings } from "./disk-placeholder.js";
import { listNixFiles } from "./files.js";
import { parseNixPaths } from "./parse.js";
import { checkSecrets } from "./secrets-check.js";

/** The flake outputs the check evaluates, entry by entry, when the flake has them (colmenaHive's nodes are hosts too). */
export const CONFIG_OUTPUTS = ["nixosConfigurations", "darwinConfigurations", "homeConfigurations", "colmenaHive.nodes"] as const;
export type ConfigOutput = (typeof CONFIG_OUTPUTS)[number];

export interface ForkProblem {
  /** The repo-relative file at fault, as far as Nix's message tells. */
  file: string;
  /** What Nix said, with store paths written as repo paths. */
  reason: string;
  /** The flake entry it concerns (`nixosConfigurations.web1`), if any. */
  entry?: string;
}

export interface EntryReport {
  /** For a host: each user's home that Home Manager integrates, with the repo files it was walked from. */
  homes: Record<string, string[]>;
  /** The repo files the entry is built from, in walk order. */
  files: string[];
  /** For a host: its age.secrets, name → the repo path of its .age file. */
  secrets: Record<string, string>;
}

export interface ForkReport {
  /** Every .nix file checked with the parser. */
  nixFiles: string[];
  /** Each output's entries that evaluated, by name. */
  entries: Record<ConfigOutput, Record<string, EntryReport>>;
  problems: ForkProblem[];
  /** What evaluates but should be fixed before an install (a placeholder disk). */
  warnings: string[];
}

const STORE_PATH = /\/nix\/store\/[a-z0-9]{32}-source\//g;

/** Nix's message for a failed evaluation, readable: repo paths, no trace noise. */
export function readableNixError(message: string): string {
  const lines = message
    .replace(STORE_PATH, "")
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !/^nix eval .* failed:$/.test(l));
  // The last `error:` line is the cause; the ones before it are where it was met.
  const errors = lines.filter((l) => /^\s*error:/.test(l));
  const cause = (errors[errors.length - 1] ?? lines[0] ?? "evaluation failed").replace(/^\s*error:\s*/, "").trim();
  // Where Nix met it, when it says so right after the cause (a parse error's line and column).
  const after = lines.slice(lines.lastIndexOf(errors[errors.length - 1] ?? "") + 1);
  const at = /^\s*at (\S+:\d+:\d+):?$/.exec(after.find((l) => /^\s*at /.test(l)) ?? "")?.[1];
  return at ? `${cause} (at ${at})` : cause;
}

/** The first repo file a message names, else `fallback`. */
function fileIn(reason: string, files: readonly string[], fallback: string): string {
  let best: { file: string; at: number } | undefined;
  for (const file of files) {
    const at = reason.indexOf(file);
    if (at >= 0 && (best === undefined || at < best.at || (at === best.at && file.length > best.file.length))) best = { file, at };
  }
  if (best) return best.file;
  const path = /(?:^|[\s'"(])((?:hosts|modules|nix)\/[^\s'":)]+\.nix)/.exec(reason);
  return path?.[1] ?? fallback;
}

const HOST_APPLY = `c: {
  files = c.files or [ ];
  # Walking each home's modules: an import it cannot resolve fails here.
  homes = builtins.mapAttrs (u: h: h.files) c.config.home-manager.users;
  # Each secret's file (an age.secrets file that is not there fails here).
  secrets = builtins.mapAttrs (n: s: toString s.file) (c.config.age.secrets or { });
}`;
const HOME_APPLY = `c: { files = c.config.files or [ ]; homes = { }; secrets = { }; }`;

const applyFor = (output: ConfigOutput) => (output === "homeConfigurations" ? HOME_APPLY : HOST_APPLY);

/** Parses and evaluates the fork at `root` (a checkout; only its flake files are copied). */
export function checkFork(root: string): ForkReport {
  const nixFiles = listNixFiles(root);
  const report: ForkReport = {
    nixFiles,
    entries: { nixosConfigurations: {}, darwinConfigurations: {}, homeConfigurations: {}, "colmenaHive.nodes": {} },
    problems: [],
    warnings: diskPlaceholderWarnings(root),
  };
  if (!nixFiles.includes("flake.nix")) {
    report.problems.push({ file: "flake.nix", reason: "there is no flake.nix at the root of the fork" });
    return report;
  }
  // A merge (git's, or gen update's) can leave conflict markers: name them before the parser's cryptic error.
  const conflicted = nixFiles.filter((file) => hasConflictMarkers(readFileSync(join(root, file), "utf8")));
  for (const file of conflicted) {
    report.problems.push({ file, reason: "it has merge conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict markers, then check again" });
  }
  // One parser process for all; only when one fails, each on its own to name every broken file.
  if (conflicted.length > 0 || !parseNixPaths(nixFiles, root).ok) {
    for (const file of nixFiles.filter((f) => !conflicted.includes(f))) {
      const result = parseNixPaths([file], root);
      if (!result.ok) report.problems.push({ file, reason: readableNixError(result.message.split(root + "/").join("")) });
    }
    return report;
  }

  const dir = copyFlakeTree(root);
  const absent = new Set<ConfigOutput>();
  try {
    for (const output of CONFIG_OUTPUTS) {
      const apply = applyFor(output);
      try {
        // The usual case, green: every entry in one evaluation.
        const all = evalWithStubs<Record<string, EntryReport>>(dir, output, { apply: `cs: builtins.mapAttrs (n: ${apply}) cs` });
        for (const [name, e] of Object.entries(all)) report.entries[output][name] = readEntry(e);
        continue;
      } catch {
        // Something is broken: find out what, below.
      }
      let names: string[];
      try {
        names = evalWithStubs<string[]>(dir, output, { apply: "builtins.attrNames" });
      } catch (error) {
        const reason = readableNixError((error as Error).message);
        // A flake without the output at all is a fork's choice; anything else is a problem.
        if (!/does not provide attribute|attribute '[^']*' missing/.test(reason) || !reason.includes(output.split(".")[0]!)) {
          report.problems.push({ file: fileIn(reason, nixFiles, "flake.nix"), reason, entry: output });
        } else absent.add(output);
        continue;
      }
      // Entry by entry, to say which is broken and why.
      for (const name of names) {
        try {
          report.entries[output][name] = readEntry(evalWithStubs<EntryReport>(dir, `${output}.${JSON.stringify(name)}`, { apply }));
        } catch (error) {
          const reason = readableNixError((error as Error).message);
          report.problems.push({ file: fileIn(reason, nixFiles, "flake.nix"), reason, entry: `${output}.${name}` });
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report.problems.push(...missingNodes(report, absent));
  // Secrets: the hosts' age.secrets as just evaluated, against secrets/ and the host keys.
  const uses = { ...report.entries.nixosConfigurations, ...report.entries.darwinConfigurations };
  report.problems.push(...checkSecrets(root, Object.fromEntries(Object.entries(uses).map(([h, e]) => [h, e.secrets]))));
  return report;
}

/**
 * Colmena's contract, made explicit: colmenaHive rebuilds a node only from
 * the arguments mkHost keeps (`host`), so a nixosConfigurations entry written
 * another way is no node and `colmena apply` would skip it without a word.
 * Every host that evaluated is a node, or named here with the reason.
 */
function missingNodes(report: ForkReport, absent: ReadonlySet<ConfigOutput>): ForkProblem[] {
  const hive = "colmenaHive.nodes";
  // No hive is a fork's choice; a broken hive is reported already.
  if (absent.has(hive) || report.problems.some((p) => p.entry?.startsWith("colmenaHive"))) return [];
  return Object.keys(report.entries.nixosConfigurations)
    .filter((name) => !(name in report.entries[hive]))
    .map((name) => ({
      file: "flake.nix",
      entry: `nixosConfigurations.${name}`,
      reason: `${name} is not a Colmena node: colmenaHive builds nodes only from entries mkHost made (it keeps their arguments), so \`colmena apply\` would skip this one. Write it as \`${name} = mkHost { hostName = "${name}"; system = "…"; };\` to deploy it with Colmena`,
    }));
}

/** Whether `text` holds a git-style conflict: a `<<<<<<<` line, later `=======`, later `>>>>>>>`. */
export function hasConflictMarkers(text: string): boolean {
  return /^<{7}(?: .*)?\r?$[\s\S]*?^={7}\r?$[\s\S]*?^>{7}(?: .*)?\r?$/m.test(text);
}

function readEntry(e: EntryReport): EntryReport {
  return {
    files: repoFiles(e.files),
    homes: Object.fromEntries(Object.entries(e.homes).map(([u, files]) => [u, repoFiles(files)])),
    secrets: Object.fromEntries(Object.entries(e.secrets ?? {}).map(([n, f]) => [n, f.replace(STORE_PATH, "")])),
  };
}

function repoFiles(files: string[]): string[] {
  return files.filter((f) => f.startsWith("/nix/store/")).map((f) => f.replace(STORE_PATH, ""));
}

/** A problem as one line: `file: reason (entry)`. */
export function formatProblem(p: ForkProblem): string {
  return `${p.file}: ${p.reason}${p.entry ? ` (${p.entry})` : ""}`;
}
