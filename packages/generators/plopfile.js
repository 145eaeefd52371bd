// For people who prefer Plop's own CLI: `npx plop` in this package (or
// `plop --plopfile packages/generators/plopfile.js` from anywhere in the repo)
// offers the same host and user generators as `pnpm gen`, prompts included.
// `pnpm gen` is the recommended entry: it adds flags, --dry-run and --help.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { registerGenerators } from "./dist/cli/plop.js";
import { GENERATORS } from "./dist/generators/all.js";

function findRoot(start) {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "flake.nix"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no flake.nix in ${start} or above`);
  }
}

export default function (plop) {
  registerGenerators(plop, { root: findRoot(process.env.INIT_CWD ?? process.cwd()), interactive: true }, Object.values(GENERATORS));
}
