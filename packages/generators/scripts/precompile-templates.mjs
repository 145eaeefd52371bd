// Every template in the repository's templates/, precompiled by Handlebars
// into dist/templates.precompiled.cjs with the text it was made from. A run
// renders with the small runtime where a template's text is still that text,
// and compiles it itself where the fork has changed it since the build.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const templates = join(pkg, "..", "..", "templates");
const Handlebars = createRequire(import.meta.url)("handlebars");

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".hbs") ? [join(dir, e.name)] : []));
const entries = files(templates).sort().map((file) => {
  const source = readFileSync(file, "utf8");
  // The options templates.ts compiles with: they are part of the compiled code.
  const spec = Handlebars.precompile(source, { noEscape: true, strict: true });
  return `  ${JSON.stringify(relative(templates, file))}: { source: ${JSON.stringify(source)}, spec: ${spec} },\n`;
});
writeFileSync(join(pkg, "dist", "templates.precompiled.cjs"), `// Made by scripts/precompile-templates.mjs.\nmodule.exports = {\n${entries.join("")}};\n`);
