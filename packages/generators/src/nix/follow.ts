// Following a value to the set literal it stands for, as Nix would: a name
// bound by an enclosing `let` (or the `rec` set it is in), and `import
// ./file` to that file's set, and, where asked, into the set `mapAttrs f`
// is given (it keeps that set's names). The flake editor edits there;
// whatever is truly computed (a function's result, a name it cannot see the
// binding of) stays a refusal with the reason.
import type { Binding, Expr } from "./ast.js";
import { type SetExpr, bindingNames, keyName, parse } from "./set-walk.js";

/** Reads a file of the fork by its path from the repository root; undefined when there is none. */
export type ReadFile = (path: string) => string | undefined;

/** The bindings in scope: the innermost `let` (or `rec` set) first. */
interface Scope {
  bindings: readonly Binding[];
  parent?: Scope;
}

/** Where an expression is written: the file (undefined = flake.nix) and its text. */
export interface Place {
  file?: string;
  text: string;
  scope?: Scope;
}

export interface Found {
  set: SetExpr;
  place: Place;
  /** The (outermost) `mapAttrs f …` whose input it is, shown as written; one object per call, so its sets can be told apart. */
  mapped?: { by: string };
}

export interface FollowOptions {
  /** Reads `import ./file`; without it an import is "computed". */
  read?: ReadFile;
  /** Follow into the set of `builtins.mapAttrs f { … }` too (outputs' body is not: a function of each output is not one of each entry). */
  maps?: boolean;
}

// A chain of names longer than this is a loop (`let a = b; b = a;`), not a flake.
const MAX_DEPTH = 16;

/** `e` under its parentheses, `let`, `with` and `assert`, with the `let`s it passed in scope. */
function enter(e: Expr, scope?: Scope): { expr: Expr; scope?: Scope } {
  for (;;) {
    if (e.type === "paren") e = e.inner;
    else if (e.type === "let") {
      scope = { bindings: e.bindings, parent: scope };
      e = e.body;
    } else if (e.type === "with" || e.type === "assert") e = e.body;
    else return { expr: e, scope };
  }
}

/** The binding of `name` in `scope`, and the scope it is read in; a reason when it is bound in a way that cannot be read. */
function bound(name: string, scope: Scope | undefined): { value: Expr; scope?: Scope } | { reason: string } | undefined {
  for (let s = scope; s; s = s.parent) {
    const here = s.bindings.filter((b) => bindingNames(b).includes(name));
    if (here.length === 0) continue;
    const b = here[0]!;
    if (here.length > 1 || (b.kind === "attr" && b.path.length > 1)) return { reason: `\`${name}\` is built from several bindings` };
    if (b.kind === "inherit") {
      if (b.from) return { reason: `\`${name}\` is inherited from another set` };
      // `let inherit name;` takes it from the scope around.
      return bound(name, s.parent);
    }
    return { value: b.value, scope: s };
  }
  return undefined;
}

/** The file `import <literal>` reads, from flake.nix's folder: `./hosts.nix`, or `./hosts` (its default.nix). */
function importedFile(literal: string, read: ReadFile): { file: string; text: string } | undefined {
  if (!/^\.\/[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*\/?$/.test(literal) || literal.split("/").includes("..")) return undefined;
  const path = literal.slice(2).replace(/\/$/, "");
  // A folder's default.nix first: reading the folder itself as a file fails.
  for (const file of path.endsWith(".nix") ? [path] : [`${path}/default.nix`, path]) {
    let content: string | undefined;
    try {
      content = read(file);
    } catch {
      // Not a readable file (a folder, a link out of the repository): Nix could not import it as a file either.
      continue;
    }
    if (content !== undefined) return { file, text: content };
  }
  return undefined;
}

/**
 * `builtins.mapAttrs`, `lib.mapAttrs` or `<…>.lib.mapAttrs`: these keep the
 * names of their set. Not `mapAttrs'` (it renames them), nor a bare
 * `mapAttrs`, whose binding is not read.
 */
function isMapAttrs(fn: Expr): boolean {
  if (fn.type !== "select" || keyName(fn.path.at(-1)) !== "mapAttrs") return false;
  if (fn.path.length === 1) return fn.subject.type === "id" && (fn.subject.name === "builtins" || fn.subject.name === "lib");
  return keyName(fn.path.at(-2)) === "lib" && fn.path.every((k) => keyName(k) !== undefined);
}

/**
 * The operands (`a // b`) of `e`, each followed to the set literal it stands
 * for; an operand that cannot be followed is "computed" (with why), unless
 * it is an import the caller gave no reader for.
 */
export function followOperands(e: Expr, place: Place, options: FollowOptions = {}, depth = 0, mapped?: Found["mapped"]): (Found | { computed: string })[] {
  const { read } = options;
  const { expr, scope } = enter(e, place.scope);
  const here: Place = { ...place, scope };
  if (expr.type === "binary" && expr.op === "//") return [...followOperands(expr.left, here, options, depth, mapped), ...followOperands(expr.right, here, options, depth, mapped)];
  if (expr.type === "set") return [{ set: expr, place: here, ...(mapped ? { mapped } : {}) }];
  if (depth >= MAX_DEPTH) return [{ computed: "it refers to itself" }];
  if (expr.type === "id") {
    const b = bound(expr.name, scope);
    if (b === undefined) return [{ computed: `\`${expr.name}\` is not bound by a \`let\` here` }];
    if ("reason" in b) return [{ computed: b.reason }];
    return followOperands(b.value, { ...here, scope: b.scope }, options, depth + 1, mapped);
  }
  if (options.maps && expr.type === "apply" && expr.args.length === 2 && isMapAttrs(expr.fn)) {
    return followOperands(expr.args[1]!, here, options, depth + 1, mapped ?? { by: place.text.slice(expr.fn.start, expr.fn.end) });
  }
  const isImport = expr.type === "apply" && expr.fn.type === "id" && expr.fn.name === "import" && expr.args.length <= 2;
  if (!isImport) return [{ computed: "it is computed (not written out as `{ … }`)" }];
  const shown = place.text.slice(expr.args[0]!.start, expr.args[0]!.end).trim();
  if (!read) return [{ computed: `it is imported from ${shown}` }];
  const target = importedFile(shown, read);
  if (!target) return [{ computed: `it is imported from ${shown}, which is not a file of this repository` }];
  const parsed = parse(target.text);
  if ("reason" in parsed) return [{ computed: `${target.file} is not valid Nix` }];
  let body = parsed.expr;
  const file: Place = { file: target.file, text: target.text };
  if (expr.args.length === 2) {
    // `import ./hosts { inherit mkHost; }`: the file is a function of those arguments.
    const fn = enter(body).expr;
    if (fn.type !== "lambda") return [{ computed: `${target.file} is not a function, yet it is called with arguments` }];
    body = fn.body;
    file.scope = { bindings: (fn.formals?.list ?? []).map((f) => ({ kind: "inherit", names: [f.name], start: f.start, end: f.end, semicolon: f.end })) };
  }
  return followOperands(body, file, options, depth + 1, mapped);
}

/** Whether `name` is in scope at `place` (bound by a `let`, a `rec` set or the file's function arguments). */
export function inScope(name: string, place: Place): boolean {
  for (let s = place.scope; s; s = s.parent) {
    if (s.bindings.some((b) => bindingNames(b).includes(name))) return true;
  }
  return false;
}
