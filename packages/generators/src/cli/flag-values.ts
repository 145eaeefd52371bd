// Flags that take two arguments, as nix's own `--override-input NAME REF`
// does: node's parseArgs reads one value per flag, so each such occurrence
// is joined into one (`--override-input=NAME REF`) before parsing. An input's
// name holds no space, so the first space splits the pair again
// (splitPair); a reference may hold one. Its errors end without a period:
// the CLI adds where to read the flags.
import { GenError } from "../report/errors.js";
import type { GeneratorSpec } from "../answers/spec.js";

/** `args` with each multi-argument flag's arguments joined into its one value. */
export function joinFlagValues(spec: GeneratorSpec, args: readonly string[]): string[] {
  const multi = new Map(spec.params.filter((p) => (p.values?.length ?? 1) > 1).map((p) => [`--${p.flag}`, p.values!]));
  if (multi.size === 0) return [...args];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const names = multi.get(arg);
    if (names === undefined) {
      // `--override-input=a b` would be one argument: the form is the two after the flag, as nix takes them.
      const flag = arg.split("=")[0]!;
      const of = multi.get(flag);
      if (of !== undefined) throw new GenError(`${flag} takes ${of.length} arguments after it, without "=" (${usage(flag, of)})`);
      out.push(arg);
      continue;
    }
    const given = args.slice(i + 1, i + 1 + names.length);
    if (given.length < names.length || given.some((v) => v.startsWith("--") || v === "")) {
      throw new GenError(`${arg} takes ${names.length} arguments (${usage(arg, names)})`);
    }
    // Only the last may hold a space: the first space splits them again.
    const spaced = given.slice(0, -1).find((v) => v.includes(" "));
    if (spaced !== undefined) throw new GenError(`${arg}'s <${names[given.indexOf(spaced)]}> holds no space (${JSON.stringify(spaced)} is given)`);
    out.push(`${arg}=${given.join(" ")}`);
    i += names.length;
  }
  return out;
}

const usage = (flag: string, names: readonly string[]) => `${flag} ${names.map((n) => `<${n}>`).join(" ")}`;

/** A joined answer back as its two arguments: "nixpkgs path:/src" → ["nixpkgs", "path:/src"]. */
export function splitPair(value: string): [string, string] {
  const at = value.indexOf(" ");
  return at < 0 ? [value, ""] : [value.slice(0, at), value.slice(at + 1)];
}
