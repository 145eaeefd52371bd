// The private temp folders `gen install` hands to nixos-anywhere: the new
// host key (--extra-files) and the LUKS passphrase (--disk-encryption-keys).
// Both live outside the repository, readable by this user only, and are
// removed by `removeAll` whatever happens to the install.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { GenError } from "../../report/errors.js";

export const HOST_KEY = "etc/ssh/ssh_host_ed25519_key";

/** Whether `path` is `root` or inside it (both resolved through links). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(realpathSync(root), realpathSync(path));
  return rel === "" || (!rel.startsWith(".." + sep) && rel !== ".." && !rel.startsWith(sep));
}

export class PrivateDirs {
  private readonly dirs: string[] = [];

  constructor(private readonly root: string) {}

  /** A fresh folder only this user can enter (mkdtemp makes it 0700), never inside the repository. */
  make(prefix: string): string {
    const base = tmpdir();
    const dir = mkdtempSync(join(base, prefix));
    this.dirs.push(dir);
    chmodSync(dir, 0o700);
    if (isInside(dir, this.root)) {
      throw new GenError(`The temp folder ${base} is inside the repository, where a private key must never go: set TMPDIR to a folder outside it (such as /tmp) and run again.`);
    }
    return dir;
  }

  /** The folders made so far (for tests and the exit handler). */
  get paths(): readonly string[] {
    return this.dirs;
  }

  /** Removes every folder made; safe to call more than once, and from an exit handler. */
  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export interface HostKey {
  /** The folder for --extra-files: etc/ssh/ssh_host_ed25519_key (0600) and its .pub. */
  dir: string;
  /** `ssh-ed25519 AAAA… root@<host>`, one line with its newline, as hosts/<host>/ssh_host_ed25519_key.pub holds it. */
  publicKey: string;
}

/**
 * A new ed25519 host key for `host`, made by ssh-keygen in a private folder,
 * laid out as nixos-anywhere copies it onto the new root (modes kept:
 * etc and etc/ssh 0755, the key 0600).
 */
export function makeHostKey(dirs: PrivateDirs, host: string): HostKey {
  const dir = dirs.make("gen-install-files-");
  mkdirSync(join(dir, "etc", "ssh"), { recursive: true });
  chmodSync(join(dir, "etc"), 0o755);
  chmodSync(join(dir, "etc", "ssh"), 0o755);
  const key = join(dir, HOST_KEY);
  const run = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `root@${host}`, "-f", key], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (run.error || run.status !== 0) {
    const why = run.error ? "ssh-keygen is not on PATH" : (run.stderr.trim().split("\n")[0] ?? `ssh-keygen exited with ${run.status}`);
    throw new GenError(`The host key for ${host} could not be made (${why}): install OpenSSH (its ssh-keygen makes the key), then run again.`);
  }
  chmodSync(key, 0o600);
  chmodSync(key + ".pub", 0o644);
  return { dir, publicKey: readFileSync(key + ".pub", "utf8").trim() + "\n" };
}

/** The passphrase in a file of its own (0600) in a private folder, without a newline (disko's `cat` would drop it anyway). */
export function writePassphrase(dirs: PrivateDirs, passphrase: string): string {
  const file = join(dirs.make("gen-install-key-"), "disk.key");
  writeFileSync(file, passphrase, { mode: 0o600, flag: "wx" });
  return file;
}
