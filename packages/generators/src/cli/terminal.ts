// The terminal questions are asked on: the process's own by default, a fake
// one in the tests, so prompts run in-process there.
import type { Writable } from "node:stream";

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

/**
 * One line typed without echo (Enter ends it, Ctrl-C is "cancel"), read byte
 * by byte in raw mode into a Buffer the caller can zero: a secret never
 * lives in a string here, nor in readline's history.
 */
export async function askHidden(terminal: Terminal, question: string): Promise<Buffer | "cancel"> {
  const { input, output } = terminal;
  output.write(question);
  input.setRawMode?.(true);
  input.resume();
  const typed: number[] = [];
  try {
    return await new Promise<Buffer | "cancel">((resolve) => {
      const onData = (chunk: Buffer | string) => {
        for (const byte of Buffer.from(chunk)) {
          if (byte === 3) return done("cancel");
          if (byte === 13 || byte === 10) return done(Buffer.from(typed));
          if (byte === 127 || byte === 8) {
            // Drop the last character whole (a UTF-8 one is several bytes).
            while (typed.length > 0 && ((typed.pop()! & 0xc0) === 0x80));
          } else typed.push(byte);
        }
      };
      const done = (result: Buffer | "cancel") => {
        input.removeListener("data", onData);
        output.write("\n");
        typed.fill(0);
        resolve(result);
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode?.(false);
    input.pause();
  }
}
