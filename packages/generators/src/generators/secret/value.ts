// Where a new value comes from when no --value-file is given: all of a
// piped standard input, byte for byte, or a hidden prompt in a terminal,
// asked twice. It stays in Buffers in memory: never a temp file, never argv.
import { GenError } from "../../report/errors.js";
import { type Terminal, askHidden } from "../../cli/terminal.js";

/** Every byte of `stream` until it ends, nothing trimmed. */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const value = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  return value;
}

/** The value: from a terminal, typed twice without echo; else all of standard input. */
export async function readValue(input: NodeJS.ReadableStream, terminal: Terminal | undefined, name: string): Promise<Buffer> {
  if (!terminal) return readAll(input);
  const first = await askHidden(terminal, `Value of ${name} (not shown): `, "written");
  const again = await askHidden(terminal, "Again, to be sure: ", "written");
  const same = first.equals(again);
  again.fill(0);
  if (!same) {
    first.fill(0);
    throw new GenError("The two values typed differ: run again and type the same value twice (or pipe it in).");
  }
  return first;
}
