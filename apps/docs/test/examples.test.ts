// The docs' examples against what the generators write today. Three links
// are checked, each independently of the others:
//   generators' plans / repo files  →  src/generated/ (manifest)  →  built HTML
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Plan, STARTER_DIR, insertedLines } from "@starter/generators";
import { beforeAll, describe, expect, it } from "vitest";
import { OUT_DIR, listFiles, renderBench, renderExamples } from "../scripts/render-examples.mjs";
import { type Manifest, type Snippet, codeBlocks, importedPartials, pages, plansToday, readManifest, requireBuild } from "./site.js";

const linesOf = (text: string) => text.replace(/\n$/, "").split("\n");

/** Where a snippet's text comes from today: the starter's file, or the planned file. */
function sourceText(snippet: Snippet, plans: Map<string, Plan>): { before: string | null; after: string } {
  if (snippet.source.kind === "file") return { before: null, after: readFileSync(join(STARTER_DIR, snippet.title), "utf8") };
  const plan = plans.get(snippet.source.scenario);
  const change = plan?.changes.find((c) => c.path === snippet.title);
  if (!change || change.after === null) throw new Error(`${snippet.source.scenario} no longer changes ${snippet.title}`);
  return { before: change.before, after: change.after };
}

describe("src/generated", () => {
  let manifest: Manifest;
  beforeAll(() => {
    manifest = readManifest();
  });

  it("is exactly what rendering the examples today produces", () => {
    const fresh = renderExamples();
    expect(listFiles(OUT_DIR)).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) {
      expect(readFileSync(join(OUT_DIR, path), "utf8"), `src/generated/${path}`).toBe(content);
    }
  });

  it("shows, for every snippet, the lines the generators or the starter have today", () => {
    const plans = plansToday();
    expect(manifest.snippets.length).toBeGreaterThan(20);
    for (const snippet of manifest.snippets) {
      const { before, after } = sourceText(snippet, plans);
      const all = linesOf(after);
      const shown = snippet.code.split("\n");
      const lines = all.slice(snippet.startLine - 1, snippet.startLine - 1 + shown.length);
      // Only indentation may be taken off: the rest of each line is the file's.
      for (const line of lines) expect(line.slice(0, snippet.dedent).trim(), `${snippet.module} dedent`).toBe("");
      expect(lines.map((l) => l.slice(snippet.dedent)).join("\n"), `${snippet.module} (${snippet.title})`).toBe(snippet.code);
      // Highlighted lines are exactly the lines the plan inserted within the excerpt.
      const inserted = new Set(insertedLines(before, after).inserted.map((i) => i + 1));
      const expected = before === null ? [] : shown.map((_, i) => i + snippet.startLine).filter((n) => inserted.has(n)).map((n) => n - snippet.startLine + 1);
      expect(snippet.highlight, `${snippet.module} highlights`).toEqual(expected);
    }
  });

  it("shows every file each sample command creates, whole", () => {
    const plans = plansToday();
    for (const [id, plan] of plans) {
      // An age file is random each run, and gen-record.json is JSON for gen update: named in the summary, never shown.
      for (const change of plan.changes.filter((c) => c.before === null && !c.path.endsWith(".age") && c.path !== "gen-record.json")) {
        const snippet = manifest.snippets.find((s) => s.source.kind === "plan" && s.source.scenario === id && s.title === change.path);
        expect(snippet?.code, `${id}: ${change.path}`).toBe(change.after?.replace(/\n$/, ""));
      }
    }
  });

  it("fills the Performance page with bench/results.md when there is one, else says how to make it", () => {
    const root = mkdtempSync(join(tmpdir(), "docs-bench-"));
    try {
      expect(renderBench(root)).toMatch(/pnpm bench/);
      mkdirSync(join(root, "bench"));
      writeFileSync(join(root, "bench", "results.md"), "# Results\n\n| plan | <1 ms |\n");
      expect(renderBench(root)).toBe("# Results\n\n| plan | <1 ms |\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the built site", () => {
  let manifest: Manifest;
  beforeAll(() => {
    requireBuild();
    manifest = readManifest();
  });

  it("has no Nix code written by hand in its pages", () => {
    for (const page of pages()) {
      expect(page.mdx, `docs/${page.name}.mdx`).not.toMatch(/^\s*(`{3,}|~{3,})\s*nix\b/m);
    }
  });

  it("shows only rendered Nix blocks, each with the rendered title, text, line numbers and highlights", () => {
    let seen = 0;
    for (const page of pages()) {
      for (const block of codeBlocks(page.html).filter((b) => b.language === "nix")) {
        seen++;
        const match = manifest.snippets.find((s) => s.title === block.title && s.code === block.code);
        expect(match, `a Nix block on ${page.name} titled ${block.title} that no rendered example has:\n${block.code}`).toBeDefined();
        if (!match) continue;
        const whole = match.startLine === 1 && block.firstLine === undefined;
        expect(whole || block.firstLine === match.startLine, `${page.name}: ${block.title} line numbers`).toBe(true);
        expect(block.highlighted, `${page.name}: ${block.title} highlights`).toEqual(match.highlight);
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it("shows every snippet a page imports on that page", () => {
    for (const page of pages()) {
      const blocks = codeBlocks(page.html);
      for (const module of importedPartials(page.mdx)) {
        for (const snippet of manifest.snippets.filter((s) => s.module === module)) {
          const found = blocks.some((b) => b.title === snippet.title && b.code === snippet.code);
          expect(found, `${page.name} imports ${module} but its HTML lacks the block ${snippet.title} from line ${snippet.startLine}`).toBe(true);
        }
      }
    }
  });

  it("is syntax-highlighted as Nix", () => {
    const html = pages().find((p) => p.name === "patterns")?.html ?? "";
    expect(html).toMatch(/class="prism-code language-nix/);
    expect(html).toMatch(/<span class="token comment"/);
    expect(html).toMatch(/<span class="token string"/);
  });
});
