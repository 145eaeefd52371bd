// `pnpm gen --help` and `pnpm gen <generator> --help`, from the registry's specs.
import { type GeneratorSpec, defaultText } from "../answers/spec.js";
import { type Registry, loadAll } from "../generators/registry.js";

export async function generalHelp(registry: Registry): Promise<string> {
  const specs = Object.values(await loadAll(registry)).map((g) => g.spec);
  return [
    "Usage: pnpm gen <generator> [name] [flags]",
    "",
    "Generators:",
    ...specs.map((s) => `  ${s.name.padEnd(8)}${s.description}`),
    `  ${"remove".padEnd(8)}Remove a host, a user (from some hosts or everywhere) or a secret (pnpm gen remove --help).`,
    "",
    "Run `pnpm gen <generator> --help` for its flags. In a terminal, each missing answer is",
    "asked and checked, then a recap asks before writing; without one, missing required flags are an error.",
  ].join("\n");
}

export function generatorHelp(spec: GeneratorSpec): string {
  const rows = spec.params.map((p) => {
    const value = p.kind === "boolean" ? "" : p.kind === "choice" && Array.isArray(p.choices) ? ` <${p.choices.join("|")}>` : p.values ? p.values.map((v) => ` <${v}>`).join("") : " <value>";
    const left = p.kind === "boolean" && p.default === true ? `--${p.flag}, --no-${p.flag}` : `--${p.flag}${value}`;
    const notes = [p.required ? "required" : undefined, p.kind === "list" ? "repeatable" : undefined, defaultText(p) === undefined ? undefined : `default: ${defaultText(p)}`].filter(Boolean).join(", ");
    // A flag too long for the column (--system's four choices) takes a line of its own.
    const lead = left.length < 34 ? left.padEnd(34) : `${left}\n  ${"".padEnd(34)}`;
    return `  ${lead}${p.help}${notes ? ` (${notes})` : ""}`;
  });
  const positional = spec.params.find((p) => p.positional);
  return [
    `Usage: pnpm gen ${spec.name}${positional ? ` [${positional.flag}]` : ""} [flags]`,
    "",
    spec.description,
    "",
    "Flags:",
    ...rows,
    `  ${"--dry-run".padEnd(34)}Print the plan and the diffs; write nothing.`,
    `  ${"-y, --yes".padEnd(34)}In a terminal, write without asking "Write N files?" after the recap.`,
    `  ${"--root <dir>".padEnd(34)}The repository (default: the nearest folder with flake.nix).`,
    `  ${"-h, --help".padEnd(34)}Show this help.`,
    "",
    `Example: ${spec.example}`,
  ].join("\n");
}
