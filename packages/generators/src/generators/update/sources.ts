// Template texts for gen update: the current ones from the fork's own
// templates/, the old ones from the fork's git history by blob id, and
// rendering either with the recorded answers.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GenError } from "../../report/errors.js";

// One Handlebars instance and set of helpers for old and new texts alike.
export { renderSource } from "../templates.js";

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
