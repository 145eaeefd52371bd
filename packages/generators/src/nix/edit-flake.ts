// Adds an entry to a hand-written flake.nix's nixosConfigurations (or
// darwinConfigurations, homeConfigurations), found by structure: the set
// its `outputs` function returns, then that attribute in it. Only inserts;
// where the set cannot be found for certain, refuses with the reason. The set
// is followed through `let`-bound names, `import ./file` and into the set
// `mapAttrs f` is given (follow.ts).
import type { Binding, Expr } from "./ast.js";
import { insertInSet } from "./insert.js";
import { type Found, type Place, type ReadFile, followOperands, inScope } from "./follow.js";
import { type EditResult, attrBindings, bindingNames, defines, keyName, parse, unwrap } from "./set-walk.js";

/** What the flake's `outputs` function returns: its operands (`a // b`), each where it is written. */
function outputsBody(expr: Expr, text: string): Found[] | { reason: string } {
  const root = unwrap(expr);
  if (root.type !== "set") return { reason: "it is not an attribute set (`{ inputs = …; outputs = …; }`)" };
  const outputs = attrBindings(root, "outputs").filter((b) => b.path.length === 1);
  if (outputs.length !== 1) return { reason: "it has no `outputs = …;` attribute" };
  const fn = unwrap(outputs[0]!.value);
  if (fn.type !== "lambda") return { reason: "its `outputs` is not written out as a function (`{ self, … }: { … }`)" };
  // Not into `mapAttrs f { … }` here: f would be applied to each output, not to each entry.
  return followOperands(fn.body, { text }).filter((o): o is Found => "set" in o);
}

interface FlakeTarget {
  /** The sets its entries are written in (the one of dotted entries, or each the value is followed to), and their files. */
  sets: Found[];
  /** Put before each entry (`nixosConfigurations.` where the set holds dotted entries). */
  prefix: string;
  /** Insert after this binding (dotted entries), else at the end of the set. */
  after?: Binding;
  /** Names already defined. */
  keys: string[];
  /** The bindings that define each entry (`"a@b" = …;`, or `nixosConfigurations.web1 = …;`), and the file they are in. */
  entries: Map<string, EntryAt>;
}

/** Where an entry is written: its bindings, in flake.nix (`file` undefined) or a file it imports. */
export interface EntryAt {
  file?: string;
  text: string;
  bindings: Binding[];
  /** Written partly in one file and partly in another: read as in neither (no bindings). */
  split?: true;
}

/** Why the sets of `name` cannot be read, as a refusal. */
function computedReason(name: string, why: string): string {
  return why.startsWith("it is computed")
    ? `its \`${name}\` is computed (not written out as \`{ … }\`), so there is no set to add the entry to`
    : `its \`${name}\` cannot be followed to a set written out as \`{ … }\` (${why}), so there is no set to add the entry to`;
}

/**
 * outputs' `name` set, followed through `let`-bound names and, given `read`,
 * `import ./file` (where the entry then goes into that file).
 */
function findFlakeSet(text: string, name: string, read?: ReadFile): FlakeTarget | { reason: string } {
  const parsed = parse(text);
  if ("reason" in parsed) return parsed;
  const body = outputsBody(parsed.expr, text);
  if ("reason" in body) return body;
  const definers = body.filter((o) => defines(o.set, name));
  if (definers.length === 0) return { reason: `its outputs have no \`${name} = { … };\` attribute set` };
  // In `a // b` the right-hand definition is the one that counts.
  const { set: owner, place: flake } = definers[definers.length - 1]!;
  const all = attrBindings(owner, name);
  const whole = all.filter((b) => b.path.length === 1);
  const dotted = all.filter((b) => b.path.length > 1);
  const keys = dotted.map((b) => keyName(b.path[1])).filter((k): k is string => k !== undefined);
  const entries = new Map<string, EntryAt>();
  const record = (key: string | undefined, b: Binding, at: Place = flake) => {
    if (key === undefined) return;
    const known = entries.get(key);
    // One entry split over two files is read as in neither: gen remove then refuses it rather than take half.
    if (known?.split || (known && known.file !== at.file)) entries.set(key, { text: "", bindings: [], split: true });
    else entries.set(key, { ...(at.file !== undefined ? { file: at.file } : {}), text: at.text, bindings: [...(known?.bindings ?? []), b] });
  };
  for (const b of dotted) record(keyName(b.path[1]), b);
  const inherits = owner.bindings.filter((b) => b.kind === "inherit" && b.names.includes(name));
  if (whole.length + inherits.length > 1) return { reason: `it defines \`${name}\` twice` };
  let value: Expr;
  let at: Place;
  if (inherits.length === 1) {
    if (inherits[0]!.kind === "inherit" && inherits[0]!.from) return { reason: `its \`${name}\` is inherited from elsewhere, not written out here` };
    // `inherit name;` is the `let`-bound `name` around the set.
    value = { type: "id", name, start: inherits[0]!.start, end: inherits[0]!.end };
    at = flake;
  } else if (whole.length === 1) {
    value = whole[0]!.value;
    // In a `rec { … }` the set's own names are in scope too.
    at = owner.rec ? { ...flake, scope: { bindings: owner.bindings, parent: flake.scope } } : flake;
  } else return { sets: [{ set: owner, place: flake }], prefix: `${name}.`, after: dotted[dotted.length - 1], keys, entries };
  const parts = followOperands(value, at, { read, maps: true });
  const literals = parts.filter((p): p is Found => "set" in p);
  if (literals.length === 0) return { reason: computedReason(name, parts.map((p) => ("computed" in p ? p.computed : "")).find((w) => w !== "") ?? "it is computed") };
  for (const { set, place: p } of literals) {
    for (const b of set.bindings) {
      keys.push(...bindingNames(b));
      for (const n of bindingNames(b)) record(n, b, p);
    }
  }
  return { sets: literals, prefix: "", keys, entries };
}

/** Whether `b` is written as a new entry is, `key = helper <argument>;`: f then makes of the new one what it makes of `b`. */
function callsHelper(b: Binding, helper: string): boolean {
  if (b.kind !== "attr" || b.path.length !== 1) return false;
  let v = b.value;
  while (v.type === "paren") v = v.inner;
  return v.type === "apply" && v.args.length === 1 && v.fn.type === "id" && v.fn.name === helper;
}

/** Why a new entry may not go into the input of `mapped` (its sets `group`): where not every entry there calls `helper` as the new one does, what f makes of it is unknown. */
function mappedRefusal(name: string, mapped: NonNullable<Found["mapped"]>, group: readonly Found[], helper?: string): string | undefined {
  const bindings = group.flatMap((g) => g.set.bindings);
  const by = `its \`${name}\` is computed by \`${mapped.by}\``;
  if (bindings.length === 0) return `${by} over an empty set, so no entry shows what that function takes`;
  if (helper === undefined) return `${by}, and the generator cannot tell what that function makes of a new entry`;
  const other = bindings.find((b) => !callsHelper(b, helper));
  if (other === undefined) return undefined;
  const shown = bindingNames(other)[0];
  return `${by} over entries not all written as \`${helper} { … }\`${shown !== undefined ? ` (\`${shown}\` is not)` : ""}, so that function may expect something else of a new one`;
}

/**
 * The set a new entry goes into: the left-most that holds entries, else the
 * first; a set `mapAttrs f` is given only where every entry under that call
 * is a call of `helper`, as the new one is, so f treats it as them.
 */
function pickSet(target: FlakeTarget, name: string, key: string, helper?: string): Found | { reason: string; file?: string; hint: string } {
  const why = target.sets.map((s) => s.mapped && mappedRefusal(name, s.mapped, target.sets.filter((o) => o.mapped === s.mapped), helper));
  const open = target.sets.filter((_, i) => !why[i]);
  if (open.length === 0) {
    // Every set is a mapAttrs input, refused. Its entries may be in a file
    // flake.nix imports: the refusal names that file. They are what the
    // function takes, which may not be the entry the generator writes: the
    // advice is to follow them.
    const first = target.sets[0]!;
    const { file } = first.place;
    const hint = `add \`${key}\` to that set by hand in the form its other entries take (\`${first.mapped!.by}\` hands each to its function)`;
    return { reason: why[0]!, ...(file !== undefined ? { file } : {}), hint };
  }
  return open.find((s) => s.set.bindings.length > 0) ?? open[0]!;
}

/** Each entry of outputs' `name` set and where it is written, following `import ./file` with `read`; or why the set cannot be found. */
export function flakeEntriesAt(text: string, name: string, read?: ReadFile): Map<string, EntryAt> | { reason: string } {
  const target = findFlakeSet(text, name, read);
  return "reason" in target ? target : target.entries;
}

/** The entry names of outputs' `name` set (given `read`, also in files it imports), or undefined when it cannot be found. */
export function flakeEntryNames(text: string, name: string, read?: ReadFile): string[] | undefined {
  const target = findFlakeSet(text, name, read);
  return "reason" in target ? undefined : target.keys;
}

export interface FlakeEntryOptions {
  /** Reads the files flake.nix imports, so an entry can go into `import ./hosts`'s set. */
  read?: ReadFile;
  /** The function the entry calls (mkHost): an imported file must take it as an argument or bind it. */
  helper?: string;
}

/**
 * Adds `entry` (the lines of `key = …;`, laid out as nixfmt would) to the
 * attribute set that outputs' `name` (nixosConfigurations,
 * homeConfigurations) is, refusing when the key is there already or the set
 * cannot be found for certain. `file` is set when the set is in a file
 * flake.nix imports: `text` is then that file's. A refusal names `file` when
 * that file, not flake.nix, is what the user has to fix.
 */
export function addFlakeEntry(text: string, name: string, key: string, entry: readonly string[], options: FlakeEntryOptions = {}): EditResult & { file?: string; hint?: string } {
  const target = findFlakeSet(text, name, options.read);
  if ("reason" in target) return { ok: false, reason: target.reason };
  if (target.keys.includes(key)) return { ok: false, reason: `\`${name}\` already has an entry named "${key}"` };
  const picked = pickSet(target, name, key, options.helper);
  if ("reason" in picked) return { ok: false, ...picked };
  const { file, text: there } = picked.place;
  if (file !== undefined && options.helper !== undefined && !inScope(options.helper, picked.place)) {
    return { ok: false, file, reason: `its \`${name}\` is in ${file}, which does not take \`${options.helper}\` (begin it with \`{ ${options.helper}, ... }:\` and pass it in the import)` };
  }
  const [first = "", ...rest] = entry;
  const edited = insertInSet(there, picked.set, [target.prefix + first, ...rest], { after: target.after, blankLine: false });
  return { ok: true, text: edited, notes: [], ...(file !== undefined ? { file } : {}) };
}

/** Lines of Nix as one line (`a = f {` … `};` → `a = f { … };`), for a message that tells what to add by hand. */
export function onOneLine(lines: readonly string[]): string {
  return lines.map((l) => l.trim()).filter((l) => l !== "").join(" ");
}
