// The terminal questions of gen install: the host's name as confirmation
// (the target's disks are erased), and the LUKS passphrase, asked twice
// without echo. Kept apart so the CLI wiring and tests can swap them.
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import type { Terminal } from "../../cli/terminal.js";

/** One line typed at the terminal; with `hidden`, nothing of it is echoed. */
function askLine(term: Terminal, question: string, hidden = false): Promise<string> {
  return new Promise((done) => {
    let muted = false;
    const rl = createInterface({
      input: term.input,
      output: {
        write: (chunk: string | Uint8Array) => (muted ? true : term.output.write(chunk)),
      } as unknown as Writable,
      terminal: term.input.isTTY === true,
    });
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) term.output.write("\n");
      done(answer);
    });
    // Echo is off once the question is printed.
    muted = hidden;
  });
}

/** Whether the user typed the host's name (anything else declines). */
export async function confirmHostName(term: Terminal, host: string, what: string): Promise<boolean> {
  const typed = await askLine(term, `${what}\nType the host's name (${host}) to go on, anything else to stop: `);
  return typed.trim() === host;
}

/** The disk's passphrase, typed twice without echo until both match (at most three tries; undefined after that). */
export async function askPassphrase(term: Terminal, host: string): Promise<string | undefined> {
  for (let tries = 0; tries < 3; tries++) {
    const first = await askLine(term, `Passphrase for ${host}'s encrypted disk (asked at every boot): `, true);
    if (first === "") {
      term.output.write("The passphrase is empty; try again.\n");
      continue;
    }
    const second = await askLine(term, "The same passphrase again: ", true);
    if (first === second) return first;
    term.output.write("The two do not match; try again.\n");
  }
  return undefined;
}
