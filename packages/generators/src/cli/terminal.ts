// The terminal questions are asked on: the process's own by default, a fake
// one in the tests, so prompts run in-process there.
import type { Writable } from "node:stream";
import { Cancelled } from "../report/errors.js";

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  output: Writable;
}

export const processTerminal = (): Terminal => ({ input: process.stdin, output: process.stdout });

/** Asks `question` until `decide` takes the typed line (trimmed); Ctrl-C is "cancel". */
export async function askUntil<T>(terminal: Terminal, question: string, decide: (word: string) => T | undefined): Promise<T | "cancel"> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: terminal.input, output: terminal.output, terminal: true });
  const cancelled = new Promise<"cancel">((resolve) => rl.once("SIGINT", () => resolve("cancel")));
  try {
    for (;;) {
      const typed = await Promise.race([rl.question(question), cancelled]);
      if (typed === "cancel") return "cancel";
      const answer = decide(typed.trim());
      if (answer !== undefined) return answer;
    }
  } finally {
    rl.close();
  }
}

/** A "(y/N)" or "(Y/n)" question: y or yes, n or no, and Enter for `enter`; Ctrl-C is "cancel". */
export function askYesNo(terminal: Terminal, question: string, enter: boolean): Promise<boolean | "cancel"> {
  return askUntil(terminal, question, (typed) => {
    const word = typed.toLowerCase();
    return word === "" ? enter : word === "y" || word === "yes" ? true : word === "n" || word === "no" ? false : undefined;
  });
}

/**
 * One line typed without echo (Enter ends it), read byte by byte in raw mode
 * into a Buffer the caller can zero: a secret never lives in a string here,
 * nor in readline's history. Ctrl-C ends the run: nothing was `what`.
 */
export async function askHidden(terminal: Terminal, question: string, what: "written" | "done"): Promise<Buffer> {
  const { input, output } = terminal;
  output.write(question);
  input.setRawMode?.(true);
  input.resume();
  const typed: number[] = [];
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const onData = (chunk: Buffer | string) => {
        for (const byte of Buffer.from(chunk)) {
          if (byte === 3) return done(new Cancelled(what));
          if (byte === 13 || byte === 10) return done(Buffer.from(typed));
          if (byte === 127 || byte === 8) {
            // Drop the last character whole (a UTF-8 one is several bytes).
            while (typed.length > 0 && ((typed.pop()! & 0xc0) === 0x80));
          } else typed.push(byte);
        }
      };
      const done = (result: Buffer | Cancelled) => {
        input.removeListener("data", onData);
        output.write("\n");
        typed.fill(0);
        if (result instanceof Cancelled) reject(result);
        else resolve(result);
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode?.(false);
    input.pause();
  }
}
