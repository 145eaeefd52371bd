// gen fix as the registry loads it: its parameters and the command that
// evaluates, rewrites (through the same plan, check, lock and journal as
// every generator) and prints the summary; exit 1 when something needs a person.
import { splitPair } from "../../cli/flag-values.js";
import { runOptionsOf } from "../../cli/run.js";
import type { Generator } from "../registry.js";
import { type FixAnswers, fixSpec } from "./spec.js";

/** The --override-input answers as the pairs nix takes. */
export const overridesOf = (answers: Pick<FixAnswers, "overrideInputs">): [string, string][] => (answers.overrideInputs ?? []).map(splitPair);

export const generator: Generator = {
  spec: fixSpec,
  async command(answers: FixAnswers, ctx) {
    const { fixCommand } = await import("./command.js");
    const r = await fixCommand({ ...runOptionsOf(ctx), hosts: answers.hosts ?? [], overrides: overridesOf(answers) });
    ctx.out(r.text);
    return r.exitCode;
  },
};
