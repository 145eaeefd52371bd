// Template texts for gen update: the current ones from the fork's own
// templates/, the old ones from the fork's git history by blob id, and
// rendering either with the recorded answers.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type Handlebars from "handlebars";
import { GenError } from "../../errors.js";
import { nixAttr, nixString } from "../../nix.js";

let hbs: typeof Handlebars | undefined;

// The same Handlebars build and helpers as templates.ts, for template texts
// that are not files (an old version out of git). When this is wired in,
// templates.ts can export its instance and this goes.
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

/** `source` (a template's text) rendered with `data`, as templates.ts's render does. */
export function renderSource(source: string, data: object): string {
  return handlebars().compile(source, { noEscape: true, strict: true })(data);
}

/** The fork's current text of `templates/<name>`, or undefined when the template is gone. */
export function currentTemplate(root: string, name: string): string | undefined {
  try {
    return readFileSync(join(root, "templates", name), "utf8");
  } catch {
    return undefined;
  }
}

function git(root: string, args: string[]): { ok: boolean; out: string } {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  return { ok: run.status === 0, out: run.stdout ?? "" };
}

/** The template text with blob id `blob`, from the fork's git objects. */
export function oldTemplate(root: string, name: string, blob: string): string {
  const found = git(root, ["cat-file", "-p", blob]);
  if (found.ok) return found.out;
  if (git(root, ["rev-parse", "--is-shallow-repository"]).out.trim() === "true") {
    throw new GenError(`The old version of templates/${name} (${blob.slice(0, 12)}) is not in this shallow clone: run git fetch --unshallow, then run again.`);
  }
  throw new GenError(`The old version of templates/${name} (${blob.slice(0, 12)}) is not in this repository's git history: fetch the commits it came from (git fetch --all, or from the starter), then run again.`);
}
