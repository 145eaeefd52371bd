// Renders the Handlebars templates in the repository's top-level templates/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type Handlebars from "handlebars";
import { nixAttr, nixString } from "../nix/quote.js";
import type { Tree } from "../repo/tree.js";

/** templates/ at the repository root (the same path from src/generators/ and dist/generators/). */
export const TEMPLATES_DIR = fileURLToPath(new URL("../../../../templates/", import.meta.url));

let hbs: typeof Handlebars | undefined;

/**
 * Handlebars, loaded at the first render (a failing check or --help never
 * needs it), from its single-file build: the same 4.7 code as the package's
 * main entry, in one file instead of about forty, which halves its load time.
 */
function handlebars(): typeof Handlebars {
  if (!hbs) {
    const bundle = createRequire(import.meta.url)("handlebars/dist/handlebars.min.js") as typeof Handlebars;
    hbs = bundle.create();
    hbs.registerHelper("nix-string", (value: unknown) => nixString(String(value ?? "")));
    hbs.registerHelper("nix-attr", (value: unknown) => nixAttr(String(value)));
    hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  }
  return hbs;
}

const cache = new Map<string, { source: string; template: Handlebars.TemplateDelegate }>();

function compiled(name: string, dir: string): { source: string; template: Handlebars.TemplateDelegate } {
  let entry = cache.get(dir + name);
  if (!entry) {
    const source = readFileSync(dir + name, "utf8");
    entry = { source, template: compile(source) };
    cache.set(dir + name, entry);
  }
  return entry;
}

// noEscape: HTML escaping is wrong for Nix; user strings go through nix-string.
const compile = (source: string) => handlebars().compile(source, { noEscape: true, strict: true });

/** Renders `templates/<name>` (or `<dir>/<name>`) with `data`. Names are fixed strings in this package. */
export function render(name: string, data: object, dir: string = TEMPLATES_DIR): string {
  return compiled(name, dir).template(data);
}

/** `source` (a template's text, e.g. an old version out of git) rendered as render does. */
export function renderSource(source: string, data: object): string {
  return compile(source)(data);
}

/** A fragment template rendered to its lines, without the trailing newline. */
export function renderLines(name: string, data: object): string[] {
  return toLines(render(name, data));
}

const toLines = (text: string) => text.replace(/\n$/, "").split("\n");

/**
 * render, and the render noted on `tree` (template, data, the template's
 * text) so the planner can record it in gen-record.json for gen update.
 * `file`: where it goes when the template and data do not say (--from).
 */
export function renderTo(tree: Tree, name: string, data: Record<string, unknown>, file?: string): string {
  const { source, template } = compiled(name, TEMPLATES_DIR);
  tree.renders.push({ template: name, data, source, ...(file !== undefined ? { file } : {}) });
  return template(data);
}

/** renderTo, as lines (renderLines). */
export function renderLinesTo(tree: Tree, name: string, data: Record<string, unknown>): string[] {
  return toLines(renderTo(tree, name, data));
}
