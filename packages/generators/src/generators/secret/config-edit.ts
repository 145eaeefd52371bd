// `age.secrets.<name>` in a host's configuration.nix (NixOS and nix-darwin
// alike: agenix's one modules/age.nix serves both with the same options).
// Only `file`, and `owner`/`mode` when given: agenix's defaults are root
// ("0") and "0400".
import { type AttrBinding } from "../../nix/ast.js";
import { bindingsAt, addToModule, moduleSettings } from "../../nix/edit.js";
import { nixAttr } from "../../nix/quote.js";
import { renderLines } from "../templates.js";
import { type Edit } from "./rules.js";
import { type LineRange, cut, lineBefore, wholeLines } from "./lines.js";

export interface SecretUse {
  name: string;
  owner?: string;
  mode?: string;
}

function secretBlock(use: SecretUse): string[] {
  return renderLines("secret/age-secret.block.hbs", { name: use.name, owner: use.owner ?? "", mode: use.mode ?? "" });
}

/** The module's bindings that set `age.secrets.<name>` (or a part of it), or why they cannot be found for certain. */
function findSecretUse(text: string, name: string): AttrBinding[] | { reason: string } {
  const settings = moduleSettings(text);
  if ("reason" in settings) return settings;
  const found: AttrBinding[] = [];
  for (const set of settings.sets) {
    const b = bindingsAt(set, [...settings.prefix, "age", "secrets", name]);
    if (b === "opaque") return { reason: `it sets \`age.secrets\` (or \`age\`) to an expression the generator cannot read, so \`age.secrets.${name}\` cannot be found for certain` };
    found.push(...b);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Adds `age.secrets.<name> = { file = ../../secrets/<name>.age; … };`; unchanged when the host sets it already. */
export function addSecretUse(text: string, use: SecretUse): Edit {
  const found = findSecretUse(text, use.name);
  if ("reason" in found) return { ok: false, reason: found.reason };
  if (found.length > 0) return { ok: true, text };
  const edited = addToModule(text, secretBlock(use));
  return edited.ok ? { ok: true, text: edited.text } : edited;
}

/** Takes every `age.secrets.<name>` out, with the comment and blank line the add put above it. */
export function removeSecretUse(text: string, name: string): Edit {
  const found = findSecretUse(text, name);
  if ("reason" in found) return { ok: false, reason: found.reason };
  const ranges: LineRange[] = [];
  for (const b of found) {
    const r = wholeLines(text, b);
    if (!r) return { ok: false, reason: `\`age.secrets.${name}\` shares its line with other code, so it cannot be taken out as whole lines: delete it by hand` };
    let start = r.start;
    const comment = lineBefore(text, start);
    if (comment && comment.text.trim().startsWith(`# agenix decrypts this at activation to config.age.secrets.${nixAttr(name)}.path`)) start = comment.start;
    const blank = lineBefore(text, start);
    if (blank && blank.text.trim() === "" && lineBefore(text, blank.start)?.text.trim() !== "") start = blank.start;
    ranges.push({ start, end: r.end });
  }
  return { ok: true, text: cut(text, ranges) };
}
