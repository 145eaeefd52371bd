// @ts-check
// What the pages import, rendered into memory: the starter's files and named
// excerpts of them, each catalogue scenario's command and files, the flag
// tables, the refusals, the layout tree, the README's set-up commands and the
// benchmark results. Everything Nix comes from the generators' package: the
// frozen starter (never the fork's own files, which change with every
// `pnpm gen`) and the scenario catalogue the snapshot tests pin.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  REFUSALS,
  RELEASE,
  SAMPLE_DISK_HOST,
  SAMPLE_INSTALL,
  SCENARIOS,
  STARTER_DIR,
  commandFor,
  generatorParams,
  insertedLines,
  installDryRun,
  memoryRepo,
  planScenario,
  refusalMessage,
  runSteps,
  starterFiles,
} from "@starter/generators";
import { code, fenced, findExcerpt, hunks, lines, mdxText, ranges, sharedIndent, wrapCommand } from "./text.mjs";
import { REPO_ROOT } from "./write.mjs";

/** @typedef {import("@starter/generators").Plan} Plan */
/** @typedef {import("@starter/generators").ParamDoc} ParamDoc */

/**
 * One code block the docs show, as recorded in manifest.json.
 * @typedef {object} Snippet
 * @property {string} module     the partial's path under src/generated/
 * @property {string} title      the repository path shown as the block's title
 * @property {{ kind: "file" } | { kind: "plan", scenario: string }} source
 * @property {number} startLine  1-based line of `code` within the whole file
 * @property {number} dedent     spaces taken off the start of every line (named excerpts read flush left)
 * @property {string} code       the block's text, without a final newline
 * @property {number[]} highlight 1-based lines within the block that the plan inserted
 */

/** Named parts of the starter's files. @type {import("./text.mjs").ExcerptSpec[]} */
export const EXCERPTS = [
  { name: "flake-inputs", path: "flake.nix", start: /^\s*inputs = \{/ },
  // The shared Home Manager settings block, with its comment.
  { name: "flake-homeManager", path: "flake.nix", start: /^\s*homeManager = \{$/, comment: true },
  // hostModules and mkHost, which builds each nixosConfigurations entry from it.
  { name: "flake-mkHost", path: "modules/flake/default.nix", start: /^\s*hostModules =/, end: /^ {4}\};$/, comment: true },
  { name: "flake-colmena-input", path: "flake.nix", start: /^\s*colmena = \{/, comment: true },
  { name: "flake-agenix-input", path: "flake.nix", start: /^\s*agenix = \{/, comment: true },
  { name: "flake-colmenaHive", path: "flake.nix", start: /^\s*colmenaHive =/, comment: true },
  { name: "flake-mkHive", path: "modules/flake/default.nix", start: /^\s*mkHive =/, end: /^ {4}\);$/, comment: true },
  { name: "flake-mkDarwin", path: "modules/flake/default.nix", start: /^\s*mkDarwin =/, comment: true },
  { name: "flake-mkHome", path: "modules/flake/default.nix", start: /^\s*mkHome =/, comment: true },
  { name: "flake-nixosConfigurations", path: "flake.nix", start: /^\s*nixosConfigurations = \{/, comment: true },
  { name: "flake-darwinConfigurations", path: "flake.nix", start: /^\s*darwinConfigurations = \{/, comment: true },
  { name: "flake-homeConfigurations", path: "flake.nix", start: /^\s*homeConfigurations = \{/, comment: true },
  { name: "flake-checks", path: "flake.nix", start: /^\s*checks =/, comment: true },
  { name: "flake-checksOf", path: "modules/flake/default.nix", start: /^\s*checksOf =/, end: /^ {4}\/\/ prefixed "home"/, comment: true },
  { name: "example-stateVersion", path: "hosts/example/configuration.nix", start: /^\s*system\.stateVersion =/, comment: true },
  { name: "example-account-alice", path: "hosts/example/configuration.nix", start: /^\s*# alice$/, end: /^\s*home-manager\.users\.alice = / },
];

/** The plans of every catalogue scenario on the starter, by id. */
export function planScenarios() {
  const repo = memoryRepo(starterFiles());
  /** @type {Map<string, Plan>} */
  const plans = new Map(SCENARIOS.map((s) => [s.id, planScenario(repo, s)]));
  return { plans, repo };
}

/**
 * Renders everything into memory: a map from paths under src/generated/ to
 * their content. Pure apart from reading the starter, README.md and bench/.
 */
export function renderExamples() {
  /** @type {Map<string, string>} */
  const out = new Map();
  /** @type {Snippet[]} */
  const snippets = [];

  /**
   * @param {string} module
   * @param {string} title
   * @param {Snippet["source"]} source
   * @param {string[]} all    every line of the file
   * @param {number} from     0-based first line of the block
   * @param {number} to       0-based end, exclusive
   * @param {number[]} marked 0-based lines of the file to highlight
   * @param {boolean} [flush] strip the indentation the lines share
   */
  const block = (module, title, source, all, from, to, marked, flush = false) => {
    const slice = all.slice(from, to);
    const dedent = flush ? sharedIndent(slice) : 0;
    const body = slice.map((l) => l.slice(dedent)).join("\n");
    const highlight = marked.map((l) => l - from + 1);
    const whole = from === 0 && to === all.length;
    const meta = [`title=${JSON.stringify(title)}`];
    if (!whole) meta.push(`showLineNumbers=${from + 1}`);
    if (highlight.length > 0) meta.push(ranges(highlight));
    snippets.push({ module, title, source, startLine: from + 1, dedent, code: body, highlight });
    return fenced("nix", meta.join(" "), body);
  };

  // The starter's files, whole.
  const starter = starterFiles();
  for (const [path, text] of Object.entries(starter)) {
    if (!path.endsWith(".nix")) continue;
    const all = lines(text);
    const module = `repo/${path}.mdx`;
    out.set(module, block(module, path, { kind: "file" }, all, 0, all.length, []));
  }

  // Named excerpts of them.
  for (const spec of EXCERPTS) {
    const text = starter[spec.path];
    if (text === undefined) throw new Error(`The starter has no ${spec.path} (excerpt ${spec.name}): update EXCERPTS in scripts/render/pages.mjs.`);
    const { from, to } = findExcerpt(text, spec);
    const module = `excerpts/${spec.name}.mdx`;
    out.set(module, block(module, spec.path, { kind: "file" }, lines(text), from, to, [], true));
  }

  // What each catalogue scenario writes.
  const { plans, repo } = planScenarios();
  for (const scenario of SCENARIOS) {
    const plan = /** @type {Plan} */ (plans.get(scenario.id));
    const dir = `plans/${scenario.id}`;
    const source = /** @type {const} */ ({ kind: "plan", scenario: scenario.id });
    /** @type {string[]} */
    const summary = [fenced("bash", "", scenario.steps.map((s) => wrapCommand(commandFor(s))).join("\n")), ""];
    for (const change of plan.changes) {
      // The record is JSON for gen update, not Nix to read: named, not shown.
      if (change.path === "gen-record.json") {
        summary.push(`- records the run in ${code(change.path)}`);
        continue;
      }
      const module = `${dir}/${change.path}.mdx`;
      if (change.after === null) {
        // A removal shows no file: the summary says what goes.
        summary.push(`- deletes ${code(change.path)} (${lines(change.before ?? "").length} lines)`);
        continue;
      }
      // An age file is random each run and means nothing to read: named, never shown.
      if (change.path.endsWith(".age")) {
        summary.push(`- ${change.before === null ? "creates" : "re-encrypts"} ${code(change.path)} (age-encrypted, different on every run)`);
        continue;
      }
      const all = lines(change.after);
      if (change.before === null) {
        summary.push(`- creates ${code(change.path)} (${all.length} lines)`);
        out.set(module, block(module, change.path, source, all, 0, all.length, []));
        continue;
      }
      const { inserted, removed } = insertedLines(change.before, change.after);
      const parts = [`adds ${inserted.length} line${inserted.length === 1 ? "" : "s"}`];
      if (removed > 0) parts.push(`removes ${removed}`);
      summary.push(`- updates ${code(change.path)} (${parts.join(", ")})`);
      out.set(module, hunks(inserted, all).map((h) => block(module, change.path, source, all, h.from, h.to, h.marked)).join("\n"));
    }
    summary.push("", "and prints the next steps:", "");
    plan.nextSteps.forEach((step, i) => summary.push(`${i + 1}. ${stepText(step)}`));
    out.set(`${dir}/summary.mdx`, summary.join("\n") + "\n");
  }

  // One flag table per generator of the registry.
  for (const [name, params] of Object.entries(generatorParams)) out.set(`params/${name}.mdx`, paramTable(params));
  // gen install runs a program: its dry run, on the repository after SAMPLE_DISK_HOST, is what the page shows.
  const installed = installDryRun(runSteps(repo, [SAMPLE_DISK_HOST]), SAMPLE_INSTALL);
  out.set("plans/install-web5/report.mdx", fenced("text", 'title="pnpm gen install web5 --target root@203.0.113.5 --dry-run"', installed));
  out.set("errors.mdx", refusalTable(repo));
  out.set("tree.mdx", fenced("text", 'title="the Nix side of the repository"', layoutTree(starter)));
  out.set("setup-commands.mdx", setupCommands(REPO_ROOT));
  out.set("bench.md", renderBench(REPO_ROOT));
  out.set("manifest.json", JSON.stringify({ release: RELEASE, scenarios: SCENARIOS.map((s) => s.id), snippets }, null, 2) + "\n");
  return out;
}

/** A next step: the prose, and the command after the first ": " as code. */
function stepText(/** @type {string} */ step) {
  const m = /^(.*?): (.+)$/.exec(step);
  if (!m || !/^(sudo |git |pnpm |home-manager |nix |ssh )/.test(m[2] ?? "")) return mdxText(step);
  const [cmd, alt] = (m[2] ?? "").split(/ \((.*)\)$/);
  return `${mdxText(m[1] ?? "")}: ${code(cmd ?? "")}${alt ? ` (${mdxText(alt)})` : ""}`;
}

function paramTable(/** @type {ParamDoc[]} */ params) {
  const cell = (/** @type {string} */ s) => mdxText(s).replace(/\n/g, " ");
  const rows = [
    "| Flag | Prompt | Default | What it sets |",
    "| --- | --- | --- | --- |",
    ...params.map((p) => {
      const marks = [p.required ? "required" : "", p.repeatable ? "repeatable" : ""].filter(Boolean);
      const flag = `${code(p.flag)}${marks.length > 0 ? ` (${marks.join(", ")})` : ""}`;
      // A value is shown as code; a description of a default ("the username") as prose.
      const isValue = (/** @type {string} */ d) => (p.choices ?? []).includes(d) || /^(\d+(\.\d+)*|true|false)$/.test(d);
      const dflt = p.default === undefined ? "" : isValue(p.default) ? code(p.default) : cell(p.default);
      const choices = p.choices ? ` One of ${p.choices.map(code).join(", ")}.` : "";
      return `| ${flag} | ${cell(p.prompt)} | ${dflt} | ${cell(p.help)}${choices} |`;
    }),
  ];
  return rows.join("\n") + "\n";
}

function refusalTable(/** @type {import("@starter/generators").RepoView} */ repo) {
  const rows = ["| You run | The generator says |", "| --- | --- |"];
  for (const r of REFUSALS) rows.push(`| ${code(commandFor(r.step))} | ${mdxText(refusalMessage(repo, r))} |`);
  return rows.join("\n") + "\n";
}

/** The starter's Nix side, plus templates/, as `tree` draws it. */
function layoutTree(/** @type {Record<string, string>} */ starter) {
  /** @type {Map<string, Set<string>>} children of each folder ("" is the root) */
  const children = new Map();
  const add = (/** @type {string} */ path) => {
    const parts = path.split("/");
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!children.has(dir)) children.set(dir, new Set());
      children.get(dir)?.add(parts[i] ?? "");
    }
  };
  for (const path of Object.keys(starter)) add(path);
  const walkTemplates = (/** @type {string} */ rel) => {
    for (const name of readdirSync(join(REPO_ROOT, rel))) {
      const path = `${rel}/${name}`;
      if (statSync(join(REPO_ROOT, path)).isDirectory()) walkTemplates(path);
      else add(path);
    }
  };
  walkTemplates("templates");
  const isDir = (/** @type {string} */ path) => children.has(path);
  const order = ["flake.nix", "hosts", "modules", "nix", "templates"];
  /** @type {string[]} */
  const out = ["."];
  const walk = (/** @type {string} */ dir, /** @type {string} */ prefix, /** @type {string[]} */ names) => {
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const full = dir === "" ? name : `${dir}/${name}`;
      out.push(`${prefix}${last ? "└── " : "├── "}${name}${isDir(full) ? "/" : ""}`);
      if (isDir(full)) walk(full, prefix + (last ? "    " : "│   "), [...(children.get(full) ?? [])].sort());
    });
  };
  walk("", "", order.filter((t) => children.get("")?.has(t)));
  return out.join("\n");
}

/**
 * The README's set-up commands: its first shell block that runs `pnpm test`,
 * so the landing page and the README cannot disagree.
 */
export function setupCommands(/** @type {string} */ root) {
  const readme = join(root, "README.md");
  if (!existsSync(readme)) return fenced("bash", "", "npm i -g pnpm@10 && pnpm install && pnpm gen host web1 --system x86_64-linux\npnpm test");
  for (const m of readFileSync(readme, "utf8").matchAll(/^(`{3,})(?:sh|bash|shell)\s*\n([\s\S]*?)\n\1\s*$/gm)) {
    if (/^\s*pnpm test\s*$/m.test(m[2] ?? "")) return fenced("bash", "", m[2] ?? "");
  }
  throw new Error("README.md has no shell block with the set-up commands (one that runs `pnpm test`): update setupCommands() in scripts/render/pages.mjs.");
}

/** bench/results.md as it is, or how to produce it. */
export function renderBench(/** @type {string} */ root) {
  const results = join(root, "bench", "results.md");
  if (existsSync(results)) return readFileSync(results, "utf8");
  return [
    "No benchmark results yet. Run this at the root of the repository:",
    "",
    "```bash",
    "pnpm bench",
    "```",
    "",
    "It writes `bench/results.md`, and the next build of this site shows it here.",
    "",
  ].join("\n");
}

export { STARTER_DIR };
