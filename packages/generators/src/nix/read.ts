// Facts read from Nix by its structure, as the editors find what they edit:
// a flake entry's `system = "…";` in any attribute order, a module's
// `nixpkgs.hostPlatform`, with or without lib.mkDefault.
import type { Expr } from "./ast.js";
import { type SetExpr, lookup, moduleSettings, operands } from "./edit.js";
import { flakeEntriesAt } from "./edit-flake.js";
import type { ReadFile } from "./follow.js";

/** A plain string literal's value ("…" without interpolation), under mkDefault/mkForce too. */
function stringValue(text: string, e: Expr): string | undefined {
  if (e.type === "apply" && e.args.length === 1) {
    const fn = e.fn.type === "select" ? e.fn.path.at(-1) : e.fn.type === "id" ? { name: e.fn.name } : undefined;
    return fn && "name" in fn && (fn.name === "mkDefault" || fn.name === "mkForce") ? stringValue(text, e.args[0]!) : undefined;
  }
  if (e.type === "paren") return stringValue(text, e.inner);
  const literal = /^"((?:[^"\\$]|\\.)*)"$/.exec(text.slice(e.start, e.end));
  return literal ? literal[1] : undefined;
}

/** The one string `path` is set to in `sets`, if each place that sets it says the same literal. */
function stringAt(text: string, sets: readonly SetExpr[], path: readonly string[]): string | undefined {
  const values = new Set<string | undefined>();
  for (const set of sets) {
    const found = lookup(set, path);
    if (found === "opaque") return undefined;
    for (const e of found) values.add(stringValue(text, e));
  }
  const [only] = values;
  return values.size === 1 ? only : undefined;
}

/** The sets an entry's value is built from: `mkHost { … }`, `{ … }`, and either joined by `//`. */
function entrySets(e: Expr): SetExpr[] {
  return operands(e).flatMap((o) => (o.type === "set" ? [o] : o.type === "apply" ? o.args.flatMap((a) => operands(a)).filter((a): a is SetExpr => a.type === "set") : []));
}

/** `attr` of the `entry` of outputs' `output` set (nixosConfigurations.pi's system), when it is a literal; `read` follows `import ./hosts`. */
export function flakeEntryString(text: string, output: string, entry: string, attr: string, read?: ReadFile): string | undefined {
  const entries = flakeEntriesAt(text, output, read);
  if ("reason" in entries) return undefined;
  const at = entries.get(entry);
  const sets = (at?.bindings ?? []).flatMap((b) => (b.kind === "attr" && b.path.length === 1 ? entrySets(b.value) : []));
  return at && sets.length > 0 ? stringAt(at.text, sets, [attr]) : undefined;
}

/** A module's setting at `path` (nixpkgs.hostPlatform), when it is a literal. */
export function moduleString(text: string, path: readonly string[]): string | undefined {
  const settings = moduleSettings(text);
  return "reason" in settings ? undefined : stringAt(text, settings.sets, path);
}
