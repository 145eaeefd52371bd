// @ts-check
// Renders every Nix example the guide shows into src/generated/ (gitignored):
//
//   repo/<path>.mdx              a file of the starter, whole
//   excerpts/<name>.mdx          a named part of a starter file
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
// The scenarios are the generators' own catalogue, planned on the frozen
// starter (packages/generators/fixtures/starter), so the docs show exactly
// what the snapshot tests pin, in any fork, however many hosts it has.
// render/pages.mjs renders, render/text.mjs holds the text helpers,
// render/write.mjs writes. Nothing here writes outside src/generated/.
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { renderExamples } from "./render/pages.mjs";
import { OUT_DIR, REPO_ROOT, writeExamples } from "./render/write.mjs";

export { EXCERPTS, STARTER_DIR, planScenarios, renderBench, renderExamples, setupCommands } from "./render/pages.mjs";
export { DOCS_DIR, OUT_DIR, REPO_ROOT, listFiles, writeExamples } from "./render/write.mjs";

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const rendered = renderExamples();
  writeExamples(rendered);
  const blocks = JSON.parse(rendered.get("manifest.json") ?? "{}").snippets.length;
  console.log(`render-examples: ${rendered.size} files, ${blocks} code blocks in ${relative(REPO_ROOT, OUT_DIR)} (${Date.now() - started} ms)`);
}
