// Renders the Handlebars templates in the repository's top-level templates/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type Handlebars from "handlebars";
import { nixAttr, nixString } from "../nix/quote.js";
import type { Tree } from "../repo/tree.js";

/** templates/ at the repository root (the same path from src/generators/ and dist/generators/). */
export const TEMPLATES_DIR = fileURLToPath(new URL("../../../../templates/", import.meta.url));

type Env = typeof Handlebars;
const load = createRequire(import.meta.url);

/** Our helpers on a fresh Handlebars environment (the full one or the runtime). */
function withHelpers(env: Env): Env {
  env.registerHelper("nix-string", (value: unknown) => nixString(String(value ?? "")));
  env.registerHelper("nix-attr", (value: unknown) => nixAttr(String(value)));
  env.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  return env;
}

let full: Env | undefined;
let runtime: Env | undefined;
/**
 * Handlebars, loaded at the first render (a failing check or --help never
 * needs it), from its single-file builds: the compiler only for a template
 * that is not precompiled as it stands; else the runtime, a third its size.
 */
const compiler = (): Env => (full ??= withHelpers((load("handlebars/dist/handlebars.min.js") as Env).create()));
const runner = (): Env => (runtime ??= withHelpers((load("handlebars/dist/handlebars.runtime.min.js") as Env).create()));

type Precompiled = Record<string, { source: string; spec: TemplateSpecification }>;
type TemplateSpecification = Parameters<Env["template"]>[0];
let specs: Precompiled | undefined;
/** The build's precompiled templates (scripts/precompile-templates.mjs); none before a build. */
function precompiled(): Precompiled {
  if (!specs) {
    try {
      // The package's dist/ from src/generators/, dist/generators/ and dist/bundle/ alike.
      specs = load(fileURLToPath(new URL("../../dist/templates.precompiled.cjs", import.meta.url))) as Precompiled;
    } catch {
      specs = {};
    }
  }
  return specs;
}

const cache = new Map<string, { source: string; template: Handlebars.TemplateDelegate }>();

function compiled(name: string, dir: string): { source: string; template: Handlebars.TemplateDelegate } {
  let entry = cache.get(dir + name);
  if (!entry) {
    const source = readFileSync(dir + name, "utf8");
    // Precompiled from this very text, or compiled now (the fork changed it since the build).
    const pre = dir === TEMPLATES_DIR ? precompiled()[name] : undefined;
    entry = { source, template: pre?.source === source ? runner().template(pre.spec) : compile(source) };
    cache.set(dir + name, entry);
  }
  return entry;
}

// noEscape: HTML escaping is wrong for Nix; user strings go through nix-string.
// The same options are scripts/precompile-templates.mjs's.
const compile = (source: string) => compiler().compile(source, { noEscape: true, strict: true });

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
