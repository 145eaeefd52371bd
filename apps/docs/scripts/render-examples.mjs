// @ts-check
// Renders every Nix example the guide shows into src/generated/ (gitignored):
//
//   repo/<path>.mdx              a file of the reference flake, whole
//   excerpts/<name>.mdx          a named part of a reference file
//   plans/<scenario>/summary.mdx the command, what it creates and updates, next steps
//   plans/<scenario>/<path>.mdx  what that command writes to <path>: a new file
//                                whole, an edited file as the excerpt around the
//                                inserted lines (highlighted, with line numbers)
//   params/{host,user}.mdx       the generators' flags and prompts
//   errors.mdx                   what the generators say when they refuse
//   tree.mdx                     the layout of the Nix side of the repository
//   setup-commands.mdx           the README's set-up commands, for the landing page
//   bench.md                     bench/results.md, or how to produce it
//   manifest.json                every code block above, for the tests
//
// The plans come from the generators' own planning code (planHost/planUser)
// run read-only on this checkout, so the docs show exactly what
// `pnpm gen host` and `pnpm gen user` write today. Nothing here writes outside
// src/generated/.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RELEASE, fsRepo, generatorParams, planHost, planUser } from "@starter/generators";

/** @typedef {import("@starter/generators").RepoView} RepoView */
/** @typedef {import("@starter/generators").Plan} Plan */
/** @typedef {import("@starter/generators").FileChange} FileChange */
/** @typedef {import("@starter/generators").HostAnswers} HostAnswers */
/** @typedef {import("@starter/generators").UserAnswers} UserAnswers */
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

export const DOCS_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_ROOT = join(DOCS_DIR, "..", "..");
export const OUT_DIR = join(DOCS_DIR, "src", "generated");

/** The host every example adds. */
export const SAMPLE_HOST = /** @type {const} */ ({ name: "web1", system: "x86_64-linux" });

/**
 * The sample commands. Host scenarios run on the checkout as it is; user
 * scenarios run on the checkout with the sample host already added, as a
 * reader who follows the guide would have it.
 * @type {Array<{ id: string, kind: "host", answers: HostAnswers } | { id: string, kind: "user", answers: UserAnswers }>}
 */
export const SCENARIOS = [
  { id: "host-web1", kind: "host", answers: { ...SAMPLE_HOST } },
  {
    id: "user-separate",
    kind: "user",
    answers: { name: "bob", hosts: ["web1"], fullName: "Bob Builder", email: "bob@example.com", pattern: "separate", shell: "bash" },
  },
  {
    id: "user-shared",
    kind: "user",
    answers: { name: "carol", hosts: ["web1"], fullName: "Carol Shaw", email: "carol@example.com", pattern: "shared", shell: "fish" },
  },
  // alice already has a standalone home in nix/alice/home.nix: this is the
  // migration from standalone to integrated.
  { id: "user-reuse", kind: "user", answers: { name: "alice", hosts: ["web1"], fullName: "Alice Liddell", pattern: "reuse", shell: "zsh" } },
  // dave has none yet: reuse creates it first, with its homeConfigurations entry.
  {
    id: "user-reuse-new",
    kind: "user",
    answers: { name: "dave", hosts: ["web1"], fullName: "Dave Rossi", email: "dave@example.com", pattern: "reuse", shell: "zsh" },
  },
  {
    id: "user-standalone",
    kind: "user",
    answers: { name: "erin", hosts: ["web1"], fullName: "Erin Hale", pattern: "shared", standalone: true },
  },
];

/**
 * Commands that the generators refuse, shown with the sentence they print.
 * Each runs on the same repository as the scenarios of its kind.
 * @type {Array<{ command: string, kind: "host", answers: HostAnswers } | { command: string, kind: "user", answers: UserAnswers }>}
 */
export const REFUSALS = [
  { command: "pnpm gen host example --system x86_64-linux", kind: "host", answers: { name: "example", system: "x86_64-linux" } },
  { command: "pnpm gen host Web1 --system x86_64-linux", kind: "host", answers: { name: "Web1", system: "x86_64-linux" } },
  // @ts-expect-error: a value the CLI passes through from a flag, which the types rule out
  { command: "pnpm gen host web2 --system x86_64-darwin", kind: "host", answers: { name: "web2", system: "x86_64-darwin" } },
  { command: "pnpm gen host web2 --system x86_64-linux --state-version 26", kind: "host", answers: { name: "web2", system: "x86_64-linux", stateVersion: "26" } },
  { command: "pnpm gen user alice --host nosuchhost", kind: "user", answers: { name: "alice", hosts: ["nosuchhost"] } },
  { command: "pnpm gen user alice --host example", kind: "user", answers: { name: "alice", hosts: ["example"] } },
  { command: "pnpm gen user root --host web1", kind: "user", answers: { name: "root", hosts: ["web1"] } },
  { command: 'pnpm gen user bob --host web1 --full-name "Bob: admin"', kind: "user", answers: { name: "bob", hosts: ["web1"], fullName: "Bob: admin" } },
  {
    command: "pnpm gen user bob --host web1 --from nix/alice/home.nix",
    kind: "user",
    answers: { name: "bob", hosts: ["web1"], from: "nix/alice/home.nix" },
  },
  {
    command: "pnpm gen user bob --host web1 --pattern reuse --from nix/bob/work.nix",
    kind: "user",
    answers: { name: "bob", hosts: ["web1"], pattern: "reuse", from: "nix/bob/work.nix" },
  },
];

/**
 * Named parts of the reference flake's files. `start` finds the first line;
 * the excerpt runs to `end` (inclusive) or, without it, to the end of the
 * attribute that starts there. `comment` takes the comment lines just above too.
 * @type {Array<{ name: string, path: string, start: RegExp, end?: RegExp, comment?: boolean }>}
 */
export const EXCERPTS = [
  { name: "flake-inputs", path: "flake.nix", start: /^\s*inputs = \{/ },
  { name: "flake-mkHost", path: "flake.nix", start: /^\s*mkHost =/, comment: true },
  { name: "flake-mkHome", path: "flake.nix", start: /^\s*mkHome =/, comment: true },
  { name: "flake-nixosConfigurations", path: "flake.nix", start: /^\s*nixosConfigurations = \{/, comment: true },
  { name: "flake-homeConfigurations", path: "flake.nix", start: /^\s*homeConfigurations = \{/, comment: true },
  { name: "flake-checks", path: "flake.nix", start: /^\s*checks =/, comment: true },
  { name: "example-stateVersion", path: "hosts/example/configuration.nix", start: /^\s*system\.stateVersion =/, comment: true },
  { name: "example-account-alice", path: "hosts/example/configuration.nix", start: /^\s*# alice$/, end: /^\s*home-manager\.users\.alice = / },
];

/** The reference flake: every file under these, plus flake.nix. */
const REFERENCE_DIRS = ["hosts", "modules", "nix"];

/** Flags of each answer, to show the sample commands as typed. */
const HOST_FLAGS = { system: "--system", stateVersion: "--state-version", users: "--user" };
const USER_FLAGS = {
  hosts: "--host",
  fullName: "--full-name",
  email: "--email",
  pattern: "--pattern",
  shell: "--shell",
  standalone: "--standalone",
  from: "--from",
};

/** Every flag the sample commands use, so a test can check that the CLI still has them. */
export const FLAGS_USED = { host: Object.values(HOST_FLAGS), user: Object.values(USER_FLAGS) };

// ---------------------------------------------------------------------------

/** A repository with a plan's changes applied on top, read-only. */
export function withChanges(/** @type {RepoView} */ base, /** @type {FileChange[]} */ changes) {
  const files = new Map(changes.map((c) => [c.path, c.after]));
  /** @type {RepoView} */
  const view = {
    read: (path) => (files.has(path) ? files.get(path) : base.read(path)),
    listDir(path) {
      const dirs = new Set(base.listDir(path));
      const prefix = path === "" ? "" : path.replace(/\/$/, "") + "/";
      for (const file of files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length).split("/");
        if (rest.length > 1 && rest[0]) dirs.add(rest[0]);
      }
      return [...dirs].sort();
    },
  };
  return view;
}

/** Runs every scenario against a checkout; returns the plans by scenario id. */
export function planScenarios(root = REPO_ROOT) {
  const repo = fsRepo(root);
  const withHost = withChanges(repo, planHost(repo, SAMPLE_HOST).changes);
  /** @type {Map<string, Plan>} */
  const plans = new Map();
  for (const s of SCENARIOS) {
    plans.set(s.id, s.kind === "host" ? planHost(repo, s.answers) : planUser(withHost, s.answers));
  }
  return { plans, repo, withHost };
}

/** The command a reader types for a scenario's answers. */
export function commandFor(/** @type {"host" | "user"} */ kind, /** @type {HostAnswers | UserAnswers} */ answers) {
  const flags = kind === "host" ? HOST_FLAGS : USER_FLAGS;
  const words = ["pnpm", "gen", kind, answers.name];
  const given = new Map(Object.entries(answers));
  for (const [key, flag] of Object.entries(flags)) {
    const value = given.get(key);
    if (value === undefined || value === false) continue;
    if (value === true) words.push(flag);
    else for (const v of Array.isArray(value) ? value : [value]) words.push(flag, shellWord(String(v)));
  }
  return words.join(" ");
}

/** Breaks a long command before its flags, with shell line continuations. */
export function wrapCommand(/** @type {string} */ command, width = 72) {
  const parts = command.split(/ (?=--)/);
  /** @type {string[]} */
  const out = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] ?? "").length + 1 + part.length <= width) out[last] += ` ${part}`;
    else out.push(part);
  }
  return out.join(" \\\n  ");
}

function shellWord(/** @type {string} */ s) {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
}

// ---------------------------------------------------------------------------
// Text helpers

/** Lines of a file, without the empty string after a final newline. */
export function lines(/** @type {string} */ text) {
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

/**
 * Which lines of `after` are not in `before` (0-based), by longest common
 * subsequence; and how many lines of `before` are gone.
 */
export function insertedLines(/** @type {string | null} */ before, /** @type {string} */ after) {
  const a = before === null ? [] : lines(before);
  const b = lines(after);
  const n = a.length;
  const m = b.length;
  /** @type {Uint32Array[]} */
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  /** @type {number[]} */
  const inserted = [];
  let removed = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      inserted.push(j++);
    } else {
      removed++;
      i++;
    }
  }
  return { inserted, removed };
}

/**
 * Groups inserted lines (0-based) of a file into excerpts with `context`
 * lines around each, not starting or ending on a blank line.
 */
export function hunks(/** @type {number[]} */ inserted, /** @type {string[]} */ all, context = 2) {
  /** @type {Array<{ from: number, to: number, marked: number[] }>} */
  const out = [];
  for (const line of inserted) {
    const from = Math.max(0, line - context);
    const to = Math.min(all.length, line + context + 1);
    const last = out[out.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.marked.push(line);
    } else {
      out.push({ from, to, marked: [line] });
    }
  }
  const blank = (/** @type {number} */ i) => (all[i] ?? "").trim() === "";
  for (const h of out) {
    while (h.from < (h.marked[0] ?? 0) && blank(h.from)) h.from++;
    while (h.to - 1 > (h.marked[h.marked.length - 1] ?? 0) && blank(h.to - 1)) h.to--;
  }
  return out;
}

/** The line range of a named excerpt in `text` (0-based, end exclusive). */
export function findExcerpt(/** @type {string} */ text, /** @type {(typeof EXCERPTS)[number]} */ spec) {
  const all = lines(text);
  let start = all.findIndex((l) => spec.start.test(l));
  if (start < 0) throw new Error(`${spec.path} has no line matching ${spec.start} (excerpt ${spec.name}): update EXCERPTS in render-examples.mjs.`);
  let end = -1;
  if (spec.end) {
    const end_ = spec.end;
    end = all.findIndex((l, i) => i >= start && end_.test(l));
  } else {
    let depth = 0;
    let opened = false;
    for (let i = start; i < all.length; i++) {
      const code = (all[i] ?? "").replace(/#.*$/, "");
      for (const ch of code) {
        if (ch === "{" || ch === "[" || ch === "(") {
          depth++;
          opened = true;
        } else if (ch === "}" || ch === "]" || ch === ")") depth--;
      }
      if (opened && depth === 0 && code.trim().endsWith(";")) {
        end = i;
        break;
      }
    }
  }
  if (end < 0) throw new Error(`${spec.path}: the excerpt ${spec.name} has no end: update EXCERPTS in render-examples.mjs.`);
  if (spec.comment) while (start > 0 && /^\s*#/.test(all[start - 1] ?? "")) start--;
  return { from: start, to: end + 1 };
}

/** How many leading spaces all non-blank lines share. */
export function sharedIndent(/** @type {string[]} */ block) {
  const widths = block.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0);
  return widths.length === 0 ? 0 : Math.min(...widths);
}

/** Escapes text for MDX prose, leaving `code spans` alone. */
export function mdxText(/** @type {string} */ text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\{}<>*_[\]|]/g, (c) => `\\${c}`)))
    .join("");
}

/** Text as an inline code span, whatever backticks it holds. */
function code(/** @type {string} */ text) {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block that no content can close early. */
function fenced(/** @type {string} */ lang, /** @type {string} */ meta, /** @type {string} */ body) {
  const runs = body.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${lang}${meta ? " " + meta : ""}\n${body}\n${fence}\n`;
}

/** "{2,4-6}" for the 1-based lines given. */
function ranges(/** @type {number[]} */ marked) {
  /** @type {string[]} */
  const out = [];
  let i = 0;
  while (i < marked.length) {
    let j = i;
    while (j + 1 < marked.length && marked[j + 1] === (marked[j] ?? 0) + 1) j++;
    out.push(i === j ? `${marked[i]}` : `${marked[i]}-${marked[j]}`);
    i = j + 1;
  }
  return `{${out.join(",")}}`;
}

// ---------------------------------------------------------------------------
// Rendering

/**
 * Renders everything into memory: a map from paths under src/generated/ to
 * their content. Pure apart from reading the checkout.
 */
export function renderExamples(root = REPO_ROOT) {
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

  // The reference flake, whole.
  const files = referenceFiles(root);
  for (const path of files) {
    const all = lines(readFileSync(join(root, path), "utf8"));
    const module = `repo/${path}.mdx`;
    out.set(module, block(module, path, { kind: "file" }, all, 0, all.length, []));
  }

  // Named excerpts of it.
  for (const spec of EXCERPTS) {
    const text = readFileSync(join(root, spec.path), "utf8");
    const { from, to } = findExcerpt(text, spec);
    const module = `excerpts/${spec.name}.mdx`;
    out.set(module, block(module, spec.path, { kind: "file" }, lines(text), from, to, [], true));
  }

  // What each sample command writes.
  const { plans } = planScenarios(root);
  for (const scenario of SCENARIOS) {
    const plan = /** @type {Plan} */ (plans.get(scenario.id));
    const dir = `plans/${scenario.id}`;
    /** @type {string[]} */
    const summary = [fenced("bash", "", wrapCommand(commandFor(scenario.kind, scenario.answers))), ""];
    for (const change of plan.changes) {
      const module = `${dir}/${change.path}.mdx`;
      const all = lines(change.after);
      if (change.before === null) {
        summary.push(`- creates ${code(change.path)} (${all.length} lines)`);
        out.set(module, block(module, change.path, { kind: "plan", scenario: scenario.id }, all, 0, all.length, []));
        continue;
      }
      const { inserted, removed } = insertedLines(change.before, change.after);
      const parts = [`adds ${inserted.length} line${inserted.length === 1 ? "" : "s"}`];
      if (removed > 0) parts.push(`removes ${removed}`);
      summary.push(`- updates ${code(change.path)} (${parts.join(", ")})`);
      out.set(
        module,
        hunks(inserted, all)
          .map((h) => block(module, change.path, { kind: "plan", scenario: scenario.id }, all, h.from, h.to, h.marked))
          .join("\n"),
      );
    }
    summary.push("", "and prints the next steps:", "");
    plan.nextSteps.forEach((step, i) => summary.push(`${i + 1}. ${stepText(step)}`));
    out.set(`${dir}/summary.mdx`, summary.join("\n") + "\n");
  }

  out.set("params/host.mdx", paramTable(generatorParams.host));
  out.set("params/user.mdx", paramTable(generatorParams.user));
  out.set("errors.mdx", refusals(root));
  out.set("tree.mdx", fenced("text", 'title="the Nix side of the repository"', tree(root, ["flake.nix", ...REFERENCE_DIRS, "templates"])));
  out.set("setup-commands.mdx", setupCommands(root));
  out.set("bench.md", renderBench(root));
  out.set("manifest.json", JSON.stringify({ release: RELEASE, scenarios: SCENARIOS.map((s) => s.id), snippets }, null, 2) + "\n");
  return out;
}

/** A next step: the prose, and the command after the first ": " as code. */
function stepText(/** @type {string} */ step) {
  const m = /^(.*?): (.+)$/.exec(step);
  if (!m || !/^(sudo |git |pnpm |home-manager |nix )/.test(m[2] ?? "")) return mdxText(step);
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

function refusals(/** @type {string} */ root) {
  const { repo, withHost } = planScenarios(root);
  const rows = ["| You run | The generator says |", "| --- | --- |"];
  for (const r of REFUSALS) {
    let message;
    try {
      if (r.kind === "host") planHost(repo, r.answers);
      else planUser(withHost, r.answers);
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
    }
    if (message === undefined) throw new Error(`\`${r.command}\` was expected to be refused, but the generator planned it: update REFUSALS in render-examples.mjs.`);
    rows.push(`| ${code(r.command)} | ${mdxText(message)} |`);
  }
  return rows.join("\n") + "\n";
}

/** flake.nix and every .nix file under the reference folders, sorted. */
export function referenceFiles(root = REPO_ROOT) {
  /** @type {string[]} */
  const found = ["flake.nix"];
  const walk = (/** @type {string} */ dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith(".nix")) found.push(path);
    }
  };
  for (const dir of REFERENCE_DIRS) if (existsSync(join(root, dir))) walk(dir);
  return found;
}

function tree(/** @type {string} */ root, /** @type {string[]} */ tops) {
  /** @type {string[]} */
  const out = ["."];
  const walk = (/** @type {string} */ path, /** @type {string} */ prefix, /** @type {string[]} */ names) => {
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const full = path === "" ? name : `${path}/${name}`;
      const isDir = statSync(join(root, full)).isDirectory();
      out.push(`${prefix}${last ? "└── " : "├── "}${name}${isDir ? "/" : ""}`);
      if (isDir) walk(full, prefix + (last ? "    " : "│   "), readdirSync(join(root, full)).sort());
    });
  };
  walk("", "", tops.filter((t) => existsSync(join(root, t))));
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
  throw new Error("README.md has no shell block with the set-up commands (one that runs `pnpm test`): update setupCommands() in render-examples.mjs.");
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

/** Writes the rendered files into src/generated/, replacing what was there. */
export function writeExamples(/** @type {Map<string, string>} */ rendered, outDir = OUT_DIR) {
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of rendered) {
    const file = join(outDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(/** @type {string} */ dir) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(dir, full).split("\\").join("/"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const rendered = renderExamples();
  writeExamples(rendered);
  const blocks = JSON.parse(rendered.get("manifest.json") ?? "{}").snippets.length;
  console.log(`render-examples: ${rendered.size} files, ${blocks} code blocks in ${relative(REPO_ROOT, OUT_DIR)} (${Date.now() - started} ms)`);
}
