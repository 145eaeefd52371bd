// gen secret as a command: the value is read only when the plan needs a new
// one (a new secret, --rotate; a re-key never asks), before the lock, then
// the plan is made again under the lock and written as every plan is.
import { homedir } from "node:os";
import { runOptionsOf, runPlanner } from "../../cli/run.js";
import { fsRepo } from "../../repo/tree.js";
import type { CommandContext } from "../registry.js";
import type { SecretAnswers } from "./answers.js";
import { type SecretIO, planSecret } from "./plan.js";
import { readValue } from "./value.js";

/** Thrown by the probe's readValue: the plan wants a new value. */
class NeedsValue extends Error {}

export async function runSecret(answers: SecretAnswers, ctx: CommandContext): Promise<number> {
  const base = { root: ctx.root, cwd: ctx.cwd, home: process.env.HOME ?? homedir() };
  let value: Buffer | undefined;
  // The probe makes every check a real run makes (and refuses as it would) before anything is asked.
  try {
    planSecret(fsRepo(ctx.root), answers, { ...base, readValue: () => { throw new NeedsValue(); } });
  } catch (error) {
    if (!(error instanceof NeedsValue)) throw error;
    // In a terminal the value is typed (hidden); else it is all of stdin.
    value = await readValue(ctx.stdin, ctx.interactive && ctx.terminal.input.isTTY ? ctx.terminal : undefined, answers.name);
  }
  const io: SecretIO = { ...base, readValue: () => Buffer.from(value ?? Buffer.alloc(0)) };
  try {
    ctx.out(
      await runPlanner(`gen secret ${answers.name}`, () => planSecret(fsRepo(ctx.root), answers, io), runOptionsOf(ctx)),
    );
  } finally {
    value?.fill(0);
  }
  return 0;
}
