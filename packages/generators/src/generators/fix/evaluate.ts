// The evaluation gen fix runs: every nixosConfigurations, darwinConfigurations
// and homeConfigurations entry (or the named ones) of the planned tree,
// copied to a temp dir and read as a `path:` flake with the fork's inputs
// (its flake.lock) and the user's --override-input. Each forces what Nix's
// own commands force, so warnings print as in `nixos-rebuild build`: a
// system's `config.system.build.toplevel` (NixOS and nix-darwin wrap it in
// showWarnings and throw failed assertions there) and a home's
// `activationPackage` (standalone Home Manager's showWarnings). Module
// warnings (doRename's "has been renamed to") are `config.warnings`, which
// only reach stderr through those wrappers.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FLAKE_TREE, NIX_FLAGS, withoutNixWarnings } from "@starter/nix-check";
import { type RepoView, filesBelow } from "../../repo/tree.js";
import type { EvalReport, Evaluator } from "./plan-fix.js";
import { optionMessages } from "./warnings.js";

export type NixRun = (args: string[]) => { status: number | null; stdout: string; stderr: string };

export const runNix: NixRun = (args) => {
  const r = spawnSync("nix", [...NIX_FLAGS, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error?.message ?? "") };
};

const OUTPUTS = {
  nixosConfigurations: "config.system.build.toplevel",
  darwinConfigurations: "config.system.build.toplevel",
  homeConfigurations: "activationPackage",
} as const;

export interface EvalOptions {
  /** `--override-input NAME REF` pairs, passed to nix as they are. */
  overrides: [string, string][];
  /** Only these entries (host or home names); all when empty. */
  only?: string[];
  run?: NixRun;
}

/** Nix's error without its environment warnings and traces: the lines a person reads. */
function errorText(stderr: string): string {
  const text = withoutNixWarnings(stderr).split("\n").filter((l) => !l.startsWith("trace: "));
  const at = text.findIndex((l) => l.startsWith("error:"));
  return (at >= 0 ? text.slice(at) : text).join("\n").trim();
}

/** The flake tree of `tree` (the fork's files as planned) in a fresh temp dir. */
function materialize(tree: RepoView, root: string): string {
  const dir = mkdtempSync(join(tmpdir(), "gen-fix-"));
  for (const name of FLAKE_TREE) {
    const src = join(root, name);
    if (existsSync(src)) cpSync(src, join(dir, name), { recursive: true });
  }
  // The planned text wins over the checkout's.
  for (const top of ["hosts", "modules", "nix"]) {
    for (const file of filesBelow(tree, top)) {
      const text = tree.read(file);
      if (text === undefined) continue;
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  }
  const flake = tree.read("flake.nix");
  if (flake !== undefined) writeFileSync(join(dir, "flake.nix"), flake);
  return dir;
}

/** An Evaluator over the checkout at `root`. */
export function flakeEvaluator(root: string, options: EvalOptions): Evaluator {
  const run = options.run ?? runNix;
  const overrideArgs = options.overrides.flatMap(([name, ref]) => ["--override-input", name, ref]);
  return (tree) => {
    const dir = materialize(tree, root);
    try {
      const ref = `path:${dir}`;
      const meta = run(["flake", "metadata", "--json", "--no-write-lock-file", ...overrideArgs, ref]);
      const forkSources: string[] = [];
      try {
        const path = (JSON.parse(meta.stdout) as { path?: string }).path;
        if (path) forkSources.push(path);
      } catch {
        // Without it, store paths are matched by their repo-relative part alone.
      }
      const configs: EvalReport["configs"] = [];
      for (const [output, target] of Object.entries(OUTPUTS)) {
        const names = run(["eval", "--json", "--no-write-lock-file", ...overrideArgs, `${ref}#${output}`, "--apply", "builtins.attrNames"]);
        if (names.status !== 0) {
          if (/does not provide attribute/.test(names.stderr)) continue;
          configs.push({ id: output, messages: [], error: errorText(names.stderr) });
          continue;
        }
        for (const name of JSON.parse(names.stdout) as string[]) {
          if (options.only && options.only.length > 0 && !options.only.includes(name)) continue;
          const r = run(["eval", "--json", "--no-write-lock-file", ...overrideArgs, `${ref}#${output}."${name}".${target}`, "--apply", "x: builtins.seq x true"]);
          const entry: EvalReport["configs"][number] = { id: `${output}.${name}`, messages: optionMessages(r.stderr) };
          if (r.status !== 0) entry.error = errorText(r.stderr);
          configs.push(entry);
        }
      }
      return { configs, forkSources };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
