// The last steps in a terminal before a write: the recap of the answers,
// "Write N files? (Y/n)", and Ctrl-C during the questions, which ends the
// run as interrupted with nothing written.
import type { Answers, GeneratorSpec } from "../answers/spec.js";
import { shortKey } from "../answers/ssh-keys.js";
import { changeVerb } from "../repo/tree.js";
import type { Plan } from "../write/plan.js";
import type { Io } from "./main.js";
import { askYesNo, processTerminal } from "./terminal.js";

/** Ctrl-C during the questions: one line, then the process ends as interrupted (status 130). */
export function cancelOnCtrlC(io: Io): { dispose: () => void; now: () => number } {
  const now = (): number => {
    dispose();
    // Start on a fresh line: the prompt's own line may hold the half-typed answer.
    io.err("\r\u001b[2K\nCancelled: nothing was written.");
    // Ending by SIGINT (status 130), as an interrupted program does, rather
    // than exiting: the shell and pnpm see an interruption. (Under pnpm gen,
    // pnpm still adds its own ELIFECYCLE line, after this one.)
    process.removeAllListeners("SIGINT");
    process.kill(process.pid, "SIGINT");
    return 130;
  };
  const onSignal = () => void now();
  // Inquirer answers Ctrl-C by closing its prompt and sending SIGINT to this
  // process; without something pending, Node would exit (status 13) first.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const dispose = () => {
    clearInterval(keepAlive);
    process.removeListener("SIGINT", onSignal);
  };
  process.on("SIGINT", onSignal);
  return { dispose, now };
}

/** The answers, one a line with their flag, as the last look before writing. */
export function recap(spec: GeneratorSpec, answers: Answers): string {
  const rows: string[] = [];
  for (const p of spec.params) {
    const value = answers[p.name];
    if (value === undefined || p.name === "sshKeyFiles") continue;
    const shown =
      typeof value === "boolean" ? (value ? "yes" : "no")
      : Array.isArray(value) ? (value.length === 0 ? "none" : value.map((v) => (p.name === "sshKeys" ? shortKey(v) : v)).join(", "))
      : value === "" ? "none" : value;
    rows.push(`  ${`--${p.flag}`.padEnd(16)}${shown}`);
  }
  return ["", `gen ${spec.name} with:`, ...rows, ""].join("\n");
}

/** "Write N files? (Y/n)": yes on Enter, y or yes; no on n or no; cancel on Ctrl-C. */
export async function askToWrite(plan: Plan, io: Io): Promise<"yes" | "no" | "cancel"> {
  io.out(plan.changes.map((c) => `  ${changeVerb(c)} ${c.path}`).join("\n"));
  const n = plan.changes.length;
  const answer = await askYesNo(io.terminal ?? processTerminal(), `Write ${n} file${n === 1 ? "" : "s"}? (Y/n) `, true);
  return answer === "cancel" ? answer : answer ? "yes" : "no";
}
