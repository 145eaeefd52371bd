/**
 * A problem with the user's input or repository, told in one sentence that
 * says what is wrong and how to fix it. The CLI prints only the message.
 */
export class GenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenError";
  }
}

/**
 * Ctrl-C at a question a command asks itself (a hidden value, the host's
 * name): said on a line of its own, and the run ends as interrupted (130),
 * as Ctrl-C at the generators' own questions does.
 */
export class Cancelled extends Error {
  constructor(what: "written" | "done") {
    super(`Cancelled: nothing was ${what}.`);
    this.name = "Cancelled";
  }
}
