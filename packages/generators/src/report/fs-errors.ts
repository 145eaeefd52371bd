// File-system failures (permissions, immutable or read-only folders, a full
// disk...) as one sentence that names the path and says what to do, instead
// of a Node stack trace.
import { dirname, isAbsolute, relative } from "node:path";
import { GenError } from "./errors.js";

type ErrnoError = NodeJS.ErrnoException & { dest?: string };

export function isErrnoError(error: unknown): error is ErrnoError {
  return error instanceof Error && typeof (error as ErrnoError).code === "string" && typeof (error as ErrnoError).syscall === "string";
}

const VERBS: Record<string, string> = {
  open: "write",
  write: "write",
  fsync: "write",
  close: "write",
  mkdir: "create the folder",
  rmdir: "remove the folder",
  rename: "replace",
  link: "create",
  unlink: "remove",
  chmod: "set the mode of",
  read: "read",
  scandir: "list",
  stat: "look at",
  lstat: "look at",
  copyfile: "write",
};

/**
 * The one-line message for a file-system error, or undefined when `error` is
 * not one. Paths are shown relative to `base` when inside it. `outcome` (for
 * example "so nothing was written") follows the problem.
 */
export function fsErrorMessage(error: unknown, base: string, outcome?: string): string | undefined {
  if (!isErrnoError(error)) return undefined;
  // A temp file stands for its target: `flake.nix.123.gen-tmp` → `flake.nix`.
  const abs = (error.syscall === "rename" && error.dest ? error.dest : error.path ?? "").replace(/\.\d+\.gen-tmp$/, "");
  const shown = (p: string) => {
    if (p === "") return "a file";
    const rel = relative(base, p);
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? p : rel;
  };
  const file = shown(abs);
  const dir = abs === "" ? base : shown(dirname(abs)) === "." ? base : shown(dirname(abs));
  // Creating, removing or renaming an entry needs the folder; a rename over a file needs the file too.
  const inFolder = ["mkdir", "rmdir", "link", "unlink", "open"].includes(error.syscall ?? "");
  const suspects = inFolder ? dir : `${dir} ${file}`;
  const verb = VERBS[error.syscall ?? ""] ?? error.syscall ?? "change";
  const then = outcome ? `, ${outcome}` : "";
  switch (error.code) {
    case "EACCES":
      // open(2) serves reads and writes alike: ask for both.
      return `Permission denied on ${file}${then}: give your user read and write access to ${file} and its folder ${dir} (ls -ld ${dir} ${file}; chmod u+rw or chown), then run again.`;
    case "EPERM":
      return `Not permitted to ${verb} ${file}${then}: ${inFolder ? dir : `${dir} or ${file}`} is probably immutable or append-only (lsattr -d ${suspects}); clear that (chattr -i) or fix the permissions, then run again.`;
    case "EROFS":
      return `${file} is on a read-only file system${then}: remount it read-write or work in a writable copy (--root <dir>), then run again.`;
    case "ENOSPC":
      return `No space left on the device for ${file}${then}: free some space there (df -h ${base}), then run again.`;
    case "EDQUOT":
      return `Your disk quota is used up, so ${file} cannot be written${then}: free space within your quota (quota -s), then run again.`;
    case "EMFILE":
    case "ENFILE":
      return `Too many open files to ${verb} ${file}${then}: close some programs or raise the limit (ulimit -n), then run again.`;
    case "EIO":
      return `Input/output error on ${file}${then}: the disk or file system is failing (see dmesg); fix it, then run again.`;
    case "ENOTDIR":
      return `Part of the path ${file} is a file, not a folder${then}: move that file away, then run again.`;
    case "EISDIR":
      return `${file} is a folder where a file is expected${then}: move it away, then run again.`;
    case "ENAMETOOLONG":
      return `The path ${file} is too long for this file system${then}: use a shorter name or a shallower checkout.`;
    case "EBUSY":
    case "ETXTBSY":
      return `${file} is in use by another program${then}: close it, then run again.`;
    default:
      return `Cannot ${verb} ${file} (${error.code}: ${error.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*$/, "")})${then}: fix that, then run again.`;
  }
}

/** `error` as a GenError when it is a file-system error; otherwise `error` itself. */
export function asGenError(error: unknown, base: string, outcome?: string): unknown {
  const message = fsErrorMessage(error, base, outcome);
  return message === undefined ? error : new GenError(message);
}
