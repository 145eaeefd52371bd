// Helpers shared by the tests: reading the built site and the generated partials.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Plan, SCENARIOS, memoryRepo, planScenario, starterFiles } from "@starter/generators";
import { DOCS_DIR, OUT_DIR } from "../scripts/render-examples.mjs";

export const BUILD_DIR = join(DOCS_DIR, "build");
export const PAGES_DIR = join(DOCS_DIR, "docs");

/** One code block as the built HTML shows it. */
export interface HtmlBlock {
  language: string;
  title: string | undefined;
  code: string;
  /** The number shown on the first line, when lines are numbered. */
  firstLine: number | undefined;
  /** 1-based lines of the block that are highlighted. */
  highlighted: number[];
}

export interface Snippet {
  module: string;
  title: string;
  source: { kind: "file" } | { kind: "plan"; scenario: string };
  startLine: number;
  dedent: number;
  code: string;
  highlight: number[];
}

export interface Manifest {
  release: string;
  scenarios: string[];
  snippets: Snippet[];
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(OUT_DIR, "manifest.json"), "utf8")) as Manifest;
}

export function requireBuild(): void {
  if (!existsSync(join(BUILD_DIR, "index.html"))) {
    throw new Error("apps/docs/build is missing: run `pnpm turbo run build --filter=@starter/docs` first (turbo's test task does).");
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const stripTags = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ""));

/**
 * The code blocks of a built page, from Docusaurus' markup: a container
 * with the language class, an optional title, and one `token-line` per line.
 */
export function codeBlocks(html: string): HtmlBlock[] {
  const blocks: HtmlBlock[] = [];
  const container = /<div class="language-([\w-]+) codeBlockContainer_[^"]*"[^>]*>([\s\S]*?)<\/code><\/pre>/g;
  for (const m of html.matchAll(container)) {
    const body = m[2] ?? "";
    const title = /<div class="codeBlockTitle_[^"]*">([\s\S]*?)<\/div>/.exec(body)?.[1];
    const code = body.slice(body.indexOf("<code"));
    const counter = /counter-reset:\s*line-count\s+(\d+)/.exec(code)?.[1];
    const lines = [...code.matchAll(/<(?:div|span) class="(token-line[^"]*)"[^>]*>([\s\S]*?)<br\s*\/?>/g)];
    blocks.push({
      language: m[1] ?? "",
      title: title === undefined ? undefined : stripTags(title),
      code: lines.map((l) => stripTags(l[2] ?? "")).join("\n"),
      firstLine: counter === undefined ? undefined : Number(counter) + 1,
      highlighted: lines.flatMap((l, i) => ((l[1] ?? "").includes("highlighted-line") ? [i + 1] : [])),
    });
  }
  return blocks;
}

/** Every page of the guide: its MDX source and its built HTML file. */
export function pages(): Array<{ name: string; mdx: string; html: string }> {
  return readdirSync(PAGES_DIR)
    .filter((f) => f.endsWith(".mdx") || f.endsWith(".md"))
    .sort()
    .map((file) => {
      const name = file.replace(/\.mdx?$/, "");
      const mdx = readFileSync(join(PAGES_DIR, file), "utf8");
      const slug = /^slug:\s*(\S+)\s*$/m.exec(mdx)?.[1];
      const htmlFile = slug === "/" ? "index.html" : `${slug?.replace(/^\//, "") ?? name}.html`;
      return { name, mdx, html: readFileSync(join(BUILD_DIR, htmlFile), "utf8") };
    });
}

/** The generated partials a page imports, as module paths under src/generated/. */
export function importedPartials(mdx: string): string[] {
  return [...mdx.matchAll(/from\s+["']@site\/src\/generated\/([^"']+)["']/g)].map((m) => m[1] ?? "");
}

/** The plans, computed here straight from the generators' catalogue and starter, not through the render script. */
export function plansToday(): Map<string, Plan> {
  const repo = memoryRepo(starterFiles());
  return new Map(SCENARIOS.map((s) => [s.id, planScenario(repo, s)]));
}
