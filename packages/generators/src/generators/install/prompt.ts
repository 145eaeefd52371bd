// The terminal questions of gen install: the host's name as confirmation
// (the target's disks are erased), and the LUKS passphrase, asked twice
// without echo. Kept apart so the CLI wiring and tests can swap them.
import { Cancelled } from "../../report/errors.js";
import { type Terminal, askHidden, askUntil } from "../../cli/terminal.js";

/** Whether the user typed the host's name (anything else declines; Ctrl-C cancels). */
export async function confirmHostName(term: Terminal, host: string, what: string): Promise<boolean> {
  const typed = await askUntil(term, `${what}\nType the host's name (${host}) to go on, anything else to stop: `, (line) => line);
  if (typed === "cancel") throw new Cancelled("done");
  return typed === host;
}

/** The disk's passphrase, typed twice without echo until both match (at most three tries; undefined after that). */
export async function askPassphrase(term: Terminal, host: string): Promise<string | undefined> {
  const ask = async (question: string) => {
    const typed = await askHidden(term, question, "done");
    const text = typed.toString("utf8");
    typed.fill(0);
    return text;
  };
  for (let tries = 0; tries < 3; tries++) {
    const first = await ask(`Passphrase for ${host}'s encrypted disk (asked at every boot): `);
    if (first === "") {
      term.output.write("The passphrase is empty; try again.\n");
      continue;
    }
    const second = await ask("The same passphrase again: ");
    if (first === second) return first;
    term.output.write("The two do not match; try again.\n");
  }
  return undefined;
}
