// gen upgrade as the registry loads it: its parameters and the command that
// moves the pins (one plan), updates flake.lock, then runs gen fix.
import type { Generator } from "../registry.js";
import { runOptionsOf } from "../../cli/run.js";
import { overridesOf } from "../fix/index.js";
import { type UpgradeAnswers, upgradeSpec } from "./spec.js";

export const generator: Generator = {
  spec: upgradeSpec,
  async command(answers: UpgradeAnswers, ctx) {
    const { upgradeCommand } = await import("./command.js");
    const r = await upgradeCommand({ ...runOptionsOf(ctx), release: answers.release, overrides: overridesOf(answers) });
    // A refusal is one error line, on stderr as every generator's.
    if (r.exitCode !== 0 && r.text.startsWith("error: ") && !r.text.includes("\n")) ctx.note(r.text);
    else ctx.out(r.text);
    return r.exitCode;
  },
};
