// secrets/secrets.nix, in agenix's own rules format, so that the agenix CLI
// (`cd secrets && agenix -e wifi.age`, `agenix -r`) works on it too:
//   let
//     admin = "ssh-ed25519 AAAA…";
//     admins = [ admin ];
//     web1 = "ssh-ed25519 AAAA…";
//   in
//   {
//     "wifi.age" = {
//       publicKeys = admins ++ [ web1 ];
//       armor = true;
//     };
//   }
// Read by structure (nix-ast), edited by whole lines; every other byte stays.
// `armor = true` makes agenix write armored (text) files as this tool does.
import { type AttrBinding, type Expr, parseNix } from "../../nix/ast.js";
import { NixSyntaxError } from "../../nix/scan.js";
import { isNixIdentifier } from "../../nix/quote.js";
import { render } from "../templates.js";
import { cut, indentAt, insertLines, wholeLines } from "./lines.js";

export const RULES_PATH = "secrets/secrets.nix";
export const ADMINS = "admins";

export interface Rule {
  /** `wifi.age` */
  file: string;
  /** Every binding that defines it (`"wifi.age" = { … };` or `"wifi.age".publicKeys = …;`). */
  bindings: AttrBinding[];
  /** Its publicKeys expression, or undefined when it has none. */
  publicKeys?: Expr;
  /** The keys it names, resolved through the let bindings. */
  keys: string[];
}

export interface Rules {
  /** The let bindings that name one key: name → key. */
  keyNames: Map<string, string>;
  /** The let bindings, by name. */
  lets: Map<string, AttrBinding>;
  /** The keys of `admins`, in order. */
  admins: string[];
  rules: Map<string, Rule>;
  /** The rules set (for inserting). */
  body: Expr & { type: "set" };
  /** The names the rules' publicKeys and the let values refer to (`admins ++ [ web1 ]` → admins, web1). */
  used: Set<string>;
}

export type Read<T> = T | { reason: string };

function stringValue(literal: string): string | undefined {
  if (!literal.startsWith('"') || literal.includes("${")) return undefined;
  return literal.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** Reads the rules file, or why it cannot be read for certain. */
export function readRules(text: string): Read<Rules> {
  let parsed;
  try {
    parsed = parseNix(text);
  } catch (e) {
    if (e instanceof NixSyntaxError) return { reason: `it is not valid Nix (${e.message})` };
    throw e;
  }
  const { expr, tokens } = parsed;
  const top = expr.type === "paren" ? expr.inner : expr;
  if (top.type !== "let") return { reason: "it is not `let <keys> in { <rules> }`" };
  const body = top.body.type === "paren" ? top.body.inner : top.body;
  if (body.type !== "set") return { reason: "what follows its `in` is not an attribute set of rules" };

  const lets = new Map<string, AttrBinding>();
  for (const b of top.bindings) {
    if (b.kind !== "attr" || b.path.length !== 1 || !("name" in b.path[0]!)) return { reason: "its let bindings are not all `name = …;`" };
    lets.set(b.path[0].name, b);
  }

  const resolving = new Set<string>();
  const keysOf = (e: Expr): Read<string[]> => {
    if (e.type === "paren") return keysOf(e.inner);
    if (e.type === "binary" && e.op === "++") {
      const l = keysOf(e.left);
      const r = keysOf(e.right);
      if ("reason" in l) return l;
      if ("reason" in r) return r;
      return [...l, ...r];
    }
    if (e.type === "id") return keysOfName(e.name);
    const inner = tokens.filter((t) => t.start >= e.start && t.end <= e.end);
    if (inner.length === 1 && inner[0]!.kind === "string") {
      const s = stringValue(inner[0]!.text);
      return s === undefined ? { reason: `\`${text.slice(e.start, e.end)}\` is not a plain key string` } : [s];
    }
    if (inner[0]?.text === "[" && inner[inner.length - 1]?.text === "]") {
      const out: string[] = [];
      for (const t of inner.slice(1, -1)) {
        const got = t.kind === "id" ? keysOfName(t.text) : t.kind === "string" && stringValue(t.text) !== undefined ? [stringValue(t.text)!] : { reason: `its list \`${text.slice(e.start, e.end)}\` holds more than key names and key strings` };
        if ("reason" in got) return got;
        out.push(...got);
      }
      return out;
    }
    return { reason: `\`${text.slice(e.start, e.end).replace(/\s+/g, " ")}\` is not a key, a list of keys or \`a ++ b\`` };
  };
  const keysOfName = (name: string): Read<string[]> => {
    const b = lets.get(name);
    if (!b) return { reason: `it names \`${name}\`, which its let does not define` };
    if (resolving.has(name)) return { reason: `\`${name}\` is defined by itself` };
    resolving.add(name);
    const got = keysOf(b.value);
    resolving.delete(name);
    return got;
  };

  const keyNames = new Map<string, string>();
  for (const [name, b] of lets) {
    const got = keysOf(b.value);
    if ("reason" in got) return { reason: `its let binding \`${name}\`: ${got.reason}` };
    if (b.value.type !== "id" && got.length === 1 && !text.slice(b.value.start, b.value.end).trim().startsWith("[")) keyNames.set(name, got[0]!);
  }
  const admins = lets.has(ADMINS) ? (keysOfName(ADMINS) as string[]) : [];

  const rules = new Map<string, Rule>();
  for (const b of body.bindings) {
    if (b.kind !== "attr" || !("name" in b.path[0]!)) return { reason: "its rules are not all `\"<file>.age\" = …;`" };
    const file = b.path[0].name;
    const rule = rules.get(file) ?? { file, bindings: [], keys: [] };
    rule.bindings.push(b);
    const rest = b.path.slice(1).map((k) => ("name" in k ? k.name : undefined));
    if (rest.length === 1 && rest[0] === "publicKeys") rule.publicKeys = b.value;
    else if (rest.length === 0 && b.value.type === "set") {
      for (const inner of b.value.bindings) {
        if (inner.kind === "attr" && inner.path.length === 1 && "name" in inner.path[0]! && inner.path[0].name === "publicKeys") rule.publicKeys = inner.value;
      }
    }
    rules.set(file, rule);
  }
  for (const rule of rules.values()) {
    if (!rule.publicKeys) return { reason: `its rule "${rule.file}" has no publicKeys` };
    const got = keysOf(rule.publicKeys);
    if ("reason" in got) return { reason: `its rule "${rule.file}": ${got.reason}` };
    rule.keys = got;
  }
  const spans = [...rules.values()].map((r) => r.publicKeys!).concat([...lets.values()].map((b) => b.value));
  const used = new Set(tokens.filter((t) => t.kind === "id" && spans.some((e) => t.start >= e.start && t.end <= e.end)).map((t) => t.text));
  return { keyNames, lets, admins, rules, body, used };
}

/** The let name of a host's key: the host's own name when Nix takes it bare and it is not the admins'. */
export function hostKeyName(host: string): string {
  return isNixIdentifier(host) && !/^admins?\d*$/.test(host) ? host : `host-${host}`;
}

/** A new rules file: the admins' keys, the hosts' keys and one rule. */
export function newRules(admins: readonly string[], hosts: ReadonlyArray<{ name: string; key: string }>, file: string): string {
  const adminNames = admins.map((_, i) => (i === 0 ? "admin" : `admin${i + 1}`));
  return render("secret/secrets.nix.hbs", {
    admins: admins.map((key, i) => ({ name: adminNames[i], key })),
    adminNames: adminNames.join(" "),
    hosts: hosts.map((h) => ({ name: hostKeyName(h.name), key: h.key })),
    rule: ruleLines(file, hosts.map((h) => hostKeyName(h.name))).map((l) => `  ${l}`).join("\n"),
  });
}

function ruleLines(file: string, names: readonly string[]): string[] {
  return [`${JSON.stringify(file)} = {`, `  publicKeys = ${publicKeysExpr(names)};`, "  armor = true;", "};"];
}

/** `admins ++ [ web1 web2 ]`: every admin, and the named keys. */
function publicKeysExpr(names: readonly string[]): string {
  return names.length === 0 ? ADMINS : `${ADMINS} ++ [ ${names.join(" ")} ]`;
}

export type Edit = { ok: true; text: string } | { ok: false; reason: string };

/** Adds `name = "<key>";` as the last let binding, or gives an existing one the new key. */
export function setKeyName(text: string, rules: Rules, name: string, key: string): Edit {
  const existing = rules.lets.get(name);
  if (existing) {
    if (rules.keyNames.get(name) === key) return { ok: true, text };
    if (!rules.keyNames.has(name)) return { ok: false, reason: `its let binding \`${name}\` is not one key, so ${name}'s key cannot be set there` };
    return { ok: true, text: text.slice(0, existing.value.start) + JSON.stringify(key) + text.slice(existing.value.end) };
  }
  const last = [...rules.lets.values()].pop();
  const range = last && wholeLines(text, last);
  if (!range) return { ok: false, reason: `its let bindings do not end on a line of their own, so \`${name} = "${key.slice(0, 20)}…";\` cannot be added` };
  return { ok: true, text: insertLines(text, range.end, indentAt(text, last.start), [`${name} = ${JSON.stringify(key)};`]) };
}

/** Adds the rule for `file` (absent now) naming `names` besides the admins. */
export function addRule(text: string, rules: Rules, file: string, names: readonly string[]): Edit {
  const { body } = rules;
  const last = body.bindings[body.bindings.length - 1];
  let at: number;
  let indent: string;
  if (last) {
    const range = wholeLines(text, last);
    if (!range) return { ok: false, reason: "its last rule does not end on a line of its own" };
    at = range.end;
    indent = indentAt(text, last.start);
  } else {
    at = text.lastIndexOf("\n", body.close - 1) + 1;
    if (at <= body.open || text.slice(at, body.close).trim() !== "") return { ok: false, reason: "its rules set `{ }` is on one line" };
    indent = indentAt(text, body.open) + "  ";
  }
  return { ok: true, text: insertLines(text, at, indent, ruleLines(file, names)) };
}

/** The rule's publicKeys set to the admins and `names`. */
export function setRuleKeys(text: string, rule: Rule, names: readonly string[]): string {
  const e = rule.publicKeys!;
  return text.slice(0, e.start) + publicKeysExpr(names) + text.slice(e.end);
}

/** Takes the rule for `file` out, with the lines it stands on. */
export function removeRule(text: string, rule: Rule): Edit {
  return removeBindings(text, rule.bindings, `the rule "${rule.file}"`);
}

/** Takes let bindings out, with the lines they stand on. */
export function removeKeyNames(text: string, rules: Rules, names: readonly string[]): Edit {
  return removeBindings(text, names.map((n) => rules.lets.get(n)!).filter(Boolean), `the key names ${names.join(", ")}`);
}

function removeBindings(text: string, bindings: readonly AttrBinding[], what: string): Edit {
  const ranges = [];
  for (const b of bindings) {
    const r = wholeLines(text, b);
    if (!r) return { ok: false, reason: `${what} shares its line with other code, so it cannot be taken out as whole lines` };
    ranges.push(r);
  }
  return { ok: true, text: cut(text, ranges) };
}
