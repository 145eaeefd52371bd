// Renders the Handlebars templates in the repository's top-level templates/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type Handlebars from "handlebars";
import { nixAttr, nixString } from "../nix/quote.js";

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

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>` (or `<dir>/<name>`) with `data`. Names are fixed strings in this package. */
export function render(name: string, data: object, dir: string = TEMPLATES_DIR): string {
  let template = cache.get(dir + name);
  if (!template) {
    const source = readFileSync(dir + name, "utf8");
    // noEscape: HTML escaping is wrong for Nix; user strings go through nix-string.
    template = handlebars().compile(source, { noEscape: true, strict: true });
    cache.set(dir + name, template);
  }
  return template(data);
}

/** A fragment template rendered to its lines, without the trailing newline. */
export function renderLines(name: string, data: object): string[] {
  return render(name, data).replace(/\n$/, "").split("\n");
}
