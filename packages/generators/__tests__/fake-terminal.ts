// A terminal in memory for running the prompts in-process: what the CLI and
// Inquirer write goes into one transcript (ANSI codes dropped), and each step
// types its keys once its prompt has appeared there. Ctrl-C at Inquirer's
// questions signals the process: that stays with interactive.test.ts.
import { PassThrough, Writable } from "node:stream";
import { main } from "../src/cli/main.js";
import type { Terminal } from "../src/cli/terminal.js";

export const ENTER = "\r";
/** Only where readline or a raw read takes it as a key; Inquirer and "Write N files?" answer it with a signal (interactive.test.ts). */
export const CTRL_C = "\u0003";
export const CLEAR_LINE = "\u0015"; // Ctrl-U
export const DOWN = "\u001b[B";
export const BACKSPACE = "\u007f";
export type Step = [prompt: string | RegExp, keys: string];
export const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

/**
 * Types each step's keys once its prompt shows in the output so far (ANSI
 * codes dropped), in order; `seen` takes the whole output each time it grows.
 */
export function typist(steps: readonly Step[], type: (keys: string) => void): { seen: (output: string) => void; done: () => number } {
  let step = 0;
  let seenAt = 0;
  const seen = (output: string) => {
    while (step < steps.length) {
      const [prompt, keys] = steps[step]!;
      const text = plain(output).slice(seenAt);
      const found = typeof prompt === "string" ? text.indexOf(prompt) : text.search(prompt);
      if (found === -1) return;
      seenAt += found + 1;
      step++;
      type(keys);
    }
  };
  return { seen, done: () => step };
}

/** Runs `gen <args>` in `cwd` as if in a terminal; fails if a step's prompt never came. */
export async function drive(cwd: string, args: string[], steps: Step[]): Promise<{ code: number; output: string }> {
  let output = "";
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  // Typed once the prompt's own write has returned, as a person would.
  const keys = typist(steps, (k) => setImmediate(() => input.write(k)));
  const show = (text: string) => {
    output += text;
    keys.seen(output);
  };
  const screen = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      show(chunk.toString());
      done();
    },
  });
  // Inquirer ends its output stream when its questions are done; a terminal outlives that.
  const output$ = Object.assign(screen, { isTTY: true, columns: 200, rows: 50, end: () => screen });
  const terminal: Terminal = { input, output: output$ };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no prompt for step ${keys.done()}; output so far:\n${plain(output)}`)), 20_000);
  });
  try {
    const code = await Promise.race([
      main(args, { out: (t) => show(t + "\n"), err: (t) => show(t + "\n"), interactive: true, cwd, stdin: input, terminal }),
      timeout,
    ]);
    const step = keys.done();
    if (step < steps.length) throw new Error(`ended (${code}) before step ${step} (${String(steps[step]![0])}); output:\n${plain(output)}`);
    return { code, output: plain(output) };
  } finally {
    clearTimeout(timer);
    input.destroy();
  }
}
