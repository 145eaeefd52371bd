// Where a new value comes from when no --value-file is given: all of a
// piped standard input, byte for byte, or a hidden prompt in a terminal,
// asked twice. It stays in Buffers in memory: never a temp file, never argv.
import { GenError } from "../../report/errors.js";

type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };

/** Every byte of `stream` until it ends, nothing trimmed. */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const value = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  return value;
}

/** One line typed without echo (Enter ends it; Ctrl-C cancels). */
async function askHidden(input: Input, write: (text: string) => void, question: string): Promise<Buffer> {
  write(question);
  input.setRawMode?.(true);
  input.resume();
  const typed: number[] = [];
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const onData = (chunk: Buffer | string) => {
        for (const byte of Buffer.from(chunk)) {
          if (byte === 3) return done(new GenError("Cancelled: nothing was written."));
          if (byte === 13 || byte === 10) return done();
          if (byte === 127 || byte === 8) {
            // Drop the last character whole (a UTF-8 one is several bytes).
            while (typed.length > 0 && ((typed.pop()! & 0xc0) === 0x80));
          } else typed.push(byte);
        }
      };
      const done = (error?: Error) => {
        input.removeListener("data", onData);
        write("\n");
        if (error) reject(error);
        else resolve(Buffer.from(typed));
        typed.fill(0);
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode?.(false);
    input.pause();
  }
}

/** The value: from a terminal, typed twice without echo; else all of standard input. */
export async function readValue(input: Input, interactive: boolean, write: (text: string) => void, name: string): Promise<Buffer> {
  if (!interactive || !input.isTTY) return readAll(input);
  const first = await askHidden(input, write, `Value of ${name} (not shown): `);
  const again = await askHidden(input, write, "Again, to be sure: ");
  const same = first.equals(again);
  again.fill(0);
  if (!same) {
    first.fill(0);
    throw new GenError("The two values typed differ: run again and type the same value twice (or pipe it in).");
  }
  return first;
}
