// gen fix's parameters: which configurations to evaluate, and the inputs to
// evaluate them with (passed to nix as they are).
import type { CheckContext, GeneratorSpec, Param } from "../../answers/spec.js";
import { flakeEntryNames } from "../../nix/edit.js";
import { splitPair } from "../../cli/flag-values.js";

const OUTPUTS = ["nixosConfigurations", "darwinConfigurations", "homeConfigurations"] as const;

/** A --host that names no entry of flake.nix's three outputs. */
function checkConfig(name: string, ctx: CheckContext): string | undefined {
  const flake = ctx.repo.read("flake.nix") ?? "";
  // As gen host writes them: in flake.nix, or in the hosts file it imports (`import ./hosts { … }`).
  const lists = OUTPUTS.map((o) => flakeEntryNames(flake, o, (path) => ctx.repo.read(path)));
  // An output not written as a set of entries cannot be read here: nix says what is there.
  if (lists.some((l) => l === undefined) || lists.some((l) => l!.includes(name))) return undefined;
  const known = lists.flat() as string[];
  return `There is no configuration ${JSON.stringify(name)} in flake.nix's ${OUTPUTS.join(", ")}: give one of ${known.join(", ")}.`;
}

/** `--override-input <name> <flake-ref>`, shared by gen upgrade (which passes it on to gen fix). */
export const OVERRIDE_INPUT_PARAM: Param = {
  name: "overrideInputs",
  flag: "override-input",
  kind: "list",
  values: ["name", "flake-ref"],
  required: false,
  help: "Evaluate with the flake input <name> taken from <flake-ref> instead of flake.lock, passed to nix as it is (`--override-input home-manager github:nix-community/home-manager/release-26.05`). Repeat for more.",
  check: (v) => {
    const [name, ref] = splitPair(v);
    if (!/^[A-Za-z_][\w'-]*(\/[A-Za-z_][\w'-]*)*$/.test(name)) return `--override-input ${name} ${ref}: ${JSON.stringify(name)} is not a flake input's name (such as nixpkgs or home-manager).`;
    return ref === "" ? `--override-input ${name} needs a flake reference after the name (such as path:../home-manager).` : undefined;
  },
};

/** gen fix's answers: the configurations to evaluate (default every one), and the inputs to evaluate them with. */
export type FixAnswers = { hosts?: string[]; overrideInputs?: string[] };

export const fixSpec: GeneratorSpec<FixAnswers> = {
  name: "fix",
  description: "Evaluate every host and home, and rewrite the options Nix warns were renamed; list what needs a person (removed options).",
  example: "pnpm gen fix --host web1 --dry-run",
  minimal: "pnpm gen fix",
  needsHost: false,
  params: [
    {
      name: "hosts",
      flag: "host",
      kind: "list",
      required: false,
      help: "Only this configuration: a host or a home, as named in flake.nix's nixosConfigurations, darwinConfigurations or homeConfigurations. Repeat for more.",
      defaultText: "every host and home",
      check: checkConfig,
    },
    OVERRIDE_INPUT_PARAM,
  ],
};
