// Adds an entry to a hand-written flake.nix's nixosConfigurations (or
// darwinConfigurations, homeConfigurations), found by structure: the set
// its `outputs` function returns, then that attribute in it. Only inserts;
// where the set cannot be found for certain, refuses with the reason.
import type { Binding, Expr } from "./ast.js";
import { insertInSet } from "./insert.js";
import { type EditResult, type SetExpr, attrBindings, bindingNames, defines, keyName, operands, parse, unwrap } from "./set-walk.js";

/** The operands (`a // b` → a, b) of what the flake's `outputs` function returns. */
function outputsBody(expr: Expr): Expr[] | { reason: string } {
  const root = unwrap(expr);
  if (root.type !== "set") return { reason: "it is not an attribute set (`{ inputs = …; outputs = …; }`)" };
  const outputs = attrBindings(root, "outputs").filter((b) => b.path.length === 1);
  if (outputs.length !== 1) return { reason: "it has no `outputs = …;` attribute" };
  const fn = unwrap(outputs[0]!.value);
  if (fn.type !== "lambda") return { reason: "its `outputs` is not written out as a function (`{ self, … }: { … }`)" };
  return operands(fn.body);
}

interface FlakeTarget {
  /** Where the entry goes. */
  set: SetExpr;
  /** Put before each entry (`nixosConfigurations.` where the set holds dotted entries). */
  prefix: string;
  /** Insert after this binding (dotted entries), else at the end of the set. */
  after?: Binding;
  /** Names already defined. */
  keys: string[];
  /** The bindings that define each entry (`"a@b" = …;`, or `nixosConfigurations.web1 = …;`). */
  entries: Map<string, Binding[]>;
}

function findFlakeSet(text: string, name: string): FlakeTarget | { reason: string } {
  const parsed = parse(text);
  if ("reason" in parsed) return parsed;
  const body = outputsBody(parsed.expr);
  if ("reason" in body) return body;
  const definers = body.filter((o): o is SetExpr => o.type === "set" && defines(o, name));
  if (definers.length === 0) return { reason: `its outputs have no \`${name} = { … };\` attribute set` };
  // In `a // b` the right-hand definition is the one that counts.
  const owner = definers[definers.length - 1]!;
  const all = attrBindings(owner, name);
  const whole = all.filter((b) => b.path.length === 1);
  const dotted = all.filter((b) => b.path.length > 1);
  const keys = dotted.map((b) => keyName(b.path[1])).filter((k): k is string => k !== undefined);
  const entries = new Map<string, Binding[]>();
  const record = (key: string | undefined, b: Binding) => key !== undefined && entries.set(key, [...(entries.get(key) ?? []), b]);
  for (const b of dotted) record(keyName(b.path[1]), b);
  if (owner.bindings.some((b) => b.kind === "inherit" && b.names.includes(name))) {
    return { reason: `its \`${name}\` is inherited from elsewhere, not written out here` };
  }
  if (whole.length > 1) return { reason: `it defines \`${name}\` twice` };
  if (whole.length === 1) {
    const parts = operands(whole[0]!.value);
    const literals = parts.filter((p): p is SetExpr => p.type === "set");
    if (literals.length === 0) return { reason: `its \`${name}\` is computed (not written out as \`{ … }\`), so there is no set to add the entry to` };
    for (const set of literals) {
      for (const b of set.bindings) {
        keys.push(...bindingNames(b));
        for (const n of bindingNames(b)) record(n, b);
      }
    }
    // The left-most set that already holds entries, else the first.
    const set = literals.find((s) => s.bindings.length > 0) ?? literals[0]!;
    return { set, prefix: "", keys, entries };
  }
  return { set: owner, prefix: `${name}.`, after: dotted[dotted.length - 1], keys, entries };
}

/** The bindings of each entry of outputs' `name` set, or why the set cannot be found. */
export function flakeEntries(text: string, name: string): Map<string, Binding[]> | { reason: string } {
  const target = findFlakeSet(text, name);
  return "reason" in target ? target : target.entries;
}

/** The entry names of outputs' `name` set, or undefined when it cannot be found. */
export function flakeEntryNames(text: string, name: string): string[] | undefined {
  const target = findFlakeSet(text, name);
  return "reason" in target ? undefined : target.keys;
}

/**
 * Adds `entry` (the lines of `key = …;`, laid out as nixfmt would) to the
 * attribute set that outputs' `name` (nixosConfigurations,
 * homeConfigurations) is, refusing when the key is there already or the set
 * cannot be found for certain.
 */
export function addFlakeEntry(text: string, name: string, key: string, entry: readonly string[]): EditResult {
  const target = findFlakeSet(text, name);
  if ("reason" in target) return { ok: false, reason: target.reason };
  if (target.keys.includes(key)) return { ok: false, reason: `\`${name}\` already has an entry named "${key}"` };
  const [first = "", ...rest] = entry;
  return { ok: true, text: insertInSet(text, target.set, [target.prefix + first, ...rest], { after: target.after, blankLine: false }), notes: [] };
}

/** Lines of Nix as one line (`a = f {` … `};` → `a = f { … };`), for a message that tells what to add by hand. */
export function onOneLine(lines: readonly string[]): string {
  return lines.map((l) => l.trim()).filter((l) => l !== "").join(" ");
}
