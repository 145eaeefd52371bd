// Where a warning's definition lives. Warnings name files as Nix saw them:
// the fork copied into the store (`/nix/store/<hash>-source/hosts/web1/…`),
// or a checkout path. An integrated home defined as
// `home-manager.users.alice = import ./home/alice.nix;` has its settings
// reported against the file holding that line; the import is followed to the
// file that holds the definition. Files outside the fork are reported.
import { posix } from "node:path";
import { type AttrBinding, type Expr } from "../../nix/ast.js";
import { type SetExpr, bindingsAt, moduleSettings } from "../../nix/edit.js";
import { type Level, type RenameResult, definitionLine, renameOption } from "./rename-edit.js";

const STORE = /^\/nix\/store\/[0-9a-z]{32}-[^/]+\/(.*)$/;

/**
 * The repo-relative path of a file a warning names, or undefined when it is
 * not the fork's. `forkSources` are the store paths the fork was copied to
 * (from `nix flake metadata`); `root` is the checkout.
 */
export function repoPath(file: string, forkSources: readonly string[], root: string): string | undefined {
  for (const source of [...forkSources, root]) {
    const prefix = source.replace(/\/$/, "") + "/";
    if (file.startsWith(prefix)) return file.slice(prefix.length);
  }
  return STORE.test(file) && forkSources.length === 0 ? STORE.exec(file)![1] : undefined;
}

const unwrap = (e: Expr): Expr => {
  for (;;) {
    if (e.type === "paren") e = e.inner;
    else if (e.type === "let" || e.type === "with" || e.type === "assert" || e.type === "lambda") e = e.body;
    else return e;
  }
};

/** A module's settings sets as rename roots, with `config.` where it writes its settings that way. */
function moduleRoots(text: string): { levels: Level[]; prefix: string[] } | { reason: string } {
  const settings = moduleSettings(text);
  if ("reason" in settings) return settings;
  if (settings.sets.length === 0) return { reason: "its settings are computed (for example with lib.mkMerge or lib.mkIf), not written out as an attribute set" };
  return { levels: settings.sets.map((set) => ({ set, pos: [] })), prefix: settings.prefix };
}

/** Renames `from` to `to` in a module file (a host's configuration.nix, a home file). */
export function renameInModule(text: string, from: readonly string[], to: readonly string[]): RenameResult {
  const first = moduleRoots(text);
  if ("reason" in first) return { ok: false, reason: first.reason };
  const p = first.prefix;
  return renameOption(text, [...p, ...from], [...p, ...to], (_expr, current) => {
    const r = moduleRoots(current);
    return "reason" in r ? r : r.levels;
  });
}

export type HomeDefinition =
  | { kind: "inline" }
  | { kind: "import"; path: string }
  | { kind: "none" }
  | { kind: "opaque"; reason: string };

/** The binding of `home-manager.users.<user>` in a host module, if written out. */
function homeBinding(text: string, user: string): AttrBinding | { reason: string } | undefined {
  const r = moduleRoots(text);
  if ("reason" in r) return r;
  for (const level of r.levels) {
    const found = bindingsAt(level.set as never, [...r.prefix, "home-manager", "users", user]);
    if (found === "opaque") return { reason: `its \`home-manager.users\` is computed, so ${user}'s home cannot be found in it` };
    const exact = found.filter((b) => b.path.length > 0);
    if (exact.length > 0) return exact[0];
  }
  return undefined;
}

/** How a host file gives `user` their home: inline, by `import ./x.nix` (repo path), or not at all. */
export function homeDefinition(text: string, file: string, user: string): HomeDefinition {
  const b = homeBinding(text, user);
  if (b === undefined) return { kind: "none" };
  if ("reason" in b) return { kind: "opaque", reason: b.reason };
  const value = unwrap(b.value);
  if (value.type === "set") return { kind: "inline" };
  const src = text.slice(value.start, value.end).trim();
  const m = /^(?:import\s+)?(\.{1,2}\/[A-Za-z0-9._+/-]+)$/.exec(src);
  if (m) return { kind: "import", path: posix.normalize(posix.join(posix.dirname(file), m[1]!)) };
  return { kind: "opaque", reason: `${user}'s home there is \`${src.replace(/\s+/g, " ").slice(0, 60)}\`, not a set or \`import ./file.nix\`` };
}

/** Renames `from` to `to` inside `home-manager.users.<user> = { … };` of a host file. */
export function renameInInlineHome(text: string, user: string, from: readonly string[], to: readonly string[]): RenameResult {
  return renameOption(text, from, to, (_expr, current) => {
    const b = homeBinding(current, user);
    if (b === undefined) return [];
    if ("reason" in b) return b;
    const value = unwrap(b.value);
    if (value.type !== "set") return { reason: `${user}'s home is not written out as a set` };
    return [{ set: value as SetExpr, pos: [] }];
  });
}

/** The line defining `path` in a module file, for the "needs a person" list. */
export function moduleDefinitionLine(text: string, path: readonly string[]): number | undefined {
  const first = moduleRoots(text);
  if ("reason" in first) return undefined;
  return definitionLine(text, [...first.prefix, ...path], (_e, current) => {
    const r = moduleRoots(current);
    return "reason" in r ? r : r.levels;
  });
}
