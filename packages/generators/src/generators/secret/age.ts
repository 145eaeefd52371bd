// The real `age` binary, with the value only ever in pipes: it goes in on
// stdin and comes out on stdout, never in argv (visible in `ps`) and never
// in a file. Recipients are public keys, so they may be arguments.
// Output is armored (ASCII), so a .age file is text the plan, the diff and
// the journal can carry like any other file.
import { spawnSync } from "node:child_process";
import { GenError } from "../../report/errors.js";

/** The first line of an age file, binary or armored. */
const AGE_HEADER = "age-encryption.org/v1";
export const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";

/** Whether `content` is an age file: the binary header, or the armored form of one. */
export function isAgeFile(content: string | Buffer): boolean {
  const head = (typeof content === "string" ? content : content.subarray(0, 64).toString("latin1")).replace(/^\s+/, "");
  return head.startsWith(AGE_HEADER + "\n") || head.startsWith(ARMOR_BEGIN);
}

function ageBin(): string {
  return process.env.AGE_BIN ?? "age";
}

/** age's last message, without anything but its own words (it never echoes the plaintext). */
function ageReason(stderr: Buffer | string | null | undefined): string {
  const lines = String(stderr ?? "")
    .split("\n")
    .filter((l) => l.trim() !== "" && !/^age: report /.test(l))
    .map((l) => l.replace(/^age: (error: )?/, "").trim());
  return lines[lines.length - 1]?.replace(/\.$/, "") ?? "it stopped without saying why";
}

function run(args: string[], input: Buffer, what: string) {
  const result = spawnSync(ageBin(), args, { input, maxBuffer: 64 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
  // EPIPE with an exit status: age quit before reading its input (a wrong
  // identity, say); its status and stderr say why, so the caller reports that.
  const quitEarly = (result.error as NodeJS.ErrnoException | undefined)?.code === "EPIPE" && result.status !== null;
  if (result.error && !quitEarly) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new GenError(
      missing
        ? `The age tool is not installed, which ${what} needs: install it (Debian: sudo apt-get install age; Nix: nix develop, or nix shell nixpkgs#age) and run again.`
        : `age could not be started for ${what} (${result.error.message}): check that \`${ageBin()} --version\` runs, then run again.`,
    );
  }
  return result;
}

/** `value`, encrypted (armored) to every recipient: `ssh-ed25519 …` lines. */
export function encrypt(value: Buffer, recipients: readonly string[]): string {
  if (recipients.length === 0) throw new Error("encrypt: no recipients");
  const args = ["--encrypt", "--armor", ...recipients.flatMap((r) => ["-r", r])];
  const result = run(args, value, "encrypting the secret");
  if (result.status !== 0) {
    throw new GenError(`age could not encrypt the secret (${ageReason(result.stderr)}): check the public keys in secrets/secrets.nix and the hosts' ssh_host_ed25519_key.pub files.`);
  }
  return result.stdout.toString("latin1");
}

/**
 * The value inside `ciphertext`, decrypted with the private key at
 * `identity`, or undefined when that key is not one of its recipients.
 */
export function tryDecrypt(ciphertext: string | Buffer, identity: string): Buffer | undefined {
  const input = typeof ciphertext === "string" ? Buffer.from(ciphertext, "latin1") : ciphertext;
  const result = run(["--decrypt", "-i", identity], input, "decrypting the secret");
  if (result.status === 0) return result.stdout;
  const reason = ageReason(result.stderr);
  if (/no identity matched/i.test(reason)) return undefined;
  throw new GenError(`age could not decrypt with ${identity} (${reason}): give --identity the private SSH key (not the .pub) of an admin or host the secret is encrypted to.`);
}
