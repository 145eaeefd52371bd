// Everything that turns user input into Nix source goes through here, so
// that a full name like `Bob "${x}" \o/` evaluates to exactly what was typed.
// (Handlebars' own HTML escaping would produce `&quot;`, which is wrong for Nix.)
import { KEYWORDS } from "./scan.js";

/** A double-quoted Nix string literal whose value is exactly `value`. */
export function nixString(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" || c === '"') out += "\\" + c;
    else if (c === "$" && value[i + 1] === "{") out += "\\$";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else out += c;
  }
  return `"${out}"`;
}

/** Whether `name` can stand bare as an attribute name (`users.users.alice`). */
export function isNixIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !KEYWORDS.has(name);
}

/** An attribute name: bare when it can be, quoted otherwise (`"1web"`, `"alice@web1"`). */
export function nixAttr(name: string): string {
  return isNixIdentifier(name) ? name : nixString(name);
}
