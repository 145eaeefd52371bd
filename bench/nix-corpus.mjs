// Checks the generators' Nix lexer (packages/generators/src/nix/scan.ts)
// against Nix itself on every .nix file below the folders given:
//
//   node bench/nix-corpus.mjs DIR [DIR...]     (build the generators first)
//
// For each file that `nix-instantiate --parse` accepts, two rewrites by the
// lexer must parse to the same expression (compared as the multiset of the
// words Nix prints, since Nix 2.8's order of attributes varies by run):
//   - "tokens": every token on its own, joined by single spaces, comments
//     dropped (a token split or merged wrongly, e.g. `f''` read as the start
//     of a string or `https://a/*b` as the start of a comment, changes it);
//   - "comments": each character the lexer calls a comment blanked out.
// The editors' parser (nix-ast.ts) must also take every such file, and the
// module editor (flake-edit.ts addToModule, with a sample account block) must
// either refuse it in one line or edit it into a file Nix still parses.
// Prints the counts and the first disagreements; exits 1 if there are any.
// Nothing here is a test of the machine: use a clone of a large Nix project
// (Home Manager, nix-darwin) as the corpus, outside this repository.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { entryFile } from "./generators.mjs";

// NIX_SCAN_MODULE: another build's entry exporting the same names (an older checkout's).
const { COMMENT, lexNix, parseNix, addToModule } = await import(pathToFileURL(process.env.NIX_SCAN_MODULE ?? entryFile("generators", "./internals")).href);
const BLOCK = ["# bob", "users.users.bob = {", "  isNormalUser = true;", "  shell = pkgs.zsh;", "};", "home-manager.users.bob = import ./home/bob.nix;"];

const dirs = process.argv.slice(2).filter((a) => a !== "--");
if (dirs.length === 0) {
  process.stderr.write("usage: node bench/nix-corpus.mjs DIR [DIR...]\n");
  process.exit(2);
}

function nixFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== ".git") out.push(...nixFiles(p));
    else if (e.isFile() && e.name.endsWith(".nix")) out.push(p);
  }
  return out;
}

/**
 * `nix-instantiate --parse` of each list of files, element by element (null
 * where Nix refuses a file). Nix prints a set's attributes in the order their
 * names were first seen by the process, so lists compared with each other
 * are parsed in batches of the same make-up: one process per batch and list.
 */
function parseAlike(lists) {
  const out = lists.map(() => []);
  const BATCH = 100;
  const parse = (batch) => {
    const run = spawnSync("nix-instantiate", ["--parse", ...batch], { encoding: "utf8", maxBuffer: 1 << 28 });
    const lines = run.stdout.split("\n").filter((l, j, all) => j < all.length - 1 || l !== "");
    return run.status === 0 && lines.length === batch.length ? lines : null;
  };
  for (let i = 0; i < lists[0].length; i += BATCH) {
    const batches = lists.map((l) => l.slice(i, i + BATCH));
    const results = batches.map(parse);
    batches.forEach((batch, k) => {
      // One refused file fails its batch: then every list parses that batch file by file.
      const lines = results.every(Boolean) ? results[k] : batch.map((p) => parse([p])?.[0] ?? null);
      out[k].push(...lines);
    });
  }
  return out;
}

/**
 * Nix 2.8 prints a set's attributes and a function's formals in the order of
 * their names' addresses in memory, which differs from run to run: compare
 * what it prints as a sorted list of its words and string literals.
 */
function canonical(printed) {
  if (printed === null || printed === undefined) return null;
  return (printed.match(/"(?:[^"\\]|\\.)*"|[,;]|[^\s",;]+/g) ?? []).sort().join("\n");
}

const files = dirs.flatMap((d) => nixFiles(d)).sort();
const work = mkdtempSync(join(tmpdir(), "nix-corpus-"));
const counts = { files: files.length, nixRefuses: 0, lexerThrows: 0, parserThrows: 0, edited: 0, editRefused: 0, editorThrows: 0, editUnparsable: 0, checked: 0, tokensDiffer: 0, commentsDiffer: 0 };
const failures = [];
try {
  const [parsed] = parseAlike([files]);
  const original = new Map(files.map((f, i) => [f, parsed[i]]));
  const rewrites = [];
  const edits = [];
  files.forEach((file, i) => {
    if (original.get(file) === null) {
      counts.nixRefuses++;
      return;
    }
    const text = readFileSync(file, "utf8");
    let lexed;
    try {
      lexed = lexNix(text);
    } catch (e) {
      counts.lexerThrows++;
      failures.push(`${file}: the lexer threw on a file Nix parses: ${e.message}`);
      return;
    }
    counts.checked++;
    try {
      parseNix(text);
    } catch (e) {
      counts.parserThrows++;
      failures.push(`${file}: the editors' parser (nix-ast) threw on a file Nix parses: ${e.message}`);
    }
    try {
      const edit = addToModule(text, BLOCK, { needsPkgs: true });
      if (edit.ok) {
        counts.edited++;
        const path = join(work, "e", String(i), relative("/", file));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, edit.text);
        edits.push({ file, path });
      } else if (edit.reason.includes("\n")) failures.push(`${file}: the editor's refusal is not one line`);
      else counts.editRefused++;
    } catch (e) {
      counts.editorThrows++;
      failures.push(`${file}: the module editor threw: ${e.stack}`);
    }
    // Relative paths must stay relative to the same folder: write beside a same-named folder tree.
    const tokens = join(work, "t", String(i), relative("/", file));
    const comments = join(work, "c", String(i), relative("/", file));
    const blanked = Array.from(text, (ch, j) => (lexed.kinds[j] === COMMENT && ch !== "\n" ? " " : ch)).join("");
    rewrites.push({ file, prefix: String(i), tokens, comments, tokensText: lexed.tokens.map((t) => t.text).join(" ") + "\n", blanked });
  });
  for (const r of rewrites) {
    for (const [path, content] of [
      [r.tokens, r.tokensText],
      [r.comments, r.blanked],
    ]) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  const [want, viaTokens, viaComments] = parseAlike([rewrites.map((r) => r.file), rewrites.map((r) => r.tokens), rewrites.map((r) => r.comments)]);
  // Nix prints paths made absolute: take the rewrite's folder prefix off.
  const unplace = (out, kind, r) => canonical(out?.split(join(work, kind, r.prefix) + "/").join("/"));
  rewrites.forEach((r, i) => {
    if (unplace(viaTokens[i], "t", r) !== canonical(want[i])) {
      counts.tokensDiffer++;
      failures.push(`${r.file}: re-joining its tokens changes what Nix parses`);
    }
    if (unplace(viaComments[i], "c", r) !== canonical(want[i])) {
      counts.commentsDiffer++;
      failures.push(`${r.file}: blanking its comments changes what Nix parses`);
    }
  });
  const [editParsed] = parseAlike([edits.map((e) => e.path)]);
  edits.forEach((e, i) => {
    if (editParsed[i] === null) {
      counts.editUnparsable++;
      failures.push(`${e.file}: the module editor's result does not parse`);
    }
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const line of failures.slice(0, 20)) console.log(line);
if (failures.length > 20) console.log(`… and ${failures.length - 20} more`);
console.log(
  `${counts.files} .nix files: ${counts.nixRefuses} not accepted by this Nix (skipped), ${counts.checked} checked; ` +
    `lexer threw on ${counts.lexerThrows}, parser on ${counts.parserThrows}, token re-join differs on ${counts.tokensDiffer}, comment blanking differs on ${counts.commentsDiffer}; ` +
    `module editor: ${counts.edited} edited (${counts.editUnparsable} of them no longer parse), ${counts.editRefused} refused in one line, threw on ${counts.editorThrows}`,
);
process.exit(failures.length === 0 ? 0 : 1);
