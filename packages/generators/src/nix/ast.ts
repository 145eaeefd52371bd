// A Nix parser over nix-scan's tokens, following the grammar and operator
// precedence of Nix's parser.y. It keeps only what the editors look at (sets
// and their bindings, functions and their formals, let/with/assert, `//`)
// with the offsets of each piece; anything else is an "other" span.
import { NixSyntaxError, type Token, lexNix, memoByText } from "./scan.js";

interface Span {
  start: number;
  end: number;
}

export type AttrKey = { name: string } | { dynamic: true };

export interface AttrBinding extends Span {
  kind: "attr";
  /** `a.b."c"` → a, b, c; `${x}` is dynamic. */
  path: AttrKey[];
  value: Expr;
  /** Index of the `;` that ends it. */
  semicolon: number;
}

interface InheritBinding extends Span {
  kind: "inherit";
  names: string[];
  /** `inherit (src) a;`: taken from `src`, not from the enclosing scope. */
  from?: Expr;
  semicolon: number;
}

export type Binding = AttrBinding | InheritBinding;

interface Formal extends Span {
  name: string;
}

export type Expr =
  | (Span & { type: "set"; rec: boolean; open: number; close: number; bindings: Binding[] })
  | (Span & { type: "lambda"; arg?: string; formals?: { open: number; close: number; list: Formal[]; ellipsis?: Span }; body: Expr })
  | (Span & { type: "let"; bindings: Binding[]; body: Expr })
  | (Span & { type: "with"; body: Expr })
  | (Span & { type: "assert"; body: Expr })
  | (Span & { type: "paren"; inner: Expr })
  | (Span & { type: "binary"; op: string; left: Expr; right: Expr })
  | (Span & { type: "id"; name: string })
  | (Span & { type: "bool"; value: boolean })
  | (Span & { type: "apply"; fn: Expr; args: Expr[] })
  | (Span & { type: "select"; subject: Expr; path: AttrKey[] })
  | (Span & { type: "other" });

export interface ParsedNix {
  expr: Expr;
  tokens: Token[];
}

/** Parses `text`; throws NixSyntaxError where Nix would refuse it. */
export const parseNix: (text: string) => ParsedNix = memoByText(8, parseText);

function parseText(text: string): ParsedNix {
  const { tokens } = lexNix(text);
  const p = new Parser(tokens, text.length);
  const expr = p.expr();
  if (p.peek()) p.fail("expected the end of the file");
  return { expr, tokens };
}

// Binary operators: [left binding power, right binding power] (right-associative: right < left).
const BINARY: Record<string, [number, number]> = {
  "->": [2, 1],
  "||": [3, 4],
  "&&": [5, 6],
  "==": [7, 8],
  "!=": [7, 8],
  "<": [9, 10],
  ">": [9, 10],
  "<=": [9, 10],
  ">=": [9, 10],
  "//": [12, 11],
  "+": [15, 16],
  "-": [15, 16],
  "*": [17, 18],
  "/": [17, 18],
  "++": [20, 19],
};
const NOT_POWER = 13; // `!` binds tighter than `//`, looser than `+`
const HAS_ATTR_POWER = 21; // `e ? a.b`
const NEGATE_POWER = 22;

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && (t.kind === "punct" || t.kind === "op" || t.kind === "keyword") && t.text === text;
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (!t) this.fail("unexpected end of file");
    this.i++;
    return t!;
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.fail(`expected \`${text}\``);
    return this.next();
  }

  fail(message: string): never {
    const t = this.peek();
    throw new NixSyntaxError(t ? `${message}, found \`${t.text}\`` : message, t ? t.start : this.length);
  }

  expr(): Expr {
    const t = this.peek();
    if (!t) this.fail("expected an expression");
    const start = t!.start;
    if (t!.kind === "id" && this.is(":", 1)) {
      this.i += 2;
      const body = this.expr();
      return { type: "lambda", arg: t!.text, body, start, end: body.end };
    }
    if (t!.kind === "id" && this.is("@", 1) && this.is("{", 2)) {
      this.i += 2;
      const formals = this.formals();
      this.expect(":");
      const body = this.expr();
      return { type: "lambda", arg: t!.text, formals, body, start, end: body.end };
    }
    if (this.is("{") && this.looksLikeFormals()) {
      const formals = this.formals();
      let arg: string | undefined;
      if (this.is("@")) {
        this.next();
        const id = this.next();
        if (id.kind !== "id") this.fail("expected a name after `@`");
        arg = id.text;
      }
      this.expect(":");
      const body = this.expr();
      return { type: "lambda", arg, formals, body, start, end: body.end };
    }
    if (this.is("assert") || this.is("with")) {
      const kind = this.next().text as "assert" | "with";
      this.expr();
      this.expect(";");
      const body = this.expr();
      return { type: kind, body, start, end: body.end };
    }
    if (this.is("let") && !this.is("{", 1)) {
      this.next();
      const bindings = this.bindings("in");
      this.expect("in");
      const body = this.expr();
      return { type: "let", bindings, body, start, end: body.end };
    }
    if (this.is("if")) {
      this.next();
      this.expr();
      this.expect("then");
      this.expr();
      this.expect("else");
      const last = this.expr();
      return { type: "other", start, end: last.end };
    }
    return this.operators(0);
  }

  /** After `{`: a function's formals rather than a set? (`{ }:`, `{ a, …`, `{ a ? …`, `{ a }:`, `{ ... }`). */
  private looksLikeFormals(): boolean {
    const a = this.peek(1);
    if (!a) return false;
    if (a.text === "}" && a.kind === "punct") return this.is(":", 2) || this.is("@", 2);
    if (a.kind === "op" && a.text === "...") return true;
    if (a.kind !== "id") return false;
    return this.is(",", 2) || this.is("?", 2) || (this.is("}", 2) && (this.is(":", 3) || this.is("@", 3)));
  }

  private formals(): { open: number; close: number; list: Formal[]; ellipsis?: Span } {
    const open = this.expect("{").start;
    const list: Formal[] = [];
    let ellipsis: Span | undefined;
    while (!this.is("}")) {
      if (this.is("...")) {
        const t = this.next();
        ellipsis = { start: t.start, end: t.end };
      } else {
        const id = this.next();
        if (id.kind !== "id") this.fail("expected an argument name");
        let end = id.end;
        if (this.is("?")) {
          this.next();
          end = this.expr().end;
        }
        list.push({ name: id.text, start: id.start, end });
      }
      if (!this.is(",")) break;
      this.next();
    }
    const close = this.expect("}").start;
    return { open, close, list, ellipsis };
  }

  private operators(minPower: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (!t || (t.kind !== "punct" && t.kind !== "op")) return left;
      if (t.text === "?" && HAS_ATTR_POWER >= minPower) {
        this.next();
        const path = this.attrPath();
        left = { type: "other", start: left.start, end: path.end };
        continue;
      }
      const power = BINARY[t.text];
      if (!power || power[0] < minPower) return left;
      this.next();
      const right = this.operators(power[1]);
      left = { type: "binary", op: t.text, left, right, start: left.start, end: right.end };
    }
  }

  private prefix(): Expr {
    const t = this.peek();
    if (t && t.kind === "punct" && (t.text === "!" || t.text === "-")) {
      this.next();
      const operand = this.operators(t.text === "!" ? NOT_POWER : NEGATE_POWER);
      return { type: "other", start: t.start, end: operand.end };
    }
    return this.application();
  }

  private application(): Expr {
    const fn = this.select();
    const args: Expr[] = [];
    while (this.startsSimple()) args.push(this.select());
    if (args.length === 0) return fn;
    return { type: "apply", fn, args, start: fn.start, end: args[args.length - 1]!.end };
  }

  /** Whether the next token can start an argument of a function application. */
  private startsSimple(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (["id", "int", "float", "string", "istring", "path", "spath", "uri"].includes(t.kind)) return true;
    if (t.kind === "keyword") return t.text === "rec" || t.text === "or" || (t.text === "let" && this.is("{", 1));
    return t.kind === "punct" && (t.text === "(" || t.text === "[" || t.text === "{");
  }

  private select(): Expr {
    const subject = this.simple();
    if (!this.is(".")) {
      // `f or` applies f to a variable named `or` (an old form Nix still takes).
      return subject;
    }
    this.next();
    const path = this.attrPath();
    let end = path.end;
    if (this.is("or")) {
      this.next();
      end = this.select().end;
    }
    return { type: "select", subject, path: path.keys, start: subject.start, end };
  }

  private attrPath(): { keys: AttrKey[]; end: number } {
    const keys: AttrKey[] = [];
    let end = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === "id" || (t.kind === "keyword" && t.text === "or")) keys.push({ name: t.text });
      else if (t.kind === "string") keys.push(stringKey(t.text));
      else if (t.kind === "interp") {
        this.expr();
        this.expect("}");
        keys.push({ dynamic: true });
      } else this.fail("expected an attribute name");
      end = this.tokens[this.i - 1]!.end;
      if (!this.is(".")) return { keys, end };
      this.next();
    }
  }

  private simple(): Expr {
    const t = this.next();
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case "id":
        if (t.text === "true" || t.text === "false") return { type: "bool", value: t.text === "true", ...span };
        return { type: "id", name: t.text, ...span };
      case "int":
      case "float":
      case "string":
      case "istring":
      case "path":
      case "spath":
      case "uri":
        return { type: "other", ...span };
      case "keyword":
        if (t.text === "or") return { type: "id", name: "or", ...span };
        if (t.text === "rec" || t.text === "let") {
          const set = this.set(t.text === "rec");
          if (t.text === "let") return { type: "other", start: t.start, end: set.end };
          return { ...set, start: t.start };
        }
        break;
      case "punct":
        if (t.text === "(") {
          const inner = this.expr();
          const close = this.expect(")");
          return { type: "paren", inner, start: t.start, end: close.end };
        }
        if (t.text === "[") {
          while (!this.is("]")) this.select();
          return { type: "other", start: t.start, end: this.next().end };
        }
        if (t.text === "{") {
          this.i--;
          return this.set(false);
        }
        break;
    }
    this.i--;
    return this.fail("expected an expression");
  }

  private set(rec: boolean): Expr & { type: "set" } {
    const open = this.expect("{");
    const bindings = this.bindings("}");
    const close = this.expect("}");
    return { type: "set", rec, open: open.start, close: close.start, bindings, start: open.start, end: close.end };
  }

  private bindings(until: string): Binding[] {
    const out: Binding[] = [];
    while (!this.is(until)) {
      const first = this.peek();
      if (!first) this.fail(`expected \`${until}\``);
      if (this.is("inherit")) {
        this.next();
        let from: Expr | undefined;
        if (this.is("(")) {
          this.next();
          from = this.expr();
          this.expect(")");
        }
        const names: string[] = [];
        while (!this.is(";")) {
          const n = this.next();
          if (n.kind === "id" || (n.kind === "keyword" && n.text === "or")) names.push(n.text);
          else if (n.kind === "string") {
            const key = stringKey(n.text);
            names.push("name" in key ? key.name : "");
          } else if (n.kind === "interp") {
            this.expr();
            this.expect("}");
          } else this.fail("expected a name to inherit");
        }
        const semi = this.next();
        out.push({ kind: "inherit", names, ...(from ? { from } : {}), start: first!.start, end: semi.end, semicolon: semi.start });
        continue;
      }
      const path = this.attrPath();
      this.expect("=");
      const value = this.expr();
      const semi = this.expect(";");
      out.push({ kind: "attr", path: path.keys, value, start: first!.start, end: semi.end, semicolon: semi.start });
    }
    return out;
  }
}

/** The name a `"…"` attribute spells, or dynamic when it interpolates. */
function stringKey(literal: string): AttrKey {
  const body = literal.slice(1, -1);
  if (/\$\{/.test(body.replace(/\\./g, "").replace(/\$\$/g, ""))) return { dynamic: true };
  return { name: body.replace(/\\(.)/gs, (_m, ch: string) => ({ n: "\n", r: "\r", t: "\t" })[ch] ?? ch) };
}
