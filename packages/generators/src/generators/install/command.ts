// gen install as the CLI runs it: the flags are parsed, checked and asked
// by the CLI; the questions that are gen install's own (the host's name as
// confirmation, the hidden passphrase) are asked here, on the terminal.
import type { InstallFlags } from "./spec.js";
import type { CommandContext } from "../registry.js";
import type { InstallAnswers } from "./resolve.js";
import { type InstallIo, runInstall } from "./run.js";

export interface InstallOptions {
  /** Re-encrypts the host's secrets to its new key, inside the install's plan (see InstallIo.rekey). */
  rekey?: InstallIo["rekey"];
  /** PATH and the rest for nixos-anywhere (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

export async function installCommand(answers: InstallFlags, ctx: CommandContext, options: InstallOptions = {}): Promise<number> {
  const { identity: _identity, ...flags } = answers;
  const given: InstallAnswers = { ...flags, dryRun: ctx.dryRun, yes: ctx.yes };
  const report = await runInstall(given, {
    root: ctx.root,
    cwd: ctx.cwd,
    note: ctx.note,
    ...(ctx.interactive ? { terminal: ctx.terminal } : {}),
    ...(options.rekey ? { rekey: options.rekey } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  ctx.out(report);
  return 0;
}
