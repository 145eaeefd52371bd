// The terminal questions are asked on: the process's own by default, a fake
// one in the tests, so prompts run in-process there.
import type { Writable } from "node:stream";

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  output: Writable;
}

export const processTerminal = (): Terminal => ({ input: process.stdin, output: process.stdout });

/** Asks `question` until `decide` takes the typed word (trimmed, lower case); Ctrl-C is "cancel". */
export async function askUntil<T>(terminal: Terminal, question: string, decide: (word: string) => T | undefined): Promise<T | "cancel"> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: terminal.input, output: terminal.output, terminal: true });
  const cancelled = new Promise<"cancel">((resolve) => rl.once("SIGINT", () => resolve("cancel")));
  try {
    for (;;) {
      const typed = await Promise.race([rl.question(question), cancelled]);
      if (typed === "cancel") return "cancel";
      const answer = decide(typed.trim().toLowerCase());
      if (answer !== undefined) return answer;
    }
  } finally {
    rl.close();
  }
}
