// gen update runs itself: a merge may leave conflict markers, which no Nix
// check passes, so it has its own lock → plan → check → journal → apply
// (run.ts) and exits 1 naming the conflicted files.
import type { UpdateAnswers } from "./spec.js";
import type { CommandContext } from "../registry.js";
import { runUpdate } from "./run.js";

export async function updateCommand(answers: UpdateAnswers, ctx: CommandContext): Promise<number> {
  const hosts = answers.hosts ?? [];
  const result = await runUpdate({
    root: ctx.root,
    dryRun: ctx.dryRun,
    adopt: answers.adopt === true,
    hosts,
    note: ctx.note,
    ...(ctx.confirm ? { confirm: ctx.confirm } : {}),
    ...(ctx.hooks ? { hooks: ctx.hooks } : {}),
  });
  ctx.out(result.report);
  if (result.error) ctx.note(`error: ${result.error}`);
  return result.code;
}
