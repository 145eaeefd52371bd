// Renders the Handlebars templates in the repository's top-level templates/.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { nixAttr, nixString } from "./nix.js";

/** templates/ at the repository root (the same path from src/ and dist/). */
export const TEMPLATES_DIR = fileURLToPath(new URL("../../../templates/", import.meta.url));

const hbs = Handlebars.create();
hbs.registerHelper("nix-string", (value: unknown) => nixString(String(value ?? "")));
hbs.registerHelper("nix-attr", (value: unknown) => nixAttr(String(value)));
hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>` with `data`. Names are fixed strings in this package. */
export function render(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(TEMPLATES_DIR + name, "utf8");
    // noEscape: HTML escaping is wrong for Nix; user strings go through nix-string.
    template = hbs.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(data);
}

/** A fragment template rendered to its lines, without the trailing newline. */
export function renderLines(name: string, data: object): string[] {
  return render(name, data).replace(/\n$/, "").split("\n");
}
