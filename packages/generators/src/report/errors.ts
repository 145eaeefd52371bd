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
