// Reading attribute sets by structure, shared by the flake and module
// editors and by the remover: what a value is under its parentheses and
// `let`, the operands of `//`, and one walk along an attribute path through
// nested `{ … }` and dotted names.
import { type AttrBinding, type AttrKey, type Binding, type Expr, parseNix } from "./ast.js";
import { NixSyntaxError, lineOf } from "./scan.js";

export type EditResult = { ok: true; text: string; notes: string[] } | { ok: false; reason: string };

export type SetExpr = Expr & { type: "set" };

/** `e` without the parentheses, `let … in`, `with …;` and `assert …;` around its value. */
export function unwrap(e: Expr): Expr {
  for (;;) {
    if (e.type === "paren") e = e.inner;
    else if (e.type === "let" || e.type === "with" || e.type === "assert") e = e.body;
    else return e;
  }
}

/** The operands of `a // b // c` (one operand when there is no `//`). */
export function operands(e: Expr): Expr[] {
  const u = unwrap(e);
  return u.type === "binary" && u.op === "//" ? [...operands(u.left), ...operands(u.right)] : [u];
}

export const keyName = (k: AttrKey | undefined) => (k && "name" in k ? k.name : undefined);

/** Whether the set's bindings define the attribute `name` (as `name = …`, `name.x = …` or `inherit name`). */
export function defines(set: SetExpr, name: string): boolean {
  return set.bindings.some((b) => (b.kind === "inherit" ? b.names.includes(name) : keyName(b.path[0]) === name));
}

export function attrBindings(set: SetExpr, name: string): AttrBinding[] {
  return set.bindings.filter((b): b is AttrBinding => b.kind === "attr" && keyName(b.path[0]) === name);
}

/** The names a binding defines at its set's top level. */
export function bindingNames(b: Binding): string[] {
  if (b.kind === "inherit") return b.names;
  const n = keyName(b.path[0]);
  return n === undefined ? [] : [n];
}

export function parse(text: string): { expr: Expr } | { reason: string } {
  try {
    return parseNix(text);
  } catch (e) {
    if (e instanceof NixSyntaxError) return { reason: `it is not valid Nix (${e.message} on line ${lineOf(text, e.offset)})` };
    // The parser recurses once per level of nesting: a file nested thousands deep is refused, not a stack trace.
    if (e instanceof RangeError) return { reason: "it nests its expressions too deeply to read" };
    throw e;
  }
}

/**
 * What the walk meets on the way to `path` in one set: `inherit` of its
 * first name; a binding that sets `path` or something below it ("reached");
 * a binding of a prefix of `path` whose value is not a set ("opaque").
 * `path` is the part still to walk at that level; `names` the binding's own.
 */
export type PathStep =
  | { kind: "inherit"; path: readonly string[] }
  | { kind: "reached"; binding: AttrBinding; names: (string | undefined)[]; path: readonly string[] }
  | { kind: "opaque"; binding: AttrBinding; names: (string | undefined)[]; path: readonly string[] };

/**
 * Walks the bindings of `set` along `path`, into nested `{ … }` (as `open`
 * reads a value: unwrapped by default), calling `visit` at each step; stops
 * at the first step `visit` returns a value for, and returns it.
 */
export function walkPath<T>(set: SetExpr, path: readonly string[], visit: (step: PathStep) => T | undefined, open: (value: Expr) => Expr = unwrap): T | undefined {
  for (const b of set.bindings) {
    if (b.kind === "inherit") {
      if (b.names.includes(path[0]!)) {
        const stop = visit({ kind: "inherit", path });
        if (stop !== undefined) return stop;
      }
      continue;
    }
    const names = b.path.map(keyName);
    const n = Math.min(names.length, path.length);
    if (names.slice(0, n).some((k, i) => k !== path[i])) continue;
    let stop: T | undefined;
    if (names.length >= path.length) stop = visit({ kind: "reached", binding: b, names, path });
    else {
      const inner = open(b.value);
      stop = inner.type === "set" ? walkPath(inner, path.slice(names.length), visit, open) : visit({ kind: "opaque", binding: b, names, path });
    }
    if (stop !== undefined) return stop;
  }
  return undefined;
}

/**
 * The bindings in `set` that set `path` or something below it, following
 * nested `{ … }` and dotted names; "opaque" when a part of `path` is given a
 * value that is not written out as a set (or is inherited).
 */
export function bindingsAt(set: SetExpr, path: readonly string[]): AttrBinding[] | "opaque" {
  const found: AttrBinding[] = [];
  const stop = walkPath(set, path, (step) => (step.kind === "reached" ? void found.push(step.binding) : ("opaque" as const)));
  return stop ?? found;
}

/** The value of `path` in the set's bindings, following nested `{ … }` and dotted names. */
export function lookup(set: SetExpr, path: readonly string[]): Expr[] | "opaque" {
  const found: Expr[] = [];
  const stop = walkPath(set, path, (step) => {
    if (step.kind !== "reached") return "opaque" as const;
    if (step.names.length === step.path.length) found.push(step.binding.value);
    return undefined;
  });
  return stop ?? found;
}
